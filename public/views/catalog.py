"""Public pages of the catalog: themes, works, places, organisations, sources and search.

Every page shows only what the public may see: every record through its model's `.public()`
(the stored state only publishing sets), recommendations and counts of published batches.
Each queryset prefetches what its template shows, so a page's query count does not grow with
the number of rows on it.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from catalog.models import (
    Organisation,
    Place,
    Source,
    Theme,
    Work,
    WorkOrganisation,
    WorkPlace,
    WorkTitle,
)
from core.caching import per_public_version
from core.models import JSONRows, SubqueryCount
from core.pagination import (
    CappedPaginator,
    KeptCountPaginator,
    PageBeyondBound,
    list_counted_as,
)
from core.search import MAX_QUERY_LENGTH, normalise_query
from initiatives.models import (
    Batch,
    BatchThemeCount,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
    ThemeWork,
    newest_batch_first,
)
from public import charts, facets, maps
from public.api.rows import NAMES, related
from public.facets import facet_counts, place_counts
from public.filters import WorkFilterSet, in_themes, placed_in
from public.structured_data import work_json_ld
from public.views.sharing import share_image_url

from .preview import PreviewMixin, previewable

WORKS_PER_PAGE = 24
# A theme's page shows its newest batches, with a link to all of them as data: a theme
# listed by 2,000 batches made a page of 1.4 MB.
THEME_BATCHES_SHOWN = 50
# The works page's organisation and batch filters offer at most this many choices: those
# with the most works in the list shown (or, when it was not counted, in the catalog), and
# the chosen ones. All 5,065 organisations and 2,012 batches of the 1M-work catalog made a
# page of 833 KB. Any public record's slug is still taken (a link from its own page).
FILTER_OPTIONS = 100
BOUNDED_FILTERS = ("organisation", "batch")
ORGANISATIONS_PER_PAGE = 100
# Organisations a place's page names; the organisations' list (`?place=`) has the rest.
PLACE_ORGANISATIONS = 24


#
# Shared querysets
#


def public_recommendations():
    """Recommendations in published batches, with what a page shows about them."""
    return Recommendation.objects.public().select_related("batch__initiative", "theme")


def work_cards(queryset):
    """Works with what a work card shows: its themes, the published batches listing it
    (newest first) and its places, as JSON columns of the list's own query
    (core.models.JSONRows, as the API's lists read them). A page of cards costs its rows'
    query, where three prefetches cost three more. `with_cards()` makes the records the
    card's template reads."""
    work = OuterRef("pk")
    return queryset.annotate(
        card_theme_rows=JSONRows(Theme.objects.filter(works=work), **related("", NAMES)),
        card_batch_rows=JSONRows(
            Recommendation.objects.public()
            .filter(work=work)
            .order_by(*newest_batch_first("batch__")),
            number="batch__number",
            **related("batch__initiative__", NAMES),
        ),
        card_place_rows=JSONRows(
            WorkPlace.objects.filter(work=work).order_by("place__name"),
            **related("place__", NAMES),
        ),
    )


def with_cards(works) -> list[Work]:
    """The works of a page read through work_cards(), each given what its card shows, as
    records (unsaved: only their names and addresses are read): `card_themes`,
    `card_batches` (each with its initiative) and `card_places`."""
    works = list(works)
    for work in works:
        work.card_themes = [Theme(**row) for row in work.card_theme_rows]
        work.card_batches = [
            Batch(
                number=row["number"],
                initiative=Initiative(**{name: row[name] for name in NAMES}),
            )
            for row in work.card_batch_rows
        ]
        work.card_places = [Place(**row) for row in work.card_place_rows]
    return works


def themes_with_counts() -> list[Theme]:
    """Public themes, each with how many public works are in it (tagged or listed): the
    stored ThemeWork rows hold public works only, so the count is theirs (an index range).
    Read once per public-state version: 59 ms for the 1M-work catalog's themes."""
    works = ThemeWork.objects.filter(theme=OuterRef("pk"))
    return per_public_version(
        "themes-with-counts",
        lambda: list(Theme.objects.public().annotate(work_count=SubqueryCount(works))),
        in_process=True,
    )


def public_work_count() -> int:
    """How many works are public, exactly: once per public-state version (23 ms at 1M)."""
    return per_public_version("public-work-count", Work.objects.public().count, in_process=True)


#
# Themes
#


class ThemeListView(ListView):
    """Every theme with its number of public works."""

    template_name = "catalog/theme_list.html"

    def get_queryset(self):
        return themes_with_counts()


class BoundedPagesMixin:
    """Lists counted up to core.pagination's bound: a page number past the last numbered
    page sends the visitor to that last page (same filters), rather than reading the
    rows before it."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PageBeyondBound as beyond:
            query = request.GET.copy()
            query["page"] = beyond.last
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")


@dataclass(frozen=True)
class ThemeFigures:
    """A batch's figures for one theme: the works it announced under it (None: the source
    does not say) and the listings the catalog holds under it (the row of Batch.tally)."""

    announced: int | None
    listed: int


class ThemeDetailView(BoundedPagesMixin, DetailView):
    """A theme's works across initiatives and batches, and what each batch announced."""

    def get_queryset(self):
        return Theme.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme = self.object
        context["batch_count"], tallies, context["initiatives"] = theme_figures(theme)
        # With each batch, the theme's share of what the batch announced (the chart's bars).
        context["batch_tallies"] = [
            (batch, row, charts.theme_share(batch, row)) for batch, row in tallies
        ]
        if tallies:
            context["chart"] = charts.theme_chart(tallies)
        works = work_cards(in_themes(Work.objects.public(), theme=theme))
        paginate(self.request, context, works, counted_as=f"theme-work-count:{theme.pk}")
        return context


