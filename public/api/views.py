"""Read-only API endpoints: works, themes, places, organisations, initiatives, batches."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions

from catalog.models import Organisation, Place, Theme, Work
from core.api.viewsets import CatalogReadOnlyViewSet
from initiatives.models import (
    Batch,
    BatchThemeCount,
    Figure,
    Initiative,
    Recommendation,
)
from public.facets import FACET_BOUND, FACETS, facet_values, parse_facets
from public.filters import (
    BatchFilterSet,
    FigureFilterSet,
    InitiativeFilterSet,
    OrganisationFilterSet,
    PlaceFilterSet,
    ThemeFilterSet,
    WorkFilterSet,
)

from . import kept_rows, rows
from .serializers import (
    BatchCSVSerializer,
    BatchSerializer,
    FigureCSVSerializer,
    FigureSerializer,
    InitiativeCSVSerializer,
    InitiativeSerializer,
    OrganisationCSVSerializer,
    OrganisationSerializer,
    PlaceCSVSerializer,
    PlaceSerializer,
    ThemeCSVSerializer,
    ThemeSerializer,
    WorkCSVSerializer,
    WorkSerializer,
)

# The theme fields a batch's tally reads (Batch.tally(), BatchSerializer.get_themes).
TALLY_THEME = ("id", "slug", "name", "name_original", "position")


def facet_json(value) -> dict:
    """One value of a facet: {slug, name, name_original, count}, or {value, count} for a
    year."""
    record = value.record
    if record is None:
        return {"value": int(value.key), "count": value.count}
    if isinstance(record, Batch):
        initiative = record.initiative
        original = initiative.name_original
        return {
            "slug": value.key,
            "name": f"{initiative.name or original}, batch {record.number}",
            "name_original": f"{original} 第{record.number}批" if original else "",
            "count": value.count,
        }
    return {
        "slug": value.key,
        "name": record.name,
        "name_original": record.name_original,
        "count": value.count,
    }


FACETS_PARAMETER = OpenApiParameter(
    "facets",
    str,
    many=True,
    explode=False,
    enum=FACETS,
    description="Counts for the current filter, comma-separated: `facets=theme,place,"
    "organisation,year` (also `initiative`, `batch`). The response gains `facets`: per "
    "facet, the values with the most works first (at most 50), each with its `count`. A "
    "facet counts without its own filter (`theme=a&facets=theme` counts every theme). A "
    f"facet over more than {FACET_BOUND} works is not counted: it is named in "
    "`facets_not_counted` instead (narrow the other filters to count it).",
)


class WorkViewSet(CatalogReadOnlyViewSet):
    """Micro-dramas in the catalog: those listed in a published batch, and those a source
    names outside any list. A work listed only in a draft batch is not shown.

    Filters combine with AND; several values of one filter (`theme=a&theme=b`) mean any of
    them. `format=csv` streams every matching work as CSV."""

    serializer_class = WorkSerializer
    csv_serializer_class = WorkCSVSerializer
    filterset_class = WorkFilterSet

    @classmethod
    def build_queryset(cls):
        return cls.build_own_columns().annotate(**rows.work_rows())

    @staticmethod
    def build_own_columns():
        """The works' own columns, in the list's order: with kept rows, their related rows
        come from the shared cache (public.api.kept_rows, `complete`)."""
        return Work.objects.public().order_by(*Work._meta.ordering, "pk")

    def get_queryset(self):
        if kept_rows.enabled():
            return self.built_once("_own_columns_queryset", self.build_own_columns).all()
        return super().get_queryset()

    def complete(self, records):
        if kept_rows.enabled():
            kept_rows.attach(records)

    def get_csv_queryset(self):
        """What the CSV's columns read, and no more: the row's own fields and four JSON
        columns of slugs (rows.work_csv_rows), in the list's order. The JSON answer's
        queryset (five JSON columns, listings with their batches and initiatives as model
        instances) made the export of 1M works about twice as slow, for columns a CSV never
        shows."""
        own = {field.name for field in Work._meta.concrete_fields}
        return (
            Work.objects.public()
            .only(*(name for name in WorkCSVSerializer.Meta.fields if name in own))
            .annotate(**rows.work_csv_rows())
            .order_by(*Work._meta.ordering, "pk")
        )

    @extend_schema(parameters=[FACETS_PARAMETER])
    def list(self, request, *args, **kwargs):
        # An unknown facet is a 400, CSV or not; the facets are counted in build_list.
        self.facets, unknown = parse_facets(request.query_params.getlist("facets"))
        if unknown:
            raise exceptions.ValidationError(
                {
                    "facets": [
                        f"Unknown facet {', '.join(unknown)}; choose from {', '.join(FACETS)}."
                    ]
                }
            )
        return super().list(request, *args, **kwargs)

    def build_list(self):
        """The page, and the facets asked for: both in the answer the shared cache keeps (a
        facet request's five counting queries ran again on every hit). A CSV has no facets."""
        response = super().build_list()
        if self.facets:
            # The list's FilterSet (valid: the page above would have answered 400), or none
            # when the request names no filter.
            filterset = getattr(self, "filterset", None) or self.filterset_class(
                queryset=Work.objects.public(), request=self.request
            )
            values = facet_values(filterset, self.facets, listed=self.paginator.page.paginator)
            response.data["facets"] = {
                name: [facet_json(value) for value in values[name]]
                for name in self.facets
                if name in values
            }
            # Facets over more than FACET_BOUND works are not counted (public/facets.py).
            response.data["facets_not_counted"] = [n for n in self.facets if n not in values]
        return response


class ThemeViewSet(CatalogReadOnlyViewSet):
    """Themes under which works are recommended, in the order lists show them."""

    serializer_class = ThemeSerializer
    csv_serializer_class = ThemeCSVSerializer
    filterset_class = ThemeFilterSet

    @classmethod
    def build_queryset(cls):
        return (
            Theme.objects.public().annotate(**rows.theme_rows()).order_by("position", "name", "pk")
        )


class PlaceViewSet(CatalogReadOnlyViewSet):
    """Provinces, cities, counties and sites that works show or were filmed in."""

    serializer_class = PlaceSerializer
    csv_serializer_class = PlaceCSVSerializer
    filterset_class = PlaceFilterSet

    @classmethod
    def build_queryset(cls):
        return (
            Place.objects.public()
            .select_related("parent")
            .annotate(source_rows=rows.source_rows(Place))
            .order_by("name", "pk")
        )


class OrganisationViewSet(CatalogReadOnlyViewSet):
    """Regulators, broadcasters, platforms, producers, brands and associations."""

    serializer_class = OrganisationSerializer
    csv_serializer_class = OrganisationCSVSerializer
    filterset_class = OrganisationFilterSet

    @classmethod
    def build_queryset(cls):
        return (
            Organisation.objects.public()
            .select_related("parent", "place")
            .annotate(source_rows=rows.source_rows(Organisation))
            .order_by("name", "pk")
        )


class InitiativeViewSet(CatalogReadOnlyViewSet):
    """Creation plans and programmes, with the organisations behind them and their
    published batches."""

    serializer_class = InitiativeSerializer
    csv_serializer_class = InitiativeCSVSerializer
    filterset_class = InitiativeFilterSet

    @classmethod
    def build_queryset(cls):
        return (
            Initiative.objects.public()
            .select_related("parent", "place")
            .annotate(**rows.initiative_rows())
            .order_by("name", "pk")
        )


class BatchViewSet(CatalogReadOnlyViewSet):
    """Published batches: the number of works announced in all and per theme, next to the
    number the catalog lists. The works themselves: `/api/v1/works/?batch=<slug>`."""

    serializer_class = BatchSerializer
    csv_serializer_class = BatchCSVSerializer
    filterset_class = BatchFilterSet

    @classmethod
    def build_queryset(cls):
        return (
            Batch.objects.public()
            .with_counts()
            .select_related("initiative", "total_source", "running_total_source")
            .annotate(source_rows=rows.source_rows(Batch))
            .prefetch_related(
                Prefetch("theme_counts", queryset=BatchThemeCount.objects.select_related("theme")),
                # Only what the per-theme listed counts need: ids, and the theme.
                Prefetch(
                    "recommendations",
                    queryset=Recommendation.objects.select_related("theme").only(
                        "id", "batch_id", "theme_id", *(f"theme__{f}" for f in TALLY_THEME)
                    ),
                ),
            )
            .order_by("initiative__name", "number", "pk")
        )


class FigureViewSet(CatalogReadOnlyViewSet):
    """Statistics the sources quote (users, market size, works per province...), each with
    who said it, their position, the period and the source's own words."""

    serializer_class = FigureSerializer
    csv_serializer_class = FigureCSVSerializer
    filterset_class = FigureFilterSet

    @classmethod
    def build_queryset(cls):
        return (
            Figure.objects.public()
            .select_related("place", "initiative", "source")
            .order_by(*Figure._meta.ordering, "pk")
        )
