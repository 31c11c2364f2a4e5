"""Abstract models and managers every domain model builds on, and the public state stamp."""

import datetime
from contextvars import ContextVar

import orjson
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Func
from django.db.models.functions import Cast, Greatest, JSONObject
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .search import text_search


class TimeStampedModel(models.Model):
    """Creation and change times; partners sync on `updated_at`."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class SlugNaturalKeyManager(models.Manager):
    """Fixtures refer to records by slug, so seed files stay readable and ids stay free."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugPairManager(models.Manager):
    """Natural keys of link records: the slugs of the two records they join, plus a role."""

    def get_by_natural_key(self, left, right, kind):
        first, second, field = self.model.NATURAL_KEY_FIELDS
        return self.get(**{f"{first}__slug": left, f"{second}__slug": right, field: kind})


#
# Public state
#


class PublicQuerySet(models.QuerySet):
    def public(self):
        """Records the public may see. The stored state is set by publishing alone
        (core.publication); no read repeats the rule."""
        return self.filter(is_public=True)

    def search(self, query: str):
        """Records whose `SEARCH_NAMES` or `SEARCH_TEXT` fields contain `query` (English
        or Chinese, one character up), closest first on PostgreSQL (core.search)."""
        return text_search(self, query)


class PublicManager(SlugNaturalKeyManager.from_queryset(PublicQuerySet)):
    pass


# Leave the derived state out of a PublicRecord's history (`excluded_fields`): it follows from
# other records, and reverting a record to an older version must not publish or withdraw it.
DERIVED_STATE = ["is_public"]


class PublicRecord(TimeStampedModel):
    """A record the public can reach, but only once something publishes it.

    `published_directly` is an editor's decision (publish this record on its own, e.g. a work
    a source names outside any list). `is_public` is derived: published directly, or shown by
    another public record (a published batch shows its works, a public work its places...).
    Only core.publication writes either; forms never show them and the admin keeps them as
    stored when it saves a form or reverts to an older version."""

    PUBLICATION_FIELDS = ("is_public", "published_directly")

    is_public = models.BooleanField(
        _("public"),
        default=False,
        editable=False,
        db_index=True,
        help_text=_("Set by publishing: a published batch, or publishing the record itself."),
    )
    published_directly = models.BooleanField(
        _("published on its own"),
        default=False,
        editable=False,
        help_text=_("Public even when no published batch or public record shows it."),
    )

    objects = PublicManager()

    class Meta:
        abstract = True


# Before anything was published: a fixed time, so validators stay stable until then.
NEVER = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


# Sent once a change to the public state has committed (core.caching warms what pages
# compute once per public state).
public_state_committed = Signal()

# The public state a request has read, kept for the rest of it (PublicState.cached): a dict
# while a request runs (request_started and request_finished, in CoreConfig.ready), None
# outside one.
_state_of_this_request: ContextVar[dict | None] = ContextVar("public_state", default=None)


def start_request_state(**kwargs) -> None:
    _state_of_this_request.set({})


def end_request_state(**kwargs) -> None:
    _state_of_this_request.set(None)


class PublicState(models.Model):
    """When what the public sees last changed: a record published or withdrawn, or a public
    record edited. One row. Pages and the API derive their validators (ETag, Last-Modified)
    from it, so a 304 needs no rendering, and an editor's work on drafts moves nothing
    public."""

    CACHE_KEY = "public-state"
    # How long a worker may use a state it read, should a forgetting ever miss it.
    CACHE_SECONDS = 30

    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("public state")
        verbose_name_plural = _("public state")

    def __str__(self):
        return f"v{self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

    @classmethod
    def current(cls) -> "PublicState":
        """The row (core migration 0001 creates it); a read never writes."""
        return cls.objects.filter(pk=1).first() or cls(pk=1, changed_at=NEVER)

    @classmethod
    def cached(cls) -> tuple[int, int]:
        """(version, changed at as a Unix time), from the shared cache when it holds them:
        pages answered from the cache then cost no database query.

        Read once per request, which then answers from one state throughout: a works page
        asked for it a dozen times (its validators, then each value kept per public state,
        core.caching), each a round trip to Redis, and with Redis down each a query (10 of
        the works page's 12)."""
        this_request = _state_of_this_request.get()
        if this_request and "state" in this_request:
            return this_request["state"]
        state = cache.get(cls.CACHE_KEY)
        if state is None:
            current = cls.current()
            state = (current.version, int(current.changed_at.timestamp()))
            cache.set(cls.CACHE_KEY, state, cls.CACHE_SECONDS)
        if this_request is not None:
            this_request["state"] = state
        return state

    @classmethod
    def bump(cls) -> None:
        """Record that the public's view changed, in the caller's transaction. The time
        moves on by a second at least: HTTP dates count whole seconds, and a withdrawal in
        the same second as the publication before it must still change Last-Modified."""
        updated = cls.objects.filter(pk=1).update(
            version=models.F("version") + 1,
            changed_at=Greatest(
                models.Value(timezone.now()),
                models.F("changed_at") + datetime.timedelta(seconds=1),
            ),
        )
        if not updated:
            cls.objects.create(pk=1, version=1, changed_at=timezone.now())
        # Forget the cached state now, and again once committed: a request running meanwhile
        # may have cached the old row. This request reads the new one from here on.
        cache.delete(cls.CACHE_KEY)
        this_request = _state_of_this_request.get()
        if this_request is not None:
            this_request.pop("state", None)
        # Robust: what runs on the signal (core.caching) must not fail what has committed.
        transaction.on_commit(cls._committed, robust=True)

    @classmethod
    def _committed(cls) -> None:
        cache.delete(cls.CACHE_KEY)
        public_state_committed.send(sender=cls)


