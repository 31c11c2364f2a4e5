"""The catalog proper: what a visitor browses (works), what works are filed under (themes,
places, organisations), and the sources every record cites."""

from django.db import models
from django.db.models import BooleanField, F, Func, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.models import TreeNode
from tree_queries.query import TreeManager, TreeQuerySet

from core.addresses import slug_address
from core.expressions import InSubquery
from core.models import (
    DERIVED_STATE,
    PublicManager,
    PublicQuerySet,
    PublicRecord,
    SlugNaturalKeyManager,
    SlugPairManager,
)

#
# Sources
#


class Source(PublicRecord):
    """A document a record comes from: the provenance every record cites."""

    title = models.CharField(_("title"), max_length=400)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=20, blank=True)
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("Where the document is kept, e.g. its file name in the seed folder."),
    )
    notes = models.TextField(_("editorial notes"), blank=True)

    objects = PublicManager()
    history = HistoricalRecords(excluded_fields=DERIVED_STATE)

    class Meta:
        # Undated sources last on every database (PostgreSQL would put NULL first).
        ordering = [models.F("published_on").desc(nulls_last=True), "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_address("catalog:source_detail", self.slug)

    def natural_key(self):
        return (self.slug,)


def name_or_original(name: str, original: str):
    """Sort key of a record named in English, or in Chinese only where no source gives an
    English name: lists stay in one alphabetical order instead of putting the Chinese-only
    records (an empty English name) first."""
    return Coalesce(NullIf(F(name), Value("")), F(original))


def named(name: str, original: str) -> Q:
    """A record needs a name in at least one language."""
    return ~Q(**{name: ""}) | ~Q(**{original: ""})


#
# Themes
#


class Theme(PublicRecord):
    """A subject under which works are recommended, e.g. "intangible cultural heritage"."""

    # What a text search looks in (core.search): names forgive a near miss, text does not.
    SEARCH_NAMES = ("name", "name_original")
    SEARCH_TEXT = ("description",)

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_original = models.CharField(_("original name"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in which lists show the theme.")
    )
    sources = models.ManyToManyField(
        Source, related_name="themes", blank=True, verbose_name=_("sources")
    )
    notes = models.TextField(_("editorial notes"), blank=True)

    objects = PublicManager()
    history = HistoricalRecords(excluded_fields=DERIVED_STATE)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_address("catalog:theme_detail", self.slug)

    def natural_key(self):
        return (self.slug,)


#
# Places
#


class PlaceQuerySet(TreeQuerySet, PublicQuerySet):
    pass


class PlaceManager(SlugNaturalKeyManager, TreeManager.from_queryset(PlaceQuerySet)):
    """Places in the tree (django-tree-queries: one recursive query gives every place's
    depth and path, so ancestors, descendants and roll-ups need no query per level). Tree
    fields only where asked for (`with_tree_fields()`), as TreeQuerySet.as_manager does."""

    _with_tree_fields = False


class Place(TreeNode, PublicRecord):
    """A province, city, county or site that works show or were filmed in; nested."""

    # What a text search looks in (core.search): names forgive a near miss, text does not.
    SEARCH_NAMES = ("name", "name_original")
    SEARCH_TEXT = ("description",)

    class Kind(models.TextChoices):
        COUNTRY = "country", _("country")
        PROVINCE = "province", _("province")
        AUTONOMOUS_REGION = "autonomous_region", _("autonomous region")
        MUNICIPALITY = "municipality", _("municipality")
        REGION = "region", _("special administrative region")
        PREFECTURE = "prefecture", _("autonomous prefecture")
        CITY = "city", _("city")
        DISTRICT = "district", _("district")
        COUNTY = "county", _("county")
        VILLAGE = "village", _("village")
        SITE = "site", _("site")
        ROUTE = "route", _("route")

    class CoordinatesBasis(models.TextChoices):
        GAZETTEER = "gazetteer", _("the gazetteer's point for this place")
        ENCLOSING = "enclosing", _("approximate: the point of the area it lies in")
        EDITOR = "editor", _("entered by an editor")

    name = models.CharField(_("name"), max_length=200)
    name_original = models.CharField(_("original name"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("administrative code"),
        max_length=6,
        blank=True,
        db_index=True,
        help_text=_("GB/T 2260 code of a Chinese administrative division, from the gazetteer."),
    )
    parent = TreeNodeForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
        verbose_name=_("part of"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    coordinates_basis = models.CharField(
        _("coordinates basis"),
        max_length=10,
        choices=CoordinatesBasis.choices,
        blank=True,
        help_text=_("Where the point comes from; empty when there is none."),
    )
    description = models.TextField(_("description"), blank=True)
    sources = models.ManyToManyField(
        Source, related_name="places", blank=True, verbose_name=_("sources")
    )
    notes = models.TextField(_("editorial notes"), blank=True)

    objects = PlaceManager()
    history = HistoricalRecords(excluded_fields=DERIVED_STATE)

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="%(app_label)s_%(class)s_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="%(app_label)s_%(class)s_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="%(app_label)s_%(class)s_coordinates_both_or_neither",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="%(app_label)s_%(class)s_not_own_parent",
            ),
            # A point says where it comes from, and a basis needs a point.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, coordinates_basis="")
                | Q(
                    latitude__isnull=False,
                    coordinates_basis__in=["gazetteer", "enclosing", "editor"],
                ),
                name="%(app_label)s_%(class)s_coordinates_basis_with_point",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_address("catalog:place_detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    def descendant_ids(self) -> set[int]:
        """This place and every place inside it (one query)."""
        return set(Place.objects.descendants(self, include_self=True).values_list("pk", flat=True))


#
# Organisations
#


class Organisation(PublicRecord):
    """A regulator, ministry, broadcaster, media outlet, platform, producer, brand or
    association named by a source."""

    # What a text search looks in (core.search): names forgive a near miss, text does not.
    SEARCH_NAMES = ("name", "name_original")
    SEARCH_TEXT = ("description",)

    class Kind(models.TextChoices):
        REGULATOR = "regulator", _("regulator")
        GOVERNMENT = "government", _("government body")
        BROADCASTER = "broadcaster", _("broadcaster")
        MEDIA = "media", _("media outlet")
        PLATFORM = "platform", _("platform")
        PRODUCER = "producer", _("production company")
        BRAND = "brand", _("brand")
        ASSOCIATION = "association", _("association")
        COMPANY = "company", _("company")
        VENUE = "venue", _("production base")

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
        related_name="units",
        null=True,
        blank=True,
        verbose_name=_("part of"),
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        verbose_name=_("based in"),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    sources = models.ManyToManyField(
        Source, related_name="organisations", blank=True, verbose_name=_("sources")
    )
    notes = models.TextField(_("editorial notes"), blank=True)

    objects = PublicManager()
    history = HistoricalRecords(excluded_fields=DERIVED_STATE)

    class Meta:
        ordering = [name_or_original("name", "name_original").asc()]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=named("name", "name_original"),
                name="%(app_label)s_%(class)s_has_a_name",
            )
        ]

    def __str__(self):
        return self.name or self.name_original

    def get_absolute_url(self):
        return slug_address("catalog:organisation_detail", self.slug)

    def natural_key(self):
        return (self.slug,)


#
# Works
#


# The work `{}` holds the word %s in its titles (`catalog_work_word`'s primary key).
HOLDS_WORD = "EXISTS (SELECT 1 FROM catalog_work_word o WHERE o.work_id = {} AND o.word = %s)"
# The work `{}` holds a word beginning with %s (`LIKE 'villag%'`: one range of the same key, the
# words being in the C collation, catalog migration 0016).
BEGINS_WORD = "EXISTS (SELECT 1 FROM catalog_work_word o WHERE o.work_id = {} AND o.word LIKE %s)"


def word_probes(column: str, words, begins: bool = False) -> tuple[str, list]:
    """`HOLDS_WORD` for each of `words`, ANDed; the last one `BEGINS_WORD` when `begins`.
    Words are runs of letters and digits (core.search.whole_words): nothing in them is a
    pattern character of LIKE."""
    words = list(words)
    whole = words[:-1] if begins else words
    probes = [HOLDS_WORD.format(column) for _ in whole]
    params = list(whole)
    if begins:
        probes.append(BEGINS_WORD.format(column))
        params.append(words[-1] + "%")
    return " AND ".join(probes), params


class HoldsWords(Func):
    """The work's titles hold each of `words` whole (`catalog_work_word`, Work.search_words),
    the last one only as the beginning of a word when `begins`: one EXISTS per word, probing
    the table's primary key for the row, or hashed by the planner when that costs less. As
    `id IN (the word's works)`, a word in most titles ("the": about half of 1M) made a hash
    too large for work_mem, and PostgreSQL scanned the list again for every row (4.8 s for
    one page)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, words, begins: bool = False):
        super().__init__(F(field))
        self.words = list(words)
        self.begins = begins

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        sql, words = word_probes(column, self.words, self.begins)
        return f"({sql})", (*params, *words)


class Work(PublicRecord):
    """One micro-drama, or one season of it."""

    # What a text search looks in (core.search): names forgive a near miss, text does not.
    SEARCH_NAMES = ("title", "title_original")
    SEARCH_TEXT = ("synopsis",)
    # Indexes for those fields (catalog migration 0010): grams on PostgreSQL, FTS5 on SQLite.
    SEARCH_GRAMS_INDEXED = True
    SEARCH_FTS_TABLE = "catalog_work_fts"
    # Its public order is an index (catalog_work_public_order): a search with many matches
    # reads its page along it (core.pagination.CappedPaginator.read_along).
    SEARCH_ORDER_INDEXED = True

    title = models.CharField(
        _("title"),
        max_length=300,
        blank=True,
        help_text=_("In English, as a source gives it; empty when no source does."),
    )
    title_original = models.CharField(
        _("original title"),
        max_length=300,
        blank=True,
        help_text=_(
            "In Chinese, as the source writes it (in simplified characters), with the season "
            "where the source puts it inside the title."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    synopsis = models.TextField(_("synopsis"), blank=True)
    season = models.PositiveSmallIntegerField(_("season"), null=True, blank=True)
    episodes = models.PositiveSmallIntegerField(_("episodes"), null=True, blank=True)
    episode_minutes = models.DecimalField(
        _("episode length (minutes)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(_("year released"), null=True, blank=True)
    themes = models.ManyToManyField(
        Theme, related_name="works", blank=True, verbose_name=_("themes")
    )
    places = models.ManyToManyField(
        Place, through="WorkPlace", related_name="works", blank=True, verbose_name=_("places")
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="WorkOrganisation",
        related_name="works",
        blank=True,
        verbose_name=_("organisations"),
    )
    sources = models.ManyToManyField(
        Source, related_name="works", blank=True, verbose_name=_("sources")
    )
    notes = models.TextField(_("editorial notes"), blank=True)

    objects = PublicManager()
    history = HistoricalRecords(m2m_fields=[themes, sources], excluded_fields=DERIVED_STATE)

    class Meta:
        # A title without a season before its "Season 2" on every database; a work known
        # by its Chinese title only sorts by that title.
        ordering = [
            name_or_original("title", "title_original").asc(),
            models.F("season").asc(nulls_first=True),
        ]
        verbose_name = _("work")
        verbose_name_plural = _("works")
        constraints = [
            models.CheckConstraint(
                condition=named("title", "title_original"),
                name="%(app_label)s_%(class)s_has_a_title",
            ),
            models.CheckConstraint(
                condition=Q(season__isnull=True) | Q(season__gte=1),
                name="%(app_label)s_%(class)s_season_positive",
            ),
            models.CheckConstraint(
                condition=Q(episodes__isnull=True) | Q(episodes__gte=1),
                name="%(app_label)s_%(class)s_episodes_positive",
            ),
            models.CheckConstraint(
                condition=Q(episode_minutes__isnull=True) | Q(episode_minutes__gt=0),
                name="%(app_label)s_%(class)s_episode_minutes_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["year"], name="catalog_work_year_idx"),
            # Lists read public works in their order (issue 11): a page is the first rows
            # of this index, whatever the table's size. The expressions of `ordering` (SQLite
            # takes no NULLS FIRST in an index: PostgreSQL sorts the seasons of one title).
            models.Index(
                name_or_original("title", "title_original"),
                F("season"),
                F("id"),
                name="catalog_work_public_order",
                condition=Q(is_public=True),
            ),
            # The ids of public works, read from the index alone: a capped count joins
            # them in id order with a theme's works (initiatives.ThemeWork), 11 ms for
            # 10,001 of 1M works rather than 42 ms through the table.
            models.Index(fields=["id"], name="catalog_work_public_id", condition=Q(is_public=True)),
            # The sync cursor (core/api/pagination.py): (updated_at, id) of public works.
            models.Index(
                fields=["updated_at", "id"],
                name="catalog_work_public_sync",
                condition=Q(is_public=True),
            ),
        ]

    def __str__(self):
        if not self.title:
            return self.title_original
        return f"{self.title} (Season {self.season})" if self.season else self.title

    def get_absolute_url(self):
        return slug_address("catalog:work_detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    @classmethod
    def holds_words(cls, words, begins: bool = False) -> "HoldsWords":
        """The condition that a work's titles hold each of `words` whole, the last only as the
        beginning of a word when `begins` (core.search)."""
        return HoldsWords("pk", words, begins)

    @classmethod
    def search_words(cls, words, limit: int | None = None, begins: bool = False) -> RawSQL:
        """The ids of the works whose titles hold each of `words` whole (lower-cased, runs of
        letters and digits), in the list's order, the first `limit` of them when given
        (core.search ranks them first). Read along the longest word (likely the rarest), the
        others probed by the primary key.

        With `begins`, for one word: the works whose titles hold a word it begins ("villag"
        for "Village", as someone typing it has it), read along the range of those words.
        That range is not in the list's order as one word's works are: it is read whole and
        sorted (26,447 works for "villag" at 1M). A work holding two such words is named
        twice, side by side: the first `limit` ids name the first works in order all the
        same.

        From `catalog_work_word` (catalog migration 0015): each work's title words with its
        sort key and season, written by PostgreSQL's triggers on every write of works, bulk
        loads included, and indexed in the list's order, so that a word's works are one
        range of a B-tree where the trigram index finds them unordered ("village" at 1M:
        26,447 titles, each fetched to be sorted). No Django model: nobody edits, dumps or
        loads it. PostgreSQL only."""
        if begins:
            (word,) = words
            sql, params = (
                "SELECT w.work_id FROM catalog_work_word w WHERE w.word LIKE %s",
                [word + "%"],
            )
        else:
            longest = max(words, key=len)
            sql, params = "SELECT w.work_id FROM catalog_work_word w WHERE w.word = %s", [longest]
            others = sorted(set(words) - {longest})
            if others:
                probes, more = word_probes("w.work_id", others)
                sql, params = f"{sql} AND {probes}", [*params, *more]
        if limit is not None:
            sql += " ORDER BY w.sort_key, w.season NULLS FIRST, w.work_id LIMIT %s"
            params.append(limit)
        return RawSQL(sql, params, output_field=models.IntegerField())

    @classmethod
    def search_related(cls, names):
        """What else finds a work (core.search): its other title renderings, and the names
        of its public places (and of the places they lie in), organisations and themes.
        `names(fields)` is the condition that one of `fields` contains the query. Each
        part is the ids of the works it finds."""
        up = [f"{'parent__' * depth}" for depth in range(PLACE_SEARCH_DEPTH)]
        places = Place.objects.public().filter(
            names([f"{prefix}{field}" for prefix in up for field in Place.SEARCH_NAMES])
        )
        organisations = Organisation.objects.public().filter(names(Organisation.SEARCH_NAMES))
        themes = Theme.objects.public().filter(names(Theme.SEARCH_NAMES))
        # `= ANY(ARRAY(…))` (InSubquery): the few places, organisations or themes named are
        # found once, then their links by index, in the gathered search and when a search
        # is tested row by row (core.search.rowwise_matches), where `IN (…)` joined the
        # places' six levels again for every link of every row.
        return [
            WorkTitle.objects.filter(names(["title"])).values("work_id"),
            WorkPlace.objects.filter(InSubquery("place", places.values("pk"))).values("work_id"),
            WorkOrganisation.objects.filter(
                InSubquery("organisation", organisations.values("pk"))
            ).values("work_id"),
            cls.themes.through.objects.filter(InSubquery("theme", themes.values("pk"))).values(
                "work_id"
            ),
        ]


# A search for a place's name finds the works at the places inside it, down to this many
# levels (country, province, city, district, village, site).
PLACE_SEARCH_DEPTH = 6


class WorkTitleManager(models.Manager):
    def get_by_natural_key(self, work_slug, title):
        return self.get(work__slug=work_slug, title=title)


class WorkTitle(models.Model):
    """A work's title as one source renders it, e.g. "Macau Stories" where the seed document
    writes "Stories of Macao": one work, each rendering with the source that gives it."""

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        CHINESE = "zh-Hans", _("Chinese")

    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="titles", verbose_name=_("work")
    )
    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="work_titles", verbose_name=_("source")
    )
    excerpt = models.TextField(
        _("source excerpt"),
        help_text=_(
            "The source's words that give the title (a repost may use traditional script)."
        ),
    )

    objects = WorkTitleManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["work", "language", "title"]
        verbose_name = _("title rendering")
        verbose_name_plural = _("title renderings")
        constraints = [
            models.UniqueConstraint(
                fields=["work", "title"], name="%(app_label)s_%(class)s_unique_work_title"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.get_language_display()})"

    def natural_key(self):
        return (self.work.slug, self.title)

    natural_key.dependencies = ["catalog.work", "catalog.source"]


class WorkPlace(models.Model):
    """How a work relates to a place: filmed there, set there, shows it, or comes from it."""

    class Relation(models.TextChoices):
        FILMED_AT = "filmed_at", _("filmed at")
        SET_IN = "set_in", _("set in")
        FEATURES = "features", _("features")
        FROM = "from", _("from")

    NATURAL_KEY_FIELDS = ("work", "place", "relation")

    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="place_links", verbose_name=_("work")
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="work_links",
        verbose_name=_("place"),
        db_index=False,  # the (place, work) index below serves it
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="work_places",
        null=True,
        blank=True,
        verbose_name=_("source"),
    )
    excerpt = models.TextField(_("source excerpt"), blank=True)

    objects = SlugPairManager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["work", "relation", "place"]
        verbose_name = _("work place")
        verbose_name_plural = _("work places")
        constraints = [
            models.UniqueConstraint(
                fields=["work", "place", "relation"],
                name="%(app_label)s_%(class)s_unique_work_place_relation",
            )
        ]
        # A search through places' names reads their works from this index alone.
        indexes = [models.Index(fields=["place", "work"], name="catalog_workplace_work_idx")]

    def __str__(self):
        return f"{self.work} — {self.get_relation_display()} {self.place}"

    def natural_key(self):
        return (self.work.slug, self.place.slug, self.relation)

    natural_key.dependencies = ["catalog.work", "catalog.place"]


class WorkOrganisation(models.Model):
    """An organisation behind a work, in a role: producer, brand partner, broadcaster..."""

    class Role(models.TextChoices):
        PRODUCER = "producer", _("producer")
        CO_PRODUCER = "co_producer", _("co-producer")
        MADE_BY = "made_by", _("made by")
        SUBMITTED_BY = "submitted_by", _("submitted by")
        BRAND_PARTNER = "brand_partner", _("brand partner")
        BROADCASTER = "broadcaster", _("broadcaster")
        PLATFORM = "platform", _("platform")

    NATURAL_KEY_FIELDS = ("work", "organisation", "role")

    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="organisation_links", verbose_name=_("work")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="work_links",
        verbose_name=_("organisation"),
        db_index=False,  # the (organisation, work) index below serves it
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    url = models.URLField(_("where to watch"), blank=True)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="work_organisations",
        null=True,
        blank=True,
        verbose_name=_("source"),
    )
    excerpt = models.TextField(_("source excerpt"), blank=True)

    objects = SlugPairManager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["work", "role", "organisation"]
        verbose_name = _("work organisation")
        verbose_name_plural = _("work organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["work", "organisation", "role"],
                name="%(app_label)s_%(class)s_unique_work_organisation_role",
            )
        ]
        indexes = [
            models.Index(fields=["role"], name="catalog_workorg_role_idx"),
            # A search through organisations' names reads their works from this index alone:
            # 茶香 at 1M, 101 organisations and 20,192 works, 95 -> 9 ms (a parallel scan of
            # every link before; docs/benchmarks.md).
            models.Index(fields=["organisation", "work"], name="catalog_workorg_org_work_idx"),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.get_role_display()} — {self.work}"

    def natural_key(self):
        return (self.work.slug, self.organisation.slug, self.role)

    natural_key.dependencies = ["catalog.work", "catalog.organisation"]
