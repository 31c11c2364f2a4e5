"""Initiatives (creation plans and programmes), the batches in which they announce
recommended works, the works each batch lists, and the figures sources quote."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalog.models import Source, Theme, name_or_original, named
from core.addresses import slug_address
from core.models import (
    DERIVED_STATE,
    PublicManager,
    PublicRecord,
    SlugNaturalKeyManager,
    SlugPairManager,
    SubqueryCount,
    TimeStampedModel,
)


class DatePrecision(models.TextChoices):
    """How much of a date the source gives: "12 October 2024", "September 2024", "2024"."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


#
# Initiatives
#


class Initiative(PublicRecord):
    """A creation plan or programme, e.g. "Travel with Micro-Dramas"."""

    # What a text search looks in (core.search): names forgive a near miss, text does not.
    SEARCH_NAMES = ("name", "name_original")
    SEARCH_TEXT = ("aims", "description")

    class Kind(models.TextChoices):
        CREATION_PLAN = "creation_plan", _("creation plan")
        PROGRAMME = "programme", _("programme")
        COMPETITION = "competition", _("selection competition")
        POLICY = "policy", _("policy")

    name = models.CharField(
        _("name"),
        max_length=300,
        blank=True,
        help_text=_("In English, as a source gives it; empty when no source does."),
    )
    name_original = models.CharField(_("original name"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="parts",
        null=True,
        blank=True,
        verbose_name=_("part of"),
    )
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    launched_precision = models.CharField(
        _("launch date precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    aims = models.TextField(_("aims"), blank=True)
    description = models.TextField(_("description"), blank=True)
    place = models.ForeignKey(
        "catalog.Place",
        on_delete=models.PROTECT,
        related_name="initiatives",
        null=True,
        blank=True,
        verbose_name=_("place"),
    )
    themes = models.ManyToManyField(
        "catalog.Theme", related_name="initiatives", blank=True, verbose_name=_("themes")
    )
    organisations = models.ManyToManyField(
        "catalog.Organisation",
        through="InitiativeOrganisation",
        related_name="initiatives",
        blank=True,
        verbose_name=_("organisations"),
    )
    sources = models.ManyToManyField(
        Source, related_name="initiatives", blank=True, verbose_name=_("sources")
    )
    notes = models.TextField(_("editorial notes"), blank=True)

    objects = PublicManager()
    history = HistoricalRecords(m2m_fields=[themes, sources], excluded_fields=DERIVED_STATE)

    class Meta:
        ordering = [name_or_original("name", "name_original").asc()]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(
                condition=named("name", "name_original"),
                name="%(app_label)s_%(class)s_has_a_name",
            )
        ]

    def __str__(self):
        return self.name or self.name_original

    def get_absolute_url(self):
        return slug_address("initiatives:initiative_detail", self.slug)

    def natural_key(self):
        return (self.slug,)


class InitiativeOrganisation(models.Model):
    """An organisation's part in an initiative: guiding authority, initiator, ..."""

    class Role(models.TextChoices):
        GUIDING_AUTHORITY = "guiding_authority", _("guiding authority")
        INITIATOR = "initiator", _("initiator")
        ORGANISER = "organiser", _("organiser")
        CO_ORGANISER = "co_organiser", _("co-organiser")
        PARTNER = "partner", _("partner")
        PARTICIPANT = "participant", _("participant")

    NATURAL_KEY_FIELDS = ("initiative", "organisation", "role")

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="organisation_links",
        verbose_name=_("initiative"),
    )
    organisation = models.ForeignKey(
        "catalog.Organisation",
        on_delete=models.PROTECT,
        related_name="initiative_links",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="initiative_organisations",
        null=True,
        blank=True,
        verbose_name=_("source"),
    )
    excerpt = models.TextField(_("source excerpt"), blank=True)

    objects = SlugPairManager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "role", "organisation"]
        verbose_name = _("initiative organisation")
        verbose_name_plural = _("initiative organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation", "role"],
                name="%(app_label)s_%(class)s_unique_initiative_organisation_role",
            )
        ]

    def __str__(self):
        return f"{self.organisation} — {self.get_role_display()} — {self.initiative}"

    def natural_key(self):
        return (self.initiative.slug, self.organisation.slug, self.role)

    natural_key.dependencies = ["initiatives.initiative", "catalog.organisation"]


#
# Batches
#


def newest_batch_first(prefix: str = "") -> tuple:
    """Order by batch, newest first and undated last on every database (PostgreSQL would
    put NULL dates first in a descending order); `prefix` reaches a batch through a
    relation, e.g. "batch__"."""
    return (
        models.F(f"{prefix}announced_on").desc(nulls_last=True),
        f"-{prefix}number",
    )


