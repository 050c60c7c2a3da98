"""Rows the API tests share: a source with aliases, a reviewed published claim, a draft."""

from claims.models import Status
from claims.workflow import change_status
from sources.registry import create_source

from .factories import AttributionFactory, ClaimFactory, EvidenceFactory, LinkFactory


def kcna():
    return create_source("KCNA", aliases=["Korean Central News Agency", "조선중앙통신"],
                         kind="state_media", country="KP")


def reviewed_claim(actor, source=None, **fields):
    """A published claim with a verdict, an attribution with a link, and evidence."""
    fields = {"published": True, "made_on": "2024-10-18", **fields}
    claim = ClaimFactory(**fields)
    AttributionFactory(claim=claim, source=source or kcna(), role="claimant",
                       link=LinkFactory(url="https://kcna.example.org/item/1"),
                       stated_on="2024-10-18")
    EvidenceFactory(claim=claim, link=LinkFactory(url="https://news.example.org/report/7"),
                    relation="reported_in")
    change_status(claim, Status.IN_REVIEW, actor=actor)
    change_status(claim, Status.FALSE, actor=actor, rationale="No other source confirms it.")
    return claim


def claim_body(**overrides):
    body = {
        "text": "Rəsmi Seulun məlumatına görə, 600 əsgər öldürülüb.",
        "language": "az",
        "summary_en": "Per Seoul, about 600 soldiers were killed.",
        "tags": ["ukraine-war"],
        "made_on": "2024-12-01",
        "quantity": {"value": "600", "qualifier": "approximately", "counted": "soldiers killed"},
        "attributions": [
            {"source_alias": "korean central news agency", "role": "claimant",
             "phrase": "per KCNA", "link": "https://kcna.example.org/item/9?utm_source=x"},
        ],
        "evidence": [{"url": "https://news.example.org/report/9", "relation": "reported_in"}],
    }
    body.update(overrides)
    return body
