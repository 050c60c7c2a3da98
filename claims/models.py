from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from factcheck.history import AppendOnly, AppendOnlyQuerySet
from sources.models import Link, Source

from .languages import canonical_language, validate_language


class Status(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    IN_REVIEW = "in_review", "In review"
    SUPPORTED = "supported", "Supported"
    DISPUTED = "disputed", "Disputed"
    FALSE = "false", "False"
    MISLEADING = "misleading", "Misleading"
    UNVERIFIABLE = "unverifiable", "Unverifiable"
    RETRACTED = "retracted", "Retracted"


# The verdicts, in the order reports and exports show them. The one definition:
# the workflow, the API, the reports' columns and their trigger SQL all read it.
VERDICTS: tuple[Status, ...] = (
    Status.SUPPORTED, Status.DISPUTED, Status.FALSE, Status.MISLEADING, Status.UNVERIFIABLE,
)
# Not yet judged: what the "open" and "stale" figures count.
OPEN_STATUSES: tuple[Status, ...] = (Status.UNVERIFIED, Status.IN_REVIEW)


class Tag(models.Model):
    name = models.SlugField(max_length=64, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClaimQuerySet(models.QuerySet):
    def published(self) -> "ClaimQuerySet":
        return self.filter(published=True)

    def with_listing(self) -> "ClaimQuerySet":
        """Everything a list of claims shows, fetched in a fixed number of queries."""
        return self.select_related("quantity").prefetch_related(
            models.Prefetch(
                "attributions",
                queryset=Attribution.objects.select_related("source").order_by("role", "id"),
            ),
            models.Prefetch("evidence", queryset=Evidence.objects.select_related("link")),
            "tags",
        )


class Claim(models.Model):
    text = models.TextField(help_text="The claim as reported, in its own language.")
    language = models.CharField(
        max_length=35, validators=[validate_language], help_text="BCP-47 code, e.g. az, ru, ko."
    )
    summary_en = models.TextField("English summary", blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims")
    made_on = models.DateField("date made", null=True, blank=True)
    about_start = models.DateField("about (from)", null=True, blank=True)
    about_end = models.DateField("about (until)", null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.UNVERIFIED, db_index=True,
        editable=False,
    )
    verdict_rationale = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reviewed_claims", editable=False,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    published = models.BooleanField(default=False, db_index=True)
    # Bumped by every write through the domain functions; the API's If-Match.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Claim text, summary, quotes and the names and aliases of its sources,
    # folded (claims.search.search_fold); what `q` searches. On PostgreSQL a
    # generated tsvector column and two GIN indexes sit on it (migration 0003).
    search_document = models.TextField(blank=True, default="", editable=False)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="claim_text_not_empty"),
            models.CheckConstraint(condition=~Q(language=""), name="claim_language_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(about_start__isnull=True)
                | Q(about_end__isnull=True)
                | Q(about_start__lte=F("about_end")),
                name="claim_about_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(VERDICTS)) | Q(reviewed_at__isnull=False),
                name="claim_verdict_has_review_time",
            ),
        ]

    def __str__(self) -> str:
        return self.summary_en or self.text[:80]

    def clean(self) -> None:
        if self.language:
            self.language = canonical_language(self.language)
        if not (self.text or "").strip():
            raise ValidationError({"text": "A claim needs its text as reported."})
        if self.about_start and self.about_end and self.about_start > self.about_end:
            raise ValidationError({"about_end": "The period it is about ends before it starts."})

    @property
    def has_verdict(self) -> bool:
        return self.status in VERDICTS


class Qualifier(models.TextChoices):
    EXACT = "exact", "exactly"
    APPROXIMATELY = "approximately", "approximately"
    AT_LEAST = "at_least", "at least / more than"
    AT_MOST = "at_most", "at most / fewer than"
    RANGE = "range", "between"


class Quantity(models.Model):
    """The figure a claim states, kept as said: "~600" is not "600", ">10,000" not "10,000".

    exact: a value, no bounds.  approximately: a value, bounds optional.
    at_least: a lower bound and no upper.  at_most: an upper bound and no lower.
    range: both bounds, lower below upper.  Always lower ≤ value ≤ upper.
    """

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, primary_key=True, related_name="quantity"
    )
    value = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    lower = models.DecimalField(
        "lower bound", max_digits=24, decimal_places=4, null=True, blank=True
    )
    upper = models.DecimalField(
        "upper bound", max_digits=24, decimal_places=4, null=True, blank=True
    )
    qualifier = models.CharField(max_length=16, choices=Qualifier.choices, default=Qualifier.EXACT)
    unit = models.CharField(
        max_length=64, blank=True, help_text="Blank for head counts; e.g. USD, km²."
    )
    counted = models.CharField(
        "what is counted", max_length=200, help_text="E.g. North Korean soldiers killed."
    )
    as_said = models.CharField(
        max_length=200, blank=True, help_text="The figure in the source's words: “10 mindən çox”."
    )

    class Meta:
        verbose_name_plural = "quantities"
        constraints = [
            models.CheckConstraint(
                condition=Q(qualifier__in=Qualifier.values), name="quantity_qualifier_valid"
            ),
            models.CheckConstraint(
                condition=Q(lower__isnull=True) | Q(value__isnull=True) | Q(lower__lte=F("value")),
                name="quantity_lower_le_value",
            ),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(value__isnull=True) | Q(value__lte=F("upper")),
                name="quantity_value_le_upper",
            ),
            models.CheckConstraint(
                condition=Q(lower__isnull=True) | Q(upper__isnull=True) | Q(lower__lte=F("upper")),
                name="quantity_lower_le_upper",
            ),
            models.CheckConstraint(
                condition=(
                    Q(qualifier=Qualifier.EXACT, value__isnull=False,
                      lower__isnull=True, upper__isnull=True)
                    | Q(qualifier=Qualifier.APPROXIMATELY, value__isnull=False)
                    | Q(qualifier=Qualifier.AT_LEAST, lower__isnull=False, upper__isnull=True)
                    | Q(qualifier=Qualifier.AT_MOST, upper__isnull=False, lower__isnull=True)
                    | Q(qualifier=Qualifier.RANGE, lower__isnull=False, upper__isnull=False,
                        lower__lt=F("upper"))
                ),
                name="quantity_qualifier_matches_bounds",
            ),
            models.CheckConstraint(condition=~Q(counted=""), name="quantity_counted_not_empty"),
        ]

    def __str__(self) -> str:
        return self.in_words()

    def clean(self) -> None:
        """The CHECK constraints below, said in words that name the field at fault."""
        errors: dict[str, str] = {}
        lower, value, upper = self.lower, self.value, self.upper
        if lower is not None and upper is not None and lower > upper:
            errors["lower"] = "The lower bound is above the upper bound."
        if value is not None and lower is not None and value < lower:
            errors["value"] = "The value is below the lower bound."
        if value is not None and upper is not None and value > upper:
            errors["value"] = "The value is above the upper bound."
        ok, message = {
            Qualifier.EXACT: (value is not None and lower is None and upper is None,
                              "“exactly” takes a value and no bounds."),
            Qualifier.APPROXIMATELY: (value is not None, "“approximately” needs a value."),
            Qualifier.AT_LEAST: (lower is not None and upper is None,
                                 "“at least” needs a lower bound and no upper bound."),
            Qualifier.AT_MOST: (upper is not None and lower is None,
                                "“at most” needs an upper bound and no lower bound."),
            Qualifier.RANGE: (lower is not None and upper is not None and lower < upper,
                              "“between” needs a lower bound and a higher upper bound."),
        }.get(self.qualifier, (True, ""))
        if not ok:
            errors["qualifier"] = message
        if errors:
            raise ValidationError(errors)

    def in_words(self) -> str:
        """"~600 North Korean soldiers killed", ">10,000 soldiers sent", "175,000–200,000 …"."""
        return figure_in_words(self.qualifier, self.value, self.lower, self.upper, self.unit,
                               self.counted)


