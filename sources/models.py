from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
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
        now = timezone.now()
        return self.filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now))

    def leased(self) -> "LinkQuerySet":
        return self.filter(lease_until__gt=timezone.now())

    def changed(self) -> "LinkQuerySet":
        """Links whose main text changed since an editor last looked."""
        return self.filter(health=LinkHealth.CHANGED)


class Link(models.Model):
    """One row per normalised URL, shared by every claim and attribution citing it."""

    # Every check rewrites the link's row and so adds an entry to each of its indexes:
    # the table keeps only the ones a query uses. Django's extra `varchar_pattern_ops`
    # copies of the url and host indexes (for LIKE 'prefix%', which nothing runs) are
    # dropped by migration 0007; health is indexed below, for the rare values only.
    url = models.CharField(max_length=2048, unique=True, help_text="Normalised URL.")
    host = models.CharField(max_length=255, db_index=True, editable=False)
    health = models.CharField(
        max_length=16, choices=LinkHealth.choices, default=LinkHealth.UNCHECKED
    )
    # What the last check saw. sources/checking.py classifies a response (no database);
    # sources/scheduling.record() writes it here under a live lease (sources/refresh.py).
    last_checked_at = models.DateTimeField(null=True, blank=True)
    # Indexed by link_due_idx below, with id: the claim query's order.
    next_check_at = models.DateTimeField(null=True, blank=True, db_default=Now())
    last_outcome = models.CharField(max_length=24, blank=True, editable=False)
    last_error = models.CharField(max_length=500, blank=True, editable=False)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.CharField(max_length=2048, blank=True)
    redirect_chain = models.JSONField(default=list, blank=True, editable=False)
    title = models.CharField(max_length=500, blank=True)
    canonical_url = models.CharField(max_length=2048, blank=True)
    site_name = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    page_language = models.CharField(max_length=35, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    # SHA-256 of the bytes the stored metadata above was read from (checking.body_hash):
    # the next check that gets the same bytes skips reading the page again. Written
    # only with that metadata (scheduling.next_state), forgotten with it.
    body_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    content_changed_at = models.DateTimeField(null=True, blank=True)
    change_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Validators from the last GET: a HEAD showing the same ones needs no new GET.
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    archive_url = models.CharField("archived copy", max_length=2048, blank=True)
    archived_at = models.DateTimeField("archived copy taken", null=True, blank=True)
    archive_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    blocked_reason = models.CharField(max_length=300, blank=True)
    # Failure bookkeeping: "broken" needs several failures spread over time.
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    first_failure_at = models.DateTimeField(null=True, blank=True, editable=False)
    check_interval = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Seconds until the next routine check."
    )
    # The lease: which worker holds the link, until when (sources/scheduling.py).
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    lease_token = models.UUIDField(null=True, blank=True, editable=False)
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
            models.CheckConstraint(
                condition=Q(lease_until__isnull=True, lease_token__isnull=True)
                | Q(lease_until__isnull=False, lease_token__isnull=False),
                name="link_lease_whole",
            ),
        ]
        indexes = [
            # The claim query walks due links in this order and stops after a few
            # batches' worth (sources/scheduling.lease_due).
            models.Index(fields=["next_check_at", "id"], name="link_due_idx"),
            # The claim query counts leases per host; only links in flight are indexed.
            models.Index(
                fields=["lease_until", "host"], condition=Q(lease_until__isnull=False),
                name="link_leased_idx",
            ),
            # Filters on health look for the few links that need an editor (changed,
            # broken, blocked…); "ok", most links, is read by a scan anyway. Leaving it
            # out spares most checks an index write (docs/benchmarks.md, issue 14).
            models.Index(
                fields=["health"], condition=~Q(health=LinkHealth.OK), name="link_health_idx"
            ),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_url = instance.__dict__.get("url")
        return instance

    @property
    def url_changed(self) -> bool:
        return self.pk is None or getattr(self, "_loaded_url", self.url) != self.url

    def save(self, *args, **kwargs) -> None:
        self.host = urlsplit(self.url).hostname or ""
        # Read by the post_save receiver (sources/signals.py) to check the new address.
        self.needs_check = self.url_changed
        if self.pk is not None and self.url_changed:
            # A different address is a different page: forget what the old one showed.
            reset_check_state(self)
        super().save(*args, **kwargs)
        self._loaded_url = self.url

    def __str__(self) -> str:
        return self.url


def reset_check_state(link: Link) -> None:
    for name in (
        "last_outcome", "last_error", "final_url", "title", "canonical_url", "site_name",
        "page_language", "content_hash", "body_hash", "etag", "last_modified", "archive_url",
        "blocked_reason",
    ):
        setattr(link, name, "")
    for name in (
        "last_checked_at", "http_status", "published_on", "content_changed_at",
        "change_reviewed_at", "archived_at", "archive_checked_at", "first_failure_at",
        "check_interval",
    ):
        setattr(link, name, None)
    link.redirect_chain = []
    link.consecutive_failures = 0
    link.health = LinkHealth.UNCHECKED
    link.next_check_at = timezone.now()


class Outcome(models.TextChoices):
    """What one check found (sources/checking.py classifies)."""

    OK = "ok", "OK"
    REDIRECTED_PERMANENT = "redirected_permanent", "Redirected (permanent)"
    REDIRECTED_TEMPORARY = "redirected_temporary", "Redirected (temporary)"
    GONE = "gone", "Gone (404/410)"
    SOFT_404 = "soft_404", "Soft 404"
    CLIENT_ERROR = "client_error", "Client error"
    SERVER_ERROR = "server_error", "Server error"
    ACCESS_DENIED = "access_denied", "Access denied (401/403/challenge)"
    RATE_LIMITED = "rate_limited", "Rate limited"
    TIMEOUT = "timeout", "Timeout"
    DNS_FAILURE = "dns_failure", "DNS failure"
    TLS_ERROR = "tls_error", "TLS error"
    CONNECTION_FAILED = "connection_failed", "Connection failed"
    TOO_MANY_REDIRECTS = "too_many_redirects", "Too many redirects"
    TOO_LARGE = "too_large", "Too large"
    BLOCKED_BY_POLICY = "blocked_by_policy", "Blocked by policy"


class LinkCheck(models.Model):
    """One row per real check of a link: its life, read back.

    (link, lease_token) is unique: the lease a check was made under can record
    it once, so a task delivered twice cannot write two rows for one check.
    """

    # Indexed by the (link, -checked_at) index below, which also serves the FK.
    link = models.ForeignKey(
        Link, on_delete=models.CASCADE, related_name="checks", db_index=False
    )
    checked_at = models.DateTimeField()
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    method = models.CharField(max_length=8, blank=True)
    final_url = models.CharField(max_length=2048, blank=True)
    redirect_count = models.PositiveSmallIntegerField(default=0)
    content_hash = models.CharField(max_length=64, blank=True)
    changed = models.BooleanField(default=False)
    error = models.CharField(max_length=500, blank=True)
    lease_token = models.UUIDField(editable=False)

    class Meta:
        ordering = ["-checked_at", "-id"]
        get_latest_by = "checked_at"
        constraints = [
            models.UniqueConstraint(
                fields=["link", "lease_token"], name="link_check_once_per_lease"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="link_check_outcome_valid"
            ),
        ]
        indexes = [models.Index(fields=["link", "-checked_at"], name="link_check_history_idx")]

    def __str__(self) -> str:
        return f"{self.link_id} {self.outcome} at {self.checked_at:%Y-%m-%d %H:%M}"
