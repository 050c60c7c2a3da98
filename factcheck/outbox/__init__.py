"""A durable outbox for tasks sent on commit: see models.py and sending.py.

`enqueue(task_name, args)` from any app; tasks are named, never imported, so
the outbox depends on nothing but Django and Celery.
"""
