"""Public pages for the home page, initiatives and batches. Only published batches appear."""

from django.db.models import OuterRef, Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from catalog.models import name_or_original
from core.models import SubqueryCount
from initiatives.models import (
    Batch,
    BatchThemeCount,
    Figure,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
    newest_batch_first,
)
from public import charts

from .catalog import group_by_role, public_work_count, themes_with_counts
from .preview import PreviewMixin, previewable
from .sharing import share_image_url


def batches_with_counts(batches=None):
    """Published batches (or the ones given), by number, with their listed and announced
    counts and the sources that state them."""
    return (
        (Batch.objects.public() if batches is None else batches)
        .with_counts()
        .select_related("total_source", "running_total_source")
        .order_by("number")
    )


def theme_counts(lookup):
    """A batch's per-theme counts with their themes, for the pages that show them."""
    return Prefetch(lookup, queryset=BatchThemeCount.objects.select_related("theme"))


# How many of an initiative's batches its card shows (home page, initiative list), and its
# own page: the newest, with the count of all and a way to the rest. An initiative of 2,012
# batches made a home page of 3.7 MB (2.2 s) and its own page of 2.1 MB.
BATCHES_ON_CARDS = 5
BATCHES_ON_PAGE = 50


def initiatives_with_batches(shown: int):
    """Public initiatives, each with its newest `shown` published batches, newest first, as
    `shown_batches`, and the number of all of them as `batch_count`."""
    published = Batch.objects.public().filter(initiative=OuterRef("pk"))
    return (
        Initiative.objects.public()
        .annotate(batch_count=SubqueryCount(published))
        .prefetch_related(
            Prefetch(
                "batches",
                queryset=batches_with_counts().order_by("-number")[:shown],
                to_attr="shown_batches",
            ),
        )
    )


def split_by_batches(initiatives) -> tuple[list, list]:
    """(initiatives with a published batch, the others): pages show the first as cards and
    the others as a short list, rather than a card saying "No published batch yet" each."""
    listed, waiting = [], []
    for initiative in initiatives:
        (listed if initiative.shown_batches else waiting).append(initiative)
    return listed, waiting


class HomeView(TemplateView):
    """What the catalog is; the initiatives with their published batches and per-theme
    counts; the themes with their work counts; the latest batch; quoted figures."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["initiatives"], context["waiting_initiatives"] = split_by_batches(
            initiatives_with_batches(BATCHES_ON_CARDS).prefetch_related(
                theme_counts("shown_batches__theme_counts")
            )
        )
        context["themes"] = themes_with_counts()
        context["latest_batch"] = (
            batches_with_counts()
            .select_related("initiative")
            .order_by(*newest_batch_first())
            .first()
        )
        context["figures"] = Figure.objects.public().select_related("source")[:4]
        context["work_count"] = public_work_count()
        return context


class InitiativeListView(ListView):
    def get_queryset(self):
        return initiatives_with_batches(BATCHES_ON_CARDS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["initiatives"], context["waiting_initiatives"] = split_by_batches(
            context["object_list"]
        )
        return context


class InitiativeDetailView(DetailView):
    """Who guides and runs an initiative, when it started, its themes and batches."""

    def get_queryset(self):
        return (
            initiatives_with_batches(BATCHES_ON_PAGE)
            .select_related("parent", "place")
            .prefetch_related(
                "themes",
                "sources",
                Prefetch("parts", queryset=Initiative.objects.public()),
                Prefetch(
                    "organisation_links",
                    queryset=InitiativeOrganisation.objects.select_related(
                        "organisation", "source"
                    ),
                ),
                Prefetch("figures", queryset=Figure.objects.public().select_related("source")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisation_roles"] = group_by_role(
            self.object.organisation_links.all(), InitiativeOrganisation.Role
        )
        # The newest batches, shown in their order (running totals read downwards).
        batches = sorted(self.object.shown_batches, key=lambda batch: batch.number)
        context["batches"] = batches
        if batches:
            context["chart"] = charts.initiative_chart(batches)
        return context


class BatchDetailView(PreviewMixin, DetailView):
    """A published batch: its date and event, announced against listed works per theme,
    and the listed works grouped by theme (those the source gives no theme for last). An
    editor who may view batches previews a draft batch here, with a banner."""

    def get_object(self, queryset=None):
        listings = Recommendation.objects.select_related("work", "theme", "source").order_by(
            name_or_original("work__title", "work__title_original")
        )
        return get_object_or_404(
            batches_with_counts(previewable(self.request, Batch.objects.public()))
            .select_related("initiative")
            .prefetch_related(
                "sources",
                theme_counts("theme_counts"),
                Prefetch("recommendations", queryset=listings),
            ),
            initiative__slug=self.kwargs["slug"],
            number=self.kwargs["number"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tally"] = tally = self.object.tally()
        if tally.themes or tally.without_theme:
            context["chart"] = charts.batch_chart(tally)
        context["share_image"] = share_image_url(self.object)
        return context
