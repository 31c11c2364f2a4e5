"""Read-only API endpoints: works, themes, places, organisations, initiatives, batches."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions

from catalog.models import Organisation, Place, Theme, Work, WorkOrganisation, WorkPlace, WorkTitle
from core.api.viewsets import COPY, CatalogReadOnlyViewSet
from initiatives.models import (
    Batch,
    BatchThemeCount,
    Figure,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
)
from public.facets import FACETS, facet_values, parse_facets
from public.filters import (
    BatchFilterSet,
    FigureFilterSet,
    InitiativeFilterSet,
    OrganisationFilterSet,
    PlaceFilterSet,
    ThemeFilterSet,
    WorkFilterSet,
)

from .serializers import (
    BatchSerializer,
    FigureSerializer,
    InitiativeSerializer,
    OrganisationSerializer,
    PlaceSerializer,
    ThemeSerializer,
    WorkSerializer,
)


def slugs(items):
    return [item["slug"] for item in items or []]


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
    "facet counts without its own filter (`theme=a&facets=theme` counts every theme).",
)


class WorkViewSet(CatalogReadOnlyViewSet):
    """Micro-dramas in the catalog: those listed in a published batch, and those a source
    names outside any list. A work listed only in a draft batch is not shown.

    Filters combine with AND; several values of one filter (`theme=a&theme=b`) mean any of
    them. `format=csv` streams every matching work as CSV."""

    serializer_class = WorkSerializer
    filterset_class = WorkFilterSet
    csv_columns = {
        "id": COPY,
        "slug": COPY,
        "title": COPY,
        "title_original": COPY,
        "season": COPY,
        "episodes": COPY,
        "episode_minutes": COPY,
        "year": COPY,
        "themes": lambda w: slugs(w["themes"]),
        "places": lambda w: [f"{p['slug']} ({p['relation']})" for p in w["places"]],
        "organisations": lambda w: [f"{o['slug']} ({o['role']})" for o in w["organisations"]],
        "batches": lambda w: [r["batch"]["slug"] for r in w["recommendations"]],
        "url": COPY,
        "updated_at": COPY,
    }

    def get_queryset(self):
        recommendations = (
            Recommendation.objects.public()
            .select_related("batch__initiative", "theme")
            .order_by("batch__announced_on", "batch__initiative__name", "batch__number")
        )
        return (
            Work.objects.public()
            .prefetch_related(
                "themes",
                Prefetch("titles", queryset=WorkTitle.objects.select_related("source")),
                Prefetch("place_links", queryset=WorkPlace.objects.select_related("place")),
                Prefetch(
                    "organisation_links",
                    queryset=WorkOrganisation.objects.select_related("organisation"),
                ),
                Prefetch(
                    "recommendations",
                    queryset=recommendations,
                    to_attr="published_recommendations",
                ),
                "sources",
            )
            .order_by(*Work._meta.ordering, "pk")
        )

    @extend_schema(parameters=[FACETS_PARAMETER])
    def list(self, request, *args, **kwargs):
        names, unknown = parse_facets(request.query_params.getlist("facets"))
        if unknown:
            raise exceptions.ValidationError(
                {
                    "facets": [
                        f"Unknown facet {', '.join(unknown)}; choose from {', '.join(FACETS)}."
                    ]
                }
            )
        response = super().list(request, *args, **kwargs)
        data = getattr(response, "data", None)  # a CSV stream has none: no facets there
        if names and response.status_code == 200 and isinstance(data, dict):
            filterset = self.filterset_class(
                data=request.query_params, queryset=Work.objects.public(), request=request
            )
            filterset.is_valid()  # valid: the list above would have answered 400
            values = facet_values(filterset, names)
            data["facets"] = {name: [facet_json(value) for value in values[name]] for name in names}
        return response


class ThemeViewSet(CatalogReadOnlyViewSet):
    """Themes under which works are recommended, in the order lists show them."""

    serializer_class = ThemeSerializer
    filterset_class = ThemeFilterSet
    csv_columns = {
        "id": COPY,
        "slug": COPY,
        "name": COPY,
        "name_original": COPY,
        "position": COPY,
        "initiatives": lambda t: slugs(t["initiatives"]),
        "url": COPY,
        "updated_at": COPY,
    }

    def get_queryset(self):
        return (
            Theme.objects.public()
            .prefetch_related(
                Prefetch("initiatives", queryset=Initiative.objects.public()), "sources"
            )
            .order_by("position", "name", "pk")
        )


class PlaceViewSet(CatalogReadOnlyViewSet):
    """Provinces, cities, counties and sites that works show or were filmed in."""

    serializer_class = PlaceSerializer
    filterset_class = PlaceFilterSet
    csv_columns = {
        "id": COPY,
        "slug": COPY,
        "name": COPY,
        "name_original": COPY,
        "kind": COPY,
        "code": COPY,
        "parent": lambda p: (p["parent"] or {}).get("slug"),
        "latitude": COPY,
        "longitude": COPY,
        "coordinates_basis": COPY,
        "url": COPY,
        "updated_at": COPY,
    }

    def get_queryset(self):
        return (
            Place.objects.public()
            .select_related("parent")
            .prefetch_related("sources")
            .order_by("name", "pk")
        )


class OrganisationViewSet(CatalogReadOnlyViewSet):
    """Regulators, broadcasters, platforms, producers, brands and associations."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    csv_columns = {
        "id": COPY,
        "slug": COPY,
        "name": COPY,
        "name_original": COPY,
        "kind": COPY,
        "parent": lambda o: (o["parent"] or {}).get("slug"),
        "place": lambda o: (o["place"] or {}).get("slug"),
        "website": COPY,
        "url": COPY,
        "updated_at": COPY,
    }

    def get_queryset(self):
        return (
            Organisation.objects.public()
            .select_related("parent", "place")
            .prefetch_related("sources")
            .order_by("name", "pk")
        )