class BatchQuerySet(models.QuerySet):
    def public(self):
        """Published batches: a batch's public state is its status, which only
        services.batch_publish and services.batch_unpublish change."""
        return self.filter(status=Batch.Status.PUBLISHED)

    def with_counts(self):
        """Annotate `listed_count` (works the catalog lists) and `announced_by_theme`
        (sum of the per-theme counts). Subqueries, not joins: joining both relations at
        once would multiply the sum by the number of listed works."""
        listed = SubqueryCount(Recommendation.objects.filter(batch=OuterRef("pk")))
        announced = (
            BatchThemeCount.objects.filter(batch=OuterRef("pk"))
            .order_by()
            .values("batch")
            .annotate(n=Sum("announced"))
            .values("n")
        )
        return self.annotate(
            listed_count=listed,
            announced_by_theme=Subquery(announced),
        )


class BatchManager(SlugNaturalKeyManager.from_queryset(BatchQuerySet)):
    pass


class CountBasis(models.TextChoices):
    """Whether a count is a source's number or the catalog's arithmetic on other counts."""

    STATED = "stated", _("stated")
    DERIVED = "derived", _("derived")


class Batch(TimeStampedModel):
    """One announcement of recommended works within an initiative."""

    # Set by services.batch_publish and batch_unpublish only: never from a form or a revert.
    PUBLICATION_FIELDS = ("status", "published_at", "published_by")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, related_name="batches", verbose_name=_("initiative")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    slug = models.SlugField(
        _("slug"),
        max_length=220,
        unique=True,
        editable=False,
        help_text=_("Initiative slug and batch number, e.g. travel-with-micro-dramas-4."),
    )
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    announced_precision = models.CharField(
        _("announcement date precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    event = models.CharField(_("event"), max_length=400, blank=True)
    total_announced = models.PositiveIntegerField(
        _("works announced"),
        null=True,
        blank=True,
        help_text=_("How many works the announcement names in all, where the source says."),
    )
    total_basis = models.CharField(
        _("basis of the count"),
        max_length=10,
        choices=CountBasis.choices,
        blank=True,
        help_text=_("Stated by a source, or derived from other counts (say how)."),
    )
    total_arithmetic = models.CharField(
        _("arithmetic of the count"),
        max_length=400,
        blank=True,
        help_text=_("For a derived count: the counts it is computed from, with their sources."),
    )
    total_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="batch_totals",
        null=True,
        blank=True,
        verbose_name=_("source of the count"),
    )
    total_excerpt = models.TextField(_("excerpt stating the count"), blank=True)
    running_total = models.PositiveIntegerField(
        _("running total"),
        null=True,
        blank=True,
        help_text=_("Works the initiative had announced in all, this batch included."),
    )
    running_total_basis = models.CharField(
        _("basis of the running total"), max_length=10, choices=CountBasis.choices, blank=True
    )
    running_total_arithmetic = models.CharField(
        _("arithmetic of the running total"), max_length=400, blank=True
    )
    running_total_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="batch_running_totals",
        null=True,
        blank=True,
        verbose_name=_("source of the running total"),
    )
    running_total_excerpt = models.TextField(_("excerpt stating the running total"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="published_batches",
        null=True,
        blank=True,
        verbose_name=_("published by"),
    )
    sources = models.ManyToManyField(
        Source, related_name="batches", blank=True, verbose_name=_("sources")
    )
    notes = models.TextField(_("editorial notes"), blank=True)

    objects = BatchManager()
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta:
        ordering = ["initiative__name", "number"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "number"],
                name="%(app_label)s_%(class)s_unique_initiative_number",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="%(app_label)s_%(class)s_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(total_announced__isnull=True) | Q(total_announced__gte=0),
                name="%(app_label)s_%(class)s_total_announced_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="published"),
                name="%(app_label)s_%(class)s_status_valid",
            ),
            # A count says how it is known: a derived one shows its arithmetic, a stated one
            # cites the words that state it; a basis needs a count.
            models.CheckConstraint(
                condition=Q(total_basis="")
                | Q(total_basis="stated", total_announced__isnull=False)
                & ~Q(total_excerpt="")
                & Q(total_source__isnull=False)
                | Q(total_basis="derived", total_announced__isnull=False) & ~Q(total_arithmetic=""),
                name="%(app_label)s_%(class)s_total_basis_shown",
            ),
            models.CheckConstraint(
                condition=Q(running_total__isnull=True, running_total_basis="")
                | Q(running_total_basis="stated", running_total__isnull=False)
                & ~Q(running_total_excerpt="")
                & Q(running_total_source__isnull=False)
                | Q(running_total_basis="derived", running_total__isnull=False)
                & ~Q(running_total_arithmetic=""),
                name="%(app_label)s_%(class)s_running_total_basis_shown",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "announced_on"], name="initiatives_batch_status_idx")
        ]

    def __str__(self):
        return _("%(initiative)s — batch %(number)s") % {
            "initiative": self.initiative,
            "number": self.number,
        }

    def save(self, *args, **kwargs):
        # The slug is derived, so partners can address "travel-with-micro-dramas-4".
        self.slug = f"{self.initiative.slug}-{self.number}"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "initiatives:batch_detail",
            kwargs={"slug": self.initiative.slug, "number": self.number},
        )

    def natural_key(self):
        return (self.slug,)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def tally(self) -> "Tally":
        """Announced against listed works per theme: the one computation behind the batch
        page, the API's per-theme counts and the publishing check. Reads
        `theme_counts.all()` and `recommendations.all()`: prefetch both (with their themes)
        to keep it at two queries for any number of batches."""
        rows: dict[int, ThemeTally] = {}
        for count in self.theme_counts.all():
            rows[count.theme_id] = ThemeTally(count.theme, count.announced)
        without_theme = []
        for rec in self.recommendations.all():
            if rec.theme_id is None:
                without_theme.append(rec)
                continue
            if rec.theme_id not in rows:
                rows[rec.theme_id] = ThemeTally(rec.theme, None)
            rows[rec.theme_id].listings.append(rec)
        ordered = sorted(rows.values(), key=lambda r: (r.theme.position, r.theme.name, r.theme.pk))
        return Tally(ordered, without_theme)


