"""The freshness of what a claim cites: its links' health, and "refresh now".

Claim-level flags are derived from the links (a join), not stored on the claim,
so they can never disagree with what the link workers last saw.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from sources.models import Link, LinkHealth
from sources.tasks import request_check

from .models import Attribution, Claim, Evidence


def links_of(claim_ids: Iterable[int]) -> QuerySet[Link]:
    """Every link a claim cites, as evidence or where an attribution appeared."""
    ids = list(claim_ids)
    return Link.objects.filter(
        Q(evidence__claim_id__in=ids) | Q(attributions__claim_id__in=ids)
    ).distinct()


def refresh_claim_links(claim_ids: Iterable[int]) -> int:
    """Check the links of these claims as soon as the transaction commits; how many."""
    link_ids = list(links_of(claim_ids).values_list("pk", flat=True))
    return request_check(link_ids)


def _cites(health_filter: Q) -> tuple[Exists, Exists]:
    links = Link.objects.filter(health_filter)
    return (
        Exists(Evidence.objects.filter(claim=OuterRef("pk"), link__in=links)),
        Exists(Attribution.objects.filter(claim=OuterRef("pk"), link__in=links)),
    )


def with_link_flags(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Annotate `cites_changed_link` and `cites_broken_link` (one subquery each)."""
    changed_ev, changed_attr = _cites(Q(health=LinkHealth.CHANGED))
    broken_ev, broken_attr = _cites(Q(health=LinkHealth.BROKEN))
    return claims.annotate(
        cites_changed_link=changed_ev | changed_attr,
        cites_broken_link=broken_ev | broken_attr,
    )


def citing_changed_links(claims: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """Claims one of whose links changed since an editor last looked."""
    changed_ev, changed_attr = _cites(Q(health=LinkHealth.CHANGED))
    return (claims if claims is not None else Claim.objects.all()).filter(
        changed_ev | changed_attr
    )
