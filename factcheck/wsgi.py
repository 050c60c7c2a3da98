import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
application = get_wsgi_application()

# The boot heap out of the collector's sight, young collections less often
# (factcheck/gcpolicy.py has the measurements).
from factcheck import gcpolicy  # noqa: E402

gcpolicy.apply()

# The embedded default (no broker) has no `celery beat`: run its schedule in a
# thread of the serving process (factcheck/embedded_beat.py says when).
from factcheck import embedded_beat  # noqa: E402

if embedded_beat.should_start():
    embedded_beat.start()
