"""Turning the proposals an editor accepted into claims, in one transaction.

Everything goes through the same domain functions as hand-made claims
(`claims.authoring.create_claim`, `sources.registry.create_source`), so the same
validation applies; the article's URL becomes each claim's "reported in" evidence
and the outlet's attribution link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from claims.authoring import create_claim
from claims.models import Claim, EvidenceRelation, Role
from sources.models import Source
from sources.registry import create_source, resolve


@dataclass
class AcceptedAttribution:
    role: str
    source: Source | None = None
    new_source_name: str = ""  # used when `source` is None
    new_source_kind: str = "other"
    phrase: str = ""
    stance: str = "asserts"


@dataclass
class AcceptedClaim:
    text: str
    summary_en: str = ""
    quantity: dict[str, Any] | None = None
    attributions: list[AcceptedAttribution] = field(default_factory=list)


def _source_for(a: AcceptedAttribution, created: dict[str, Source]) -> Source:
    if a.source is not None:
        return a.source
    name = a.new_source_name.strip()
    if not name:
        raise ValidationError({"source": "Choose a source or name a new one."})
    existing = created.get(name.casefold()) or resolve(name)
    if existing is not None:
        return existing
    source = create_source(name, kind=a.new_source_kind or "other")
    created[name.casefold()] = source
    return source


@transaction.atomic
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

    Raises ValidationError keyed "claims[2].attributions[0].role" and the like.
    """
    created: dict[str, Source] = {}
    claims = []
    for i, item in enumerate(accepted):
        rows = []
        for j, a in enumerate(item.attributions):
            try:
                source = _source_for(a, created)
            except ValidationError as exc:
                raise ValidationError({f"claims[{i}].attributions[{j}].source": exc.messages}
                                      ) from None
            rows.append({"source": source, "role": a.role, "phrase": a.phrase[:300],
                         "stance": a.stance,
                         "link": (article_url or None) if a.role == Role.OUTLET else None})
        if outlet is not None and not any(
            r["source"] == outlet and r["role"] == Role.OUTLET for r in rows
        ):
            rows.append({"source": outlet, "role": Role.OUTLET, "link": article_url or None})
        # One source in one role per claim: the editor may have resolved two surfaces
        # ("Seul", "Rəsmi Seul") to the same source.
        unique = {(r["source"].pk, r["role"]): r for r in rows}
        evidence = ([{"link": article_url, "relation": EvidenceRelation.REPORTED_IN}]
                    if article_url else [])
        try:
            claims.append(create_claim(
                actor=actor, text=item.text.strip(), language=language, made_on=made_on,
                summary_en=item.summary_en.strip(), quantity=item.quantity,
                attributions=list(unique.values()), evidence=evidence,
            ))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise ValidationError(
                    {f"claims[{i}].{k}": v for k, v in exc.error_dict.items()}
                ) from None
            raise ValidationError({f"claims[{i}]": exc.messages}) from None
        if not any(r["role"] == Role.CLAIMANT for r in unique.values()):
            # Every door (page, API, command) refuses a claim nobody asserts; checked
            # after the claim's own validation so that its errors come first. The
            # transaction takes back what was written.
            raise ValidationError({f"claims[{i}].attributions": [
                "No claimant: name who asserts this claim."]})
    return claims


def accepted_from_proposal(proposal, summary_en: str = "") -> AcceptedClaim:
    """A proposal accepted as it stands (the command's --create, tests)."""
    attributions = []
    for a in proposal.attributions:
        source = Source.objects.filter(pk=a.source.id).first() if a.source.id else None
        attributions.append(AcceptedAttribution(
            role=a.role, source=source, new_source_name=a.source.name,
            new_source_kind=a.source.kind, phrase=a.phrase, stance=a.stance,
        ))
    quantity = proposal.quantity.model_fields() if proposal.quantity else None
    return AcceptedClaim(text=proposal.text, summary_en=summary_en, quantity=quantity,
                         attributions=attributions)
