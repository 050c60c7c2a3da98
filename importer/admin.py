"""The admin's Import article page, on the claims list.

The claims admin knows nothing of the importer: this app re-registers it with
one more URL (admin:claims_claim_import) and a change-list button. Django runs
admin modules in INSTALLED_APPS order, so importer must come after claims.
"""

from django.contrib import admin
from django.urls import path

from claims.admin import ClaimAdmin
from claims.models import Claim

from .admin_views import import_article


class ClaimAdminWithImport(ClaimAdmin):
    change_list_template = "admin/importer/claim_change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(import_article),
                 {"admin_site": self.admin_site}, name="claims_claim_import"),
            *super().get_urls(),
        ]


admin.site.unregister(Claim)
admin.site.register(Claim, ClaimAdminWithImport)
