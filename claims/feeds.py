"""Atom feeds of published verdicts: all, per source, per tag, per language.

Public, like the ClaimReviews they link to: a newsroom's feed reader or a
fact-check aggregator subscribes without a key. Each entry is one verdict,
newest change first, linking to its ClaimReview JSON-LD. Built on Django's
syndication framework; `conditional` adds ETag / Last-Modified so a poller
that has the latest copy gets a 304 for the price of one aggregate query.
"""

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import condition

from sources.models import Source

from .claimreview import RATING, public_root, review_url
from .languages import validate_language
from .models import VERDICTS, Claim, Tag

FEED_SIZE = 50
_root: ContextVar[str] = ContextVar("feed_root")


def published_verdicts() -> QuerySet:
    return Claim.objects.filter(
        published=True, status__in=[s.value for s in VERDICTS], reviewed_at__isnull=False,
    ).defer("search_document")


class VerdictFeed(Feed):
    """Every published verdict; subclasses narrow it by one thing."""

    feed_type = Atom1Feed
    title_prefix = "Verdicts"

    def get_object(self, request: HttpRequest, **kwargs):
        return None

    def claims(self, obj) -> QuerySet:
        return published_verdicts()

    def title(self, obj) -> str:
        org = settings.FACTCHECK_ORGANIZATION["name"]
        return f"{org}: {self.title_prefix}" + (f" — {obj}" if obj is not None else "")

    def __call__(self, request, *args, **kwargs):
        # The feed object serves every request; the address it links to is per request.
        token = _root.set(public_root(request))
        try:
            return super().__call__(request, *args, **kwargs)
        finally:
            _root.reset(token)

    def link(self, obj) -> str:
        return _root.get() + "/"

    def subtitle(self, obj) -> str:
        return "Published verdicts on claims, each linking to its schema.org ClaimReview."

    def items(self, obj):
        return self.claims(obj).order_by("-updated_at", "-id")[:FEED_SIZE]

    def item_title(self, claim: Claim) -> str:
        words = RATING[claim.status][1]
        text = claim.summary_en or claim.text
        return f"{words}: {text[:200]}"

    def item_description(self, claim: Claim) -> str:
        return claim.verdict_rationale or claim.text

    def item_link(self, claim: Claim) -> str:
        return review_url(claim, _root.get())

    def item_guid(self, claim: Claim) -> str:
        return review_url(claim, _root.get())

    def item_pubdate(self, claim: Claim) -> datetime:
        return claim.reviewed_at

    def item_updateddate(self, claim: Claim) -> datetime:
        return claim.updated_at

    def item_author_name(self, claim: Claim) -> str:
        return settings.FACTCHECK_ORGANIZATION["name"]

    def item_categories(self, claim: Claim) -> list[str]:
        return [claim.status, claim.language]


class SourceVerdictFeed(VerdictFeed):
    title_prefix = "Verdicts on claims by"

    def get_object(self, request, source_id: int):
        return get_object_or_404(Source, pk=source_id)

    def claims(self, obj):
        return published_verdicts().filter(attributions__source=obj).distinct()


class TagVerdictFeed(VerdictFeed):
    title_prefix = "Verdicts tagged"

    def get_object(self, request, tag: str):
        return get_object_or_404(Tag, name=tag.lower())

    def claims(self, obj):
        return published_verdicts().filter(tags=obj)


class LanguageVerdictFeed(VerdictFeed):
    title_prefix = "Verdicts on claims in"

    def get_object(self, request, language: str):
        try:
            validate_language(language)
        except Exception:
            raise Http404("Not a language code.") from None
        return language

    def claims(self, obj):
        return published_verdicts().filter(Q(language__iexact=obj)
                                           | Q(language__istartswith=f"{obj}-"))


def conditional(feed: VerdictFeed) -> Callable[..., HttpResponse]:
    """The feed view with ETag and Last-Modified from one aggregate over its claims."""

    def state(request, **kwargs) -> tuple[datetime | None, str]:
        if not hasattr(request, "_feed_state"):
            request._feed_state = _state(request, **kwargs)
        return request._feed_state

    def _state(request, **kwargs) -> tuple[datetime | None, str]:
        try:
            obj = feed.get_object(request, **kwargs)
        except Http404:
            return None, ""
        agg = feed.claims(obj).aggregate(last=Max("updated_at"), n=Count("id"))
        stamp = f"{request.path}|{agg['last']}|{agg['n']}|{public_root(request)}"
        return agg["last"], hashlib.sha256(stamp.encode()).hexdigest()[:32]

    return condition(etag_func=lambda request, **kw: state(request, **kw)[1] or None,
                     last_modified_func=lambda request, **kw: state(request, **kw)[0])(feed)
