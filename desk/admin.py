"""The editor's desk on the claims admin: figure entry, assignment and queues, and the
desk panel (follow, checklist, discussion); its own pages for checklists and
notifications. Built on claims, never imported by them."""
from claims.models import Claim
from factcheck.admin_extend import extend

from . import pages  # noqa: F401  (registers the checklist and notification pages)
from .figure_entry import FigureEntry
from .panel import DeskPanel
from .queues import DeskQueues

extend(Claim, FigureEntry)
extend(Claim, DeskQueues)
extend(Claim, DeskPanel)
