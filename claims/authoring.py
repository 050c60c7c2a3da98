"""Writing a claim with everything that hangs off it, all or nothing.

The API, the demo loader and the article importer create claims here, so the
same validation applies whichever door an editor comes through.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from sources.links import get_or_create_link
from sources.models import Link

from . import publication
from .models import Attribution, Claim, Evidence, EvidenceRelation, Quantity, Role, Tag

CLAIM_FIELDS = (
    "text", "language", "summary_en", "made_on", "about_start", "about_end",
    "verdict_rationale", "published",
)


def _link(value: Link | str | None) -> Link | None:
    if value is None or isinstance(value, Link):
        return value
    return get_or_create_link(value)[0]


def _prefixed(prefix: str, error: ValidationError) -> ValidationError:
    """Name the nested field at fault: attributions[1].role rather than role."""
    if hasattr(error, "error_dict"):
        return ValidationError({f"{prefix}.{k}": v for k, v in error.error_dict.items()})
    return ValidationError({prefix: error.messages})


def set_tags(claim: Claim, names: Iterable[str]) -> None:
    tags = [
        Tag.objects.get_or_create(name=name.strip().lower())[0]
        for name in names
        if name.strip()
    ]
    claim.tags.set(tags)


def set_quantity(claim: Claim, data: Mapping[str, Any] | None) -> None:
    """Replace the claim's figure (None removes it)."""
    Quantity.objects.filter(claim=claim).delete()
    if data:
        quantity = Quantity(claim=claim, **data)
        try:
            quantity.full_clean(exclude=["claim"])
        except ValidationError as exc:
            raise _prefixed("quantity", exc) from None
        quantity.save()


def add_attribution(claim: Claim, index: int = 0, **data: Any) -> Attribution:
    data["link"] = _link(data.get("link"))
    attribution = Attribution(claim=claim, **data)
    try:
        attribution.full_clean(exclude=["claim"], validate_unique=False)
    except ValidationError as exc:
        raise _prefixed(f"attributions[{index}]", exc) from None
    if Attribution.objects.filter(
        claim=claim, source=attribution.source, role=attribution.role
    ).exists():
        raise ValidationError({f"attributions[{index}]": [
            f"{attribution.source} is already attributed as {attribution.role} on this claim."
        ]})
    attribution.save()
    return attribution


def add_evidence(claim: Claim, index: int = 0, *, link: Link | str, relation: str,
                 note: str = "") -> Evidence:
    try:
        link_row = _link(link)
    except ValidationError as exc:
        raise ValidationError({f"evidence[{index}].url": exc.messages}) from None
    existing = Evidence.objects.filter(claim=claim, link=link_row).first()
    if existing:
        return existing
    evidence = Evidence(claim=claim, link=link_row, relation=relation, note=note)
    try:
        evidence.full_clean(exclude=["claim", "link"], validate_unique=False)
    except ValidationError as exc:
        raise _prefixed(f"evidence[{index}]", exc) from None
    evidence.save()
    return evidence


def cite_outlet_links(claim: Claim) -> list[Evidence]:
    """The article an outlet published is evidence the claim was reported: add it once.

    An editor who typed the outlet's link on its attribution does not type it
    again as evidence; a link already cited (in any relation) is left as it is.
    """
    cited = set(claim.evidence.values_list("link_id", flat=True))
    added = []
    for link_id in (claim.attributions.filter(role=Role.OUTLET, link__isnull=False)
                    .values_list("link_id", flat=True).distinct()):
        if link_id not in cited:
            added.append(Evidence.objects.create(
                claim=claim, link_id=link_id, relation=EvidenceRelation.REPORTED_IN))
            cited.add(link_id)
    return added


@transaction.atomic
def create_claim(
    *,
    actor: AbstractBaseUser | None = None,
    quantity: Mapping[str, Any] | None = None,
    attributions: Iterable[Mapping[str, Any]] = (),
    evidence: Iterable[Mapping[str, Any]] = (),
    tags: Iterable[str] = (),
    **fields: Any,
) -> Claim:
    """Create a claim with its figure, attributions, evidence and tags in one transaction.

    Raises ValidationError keyed by the field at fault (e.g. "attributions[1].role");
    nothing is saved then.
    """
    unknown = set(fields) - set(CLAIM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown claim fields: {sorted(unknown)}")
    claim = Claim(**fields)
    if actor is not None and actor.is_authenticated:
        claim.created_by = actor
    claim.full_clean()
    claim.save()
    if claim.published:
        # Born published: the history says so, like any other publication.
        publication.record(claim, True, actor=actor)
    set_tags(claim, tags)
    set_quantity(claim, quantity)
    for i, data in enumerate(attributions):
        add_attribution(claim, i, **data)
    for i, data in enumerate(evidence):
        add_evidence(claim, i, **data)
    return claim


class StaleVersion(Exception):
    """The claim was changed by someone else since the version the editor saw."""

    def __init__(self, expected: int, current: int) -> None:
        self.expected, self.current = expected, current
        super().__init__(f"expected version {expected}, the claim is at {current}")


UNCHANGED: Any = object()


def update_claim(
    claim: Claim,
    *,
    expected_version: int,
    actor: AbstractBaseUser | None = None,
    quantity: Mapping[str, Any] | None = UNCHANGED,
    attributions: Iterable[Mapping[str, Any]] = UNCHANGED,
    evidence: Iterable[Mapping[str, Any]] = UNCHANGED,
    tags: Iterable[str] = UNCHANGED,
    **fields: Any,
) -> Claim:
    """Change a claim and, when given, replace its figure, attributions, evidence or tags.

    All or nothing, in one transaction. The claim row is locked first and its
    version compared with `expected_version`: a writer who loaded an older
    version gets StaleVersion instead of silently overwriting someone else's
    edit. Omitted arguments leave that part as it is. `claim` is refreshed.
    """
    unknown = set(fields) - set(CLAIM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown claim fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.version != expected_version:
            raise StaleVersion(expected_version, locked.version)
        published = fields.pop("published", locked.published)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean()
        if published != locked.published:
            # One version for the whole edit; history, tombstones and effects
            # of the publication come from the one place that makes them.
            publication.record(locked, published, actor=actor)
        locked.version += 1
        locked.save()
        if tags is not UNCHANGED:
            set_tags(locked, tags)
        if quantity is not UNCHANGED:
            set_quantity(locked, quantity)
        if attributions is not UNCHANGED:
            locked.attributions.all().delete()
            for i, data in enumerate(attributions):
                add_attribution(locked, i, **data)
        if evidence is not UNCHANGED:
            locked.evidence.all().delete()
            for i, data in enumerate(evidence):
                add_evidence(locked, i, **data)
    claim.refresh_from_db()
    return claim
