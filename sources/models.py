from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django_countries.fields import CountryField

from .text import fold


class SourceKind(models.TextChoices):
    STATE_MEDIA = "state_media", "State media"
    NEWS_OUTLET = "news_outlet", "News outlet"
    GOVERNMENT = "government", "Government"
    INTELLIGENCE = "intelligence", "Intelligence service"
    MILITARY = "military", "Military"
    OFFICIAL = "official", "Official / person"
    INTERNATIONAL_BODY = "international_body", "International body"
    NGO = "ngo", "NGO"
    OTHER = "other", "Other"


class Reliability(models.TextChoices):
    """Admiralty (NATO) code, first axis: how reliable the source has been."""

    A = "A", "A — completely reliable"
    B = "B", "B — usually reliable"
    C = "C", "C — fairly reliable"
    D = "D", "D — not usually reliable"
    E = "E", "E — unreliable"
    F = "F", "F — reliability cannot be judged"


class SourceQuerySet(models.QuerySet):
    def matching_alias(self, text: str) -> "SourceQuerySet":
        """Sources one of whose aliases (or the name) folds to the same key as `text`."""
        return self.filter(aliases__folded=fold(text)).distinct()


class Source(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=SourceKind.choices, default=SourceKind.OTHER)
    country = CountryField(blank=True, help_text="ISO 3166 country the source belongs to.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="E.g. South Korea's NIS under the South Korean government.",
    )
    reliability = models.CharField(
        "reliability grade", max_length=1, choices=Reliability.choices, default=Reliability.F
    )
    reliability_rationale = models.TextField(blank=True)
    homepage = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(reliability__in=Reliability.values), name="source_reliability_valid"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="source_not_own_parent"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="source_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class SourceAlias(models.Model):
    """Another name a source goes by; the source's own name is one too.

    `folded` carries the unique constraint, so "KCNA" and "kcna" cannot belong
    to two different sources, whatever the form or the database.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    folded = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "source aliases"
        constraints = [
            models.CheckConstraint(condition=~Q(folded=""), name="alias_not_empty"),
        ]

    def clean(self) -> None:
        self.folded = fold(self.alias)
        if not self.folded:
            raise ValidationError({"alias": "An alias cannot be empty."})
        taken = (
            SourceAlias.objects.filter(folded=self.folded)
            .exclude(pk=self.pk)
            .select_related("source")
            .first()
        )
        if taken and taken.source_id != self.source_id:
            raise ValidationError(
                {"alias": f"“{self.alias}” is already an alias of “{taken.source.name}”."},
                code="alias_taken",
            )

    def validate_unique(self, exclude=None) -> None:
        # `folded` is derived; clean() already names the source that holds it.
        super().validate_unique(exclude=[*(exclude or []), "folded"])

    def save(self, *args, **kwargs) -> None:
        self.folded = fold(self.alias)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.alias


class LinkHealth(models.TextChoices):
    UNCHECKED = "unchecked", "Unchecked"
    OK = "ok", "OK"
    REDIRECTED = "redirected", "Redirected"
    CHANGED = "changed", "Changed"
    BROKEN = "broken", "Broken"
    BLOCKED = "blocked", "Blocked"


class LinkQuerySet(models.QuerySet):
    def due(self) -> "LinkQuerySet":
        return self.filter(next_check_at__lte=Now())


class Link(models.Model):
    """One row per normalised URL, shared by every claim and attribution citing it."""

    url = models.CharField(max_length=2048, unique=True, help_text="Normalised URL.")
    host = models.CharField(max_length=255, db_index=True, editable=False)
    health = models.CharField(
        max_length=16, choices=LinkHealth.choices, default=LinkHealth.UNCHECKED, db_index=True
    )
    # What the last check saw; kept fresh by the link workers.
    last_checked_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.CharField(max_length=2048, blank=True)
    title = models.CharField(max_length=500, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    archive_url = models.CharField("archived copy", max_length=2048, blank=True)
    blocked_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["url"]
        constraints = [
            models.CheckConstraint(
                condition=Q(health__in=LinkHealth.values), name="link_health_valid"
            ),
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="link_url_http",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        self.host = urlsplit(self.url).hostname or ""
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.url
