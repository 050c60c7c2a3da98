from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from claims.feeds import (
    LanguageVerdictFeed,
    SourceVerdictFeed,
    TagVerdictFeed,
    VerdictFeed,
    conditional,
)

from .health import healthz

admin.site.site_header = "Fact-claim tracker"
admin.site.site_title = "Fact-claim tracker"
admin.site.index_title = "Editor desk"
# Editors work in wide tables; the claims list needs the width more than a sidebar.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
    path("feeds/verdicts/", conditional(VerdictFeed()), name="feed-verdicts"),
    path("feeds/verdicts/source/<int:source_id>/", conditional(SourceVerdictFeed()),
         name="feed-verdicts-source"),
    path("feeds/verdicts/tag/<str:tag>/", conditional(TagVerdictFeed()),
         name="feed-verdicts-tag"),
    path("feeds/verdicts/language/<str:language>/", conditional(LanguageVerdictFeed()),
         name="feed-verdicts-language"),
    path("api/v1/", include("factcheck.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema",
                                                     template_name="api/swagger_ui.html"),
         name="api-docs"),
]
