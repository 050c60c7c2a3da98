"""The editors and viewers groups and what each may do.

Migrations call `sync_groups` with their historical app registry when models
are added; tests call it with the live one, because a transactional test's
flush empties the tables a data migration filled.
"""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions

# app label -> model names
EDITABLE = {
    "claims": ["claim", "quantity", "attribution", "evidence", "claimrelation", "tag"],
    "sources": ["source", "sourcealias", "link"],
}
READ_ONLY = {
    "claims": ["statuschange", "publicationchange", "tombstone"],
    "sources": ["linkcheck"],
}


def sync_groups(apps: Apps) -> None:
    # Permissions are normally created after all migrations have run; the
    # groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(models_by_app: dict[str, list[str]], actions: list[str]) -> list:
        return [
            Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
            for app, models in models_by_app.items()
            for model in models
            for action in actions
            if _has_model(apps, app, model)
        ]

    editors, _ = Group.objects.get_or_create(name="editors")
    editors.permissions.set(
        perms(EDITABLE, ["view", "add", "change", "delete"]) + perms(READ_ONLY, ["view"])
    )
    viewers, _ = Group.objects.get_or_create(name="viewers")
    viewers.permissions.set(perms(EDITABLE, ["view"]) + perms(READ_ONLY, ["view"]))


def _has_model(apps: Apps, app: str, model: str) -> bool:
    try:
        apps.get_model(app, model)
    except LookupError:
        return False
    return True