def figure_in_words(qualifier: str, value: Decimal | None, lower: Decimal | None,
                    upper: Decimal | None, unit: str, counted: str) -> str:
    """Quantity.in_words from the column values (the API builds pages from rows)."""
    q = Qualifier(qualifier)
    if q is Qualifier.RANGE:
        figure = f"{_num(lower)}–{_num(upper)}"
    elif q is Qualifier.AT_LEAST:
        figure = f">{_num(lower)}" if value is None or value == lower \
            else f">{_num(lower)} (~{_num(value)})"
    elif q is Qualifier.AT_MOST:
        figure = f"<{_num(upper)}"
    elif q is Qualifier.APPROXIMATELY:
        figure = f"~{_num(value)}"
    else:
        figure = _num(value)
    return " ".join(part for part in (figure, unit, counted) if part)


def _num(value: Decimal | None) -> str:
    if value is None:
        return "?"
    normalized = value.normalize()
    if normalized == normalized.to_integral():
        return f"{int(normalized):,}"
    return f"{normalized:,f}"


class Role(models.TextChoices):
    CLAIMANT = "claimant", "Claimant (asserts it)"
    CONDUIT = "conduit", "Conduit (relayed it)"
    OUTLET = "outlet", "Outlet (published the report)"


class Stance(models.TextChoices):
    ASSERTS = "asserts", "Asserts"
    DENIES = "denies", "Denies"
    DISPUTES = "disputes", "Disputes"


