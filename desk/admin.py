from claims.models import Claim
from factcheck.admin_extend import extend

from .figure_entry import FigureEntry
from .queues import DeskQueues

extend(Claim, FigureEntry)
extend(Claim, DeskQueues)
