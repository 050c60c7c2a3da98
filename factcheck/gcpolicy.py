"""The cyclic garbage collector's policy in a web process (factcheck/wsgi.py).

Measured on `similar` at 1M claims (docs/benchmarks.md, issue 11): with the
default thresholds (700, 10, 10) a limit=250 answer, which holds ~1,000
candidates' facts at once, ran ~29 young collections, ~12 ms of its CPU; and a
full collection walked the loaded claim index (dicts of 1M entries), ~170 ms
each, every few requests: the p95. A request's objects die by reference count,
not by the collector, so collecting young objects less often loses nothing but
a little memory held by cycles a little longer; what lives as long as the
process (the app and its modules, the claim index once loaded) is moved out of
the collector's sight with gc.freeze, as a Celery worker does at boot
(factcheck/celery.py).
"""

from __future__ import annotations

import gc
import os

# Young collections every this many net container allocations (default 700).
YOUNG = int(os.environ.get("WEB_GC_YOUNG", "20000"))


def apply() -> None:
    """After the app has loaded: freeze the boot heap, collect the young less often."""
    gc.freeze()
    gc.set_threshold(YOUNG, *gc.get_threshold()[1:])


def keep() -> None:
    """Something as long-lived as the process has just been built (the claim index):
    out of the collector's sight too."""
    gc.freeze()