#
# Query helpers
#


class SubqueryCount(models.Subquery):
    """How many rows a correlated subquery finds, 0 for none:
    `Theme.objects.annotate(n=SubqueryCount(Work.objects.filter(themes=OuterRef("pk"))))`.
    Count the distinct values of one column with `.values("work").distinct()`. Django's
    aggregates join and group the outer query instead, which multiplies other annotations."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = models.IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by(), **extra)


class JSONRows(models.Subquery):
    """The rows of a correlated queryset as a JSON list of objects, in the queryset's order,
    as one column of the outer query: `Work.objects.annotate(theme_rows=JSONRows(
    Theme.objects.filter(works=OuterRef("pk")), slug="slug", name="name"))` gives each work
    `[{"slug": ..., "name": ...}, ...]`. A list then reads its related records in its own
    query, where prefetch_related costs a query per relation. Dates come as ISO strings.

    Django drops a subquery's ORDER BY unless it is sliced: hence LIMIT, far above any
    record's links. JSONB on PostgreSQL because Django reads jsonb (not json) as text.

    Its SQL is compiled once per database connection alias and kept: resolved in a
    queryset, the expression is fixed (the outer query's alias included), and a queryset
    built once per class (core.api.viewsets) shares it with each request's copy. Compiling
    the works' six took 3 ms on every request, when a work's detail took 10. Any change
    Django makes to it (a relabelling when the outer query becomes a subquery itself)
    works on a copy, and a copy compiles afresh."""

    template = "(SELECT COALESCE(JSONB_AGG(_rows.row_json), '[]') FROM (%(subquery)s) _rows)"
    sqlite_template = "(SELECT JSON_GROUP_ARRAY(JSON(_rows.row_json)) FROM (%(subquery)s) _rows)"
    output_field = models.JSONField()
    LIMIT = 10_000

    row_object = JSONObject

    def __init__(self, queryset, **fields):
        super().__init__(queryset.values(row_json=self.row_object(**fields))[: self.LIMIT])
        self._compiled = {}

    def copy(self):
        clone = super().copy()
        clone._compiled = {}
        return clone

    def as_sql(self, compiler, connection, template=None, **extra_context):
        if extra_context:
            return super().as_sql(compiler, connection, template, **extra_context)
        key = (connection.alias, template)
        compiled = self._compiled.get(key)
        if compiled is None:
            sql, params = super().as_sql(compiler, connection, template)
            compiled = self._compiled[key] = (sql, tuple(params))
        return compiled

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template=self.sqlite_template, **extra_context)


class OrderedJSONObject(JSONObject):
    """Django's JSONObject with its keys in the order given on PostgreSQL too: Django builds
    JSONB there, which sorts an object's keys by length (`name` before `slug`)."""

    def as_postgresql(self, compiler, connection, **extra_context):
        # The keys cast to text, as Django's own does: an untyped literal is no argument
        # JSON_BUILD_OBJECT can take.
        copy = self.copy()
        copy.set_source_expressions(
            [
                Cast(expression, models.TextField()) if index % 2 == 0 else expression
                for index, expression in enumerate(copy.get_source_expressions())
            ]
        )
        return Func.as_sql(
            copy, compiler, connection, function="JSON_BUILD_OBJECT", **extra_context
        )


class SerializedRows:
    """Related rows as the JSON text the database wrote (SerializedJSONRows): a JSON answer
    embeds that text as it is (`fragment()`, for core.api.renderers.JSONRenderer), where
    parsing it into dicts and walking each through its serializer cost more than the query
    (see core.api.serializers). Anything else iterates over the rows, parsed."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __iter__(self):
        return iter(orjson.loads(self.text))

    def __repr__(self):
        return f"SerializedRows({self.text!r})"

    def fragment(self) -> orjson.Fragment:
        """The rows for an answer, compact: PostgreSQL writes `{"slug" : "a"}`, and an
        answer reads as DRF writes it, `{"slug":"a"}`."""
        return orjson.Fragment(self.compact())

    def compact(self) -> bytes:
        return orjson.dumps(orjson.loads(self.text))


class CompactRows(SerializedRows):
    """SerializedRows already compact (`SerializedRows.compact()`, as public.api.kept_rows
    keeps them): embedded as they are."""

    __slots__ = ()

    def fragment(self) -> orjson.Fragment:
        return orjson.Fragment(self.text)

    def compact(self) -> bytes:
        return self.text


class SerializedRowsField(models.TextField):
    def from_db_value(self, value, expression, connection):
        return None if value is None else SerializedRows(value)


class SerializedJSONRows(JSONRows):
    """JSONRows written by the database as the API shows them, read as SerializedRows: each
    object's keys named and ordered as its serializer's fields, each value as the field
    represents it (an empty address as null: NullIf). tests/public/api/
    test_compiled_serializer.py compares every answer with DRF's walk of the parsed rows."""

    template = "(SELECT COALESCE(JSON_AGG(_rows.row_json), '[]')::text FROM (%(subquery)s) _rows)"
    output_field = SerializedRowsField()
    row_object = OrderedJSONObject
