"""Who may do what over the API.

Three kinds of caller: a read key (GET only, published claims), a write key
(what its editor may do), and a staff member signed in with a session (the
browsable API; writes need the model permissions of the editors group).
Anonymous callers get 401 from the authentication layer, before these run.
"""

from rest_framework import permissions
from rest_framework.request import Request

from .keys import can_write
from .models import ApiKey, KeyAccess

_PERMS = {
    "POST": "{app}.add_{model}",
    "PUT": "{app}.change_{model}",
    "PATCH": "{app}.change_{model}",
    "DELETE": "{app}.delete_{model}",
}


def api_key(request: Request) -> ApiKey | None:
    return request.auth if isinstance(request.auth, ApiKey) else None


def sees_unpublished(request: Request) -> bool:
    """Editors' keys and staff see drafts; read keys see published claims only.

    A write key sees drafts only while its user is still an active editor: the
    key is never worth more than the person it acts for.
    """
    key = api_key(request)
    if key is not None:
        return key.scope == KeyAccess.WRITE and can_write(key.user)
    return bool(request.user and request.user.is_authenticated and request.user.is_staff
                and request.user.is_active)


def may_write(request: Request) -> bool:
    """A write key of an active editor, or an editor's staff session."""
    key = api_key(request)
    if key is not None and key.scope != KeyAccess.WRITE:
        return False
    user = request.user
    if key is None and not (user and user.is_authenticated and user.is_staff):
        return False
    return can_write(user)


class ApiAccess(permissions.BasePermission):
    """Reads for any key or staff session; writes for write keys and editors."""

    message = "Your key or account may not do this."

    def has_permission(self, request: Request, view) -> bool:
        key = api_key(request)
        user = request.user
        if key is None and not (user and user.is_authenticated and user.is_staff):
            return False
        if key is not None and key.scope == KeyAccess.WRITE and not can_write(key.user):
            # Reads too: a write key shows drafts, and its editor may no longer see them.
            self.message = "This key's editor is no longer an editor; the key is suspended."
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if key is not None and key.scope != KeyAccess.WRITE:
            self.message = "This is a read key; writing needs a write key."
            return False
        if not can_write(user):
            return False
        if not hasattr(view, request.method.lower()):
            # A method the view does not have (TRACE, DELETE on a read-only view):
            # let dispatch answer 405 rather than guess a model permission for it.
            return True
        model = getattr(view, "write_model", None) or view.get_queryset().model
        perm = _PERMS.get(request.method, "{app}.change_{model}").format(
            app=model._meta.app_label, model=model._meta.model_name
        )
        return user.has_perm(perm)


class ReadOnly(permissions.BasePermission):
    def has_permission(self, request: Request, view) -> bool:
        return request.method in permissions.SAFE_METHODS


class AnyKeyOrStaff(permissions.BasePermission):
    """For calls that write nothing (extraction, similar claims): any valid key or staff.

    Still not a suspended write key: its editor left the editors group, and the key
    would show drafts (docs/api.md: 403 on everything).
    """

    message = "Send an API key (any scope) or sign in as staff."

    def has_permission(self, request: Request, view) -> bool:
        key = api_key(request)
        user = request.user
        if key is not None and key.scope == KeyAccess.WRITE and not can_write(key.user):
            self.message = "This key's editor is no longer an editor; the key is suspended."
            return False
        return key is not None or bool(user and user.is_authenticated and user.is_staff)
