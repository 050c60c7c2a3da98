"""Writing a claim with everything that hangs off it, all or nothing.

The API, the demo loader and the article importer create claims here, so the
same validation applies whichever door an editor comes through.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal

from factcheck.outbox.sending import add_to_batch
from sources.links import get_or_create_link
from sources.models import Link

from . import publication
from .models import (
    Attribution,
    Claim,
    Evidence,
    EvidenceRelation,
    PublicationChange,
    Quantity,
    Role,
    Tag,
)
from .search import refresh_search_documents

# Sent inside the transaction of `create_claims_many` with `claim_ids`: bulk_create sends
# no post_save, so whoever keeps something per saved claim (the similarity app's
# embedding queue) listens here too. Receivers write rows in the same transaction.
claims_created = Signal()

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


def _checked(row, prefix: str, exclude: list[str]) -> None:
    """Field checks and clean() in words, without a query per row.

    Foreign keys are rows the caller already holds, and the CHECK / UNIQUE constraints
    are the database's to enforce (clean() repeats them with messages): Django would
    otherwise ask the database once per row and per constraint.
    """
    try:
        row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise _prefixed(prefix, exc) from None


def create_claims_many(
    items: Sequence[Mapping[str, Any]],
    *,
    actor: AbstractBaseUser | None = None,
) -> list[Claim]:
    """Create many claims, each as `create_claim` would, in one transaction and a number
    of queries that does not grow with the number of claims.

    Each item holds the claim's fields and optionally `quantity`, `attributions`,
    `evidence` and `tags`, like `create_claim`'s arguments. All or nothing; errors are
    keyed "claims[2].attributions[0].role". Links are looked up once per address, rows
    written with bulk_create; what post_save would have done per claim (search text,
    relation recompute through the outbox, `claims_created` receivers) is done once for
    all, and born-published claims get their history rows and after-commit effects.
    """
    user = actor if actor is not None and actor.is_authenticated else None
    links: dict[str, Link] = {}

    def link_for(value: Link | str | None) -> Link | None:
        if value is None or isinstance(value, Link):
            return value
        if value not in links:
            links[value] = get_or_create_link(value)[0]
        return links[value]

    claims: list[Claim] = []
    quantities: list[tuple[int, Quantity]] = []
    attributions: list[tuple[int, Attribution]] = []
    evidence: list[tuple[int, Evidence]] = []
    tag_names: list[tuple[int, str]] = []
    with transaction.atomic():
        for i, item in enumerate(items):
            fields = dict(item)
            quantity = fields.pop("quantity", None)
            rows = list(fields.pop("attributions", ()))
            cited = list(fields.pop("evidence", ()))
            tags = fields.pop("tags", ())
            unknown = set(fields) - set(CLAIM_FIELDS)
            if unknown:
                raise TypeError(f"Unknown claim fields: {sorted(unknown)}")
            claim = Claim(**fields, created_by=user)
            _checked(claim, f"claims[{i}]", ["created_by", "reviewed_by"])
            claims.append(claim)
            if quantity:
                q = Quantity(**quantity)
                _checked(q, f"claims[{i}].quantity", ["claim"])
                quantities.append((i, q))
            seen: set[tuple[int, str]] = set()
            for j, data in enumerate(rows):
                data = dict(data)
                try:
                    data["link"] = link_for(data.get("link"))
                except ValidationError as exc:
                    raise _prefixed(f"claims[{i}].attributions[{j}].link", exc) from None
                a = Attribution(**data)
                _checked(a, f"claims[{i}].attributions[{j}]", ["claim", "source", "link"])
                if a.source_id is None:
                    raise ValidationError({f"claims[{i}].attributions[{j}].source": [
                        "Choose a source."]})
                if (a.source_id, a.role) in seen:
                    raise ValidationError({f"claims[{i}].attributions[{j}]": [
                        f"{a.source} is already attributed as {a.role} on this claim."]})
                seen.add((a.source_id, a.role))
                attributions.append((i, a))
            linked: set[int] = set()
            for j, data in enumerate(cited):
                data = dict(data)
                try:
                    link_row = link_for(data.pop("link"))
                except ValidationError as exc:
                    raise ValidationError({f"claims[{i}].evidence[{j}].url": exc.messages}
                                          ) from None
                if link_row.pk in linked:
                    continue
                linked.add(link_row.pk)
                e = Evidence(link=link_row, **data)
                _checked(e, f"claims[{i}].evidence[{j}]", ["claim", "link"])
                evidence.append((i, e))
            tag_names += [(i, n.strip().lower()) for n in tags if n.strip()]
        if not claims:
            return []
        Claim.objects.bulk_create(claims)
        for rows in (quantities, attributions, evidence):
            for i, row in rows:
                row.claim = claims[i]
        Quantity.objects.bulk_create([q for _, q in quantities])
        Attribution.objects.bulk_create([a for _, a in attributions])
        Evidence.objects.bulk_create([e for _, e in evidence])
        if tag_names:
            names = {n for _, n in tag_names}
            Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
            tag_ids = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
            Claim.tags.through.objects.bulk_create(
                [Claim.tags.through(claim_id=claims[i].pk, tag_id=tag_ids[n])
                 for i, n in set(tag_names)], ignore_conflicts=True)
        born_published = [c for c in claims if c.published]
        if born_published:
            changes = PublicationChange.objects.bulk_create([
                PublicationChange(claim_id=c.pk, published=True, actor=user)
                for c in born_published])
            for claim, change in zip(born_published, changes, strict=True):
                publication.announce(claim, change)
        ids = [c.pk for c in claims]
        refresh_search_documents(ids)
        add_to_batch("claims.tasks.find_related_claims", ids)
        claims_created.send(sender=Claim, claim_ids=ids)
    return claims


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
