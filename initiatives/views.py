"""Public pages for initiatives, batches and sources."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from .models import Batch, BatchThemeCount, Initiative, Source


def published_batches():
    """Published batches with their counts, their per-theme counts prefetched."""
    return (
        Batch.objects.published()
        .with_counts()
        .prefetch_related(
            Prefetch("theme_counts", queryset=BatchThemeCount.objects.select_related("theme"))
        )
        .order_by("number")
    )


class HomeView(TemplateView):
    """The initiatives with their published batches and per-theme counts."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["initiatives"] = Initiative.objects.prefetch_related(
            Prefetch("batches", queryset=published_batches())
        )
        return context


class InitiativeListView(ListView):
    model = Initiative


class InitiativeDetailView(DetailView):
    def get_queryset(self):
        return Initiative.objects.prefetch_related(
            Prefetch("batches", queryset=published_batches())
        )


class BatchDetailView(DetailView):
    def get_object(self, queryset=None):
        return get_object_or_404(
            published_batches().select_related("initiative"),
            initiative__slug=self.kwargs["slug"],
            number=self.kwargs["number"],
        )


class SourceDetailView(DetailView):
    model = Source