@dataclass
class ThemeTally:
    """One theme of a batch: the works it announced (None: the source does not say) and the
    listings the catalog holds under it."""

    theme: Theme
    announced: int | None
    listings: list["Recommendation"] = field(default_factory=list)

    @property
    def listed(self) -> int:
        return len(self.listings)

    @property
    def over_announced(self) -> bool:
        return self.announced is not None and self.listed > self.announced


@dataclass
class Tally:
    themes: list[ThemeTally]
    without_theme: list["Recommendation"]

    @property
    def listed(self) -> int:
        return sum(row.listed for row in self.themes) + len(self.without_theme)

    def for_theme(self, theme_id: int) -> ThemeTally | None:
        return next((row for row in self.themes if row.theme.pk == theme_id), None)


class InBatchQuerySet(models.QuerySet):
    """Records that are part of a batch (its listings, its counts per theme)."""

    def public(self):
        """Those of published batches."""
        return self.filter(batch__in=Batch.objects.public())


class BatchThemeCountManager(models.Manager.from_queryset(InBatchQuerySet)):
    def get_by_natural_key(self, batch_slug, theme_slug):
        return self.get(batch__slug=batch_slug, theme__slug=theme_slug)


class BatchThemeCount(models.Model):
    """How many works a batch announced under one theme (whether or not a source names
    them all)."""

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="theme_counts", verbose_name=_("batch")
    )
    theme = models.ForeignKey(
        "catalog.Theme",
        on_delete=models.PROTECT,
        related_name="batch_counts",
        verbose_name=_("theme"),
    )
    announced = models.PositiveSmallIntegerField(_("works announced"))
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="batch_theme_counts",
        null=True,
        blank=True,
        verbose_name=_("source"),
    )
    excerpt = models.TextField(_("source excerpt"), blank=True)

    objects = BatchThemeCountManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["batch", "theme__position", "theme__name"]
        verbose_name = _("announced count per theme")
        verbose_name_plural = _("announced counts per theme")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "theme"], name="%(app_label)s_%(class)s_unique_batch_theme"
            ),
            models.CheckConstraint(
                condition=Q(announced__gte=0),
                name="%(app_label)s_%(class)s_announced_non_negative",
            ),
        ]

    def __str__(self):
        return f"{self.batch}: {self.theme} — {self.announced}"

    def natural_key(self):
        return (self.batch.slug, self.theme.slug)

    natural_key.dependencies = ["initiatives.batch", "catalog.theme"]


class RecommendationManager(models.Manager.from_queryset(InBatchQuerySet)):
    def get_by_natural_key(self, batch_slug, work_slug):
        return self.get(batch__slug=batch_slug, work__slug=work_slug)


