"""The beat of the embedded default: CELERY_BEAT_SCHEDULE in one thread of the web process.

Without a broker (`make run`: SQLite, every task in-process) there is no
`celery beat`, so nothing would check links as they come due, retry a webhook
whose receiver was down a minute ago, or sweep the outbox: each would wait for
the next editor action that happens to wake it. This thread runs the same
schedule the deployed beat runs, each task in-process and one at a time (the
tasks are the deployed ones: they lease their work from the database, so a
task that overlaps a request's own in-process run does nothing twice).

It starts only where it belongs: the serving process of `manage.py runserver`
(not the autoreloader's watcher), with tasks eager (no broker) and
EMBEDDED_BEAT not switched off. The deployed shape has a broker
and runs `celery beat`; this never starts there.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger(__name__)

_started = threading.Event()


@dataclass
class Entry:
    name: str
    task: str
    interval: float | None  # seconds between runs, or None for a crontab
    crontab: object | None = None  # a celery crontab, judged against the real clock
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    last_run_at: datetime | None = None

    def due_in(self, now: datetime) -> float:
        """Seconds until due (0 when due now). A new interval entry is due at once."""
        if self.interval is not None:
            if self.last_run_at is None:
                return 0.0
            return max(0.0, self.interval - (now - self.last_run_at).total_seconds())
        # A crontab's first run waits for its time, as celery beat's does.
        is_due, next_seconds = self.crontab.is_due(self.last_run_at or now)
        return 0.0 if is_due else max(0.0, float(next_seconds))


def entries(beat_schedule: dict | None = None) -> list[Entry]:
    """The deployed beat's schedule, as this thread runs it."""
    made = []
    for name, spec in (beat_schedule if beat_schedule is not None
                       else settings.CELERY_BEAT_SCHEDULE).items():
        plan = spec["schedule"]
        interval = crontab = None
        if isinstance(plan, timedelta):
            interval = plan.total_seconds()
        elif isinstance(plan, int | float):
            interval = float(plan)
        else:
            crontab = plan
        made.append(Entry(name, spec["task"], interval, crontab,
                          tuple(spec.get("args", ())), dict(spec.get("kwargs", {}))))
    return made


def run_due(schedule: list[Entry], now: datetime | None = None) -> list[str]:
    """Run every entry that is due, in order; the names run. One failing task is logged,
    and the others still run (as separate beat messages would)."""
    from factcheck.celery import app

    ran = []
    for entry in schedule:
        at = now or timezone.now()
        if entry.due_in(at) > 0:
            continue
        entry.last_run_at = at
        try:
            app.tasks[entry.task].apply(args=entry.args, kwargs=entry.kwargs, throw=True)
        except Exception:  # a beat keeps beating; the next run tries again
            log.exception("embedded beat: %s failed", entry.name)
        ran.append(entry.name)
    return ran


def _loop(schedule: list[Entry], stop: threading.Event) -> None:
    from factcheck.celery import app

    # The apps' tasks modules register their tasks when imported; a worker imports
    # them at start (autodiscovery), a web process only when something sends one.
    app.loader.import_default_modules()
    while not stop.is_set():
        close_old_connections()  # as a request does: a broken or aged connection is renewed
        run_due(schedule)
        close_old_connections()
        now = timezone.now()
        wait = min((entry.due_in(now) for entry in schedule), default=60.0)
        stop.wait(min(max(wait, 0.5), 60.0))


def should_start(argv: list[str] | None = None, environ: dict | None = None) -> bool:
    """True in the process that serves requests on the embedded default."""
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    if not settings.CELERY_TASK_ALWAYS_EAGER or not settings.EMBEDDED_BEAT:
        return False
    if "runserver" not in argv:
        # Tests, shells and commands import the WSGI app too; a WSGI server without a
        # broker is not a shape we ship. `make run` serves with runserver.
        return False
    # The autoreloader serves from a child marked RUN_MAIN; the parent only watches
    # files and must not beat as well.
    return environ.get("RUN_MAIN") == "true" or "--noreload" in argv


def start(stop: threading.Event | None = None) -> threading.Thread | None:
    """Start the thread once per process; returns it (None if already started)."""
    if _started.is_set():
        return None
    _started.set()
    thread = threading.Thread(target=_loop, args=(entries(), stop or threading.Event()),
                              name="embedded-beat", daemon=True)
    thread.start()
    log.info("embedded beat started: %d periodic tasks in-process",
             len(settings.CELERY_BEAT_SCHEDULE))
    return thread
