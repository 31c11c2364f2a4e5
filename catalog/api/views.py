"""Read-only API endpoints for works, themes, places and organisations."""

from django.db.models import Prefetch

from catalog.filters import OrganisationFilterSet, PlaceFilterSet, ThemeFilterSet, WorkFilterSet
from catalog.models import Organisation, Place, Theme, Work, WorkOrganisation, WorkPlace
from initiatives.models import Batch, Recommendation

from .serializers import (
    OrganisationSerializer,
    PlaceSerializer,
    ThemeSerializer,
    WorkSerializer,
)
from .viewsets import COPY, CatalogReadOnlyViewSet


def slugs(items):
    return [item["slug"] for item in items or []]


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
            Recommendation.objects.filter(batch__status=Batch.Status.PUBLISHED)
            .select_related("batch__initiative", "theme")
            .order_by("batch__announced_on", "batch__initiative__name", "batch__number")
        )
        return (
            Work.objects.published()
            .prefetch_related(
                "themes",
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
        return Theme.objects.prefetch_related("initiatives", "sources").order_by(
            "position", "name", "pk"
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
        "parent": lambda p: (p["parent"] or {}).get("slug"),
        "latitude": COPY,
        "longitude": COPY,
        "url": COPY,
        "updated_at": COPY,
    }

    def get_queryset(self):
        return (
            Place.objects.select_related("parent")
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
            Organisation.objects.select_related("parent", "place")
            .prefetch_related("sources")
            .order_by("name", "pk")
        )
