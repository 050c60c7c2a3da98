from django.urls import path

from .api import REPORT_VIEWS, ReportIndexView, SnapshotListView

urlpatterns = [
    path("", ReportIndexView.as_view(), name="api-reports"),
    path("snapshots/", SnapshotListView.as_view(), name="api-report-snapshots"),
    *[path(f"{slug}/", view.as_view(), name=f"api-report-{slug}")
      for slug, view in REPORT_VIEWS.items()],
]
