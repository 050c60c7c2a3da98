import gc
import logging
import os
import time

from celery import Celery
from celery.signals import celeryd_init, worker_process_init
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

log = logging.getLogger(__name__)

# After a send fails because the broker is away, skip sending for this long.
BROKER_RETRY_SECONDS = 5.0


class FactcheckCelery(Celery):
    """Celery whose sends fail at once for a few seconds after one failed.

    A hanging Redis accepts connections and never answers: each send then costs
    the broker's socket timeout (settings.CELERY_BROKER_TRANSPORT_OPTIONS), and
    a write request sends several on commit (outbox fast path, link checks,
    embedding wake-ups). One slow request per few seconds, not every request
    for as long as Redis hangs. Nothing is lost by not sending: every message
    that matters is an outbox row or a due row in PostgreSQL that the sweeps
    and beat wake-ups pick up (a wake-up is only a shortcut).
    """

    broker_down_until = 0.0

    def send_task(self, *args, **kwargs):
        if not self.conf.task_always_eager and time.monotonic() < self.broker_down_until:
            raise OperationalError("the broker failed moments ago; not sending for a while")
        try:
            return super().send_task(*args, **kwargs)
        except OperationalError:
            log.warning("broker unreachable: sends skipped for %ss", BROKER_RETRY_SECONDS)
            self.broker_down_until = time.monotonic() + BROKER_RETRY_SECONDS
            raise


app = FactcheckCelery("factcheck")


@celeryd_init.connect
def _consumer_without_socket_timeout(conf=None, **kwargs) -> None:
    """The socket timeout in CELERY_BROKER_TRANSPORT_OPTIONS is for sends from web
    requests. A worker's consumer blocks in BRPOP for about a second at a time; a
    read timeout that short cuts its own polls and makes it reconnect in a loop,
    so workers keep kombu's default (none) and notice a dead broker through the
    connection errors and heartbeats they always had."""
    options = dict(conf.broker_transport_options or {})
    options.pop("socket_timeout", None)
    conf.broker_transport_options = options
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _survive_a_broker_restart_with_tasks_in_flight() -> None:
    """Keep a busy worker alive when Redis goes away (celery 5.7 / kombu 5.7 on Redis).

    On connection loss the consumer first collects the connection, which drops
    the transport's client, then closes it; closing the channel again tries to
    restore the unacknowledged messages of the tasks in flight, and building a
    Redis client from a transport without a client raises
    AttributeError("'NoneType' object has no attribute 'hostname'") in
    `Channel._connparams`. That is not one of the connection errors the close
    ignores, so the worker stops with "Unrecoverable error" (the family of
    celery/kombu#582 and #970; the second close is new in celery 5.7's
    `on_connection_error_after_connected`). An idle worker has nothing to
    restore and reconnects.

    Here a closed transport raises the connection error it stands for, which
    kombu already ignores while closing, so the consumer goes on to reconnect.
    Nothing is lost by not restoring: Redis keeps unacknowledged messages in
    its `unacked` hash and redelivers them after the visibility timeout, and
    every task here is backed by PostgreSQL (link leases, the outbox) and is
    safe to run twice. tests/test_links_worker.py restarts Redis under a busy
    worker and fails on any worker exit.
    """
    from kombu.transport import redis as kombu_redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    original = kombu_redis.Channel._connparams
    if getattr(original, "_factcheck_patched", False):
        return

    def _connparams(self, asynchronous: bool = False):
        if self.connection.client is None:
            raise RedisConnectionError("the broker connection is already closed")
        return original(self, asynchronous=asynchronous)

    _connparams._factcheck_patched = True
    kombu_redis.Channel._connparams = _connparams


_survive_a_broker_restart_with_tasks_in_flight()


@worker_process_init.connect
def _freeze_the_boot_heap(**kwargs) -> None:
    """Move what a worker process loaded at boot (Django, the apps, their modules) out
    of the garbage collector's sight: it lives as long as the process, and every full
    collection otherwise walks all of it again. Profiled on the link refresh, where
    the allocations of a busy pass trigger collections often (bench/links.py)."""
    gc.freeze()