class InitiativeViewSet(CatalogReadOnlyViewSet):
    """Creation plans and programmes, with the organisations behind them and their
    published batches."""

    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilterSet
    csv_columns = {
        "id": COPY,
        "slug": COPY,
        "name": COPY,
        "name_original": COPY,
        "kind": COPY,
        "launched_on": COPY,
        "themes": lambda i: [t["slug"] for t in i["themes"]],
        "organisations": lambda i: [f"{o['slug']} ({o['role']})" for o in i["organisations"]],
        "batches": lambda i: [b["slug"] for b in i["batches"]],
        "url": COPY,
        "updated_at": COPY,
    }

    def get_queryset(self):
        return (
            Initiative.objects.public()
            .select_related("parent", "place")
            .prefetch_related(
                "themes",
                Prefetch(
                    "organisation_links",
                    queryset=InitiativeOrganisation.objects.select_related("organisation"),
                ),
                Prefetch(
                    "batches",
                    queryset=Batch.objects.public().order_by("number"),
                    to_attr="public_batches",
                ),
                "sources",
            )
            .order_by("name", "pk")
        )


class BatchViewSet(CatalogReadOnlyViewSet):
    """Published batches: the number of works announced in all and per theme, next to the
    number the catalog lists. The works themselves: `/api/v1/works/?batch=<slug>`."""

    serializer_class = BatchSerializer
    filterset_class = BatchFilterSet
    csv_columns = {
        "id": COPY,
        "slug": COPY,
        "initiative": lambda b: b["initiative"]["slug"],
        "number": COPY,
        "announced_on": COPY,
        "event": COPY,
        "total_announced": COPY,
        "total_basis": COPY,
        "total_arithmetic": COPY,
        "running_total": COPY,
        "running_total_basis": COPY,
        "running_total_arithmetic": COPY,
        "announced_by_theme": COPY,
        "listed_count": COPY,
        "themes": lambda b: [
            f"{t['slug']} ({t['announced'] if t['announced'] is not None else '?'}"
            f" announced, {t['listed']} listed)"
            for t in b["themes"]
        ],
        "url": COPY,
        "updated_at": COPY,
    }

    def get_queryset(self):
        return (
            Batch.objects.public()
            .with_counts()
            .select_related("initiative", "total_source", "running_total_source")
            .prefetch_related(
                Prefetch("theme_counts", queryset=BatchThemeCount.objects.select_related("theme")),
                # Only what the per-theme listed counts need: ids, and each theme once.
                Prefetch(
                    "recommendations",
                    queryset=Recommendation.objects.only("id", "batch_id", "theme_id"),
                ),
                "recommendations__theme",
                "sources",
            )
            .order_by("initiative__name", "number", "pk")
        )


class FigureViewSet(CatalogReadOnlyViewSet):
    """Statistics the sources quote (users, market size, works per province...), each with
    who said it, their position, the period and the source's own words."""

    serializer_class = FigureSerializer
    filterset_class = FigureFilterSet
    csv_columns = {
        "id": COPY,
        "slug": COPY,
        "label": COPY,
        "value": COPY,
        "qualifier": COPY,
        "unit": COPY,
        "display": COPY,
        "period": COPY,
        "attributed_to": COPY,
        "speaker_position": COPY,
        "place": lambda f: (f["place"] or {}).get("slug"),
        "initiative": lambda f: (f["initiative"] or {}).get("slug"),
        "source": lambda f: f["source"]["slug"],
        "updated_at": COPY,
    }

    def get_queryset(self):
        return (
            Figure.objects.public()
            .select_related("place", "initiative", "source")
            .order_by(*Figure._meta.ordering, "pk")
        )
