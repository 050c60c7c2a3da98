"""The admin's Import article page, on the claims list.

The claims admin knows nothing of the importer: this app extends it with one
more URL (admin:claims_claim_import) and a change-list button.
"""

from django.urls import path

from claims.models import Claim
from factcheck.admin_extend import extend

from .admin_views import import_article


class ImportPage:
    change_list_template = "admin/importer/claim_change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(import_article),
                 {"admin_site": self.admin_site}, name="claims_claim_import"),
            *super().get_urls(),
        ]


extend(Claim, ImportPage)
