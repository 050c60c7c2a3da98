from django.conf import settings
from django.db import models
from django.db.models import Q


class Newsroom(models.Model):
    """An organisation that integrates over the API; its keys act on its behalf."""

    name = models.CharField(max_length=200, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="newsrooms"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="newsroom_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class KeyAccess(models.TextChoices):
    """What a key may do (stored in ApiKey.scope). Not to be confused with which
    claims a caller sees, which the API calls visibility (VisibleRowsViewSet)."""

    READ = "read", "Read: published claims only"
    WRITE = "write", "Write: everything an editor may do"


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> "ApiKeyQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A newsroom's bearer key. Only a SHA-256 of the key is stored.

    The key is 256 random bits, so a fast hash is enough: there is nothing to
    brute-force that a slow password hash would protect, and every request
    looks the key up.
    """

    newsroom = models.ForeignKey(Newsroom, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=200, blank=True)
    scope = models.CharField(max_length=8, choices=KeyAccess.choices, default=KeyAccess.READ)
    prefix = models.CharField(
        max_length=16, unique=True, editable=False,
        help_text="The key's public start, to tell keys apart without the secret.",
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="api_keys",
        help_text="The editor a write key acts for: history rows name them.",
    )
    rate_per_minute = models.PositiveIntegerField(
        null=True, blank=True, help_text="Blank: the default for the key's scope."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=KeyAccess.values),
                                   name="apikey_scope_valid"),
            models.CheckConstraint(
                condition=Q(scope=KeyAccess.READ) | Q(user__isnull=False),
                name="apikey_write_has_editor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.scope})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