class Recommendation(TimeStampedModel):
    """A work listed in a batch, under a theme where the source gives one."""

    class Basis(models.TextChoices):
        STATED = "stated", _("stated")
        IMPLIED = "implied", _("implied, not stated")
        DISPUTED = "disputed", _("disputed by another source")

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("batch")
    )
    work = models.ForeignKey(
        "catalog.Work",
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("work"),
    )
    theme = models.ForeignKey(
        "catalog.Theme",
        on_delete=models.PROTECT,
        related_name="recommendations",
        null=True,
        blank=True,
        verbose_name=_("theme"),
        help_text=_("Empty when the source does not say under which theme."),
    )
    basis = models.CharField(
        _("how the source lists it"),
        max_length=10,
        choices=Basis.choices,
        default=Basis.STATED,
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="recommendations",
        null=True,
        blank=True,
        verbose_name=_("source"),
    )
    excerpt = models.TextField(_("source excerpt"), blank=True)

    objects = RecommendationManager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["batch", "theme__position", "work__title"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        # A theme's works (public.filters.in_themes) from the theme's side, without a visit
        # to the table (issue 11).
        indexes = [
            models.Index(fields=["theme", "work", "batch"], name="initiatives_rec_theme_work")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "work"], name="%(app_label)s_%(class)s_unique_batch_work"
            )
        ]

    def __str__(self):
        return f"{self.work} — {self.batch}"

    def get_absolute_url(self):
        return self.batch.get_absolute_url()

    def natural_key(self):
        return (self.batch.slug, self.work.slug)

    natural_key.dependencies = ["initiatives.batch", "catalog.work"]


class ThemeWork(models.Model):
    """A public work in a theme: tagged with it, or listed under it in a published batch.

    Derived, like `is_public`: written by core.publication's refresh for the works it
    evaluates, and when a tag or a listing is saved (initiatives/publication.py); the one
    definition of "a work in a theme" that the works
    filter, the theme pages and the counts read (public.filters.in_themes). Stored because
    the rule it replaces (an OR of two EXISTS over the tags and the published listings) made
    PostgreSQL hash both sides, 130,000 and 100,000 rows for one theme at 1M works, on every
    page and every count (docs/benchmarks.md): here a theme's works are one index range."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+", db_index=False)
    work = models.ForeignKey(
        "catalog.Work", on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["theme", "work"]
        verbose_name = _("work in a theme")
        verbose_name_plural = _("works in themes")
        # (theme, work): a theme's works in id order, for the capped count's merge join;
        # (work, theme): is this work in these themes, read from the index alone while a
        # list walks works in its order.
        constraints = [
            models.UniqueConstraint(fields=["theme", "work"], name="initiatives_themework_unique")
        ]
        indexes = [models.Index(fields=["work", "theme"], name="initiatives_themework_work")]

    def __str__(self):
        return f"{self.work_id} in {self.theme_id}"


#
# Figures
#


class Figure(PublicRecord):
    """A statistic a source quotes, e.g. 576 million micro-drama users."""

    # What a text search looks in (core.search): names forgive a near miss, text does not.
    SEARCH_NAMES = ("label",)
    SEARCH_TEXT = ("quote", "attributed_to", "speaker_position")

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exactly")
        MORE_THAN = "more_than", _("more than")
        ABOUT = "about", _("about")
        ESTIMATE = "estimate", _("estimated")

    label = models.CharField(_("label"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    display = models.CharField(
        _("as quoted"), max_length=120, help_text=_("The figure as the source writes it.")
    )
    period = models.CharField(_("period"), max_length=200, blank=True)
    quote = models.TextField(_("quotation"))
    attributed_to = models.CharField(
        _("attributed to"),
        max_length=300,
        blank=True,
        help_text=_("Who said it: a person or a body; empty when it is the source's own."),
    )
    speaker_position = models.CharField(
        _("position of the speaker"),
        max_length=400,
        blank=True,
        help_text=_("The speaker's position as the source gives it, in full."),
    )
    place = models.ForeignKey(
        "catalog.Place",
        on_delete=models.PROTECT,
        related_name="figures",
        null=True,
        blank=True,
        verbose_name=_("place"),
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.PROTECT,
        related_name="figures",
        null=True,
        blank=True,
        verbose_name=_("initiative"),
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="figures", verbose_name=_("source")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = PublicManager()
    history = HistoricalRecords(excluded_fields=DERIVED_STATE)

    class Meta:
        ordering = ["position", "label"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")

    def __str__(self):
        return f"{self.label}: {self.display}"

    def get_absolute_url(self):
        return self.source.get_absolute_url()

    def natural_key(self):
        return (self.slug,)
