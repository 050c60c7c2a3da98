from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Fact-claim tracker"
admin.site.site_title = "Fact-claim tracker"
admin.site.index_title = "Editor desk"
# Editors work in wide tables; the claims list needs the width more than a sidebar.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
]
