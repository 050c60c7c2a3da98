"""`Authorization: Bearer <key>` for newsrooms; staff keep their session."""

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .keys import find_key, touch
from .models import ApiKey


class KeyUser(AnonymousUser):
    """Who a read key acts as: authenticated, but nobody in particular.

    Subclassing AnonymousUser gives the no-permissions answers for free
    (has_perm is False, not staff); only `is_authenticated` differs.
    """

    def __init__(self, key: ApiKey) -> None:
        self.key = key

    @property
    def is_authenticated(self) -> bool:
        return True

    def __str__(self) -> str:
        return f"API key {self.key.prefix}"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the key as `Authorization: Bearer <key>`.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("An API key is ASCII.") from None
        key = find_key(raw)
        if key is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked API key.")
        if key.user_id and not key.user.is_active:
            # A deactivated account's keys die with it, read keys included.
            raise exceptions.AuthenticationFailed("The account this key acts for is deactivated.")
        touch(key)
        return (key.user if key.user_id else KeyUser(key)), key

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a request without credentials.
        return f'{self.keyword} realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "newsroomKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A newsroom key from `manage.py create_api_key NAME --scope read|write`. "
                "Read keys see published claims only; write keys act for an editor."
            ),
        }