def theme_figures(theme) -> tuple[int, list[tuple[Batch, ThemeFigures]], list[Initiative]]:
    """(how many published batches list the theme, the THEME_BATCHES_SHOWN newest of them
    with their figures for it, its public initiatives): the same on every page of the
    theme, read once per theme and public-state version (three queries on each page)."""

    def read():
        counted = BatchThemeCount.objects.filter(batch=OuterRef("pk"), theme=theme)
        listed = Recommendation.objects.filter(batch=OuterRef("pk"), theme=theme)
        # Each batch's figures for this theme, counted by the database: loading the
        # batches' listings to count them (Batch.tally) read every listing under the
        # theme, 104,560 of them at 1M works (8 s a page).
        theme_batches = Batch.objects.public().filter(Exists(counted) | Exists(listed))
        batches = (
            theme_batches.with_counts()
            .select_related("initiative")
            .annotate(
                theme_announced=Subquery(counted.values("announced")[:1]),
                theme_listed=SubqueryCount(listed),
            )
            .order_by(*newest_batch_first(), "initiative__name")
        )
        tallies = [
            (batch, ThemeFigures(batch.theme_announced, batch.theme_listed))
            for batch in batches[:THEME_BATCHES_SHOWN]
        ]
        return theme_batches.count(), tallies, list(theme.initiatives.public())

    return per_public_version(f"theme-figures:{theme.pk}", read, in_process=True)


def paginate(request, context, queryset, per_page=None, counted_as=None):
    """Put a page of `queryset` into the context; an unknown or malformed page is a 404,
    one past the counting bound raises PageBeyondBound (BoundedPagesMixin redirects).
    `counted_as`: the name its count is kept under (KeptCountPaginator)."""
    per_page = per_page or WORKS_PER_PAGE
    paginator_class = (
        partial(KeptCountPaginator, counted_as=counted_as) if counted_as else CappedPaginator
    )
    view = ListView(
        request=request, kwargs={}, paginate_by=per_page, paginator_class=paginator_class
    )
    paginator, page, object_list, is_paginated = view.paginate_queryset(queryset, per_page)
    page.object_list = with_cards(object_list)
    context.update(
        paginator=paginator, page_obj=page, works=page.object_list, is_paginated=is_paginated
    )


#
# Works
#


