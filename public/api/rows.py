"""The related records an API list shows, as JSON columns of the list's own query
(core.models.SerializedJSONRows): a page costs its count and its rows, not one more query
per relation. The serializers declare these columns (`source="theme_rows"`) and an answer
embeds them as the database wrote them, so each object holds its summary serializer's fields,
named, ordered and represented as the serializer shows them (an address the source does not
give as null, hence `optional()`). tests/public/api/test_compiled_serializer.py holds every
answer to DRF's own walk of the same rows."""

from django.db.models import Case, F, JSONField, OuterRef, QuerySet, Value, When
from django.db.models.functions import NullIf

from catalog.models import Source, Theme, Work, WorkOrganisation, WorkPlace, WorkTitle
from core.models import OrderedJSONObject, SerializedJSONRows
from initiatives.models import Batch, Initiative, InitiativeOrganisation, Recommendation

SOURCE = ("slug", "title", "publisher", "published_on", "url", "language")
# A work's listings in the API, oldest announcement first (JSON `recommendations`, CSV
# `batches`).
LISTING_ORDER = ("batch__announced_on", "batch__initiative__name", "batch__number")
NAMES = ("slug", "name", "name_original")
BATCH_SUMMARY = ("slug", "number", "announced_on", "announced_precision")


def related(prefix: str, names: tuple[str, ...]) -> dict:
    """The JSON object's fields: each name read through `prefix` (a relation's path), an
    address (`url`) null where it is empty, as OptionalURLField shows it."""
    return {
        name: optional(f"{prefix}{name}") if name == "url" else f"{prefix}{name}" for name in names
    }


def optional(path: str) -> NullIf:
    """An address the source may not give: null, never an empty string (OptionalURLField)."""
    return NullIf(F(path), Value(""))


def source_rows(model) -> SerializedJSONRows:
    """The record's sources (its `sources` many-to-many), as SourceSummarySerializer shows."""
    reverse = model._meta.get_field("sources").related_query_name()
    return SerializedJSONRows(
        Source.objects.filter(**{reverse: OuterRef("pk")}), **related("", SOURCE)
    )


def of_the_work(model) -> QuerySet:
    """The outer work's rows of `model` (its titles, places, organisations), in `model`'s
    ordering less the work: ordered by the work, a subquery joined the works' table again for
    each related row, to sort by its title."""
    ordering = [key for key in model._meta.ordering if key != "work"]
    return model.objects.filter(work=OuterRef("pk")).order_by(*ordering)


def work_rows() -> dict[str, SerializedJSONRows]:
    work = OuterRef("pk")
    return {
        "theme_rows": SerializedJSONRows(Theme.objects.filter(works=work), **related("", NAMES)),
        "title_rows": SerializedJSONRows(
            of_the_work(WorkTitle),
            title="title",
            language="language",
            source=OrderedJSONObject(**related("source__", SOURCE)),
            excerpt="excerpt",
        ),
        "place_rows": SerializedJSONRows(
            of_the_work(WorkPlace),
            **related("place__", (*NAMES, "kind")),
            relation="relation",
        ),
        "organisation_rows": SerializedJSONRows(
            of_the_work(WorkOrganisation),
            **related("organisation__", (*NAMES, "kind")),
            role="role",
            watch_url=optional("url"),
        ),
        "source_rows": source_rows(Work),
        "recommendation_rows": recommendation_rows(),
    }


def recommendation_rows() -> SerializedJSONRows:
    """The published batches listing the work, in LISTING_ORDER, each with its initiative,
    the theme it lists the work under (null where the source names none) and its date, as
    WorkRecommendationSerializer shows them. A prefetch of model instances cost a query and
    about 200 model instances for a page of 50 works."""
    theme = OrderedJSONObject(**related("theme__", NAMES))
    return SerializedJSONRows(
        work_listings(),
        initiative=OrderedJSONObject(**related("batch__initiative__", NAMES)),
        batch=OrderedJSONObject(**related("batch__", BATCH_SUMMARY)),
        theme=Case(When(theme__isnull=False, then=theme), default=None, output_field=JSONField()),
        date="batch__announced_on",
    )


def work_csv_rows() -> dict[str, SerializedJSONRows]:
    """The works CSV's related columns, with what its cells read and no more
    (WorkCSVSerializer: a slug, with a place's relation or an organisation's role). With the
    JSON answer's names and kinds as well, the export's query took 55 to 63 µs a work at 1M
    works, 45 to 49 µs with these."""
    work = OuterRef("pk")
    return {
        "theme_rows": SerializedJSONRows(Theme.objects.filter(works=work), slug="slug"),
        "place_rows": SerializedJSONRows(
            of_the_work(WorkPlace),
            slug="place__slug",
            relation="relation",
        ),
        "organisation_rows": SerializedJSONRows(
            of_the_work(WorkOrganisation),
            slug="organisation__slug",
            role="role",
        ),
        "batch_rows": batch_slugs(),
    }


def batch_slugs() -> SerializedJSONRows:
    """The published batches listing the work, in LISTING_ORDER, as `[{"slug": ...}]`."""
    return SerializedJSONRows(work_listings(), slug="batch__slug")


def work_listings():
    """The outer work's listings in published batches, in LISTING_ORDER."""
    return Recommendation.objects.public().filter(work=OuterRef("pk")).order_by(*LISTING_ORDER)


def theme_rows() -> dict[str, SerializedJSONRows]:
    return {
        "initiative_rows": SerializedJSONRows(
            Initiative.objects.public().filter(themes=OuterRef("pk")), **related("", NAMES)
        ),
        "source_rows": source_rows(Theme),
    }


def initiative_rows() -> dict[str, SerializedJSONRows]:
    initiative = OuterRef("pk")
    return {
        "theme_rows": SerializedJSONRows(
            Theme.objects.filter(initiatives=initiative), **related("", NAMES)
        ),
        "organisation_rows": SerializedJSONRows(
            InitiativeOrganisation.objects.filter(initiative=initiative),
            **related("organisation__", (*NAMES, "kind")),
            role="role",
        ),
        "batch_rows": SerializedJSONRows(
            Batch.objects.public().filter(initiative=initiative).order_by("number"),
            **related("", BATCH_SUMMARY),
        ),
        "source_rows": source_rows(Initiative),
    }
