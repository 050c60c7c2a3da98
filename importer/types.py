"""What the extractor proposes: plain dataclasses, no ORM rows, so callers can serialise them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class ResolvedSource:
    """A tracker source (id set) or a proposed new one (id None, kind guessed)."""

    id: int | None
    name: str
    kind: str
    # For a proposed new source: other names to register with it, e.g. the acronym in
    # brackets after its name ("Ukraine's military intelligence (HUR)" -> "HUR").
    aliases: tuple[str, ...] = ()


@dataclass
class ProposedAttribution:
    surface: str
    start: int
    end: int
    role: str  # claimant | conduit | outlet
    phrase: str
    stance: str  # asserts | denies | disputes
    source: ResolvedSource
    # Carried from another sentence: a pronoun, "the letter", a standing conduit.
    inferred: bool = False


@dataclass
class ProposedQuantity:
    qualifier: str
    value: Decimal | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    unit: str = ""
    counted: str = ""
    as_said: str = ""
    start: int = 0
    end: int = 0
    # What kind of thing is counted, read from the figure's clause: killed, wounded,
    # casualties, deployed, captured, missing, displaced, detained, weapons, money,
    # percent, people, other.
    counted_kind: str = ""

    def model_fields(self) -> dict:
        """Keyword arguments for claims.models.Quantity (and claims.authoring.set_quantity)."""
        return {
            "qualifier": self.qualifier, "value": self.value, "lower": self.lower,
            "upper": self.upper, "unit": self.unit,
            "counted": self.counted or "unspecified", "as_said": self.as_said[:200],
        }


@dataclass
class ProposedClaim:
    text: str
    start: int
    end: int
    attributions: list[ProposedAttribution] = field(default_factory=list)
    quantity: ProposedQuantity | None = None

    @property
    def claimants(self) -> list[ProposedAttribution]:
        return [a for a in self.attributions if a.role == "claimant"]


@dataclass
class Extraction:
    language: str
    detected: bool
    claims: list[ProposedClaim] = field(default_factory=list)

    def as_dict(self) -> dict:
        def convert(value):
            if isinstance(value, Decimal):
                return str(value.normalize()) if value == value.to_integral() else str(value)
            if isinstance(value, dict):
                return {k: convert(v) for k, v in value.items()}
            if isinstance(value, list):
                return [convert(v) for v in value]
            return value

        return convert(asdict(self))
