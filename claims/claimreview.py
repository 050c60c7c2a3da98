"""schema.org ClaimReview for a published verdict: what fact-check aggregators ingest.

Rating scale (documented in docs/api.md): an ordinal 1–5 of how well the
claim holds up; `alternateName` carries the verdict in words and is what
Google's fact-check tools display.

    1 False · 2 Misleading · 3 Unverifiable · 4 Disputed · 5 Supported
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .models import VERDICTS, Claim, Role, Status

RATING: dict[str, tuple[int, str]] = {
    Status.FALSE: (1, "False"),
    Status.MISLEADING: (2, "Misleading"),
    Status.UNVERIFIABLE: (3, "Unverifiable"),
    Status.DISPUTED: (4, "Disputed"),
    Status.SUPPORTED: (5, "Supported"),
}
BEST, WORST = 5, 1
PERSON_KINDS = {"official"}


def is_reviewable(claim: Claim) -> bool:
    return claim.published and claim.status in VERDICTS and claim.reviewed_at is not None


def public_root(request: HttpRequest | None = None) -> str:
    """Where the tracker is public: FACTCHECK_PUBLIC_URL, else the address the caller used.

    Set it in production (it is what every ClaimReview `url` and feed link says,
    long after the request); unset (`make run`, the demo) the links follow the
    host the API was reached at, so they work wherever the demo runs.
    """
    if settings.FACTCHECK_PUBLIC_URL:
        return settings.FACTCHECK_PUBLIC_URL.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return "http://localhost:8000"


def review_url(claim: Claim, root: str | None = None) -> str:
    return f"{root or public_root()}/api/v1/claims/{claim.pk}/claimreview/"


def claimreview(claim: Claim, root: str | None = None) -> dict[str, Any]:
    """The JSON-LD document; `claim` must be reviewable and fetched with its attributions
    (sources, links) and evidence (links) prefetched."""
    value, words = RATING[claim.status]
    org = settings.FACTCHECK_ORGANIZATION
    attributions = list(claim.attributions.all())
    claimants = [a for a in attributions if a.role == Role.CLAIMANT] or attributions
    authors = [
        {"@type": "Person" if a.source.kind in PERSON_KINDS else "Organization",
         "name": a.source.name}
        for a in claimants
    ]
    # Where the claim appeared: the attributions' own links, then the reports
    # filed as evidence of where it was said.
    dated = sorted(
        ((a.stated_on, a.link) for a in attributions if a.link_id),
        key=lambda pair: (pair[0] is None, pair[0] or 0),
    )
    appearances: list[str] = []
    for _, link in dated:
        if link.url not in appearances:
            appearances.append(link.url)
    for e in claim.evidence.all():
        if e.relation in ("primary_source", "reported_in") and e.link.url not in appearances:
            appearances.append(e.link.url)
    item: dict[str, Any] = {"@type": "Claim", "author": authors[0] if len(authors) == 1
                            else authors, "inLanguage": claim.language}
    if claim.made_on:
        item["datePublished"] = claim.made_on.isoformat()
    if appearances:
        item["firstAppearance"] = {"@type": "CreativeWork", "url": appearances[0]}
        item["appearance"] = [{"@type": "CreativeWork", "url": u} for u in appearances]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review_url(claim, root),
        "claimReviewed": claim.text,
        "datePublished": claim.reviewed_at.date().isoformat(),
        "author": {"@type": "Organization", "name": org["name"], "url": org["url"]},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": words,
            "ratingExplanation": claim.verdict_rationale,
        },
        "itemReviewed": item,
    }
