"""Read-only API endpoints for initiatives and batches. Draft batches never appear."""

from django.db.models import Prefetch

from catalog.api.viewsets import COPY, CatalogReadOnlyViewSet
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
        "id": COPY,
        "slug": COPY,
        "initiative": lambda b: b["initiative"]["slug"],
        "number": COPY,
        "announced_on": COPY,
        "event": COPY,
        "total_announced": COPY,
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
