from claims.models import Claim
from factcheck.admin_extend import extend

from .figure_entry import FigureEntry

extend(Claim, FigureEntry)
