"""/api/v1/: one router. Register an endpoint group with one line here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from claims.api.views import ClaimReviewFeedViewSet, ClaimViewSet
from importer.api import ExtractView
from importer.api_accept import AcceptView
from similarity.api.views import SimilarToClaimView, SimilarToTextView
from sources.api.views import LinkViewSet, SourceViewSet
from webhooks.api.views import EndpointViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("claims", ClaimViewSet, basename="claim")
router.register("claimreviews", ClaimReviewFeedViewSet, basename="claimreview")
router.register("sources", SourceViewSet, basename="source")
router.register("links", LinkViewSet, basename="link")
router.register("webhooks/endpoints", EndpointViewSet, basename="webhook-endpoint")

urlpatterns = [
    # Non-viewset endpoints (e.g. /api/v1/extract/) go here as path(...) entries.
    path("reports/", include("reports.api_urls")),
    path("extract/", ExtractView.as_view(), name="extract"),
    path("extract/accept/", AcceptView.as_view(), name="extract-accept"),
    # Before the router: "claims/similar/" would otherwise be read as a claim id.
    path("claims/similar/", SimilarToTextView.as_view(), name="claims-similar-text"),
    path("claims/<int:pk>/similar/", SimilarToClaimView.as_view(), name="claim-similar"),
    *router.urls,
]
