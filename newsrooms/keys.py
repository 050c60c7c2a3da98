"""Issuing, checking and revoking newsroom API keys."""

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from factcheck.db import prepared_cursor

from .models import ApiKey, KeyAccess, Newsroom

KEY_START = "fck_"
# last_used_at is informative; writing it on every request would turn each
# read into a write. Once a minute is precise enough to spot a dead key.
TOUCH_EVERY = timedelta(minutes=1)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def can_write(user: AbstractBaseUser | None) -> bool:
    return bool(
        user is not None and user.is_active
        and user.has_perm("claims.change_claim") and user.has_perm("claims.add_claim")
    )


@transaction.atomic
def issue_key(
    newsroom_name: str, *, scope: str, user: AbstractBaseUser | None = None, name: str = "",
    rate_per_minute: int | None = None,
) -> tuple[ApiKey, str]:
    """A new key for the newsroom (created if new); returns the row and the raw key.

    The raw key exists only in the return value: show it once, it cannot be
    recovered. Write keys act for an editor, who joins the newsroom.
    """
    if scope not in KeyAccess.values:
        raise ValidationError({"scope": f"“{scope}” is not one of {', '.join(KeyAccess.values)}."})
    if scope == KeyAccess.WRITE and not can_write(user):
        raise ValidationError(
            {"user": "A write key acts for an active editor (a member of the editors group)."}
        )
    newsroom, _ = Newsroom.objects.get_or_create(name=newsroom_name.strip())
    if user is not None:
        newsroom.members.add(user)
    prefix = secrets.token_hex(4)
    raw = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        newsroom=newsroom, scope=scope, user=user, name=name, prefix=prefix,
        key_hash=hash_key(raw), rate_per_minute=rate_per_minute,
    )
    return key, raw


@cache
def _find_key_sql() -> tuple[str, list[str], list[str]]:
    """ApiKey.objects.active().select_related("user").get(key_hash=…), written once.

    Every API request looks its key up; building that query with the ORM cost
    ~0.7 ms of CPU per request, ten times the query, and PostgreSQL planned it
    each time (now prepared: factcheck.db). The row is still read on every
    request, so a revoked key is refused from the next request on, in every
    process.
    """
    user_model = get_user_model()
    key_fields = [f.column for f in ApiKey._meta.concrete_fields]
    user_fields = [f.column for f in user_model._meta.concrete_fields]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {', '.join('k.' + quote(c) for c in key_fields)}, "
        f"{', '.join('u.' + quote(c) for c in user_fields)} "
        f"FROM {quote(ApiKey._meta.db_table)} k "
        f"LEFT JOIN {quote(user_model._meta.db_table)} u ON u.{quote(user_model._meta.pk.column)}"
        f" = k.{quote(ApiKey._meta.get_field('user').column)} "
        "WHERE k.key_hash = %s AND k.revoked_at IS NULL"
    )
    return sql, [f.attname for f in ApiKey._meta.concrete_fields], \
        [f.attname for f in user_model._meta.concrete_fields]


def find_key(raw: str) -> ApiKey | None:
    """The active key `raw` is, or None (with its user, if it acts for one)."""
    if not raw.startswith(KEY_START) or len(raw) > 200:
        return None
    if connection.vendor != "postgresql":
        # SQLite (the embedded default) stores times as text only the ORM parses.
        return ApiKey.objects.active().select_related("user").filter(
            key_hash=hash_key(raw)).first()
    sql, key_names, user_names = _find_key_sql()
    with prepared_cursor() as cursor:
        cursor.execute(sql, [hash_key(raw)])
        row = cursor.fetchone()
    if row is None:
        return None
    key = ApiKey.from_db(connection.alias, key_names, row[:len(key_names)])
    user = None
    if key.user_id is not None:
        user = get_user_model().from_db(connection.alias, user_names, row[len(key_names):])
    ApiKey.user.field.set_cached_value(key, user)  # as select_related("user") would
    return key


def touch(key: ApiKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > TOUCH_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


def revoke(key: ApiKey) -> None:
    """Stop the key working from the next request on."""
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key.refresh_from_db(fields=["revoked_at"])
