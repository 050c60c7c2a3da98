"""Apps downstream of claims add pages to the claims admin without claims knowing them.

The importer adds its Import page, similar-claims its panel: each app's
admin.py calls `extend(Claim, Mixin)`, which re-registers the model with a
class made of the mixin over whatever admin is registered now. Django runs
admin modules in INSTALLED_APPS order, so an extending app comes after the app
that owns the model. Mixins call super() so several compose.
"""

from django.contrib import admin
from django.db.models import Model


def extend(model: type[Model], mixin: type, site: admin.AdminSite = admin.site) -> type:
    current = type(site.get_model_admin(model))
    combined = type(f"{mixin.__name__}{current.__name__}", (mixin, current), {})
    site.unregister(model)
    site.register(model, combined)
    return combined
