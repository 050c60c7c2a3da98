"""Turning the proposals an editor accepted into claims, in one transaction.

Everything goes through the same domain functions as hand-made claims
(`claims.authoring.create_claims_many`, `sources.registry.create_source`), so the same
validation applies; the article's URL becomes each claim's "reported in" evidence
and the outlet's attribution link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from claims.authoring import create_claims_many
from claims.models import Claim, EvidenceRelation, Role
from sources.models import Source, SourceAlias
from sources.registry import create_source
from sources.text import fold

from .duplicates import OnFile, accepted_on_file


@dataclass
class AcceptedAttribution:
    role: str
    source: Source | None = None
    new_source_name: str = ""  # used when `source` is None
    new_source_kind: str = "other"
    new_source_aliases: Sequence[str] = ()  # registered with the new source ("HUR")
    phrase: str = ""
    stance: str = "asserts"


@dataclass
class AcceptedClaim:
    text: str
    summary_en: str = ""
    quantity: dict[str, Any] | None = None
    attributions: list[AcceptedAttribution] = field(default_factory=list)


def _new_sources(accepted: Sequence[AcceptedClaim]) -> dict[str, Source]:
    """Every new source name the editor typed -> its source: the one on file that already
    holds the name (two queries for all of them), else a new one, created once however
    many claims name it, with the aliases proposed for it (an acronym) that nobody holds.
    """
    wanted: dict[str, tuple[str, str, list[str]]] = {}  # folded name -> (name, kind, aliases)
    for item in accepted:
        for a in item.attributions:
            name = a.new_source_name.strip()
            if a.source is not None or not name:
                continue
            _, _, aliases = wanted.setdefault(fold(name), (name, a.new_source_kind, []))
            aliases += [x.strip() for x in a.new_source_aliases if x.strip()]
    if not wanted:
        return {}
    keys = set(wanted) | {fold(x) for _, _, aliases in wanted.values() for x in aliases}
    held = {row.folded: row.source for row in
            SourceAlias.objects.filter(folded__in=keys).select_related("source")}
    out: dict[str, Source] = {}
    for key, (name, kind, aliases) in wanted.items():
        if key in held:
            out[key] = held[key]
            continue
        free = list(dict.fromkeys(x for x in aliases if fold(x) not in held and fold(x) != key))
        out[key] = create_source(name, kind=kind or "other", aliases=free)
        held.update({fold(x): out[key] for x in (name, *free)})
    return out


def _rows(i: int, item: AcceptedClaim, sources: dict[str, Source], article_url: str,
          outlet: Source | None) -> list[dict]:
    rows = []
    for j, a in enumerate(item.attributions):
        source = a.source or sources.get(fold(a.new_source_name.strip()))
        if source is None:
            raise ValidationError({f"claims[{i}].attributions[{j}].source": [
                "Choose a source or name a new one."]})
        rows.append({"source": source, "role": a.role, "phrase": a.phrase[:300],
                     "stance": a.stance,
                     "link": (article_url or None) if a.role == Role.OUTLET else None})
    if outlet is not None and not any(
        r["source"] == outlet and r["role"] == Role.OUTLET for r in rows
    ):
        rows.append({"source": outlet, "role": Role.OUTLET, "link": article_url or None})
    # One source in one role per claim: the editor may have resolved two surfaces
    # ("Seul", "Rəsmi Seul") to the same source.
    return list({(r["source"].pk, r["role"]): r for r in rows}.values())


def create_claims(
    accepted: Sequence[AcceptedClaim],
    *,
    language: str,
    article_url: str = "",
    outlet: Source | None = None,
    made_on=None,
    actor: AbstractBaseUser | None = None,
) -> list[Claim]:
    """Create every accepted claim, its new sources, attributions and evidence, or nothing.

    One transaction, and a number of queries that grows with the new sources named, not
    with the claims (`claims.authoring.create_claims_many`). Raises ValidationError keyed
    "claims[2].attributions[0].role" and the like.
    """
    with transaction.atomic():
        sources = _new_sources(accepted)
        items = []
        for i, item in enumerate(accepted):
            items.append({
                "text": item.text.strip(), "language": language, "made_on": made_on,
                "summary_en": item.summary_en.strip(), "quantity": item.quantity,
                "attributions": _rows(i, item, sources, article_url, outlet),
                "evidence": ([{"link": article_url, "relation": EvidenceRelation.REPORTED_IN}]
                             if article_url else []),
            })
        claims = create_claims_many(items, actor=actor)
        for i, item in enumerate(items):
            if not any(r["role"] == Role.CLAIMANT for r in item["attributions"]):
                # Every door (page, API, command) refuses a claim nobody asserts; checked
                # after the claims' own validation so that their errors come first. The
                # transaction takes back what was written.
                raise ValidationError({f"claims[{i}].attributions": [
                    "No claimant: name who asserts this claim."]})
    return claims


def no_claimant(accepted: Sequence[AcceptedClaim]) -> dict[str, list[str]]:
    """{"claims[i].attributions": [message]} for each accepted claim nobody asserts."""
    out = {}
    for i, item in enumerate(accepted):
        if not any(a.role == Role.CLAIMANT for a in item.attributions):
            have = ", ".join(sorted({a.role for a in item.attributions}))
            out[f"claims[{i}].attributions"] = [
                "No claimant: name who asserts this claim"
                + (f" (it has only: {have})" if have else "") + "."]
    return out


@dataclass
class Filed:
    """What `file_once` did: the claims it created, and for each accepted claim it left
    out, its index in the request and the claims on file it repeats."""

    created: list[Claim]
    created_indexes: list[int]
    skipped: list[tuple[int, list[OnFile]]]


_INDEX = re.compile(r"^claims\[(\d+)\]")


def file_once(
    accepted: Sequence[AcceptedClaim],
    *,
    again: Sequence[bool] = (),
    **context: Any,
) -> Filed:
    """The accept action of every door (the API, the admin's Import page): `create_claims`,
    leaving out each accepted claim already on file (the same text, or the same figure
    from the same claimant) unless its `again` is true: sending the same article's claims
    twice files them once. A claim with no claimant refuses the whole call before
    anything is written.

    Accepts are serialised (a transaction-scoped lock on PostgreSQL; SQLite has one
    writer at a time), so two clients sending the same article at once cannot both find
    it missing and both file it. Errors keep the request's indexes ("claims[3].…").
    """
    missing = no_claimant(accepted)
    if missing:  # before the lock and before anything is written
        raise ValidationError(missing)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ACCEPT_LOCK])
        found = accepted_on_file(list(accepted))
        keep = [i for i, repeats in enumerate(found)
                if not repeats or (i < len(again) and again[i])]
        try:
            created = create_claims([accepted[i] for i in keep], **context)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            raise ValidationError({
                _INDEX.sub(lambda m: f"claims[{keep[int(m.group(1))]}]", key): value
                for key, value in exc.error_dict.items()}) from None
    return Filed(created=created, created_indexes=keep,
                 skipped=[(i, found[i]) for i in range(len(accepted)) if i not in keep])


# pg_advisory_xact_lock key for accepting proposals ("imp" + "acc" in ASCII): any
# bigint, the same in every process.
_ACCEPT_LOCK = 0x696D70616363


def accepted_from_proposal(proposal, summary_en: str = "") -> AcceptedClaim:
    """A proposal accepted as it stands (the command's --create, tests)."""
    attributions = []
    for a in proposal.attributions:
        source = Source.objects.filter(pk=a.source.id).first() if a.source.id else None
        attributions.append(AcceptedAttribution(
            role=a.role, source=source, new_source_name=a.source.name,
            new_source_kind=a.source.kind, new_source_aliases=a.source.aliases,
            phrase=a.phrase, stance=a.stance,
        ))
    quantity = proposal.quantity.model_fields() if proposal.quantity else None
    return AcceptedClaim(text=proposal.text, summary_en=summary_en, quantity=quantity,
                         attributions=attributions)
