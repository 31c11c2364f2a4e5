"""Public pages for the home page, initiatives and batches. Only published batches appear."""

from collections import defaultdict

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from catalog.models import Work
from initiatives.models import (
    Batch,
    BatchThemeCount,
    Figure,
    Initiative,
    InitiativeOrganisation,
    newest_batch_first,
)

from .catalog import public_recommendations, themes_with_counts


def published_batches():
    """Published batches with their counts."""
    return Batch.objects.published().with_counts().order_by("number")


def theme_counts(lookup):
    """A batch's per-theme counts with their themes, for the pages that show them."""
    return Prefetch(lookup, queryset=BatchThemeCount.objects.select_related("theme"))


def initiatives_with_batches():
    return Initiative.objects.prefetch_related(
        Prefetch("batches", queryset=published_batches()),
    )


class HomeView(TemplateView):
    """What the catalog is; the initiatives with their published batches and per-theme
    counts; the themes with their work counts; the latest batch; quoted figures."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["initiatives"] = initiatives_with_batches().prefetch_related(
            theme_counts("batches__theme_counts")
        )
        context["themes"] = themes_with_counts()
        context["latest_batch"] = (
            published_batches().select_related("initiative").order_by(*newest_batch_first()).first()
        )
        context["figures"] = Figure.objects.select_related("source")[:4]
        context["work_count"] = Work.objects.published().count()
        return context


class InitiativeListView(ListView):
    def get_queryset(self):
        return initiatives_with_batches()


class InitiativeDetailView(DetailView):
    """Who guides and runs an initiative, when it started, its themes and batches."""

    def get_queryset(self):
        return (
            initiatives_with_batches()
            .select_related("parent", "place")
            .prefetch_related(
                "themes",
                "sources",
                "parts",
                Prefetch(
                    "organisation_links",
                    queryset=InitiativeOrganisation.objects.select_related(
                        "organisation", "source"
                    ),
                ),
                Prefetch("figures", queryset=Figure.objects.select_related("source")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grouped = defaultdict(list)
        for link in self.object.organisation_links.all():
            grouped[link.role].append(link)
        context["organisation_roles"] = [
            (label, grouped[value])
            for value, label in InitiativeOrganisation.Role.choices
            if grouped[value]
        ]
        return context


class BatchDetailView(DetailView):
    """A published batch: its date and event, announced against listed works per theme,
    and the listed works grouped by theme (those the source gives no theme for last)."""

    def get_object(self, queryset=None):
        return get_object_or_404(
            published_batches()
            .select_related("initiative")
            .prefetch_related("sources", theme_counts("theme_counts")),
            initiative__slug=self.kwargs["slug"],
            number=self.kwargs["number"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.object
        recommendations = list(
            public_recommendations()
            .filter(batch=batch)
            .select_related("work")
            .order_by("theme__position", "theme__name", "work__title")
        )
        # One row per theme the batch announced or listed works under.
        rows = {}
        for count in batch.theme_counts.all():
            rows[count.theme.pk] = {"theme": count.theme, "announced": count.announced, "works": []}
        for rec in recommendations:
            if rec.theme is None:
                continue
            row = rows.setdefault(
                rec.theme.pk, {"theme": rec.theme, "announced": None, "works": []}
            )
            row["works"].append(rec)
        context["theme_rows"] = sorted(
            rows.values(), key=lambda r: (r["theme"].position, r["theme"].name)
        )
        context["no_theme"] = [rec for rec in recommendations if rec.theme is None]
        context["listed_total"] = len(recommendations)
        return context