class WorkListView(BoundedPagesMixin, FilterView):
    """Every public work, filtered through the FilterSet the API uses; the page renders that
    FilterSet's form, so labels, choices and limits are defined once. An invalid filter value
    (unknown slug, malformed year) shows the reason and no works, with 400; a malformed sort
    order falls back to the default order."""

    filterset_class = WorkFilterSet
    template_name = "catalog/work_list.html"
    context_object_name = "works"
    paginate_by = WORKS_PER_PAGE
    # The filters the page's form offers; the API takes the rest too (ids, roles, sync).
    form_fields = ["q", "theme", "initiative", "batch", "place", "organisation", "year", "ordering"]
    # The choices that show their counts (public/facets.py).
    facet_fields = ["theme", "initiative", "batch", "place", "organisation"]

    def get_queryset(self):
        return work_cards(Work.objects.public())

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        if (
            filterset.is_bound
            and not filterset.is_valid()
            and set(filterset.errors) == {"ordering"}
        ):
            data = filterset.data.copy()
            del data["ordering"]
            filterset = filterset_class(
                data=data, request=self.request, queryset=filterset.queryset
            )
        return filterset

    def get_paginator(self, queryset, per_page, **kwargs):
        """The list's count is kept per filter and public state (KeptCountPaginator), the
        API's too: the works page counted the whole catalog, or a theme's 25,000 works, to
        the bound on each of its pages."""
        if self.filterset.is_bound and not self.filterset.is_valid():
            return CappedPaginator(queryset, per_page, **kwargs)
        counted_as = list_counted_as(facets.WORKS_COUNTED_AS, self.filterset)
        return KeptCountPaginator(queryset, per_page, counted_as=counted_as, **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        page.object_list = context["works"] = context["object_list"] = with_cards(page.object_list)
        form = self.filterset.form
        context["filterset"] = self.filterset
        context["form_fields"] = [form[name] for name in self.form_fields]
        if self.filterset.is_bound and not self.filterset.is_valid():
            context["filter_errors"] = [
                (form.fields[name].label if name in form.fields else name, error)
                for name, errors in form.errors.items()
                for error in errors
            ]
        context["active_filters"] = active_filters(self.filterset, self.request, self.form_fields)
        counts = {}
        if not self.filterset.is_bound or self.filterset.is_valid():
            # Each option says how many works it would leave; none disables it.
            counts = facet_counts(self.filterset, self.facet_fields, context["paginator"])
            for name, by_key in counts.items():
                form.fields[name].widget.counts = by_key
            # Facets over more than FACET_BOUND works are not counted (public/facets.py).
            context["facets_not_counted"] = [
                form.fields[name].label for name in self.facet_fields if name not in counts
            ]
            context["facet_bound"] = facets.FACET_BOUND
        # Bounded on a page that reports a bad filter value too (its form is shown again).
        context["options_bounded"] = [
            form.fields[name].label
            for name in BOUNDED_FILTERS
            if bound_options(form, name, counts.get(name))
        ]
        context["filter_options"] = FILTER_OPTIONS
        for name in self.facet_fields:
            if name not in BOUNDED_FILTERS:
                catalog_choices(form, name)

        # The place filter's map: each place links to this list, its other filters kept,
        # filtered by that place instead.
        works_url = reverse("catalog:work_list")
        kept = self.request.GET.copy()
        for name in ("place", "page"):
            kept.pop(name, None)

        def by_place(place):
            query = kept.copy()
            query["place"] = place.slug
            return f"{works_url}?{query.urlencode()}"

        context["map_data"] = maps.map_data(places_with_work_counts(), link=by_place)
        return context


def bound_options(form, name, counts: dict[str, int] | None) -> bool:
    """Offer at most FILTER_OPTIONS choices in filter `name` (in the field's own order): the
    values with the most works in the list (`counts`) or, when it was not counted, in the
    whole catalog, and the chosen ones. Whether it left choices out."""
    catalog = catalog_counts(name)
    if len(catalog) <= FILTER_OPTIONS:  # the list's values are among the catalog's
        catalog_choices(form, name)
        return False
    field = form.fields[name]
    cleaned = getattr(form, "cleaned_data", {})  # an unbound form (no filter) has none
    chosen = {str(field.prepare_value(record)) for record in cleaned.get(name) or []}

    def offered(by_key):
        top = sorted((key for key, n in by_key.items() if n), key=lambda key: (-by_key[key], key))
        return choices(field, field.queryset.filter(slug__in={*top[:FILTER_OPTIONS], *chosen}))

    if counts is None and not chosen:
        # The catalog's own top values: the same on every such page, read once per
        # public-state version and language.
        field.widget.choices = per_public_version(
            f"filter-top-choices:{name}:{get_language()}",
            lambda: offered(catalog),
            in_process=True,
        )
    else:
        field.widget.choices = offered(catalog if counts is None else counts)
    return True


def choices(field, records) -> list[tuple[str, str]]:
    """A choice field's options for `records`, as its widget renders them: (value, label)."""
    return [
        (str(field.prepare_value(record)), field.label_from_instance(record)) for record in records
    ]


def catalog_choices(form, name) -> None:
    """Offer every public value of filter `name`, in the field's order, named in the page's
    language: read once per public-state version (each was a query on every page)."""
    field = form.fields[name]
    field.widget.choices = per_public_version(
        f"filter-choices:{name}:{get_language()}",
        lambda: choices(field, field.queryset),
        in_process=True,
    )


def catalog_counts(name: str) -> dict[str, int]:
    """The whole catalog's works per value of facet `name` (public.facets), computed once
    per public-state version (1.9 s for the organisations at 1M works)."""
    counter, _model = facets.COUNTERS[name]
    return per_public_version(
        f"catalog-counts:{name}",
        lambda: counter(Work.objects.public().order_by()),
        in_process=True,
    )


def warm_catalog_figures() -> None:
    """What the works, places, themes and home pages read over the whole catalog once per
    public-state version: computed once a publication commits (core.caching.
    warmed_after_publication), not by the first visitor after it (4 s at 1M works). The
    filters' options too, in each language, as an unfiltered works page offers them. A
    place's or a theme's own figures are left to the first visit of its page."""
    for name in BOUNDED_FILTERS:
        catalog_counts(name)
    places_with_work_counts()
    facets.the_catalog()
    themes_with_counts()
    public_work_count()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            form = WorkFilterSet(queryset=Work.objects.none()).form
            for name in WorkListView.facet_fields:
                if name in BOUNDED_FILTERS:
                    bound_options(form, name, None)
                else:
                    catalog_choices(form, name)


def active_filters(filterset, request, names) -> list[tuple[str, str, str]]:
    """The filters the visitor applied, in words, each with the address of the same list
    without it: [(label, value, address without it)]."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    form = filterset.form
    found = []
    for name in names:
        value = form.cleaned_data.get(name)
        if name == "ordering" or value in (None, "", []):
            continue
        for item in value if hasattr(value, "__iter__") and not isinstance(value, str) else [value]:
            query = request.GET.copy()
            query.pop("page", None)
            raw = str(getattr(item, "slug", item))
            query.setlist(name, [v for v in query.getlist(name) if v != raw])
            found.append(
                (
                    form.fields[name].label,
                    chip_text(form.fields[name], item),
                    f"?{query.urlencode()}",
                )
            )
    return found


def chip_text(field, item) -> str:
    """A chosen value in the words its option uses: a record by its names in the page's
    language first, a choice by its label."""
    if hasattr(field, "label_from_instance") and hasattr(item, "pk"):
        return field.label_from_instance(item).strip()
    choices = dict(getattr(field, "choices", None) or ())
    return str(choices.get(item, item))


ROLE_ORDER = [value for value, _label in WorkOrganisation.Role.choices]


def cited_groups(links, label):
    """Links that share a label (a role, a relation) and the same words of the same source,
    as one group: nine platforms named in one sentence show that sentence once."""
    groups = []
    for link in links:
        key = (label(link), link.source_id, link.excerpt)
        if groups and groups[-1]["key"] == key:
            groups[-1]["links"].append(link)
        else:
            groups.append(
                {
                    "key": key,
                    "label": key[0],
                    "links": [link],
                    "source": link.source,
                    "excerpt": link.excerpt,
                }
            )
    return groups


class WorkDetailView(PreviewMixin, DetailView):
    """A work: titles, synopsis, recommendations, places, organisations, sources. An editor
    may preview a work that is not public yet (public/views/preview.py)."""

    def get_queryset(self):
        return previewable(self.request, Work.objects.public()).prefetch_related(
            "themes",
            "sources",
            Prefetch(
                "recommendations",
                queryset=public_recommendations()
                .select_related("source")
                .order_by(*newest_batch_first("batch__")),
                to_attr="public_recommendations",
            ),
            Prefetch(
                "place_links",
                queryset=WorkPlace.objects.select_related("place", "source").order_by(
                    "relation", "place__name"
                ),
            ),
            Prefetch(
                "organisation_links",
                queryset=WorkOrganisation.objects.select_related("organisation", "source"),
            ),
            Prefetch("titles", queryset=WorkTitle.objects.select_related("source")),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        work = self.object
        attach_ancestors(link.place for link in work.place_links.all())
        links = list(work.organisation_links.all())
        context["organisation_links"] = links
        context["organisation_groups"] = cited_groups(
            sorted(links, key=lambda link: ROLE_ORDER.index(link.role)),
            lambda link: link.get_role_display(),
        )
        context["place_groups"] = cited_groups(
            work.place_links.all(), lambda link: link.get_relation_display()
        )
        context["watch"] = where_to_watch(links)
        context["json_ld"] = work_json_ld(work, self.request)
        context["share_image"] = share_image_url(work)
        context["og_type"] = "video.tv_show"
        # Every document the page relies on, the work's own first.
        sources = list(work.sources.all())
        for item in [
            *work.titles.all(),
            *work.public_recommendations,
            *work.place_links.all(),
            *links,
        ]:
            if item.source and item.source not in sources:
                sources.append(item.source)
        context["all_sources"] = sources
        return context


def where_to_watch(links) -> list[dict]:
    """The platforms a work's sources name (organisations in the platform role), and any
    organisation with a direct link, once each: [{"organisation", "url"}]. Until a direct
    link is known, the platform's own page stands in for it."""
    found: dict[int, dict] = {}
    for link in links:
        if link.url or link.role == WorkOrganisation.Role.PLATFORM:
            entry = found.setdefault(
                link.organisation_id, {"organisation": link.organisation, "url": ""}
            )
            entry["url"] = entry["url"] or link.url
    return list(found.values())


#
# Places
#


def attach_ancestors(places) -> None:
    """Give each place `ancestors_list`, the places it lies in from the outermost down: two
    queries for any number of places at any depth (the tree's paths, then the places on
    them)."""
    places = list(places)
    paths = dict(
        Place.objects.with_tree_fields()
        .filter(pk__in={place.pk for place in places})
        .values_list("pk", "tree_path")
    )
    above = Place.objects.in_bulk({pk for path in paths.values() for pk in path[:-1]})
    for place in places:
        place.ancestors_list = [above[pk] for pk in paths.get(place.pk, [])[:-1] if pk in above]


def places_with_work_counts() -> list[Place]:
    """Every public place in tree order, each with `work_count` (public works there or
    inside it) and `indent`. The counts are the whole catalog's, the same on every works
    page and the places page: computed once per public-state version (public.facets'
    GROUP BY, seconds at 1M works; core.caching.per_public_version), and the places with
    them (a query on every works page, for its map)."""
    return per_public_version("places-with-work-counts", _places_with_work_counts, in_process=True)


def _places_with_work_counts() -> list[Place]:
    places = facets.public_places()
    counts = place_counts(Work.objects.public())
    for place in places:
        place.work_count = counts.get(place.pk, 0)
        place.indent = "\u2003" * place.tree_depth
    return places


class PlaceListView(TemplateView):
    """Places as a tree, each with the number of public works there or inside it, and the
    same places on a map (public/maps.py); places with none are left out of the list."""

    template_name = "catalog/place_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        places = places_with_work_counts()
        # The list names only places with a public work there or inside them; the others
        # would crowd it with zeros (their pages stay reachable from their works and
        # parents). The map shades every province, a province with none included.
        context["places"] = [place for place in places if place.work_count]
        context["map_data"] = maps.map_data(places)
        return context


class PlaceDetailView(BoundedPagesMixin, DetailView):
    """Works filmed or set in a place or anywhere inside it; its parents and children."""

    def get_queryset(self):
        # Tree fields: its ancestors are then one query, whatever the depth.
        return Place.objects.public().with_tree_fields()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        place = self.object
        inside = place.descendant_ids()
        # What WorkFilterSet's `place` filter does, without walking the tree a second time.
        works = work_cards(
            Work.objects.public().filter(
                Exists(WorkPlace.objects.filter(work=OuterRef("pk"), place_id__in=inside))
            )
        )
        context["ancestors"] = list(place.ancestors())
        context["children"] = place.children.public()
        # The first few organisations based here, and how many there are: a province of the
        # 1M-work catalog listed all of its 812 on each of its pages (98 KB, 87 ms in
        # process; 30 KB and 47 ms naming 24); the organisations' list shows them all.
        organisations = Organisation.objects.public().filter(place_id__in=inside)
        shown = list(organisations.order_by("name", "pk")[: PLACE_ORGANISATIONS + 1])
        context["organisations"] = shown[:PLACE_ORGANISATIONS]
        context["organisation_count"] = (
            organisations.count() if len(shown) > PLACE_ORGANISATIONS else len(shown)
        )
        context["initiatives"] = Initiative.objects.public().filter(place_id__in=inside)
        context["figures"] = place.figures.public().select_related("source")
        context["inside_ids"] = inside
        context["map_data"] = maps.map_data(places_with_work_counts(), only=inside, focus=place)
        paginate(self.request, context, works, counted_as=f"place-work-count:{place.pk}")
        context["relation_groups"] = relation_groups(place, inside, context["works"])
        return context


RELATION_HEADINGS = {
    WorkPlace.Relation.FILMED_AT: gettext_lazy("Filmed here"),
    WorkPlace.Relation.SET_IN: gettext_lazy("Set here"),
    WorkPlace.Relation.FEATURES: gettext_lazy("Featured: the work shows the place or names it"),
    WorkPlace.Relation.FROM: gettext_lazy("From here: made or put forward by the place"),
}


def relation_groups(place, inside: set[int], page_works) -> list[dict]:
    """The page's works grouped by how their source links them to this place (or a place
    inside it): filmed there, set there, featuring it, or from it. A work linked in two
    ways is in both groups; each group's count covers every page: counted once per place
    and public-state version (a province of the 1M-work catalog took 0.33 s on each of its
    pages), then one query for the page's links."""
    links = WorkPlace.objects.filter(place_id__in=inside)
    counts = per_public_version(
        f"place-relation-counts:{place.pk}",
        lambda: dict(
            links.filter(work__in=Work.objects.public().values("pk"))
            .order_by()
            .values("relation")
            .annotate(n=Count("work", distinct=True))
            .values_list("relation", "n")
        ),
        in_process=True,
    )
    by_relation = defaultdict(list)
    page = {work.pk: work for work in page_works}
    for link in links.filter(work_id__in=page).select_related("place").order_by("place__name"):
        by_relation[link.relation].append((link.work_id, link.place))
    groups = []
    for relation, heading in RELATION_HEADINGS.items():
        if not counts.get(relation):
            continue
        seen, items = set(), []
        for work_id, linked in by_relation.get(relation, []):
            if work_id in seen:
                continue
            seen.add(work_id)
            # Which place inside this one, when it is not this one.
            items.append((page[work_id], linked if linked.pk != place.pk else None))
        groups.append(
            {"relation": relation, "heading": heading, "count": counts[relation], "items": items}
        )
    return groups


#
# Organisations
#


class OrganisationListView(ListView):
    """Organisations grouped by kind, each with how many works and initiatives it is in, in
    pages: all 5,065 organisations of the 1M-work catalog made one page of 1 MB, and their
    counts took 4.6 s; a page counts for its own organisations only."""

    paginate_by = ORGANISATIONS_PER_PAGE

    def get_queryset(self):
        organisations = Organisation.objects.public().order_by("kind", "name")
        # `?place=fujian`: those based there or inside it, where a place's page sends the
        # visitor for every organisation based there (PlaceDetailView shows a few).
        self.place = None
        if slug := self.request.GET.get("place"):
            self.place = get_object_or_404(Place.objects.public(), slug=slug)
            organisations = placed_in(organisations, "place", [self.place])
        return organisations

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["place"] = self.place
        # Counted for the page's organisations only: annotated on the paged query, PostgreSQL
        # counted for every organisation before the page (3 s for page 51).
        organisations = list(context["object_list"])
        counted = self.counted(Organisation.objects.filter(pk__in=[o.pk for o in organisations]))
        counts = {o.pk: (o.work_count, o.initiative_count) for o in counted}
        for organisation in organisations:
            organisation.work_count, organisation.initiative_count = counts[organisation.pk]
        context["object_list"] = organisations
        return context

    @staticmethod
    def counted(organisations):
        works = (
            WorkOrganisation.objects.filter(
                organisation=OuterRef("pk"), work__in=Work.objects.public().values("pk")
            )
            .order_by()
            .values("organisation")
            .annotate(n=Count("work", distinct=True))
            .values("n")
        )
        initiatives = (
            InitiativeOrganisation.objects.filter(
                organisation=OuterRef("pk"), initiative__in=Initiative.objects.public().values("pk")
            )
            .order_by()
            .values("organisation")
            .annotate(n=Count("initiative", distinct=True))
            .values("n")
        )
        return organisations.annotate(
            work_count=Coalesce(Subquery(works), 0),
            initiative_count=Coalesce(Subquery(initiatives), 0),
        )


class OrganisationDetailView(DetailView):
    """What an organisation guided, initiated, organised, produced, sponsored or aired."""

    def get_queryset(self):
        return (
            Organisation.objects.public()
            .select_related("parent", "place")
            .prefetch_related(Prefetch("units", queryset=Organisation.objects.public()), "sources")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org = self.object
        context["initiative_roles"] = group_by_role(
            org.initiative_links.filter(initiative__in=Initiative.objects.public().values("pk"))
            .select_related("initiative")
            .order_by("role", "initiative__name"),
            InitiativeOrganisation.Role,
        )
        context["work_roles"] = group_by_role(
            org.work_links.filter(work__in=Work.objects.public().values("pk"))
            .select_related("work")
            .order_by("role", "work__title"),
            WorkOrganisation.Role,
        )
        return context


def group_by_role(links, roles):
    """[(role label, [links])] in the order the role choices are declared."""
    grouped = defaultdict(list)
    for link in links:
        grouped[link.role].append(link)
    return [(label, grouped[value]) for value, label in roles.choices if grouped[value]]


#
# Sources
#


class SourceDetailView(DetailView):
    """A source document and the records that cite it."""

    def get_queryset(self):
        return Source.objects.public()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        context["cited_works"] = source.works.public()
        context["cited_initiatives"] = source.initiatives.public()
        context["cited_batches"] = source.batches.public().select_related("initiative")
        context["cited_figures"] = source.figures.public()
        return context


#
# Search
#


SEARCH_LIMIT = 20


class SearchView(TemplateView):
    """Works, initiatives, places, organisations and themes whose names or text contain
    the query, in English or Chinese; one Chinese character is enough."""

    template_name = "search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = normalise_query(self.request.GET.get("q", ""))
        context["query"] = query
        context["max_length"] = MAX_QUERY_LENGTH
        if not query:
            context["message"] = (
                _("Type a title, a name or a place, in English or Chinese.")
                if "q" in self.request.GET
                else None
            )
            return context
        if len(query) > MAX_QUERY_LENGTH:
            context["message"] = _(
                "That search is %(length)d characters long; please use %(max)d at most."
            ) % {"length": len(query), "max": MAX_QUERY_LENGTH}
            context["query"] = query[:MAX_QUERY_LENGTH]
            return context
        groups = [
            ("works", _("Works"), work_cards(Work.objects.public())),
            ("initiatives", _("Initiatives"), Initiative.objects.public()),
            ("themes", _("Themes"), Theme.objects.public()),
            ("places", _("Places"), Place.objects.public()),
            ("organisations", _("Organisations"), Organisation.objects.public()),
        ]
        results = []
        total = 0
        for key, label, queryset in groups:
            if key == "works":
                # The works list's first page, searched: read the way the list reads it
                # (core.pagination), along an index when the matches are many, where the
                # first SEARCH_LIMIT + 1 of them in rank order ranked every match ("village"
                # at 1M: 191,010 of them, 3 s).
                paginator = CappedPaginator(queryset.search(query), SEARCH_LIMIT)
                rows = with_cards(paginator.page(1))
                more = paginator.count > SEARCH_LIMIT
            else:
                rows = list(queryset.search(query)[: SEARCH_LIMIT + 1])
                rows, more = rows[:SEARCH_LIMIT], len(rows) > SEARCH_LIMIT
            total += len(rows)
            results.append({"key": key, "label": label, "rows": rows, "more": more})
        context["results"] = results
        context["total"] = total
        return context
