"""Read-only API endpoints for initiatives and batches. Draft batches never appear."""

from django.db.models import Prefetch

from catalog.api.viewsets import CatalogReadOnlyViewSet
from initiatives.filters import BatchFilterSet, InitiativeFilterSet
from initiatives.models import (
    Batch,
    BatchThemeCount,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
)

from .serializers import BatchSerializer, InitiativeSerializer


class InitiativeViewSet(CatalogReadOnlyViewSet):
    """Creation plans and programmes, with the organisations behind them and their
    published batches."""

    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilterSet
    csv_columns = {
        "id": lambda i: i["id"],
        "slug": lambda i: i["slug"],
        "name": lambda i: i["name"],
        "name_original": lambda i: i["name_original"],
        "kind": lambda i: i["kind"],
        "launched_on": lambda i: i["launched_on"],
        "themes": lambda i: [t["slug"] for t in i["themes"]],
        "organisations": lambda i: [f"{o['slug']} ({o['role']})" for o in i["organisations"]],
        "batches": lambda i: [b["slug"] for b in i["batches"]],
        "url": lambda i: i["url"],
        "updated_at": lambda i: i["updated_at"],
    }

    def get_queryset(self):
        return (
            Initiative.objects.select_related("parent", "place")
            .prefetch_related(
                "themes",
                Prefetch(
                    "organisation_links",
                    queryset=InitiativeOrganisation.objects.select_related("organisation"),
                ),
                Prefetch(
                    "batches",
                    queryset=Batch.objects.published().order_by("number"),
                    to_attr="published_batches",
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
        "id": lambda b: b["id"],
        "slug": lambda b: b["slug"],
        "initiative": lambda b: b["initiative"]["slug"],
        "number": lambda b: b["number"],
        "announced_on": lambda b: b["announced_on"],
        "event": lambda b: b["event"],
        "total_announced": lambda b: b["total_announced"],
        "announced_by_theme": lambda b: b["announced_by_theme"],
        "listed_count": lambda b: b["listed_count"],
        "themes": lambda b: [
            f"{t['slug']} ({t['announced'] if t['announced'] is not None else '?'}"
            f" announced, {t['listed']} listed)"
            for t in b["themes"]
        ],
        "url": lambda b: b["url"],
        "updated_at": lambda b: b["updated_at"],
    }

    def get_queryset(self):
        return (
            Batch.objects.published()
            .with_counts()
            .select_related("initiative")
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