class Credibility(models.IntegerChoices):
    """Admiralty code, second axis: how credible this piece of information is."""

    CONFIRMED = 1, "1 — confirmed by other sources"
    PROBABLY_TRUE = 2, "2 — probably true"
    POSSIBLY_TRUE = 3, "3 — possibly true"
    DOUBTFUL = 4, "4 — doubtful"
    IMPROBABLE = 5, "5 — improbable"
    CANNOT_BE_JUDGED = 6, "6 — truth cannot be judged"


class Attribution(models.Model):
    """Who said it (claimant), who passed it on (conduit), who printed it (outlet)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="attributions")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="attributions")
    role = models.CharField(max_length=16, choices=Role.choices)
    phrase = models.CharField(
        "attributing phrase", max_length=300, blank=True,
        help_text="Verbatim: “per Seoul”, “Rəsmi Seulun məlumatına görə”.",
    )
    quote = models.TextField(blank=True)
    stance = models.CharField(max_length=16, choices=Stance.choices, default=Stance.ASSERTS)
    stated_on = models.DateField(null=True, blank=True)
    link = models.ForeignKey(
        Link, null=True, blank=True, on_delete=models.PROTECT, related_name="attributions",
        help_text="Where this attribution appeared.",
    )
    credibility = models.PositiveSmallIntegerField(
        choices=Credibility.choices, default=Credibility.CANNOT_BE_JUDGED
    )

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source", "role"], name="attribution_unique_per_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="attribution_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="attribution_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(credibility__gte=1, credibility__lte=6),
                name="attribution_credibility_1_to_6",
            ),
        ]
        indexes = [models.Index(fields=["source", "role"])]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_role_display()})"


class EvidenceRelation(models.TextChoices):
    PRIMARY_SOURCE = "primary_source", "Primary source"
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    CONTEXT = "context", "Context"
    REPORTED_IN = "reported_in", "Reported in"


class Evidence(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    link = models.ForeignKey(Link, on_delete=models.PROTECT, related_name="evidence")
    relation = models.CharField(max_length=16, choices=EvidenceRelation.choices)
    note = models.TextField(blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "link"], name="evidence_unique_link"),
            models.CheckConstraint(
                condition=Q(relation__in=EvidenceRelation.values), name="evidence_relation_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_display()}: {self.link}"


class StatusChangeQuerySet(AppendOnlyQuerySet):
    what = "Status history"


class PublicationChangeQuerySet(AppendOnlyQuerySet):
    what = "Publication history"


class StatusChange(AppendOnly):
    """One row per status change, written in the transaction of the change itself.

    Append-only (factcheck/history.py): Python refuses updates and deletes, and
    on PostgreSQL a trigger (migration 0002) refuses updates in the database too.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, choices=Status.choices)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    note = models.TextField(blank=True)

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "status change"
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="status_change_changes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class PublicationChange(AppendOnly):
    """One row per publish or unpublish, written in the transaction of the change.

    Append-only like StatusChange: Python refuses updates and deletes, and on
    PostgreSQL a trigger (migration 0006) refuses updates in the database too.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE,
                              related_name="publication_history")
    published = models.BooleanField(help_text="The state after the change.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    note = models.TextField(blank=True)

    objects = PublicationChangeQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "publication change"

    def __str__(self) -> str:
        return "published" if self.published else "unpublished"


class RelationKind(models.TextChoices):
    CONFLICTS_WITH = "conflicts_with", "Conflicts with"
    SAME_AS = "same_as", "Same as"
    UPDATES = "updates", "Updates"


SYMMETRIC_RELATIONS = frozenset({RelationKind.CONFLICTS_WITH, RelationKind.SAME_AS})


class ClaimRelation(models.Model):
    """A link between two claims. Symmetric kinds are stored once, lower id first."""

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_out")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(max_length=16, choices=RelationKind.choices)
    note = models.TextField(blank=True)
    automatic = models.BooleanField(
        default=False, help_text="Found by the related-claims task rather than an editor."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "kind"], name="claim_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")), name="claim_relation_not_self"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RelationKind.values), name="claim_relation_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=RelationKind.UPDATES) | Q(from_claim__lt=F("to_claim")),
                name="claim_relation_symmetric_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.from_claim_id} {self.get_kind_display().lower()} #{self.to_claim_id}"


from .tombstones import Tombstone  # noqa: E402,F401  (a model of this app, kept in its module)
