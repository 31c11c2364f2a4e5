"""Public pages of the catalog: themes, works, places, organisations, sources and search.

Every page shows only what the public may see: works from `Work.objects.published()` and
recommendations from published batches. Each queryset prefetches what its template shows,
so a page's query count does not grow with the number of rows on it.
"""

from collections import defaultdict

from django.db.models import (
    Count,
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from catalog.models import (
    Organisation,
    Place,
    Source,
    Theme,
    Work,
    WorkOrganisation,
    WorkPlace,
)
from core.search import MAX_QUERY_LENGTH, normalise_query, text_search
from initiatives.models import (
    Batch,
    BatchThemeCount,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
    newest_batch_first,
)
from public.filters import WorkFilterSet
from public.structured_data import work_json_ld

WORKS_PER_PAGE = 24


#
# Shared querysets
#


def public_recommendations():
    """Recommendations in published batches, with what a page shows about them."""
    return Recommendation.objects.filter(batch__status=Batch.Status.PUBLISHED).select_related(
        "batch__initiative", "theme"
    )


def work_cards(queryset):
    """Works with what a work card shows (themes, recommendations, places): four queries
    in all, however many works."""
    return queryset.prefetch_related(
        "themes",
        Prefetch(
            "recommendations",
            queryset=public_recommendations().order_by(*newest_batch_first("batch__")),
            to_attr="public_recommendations",
        ),
        Prefetch(
            "place_links",
            queryset=WorkPlace.objects.select_related("place").order_by("place__name"),
        ),
    )


class _Count(Func):
    """COUNT(*) of a correlated subquery without a GROUP BY."""

    function = "COUNT"
    template = "%(function)s(*)"
    output_field = IntegerField()


def published_work_count_for_theme():
    """A subquery: how many public works carry the outer theme, tagged or recommended."""
    works = (
        Work.objects.published()
        .in_themes(theme=OuterRef(OuterRef("pk")))
        .order_by()
        .annotate(n=_Count())
        .values("n")
    )
    return Coalesce(Subquery(works), 0)


def themes_with_counts():
    return Theme.objects.annotate(work_count=published_work_count_for_theme())


#
# Themes
#


class ThemeListView(ListView):
    """Every theme with its number of public works."""

    def get_queryset(self):
        return themes_with_counts()


class ThemeDetailView(DetailView):
    """A theme's works across initiatives and batches, and what each batch announced."""

    model = Theme

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme = self.object
        listed = (
            Recommendation.objects.filter(batch=OuterRef("batch"), theme=OuterRef("theme"))
            .order_by()
            .values("batch")
            .annotate(n=Count("pk"))
            .values("n")
        )
        context["batch_counts"] = (
            BatchThemeCount.objects.filter(theme=theme, batch__status=Batch.Status.PUBLISHED)
            .select_related("batch__initiative")
            .annotate(listed=Coalesce(Subquery(listed), 0))
            .order_by(*newest_batch_first("batch__"), "batch__initiative__name")
        )
        context["initiatives"] = theme.initiatives.all()
        paginate(self.request, context, work_cards(Work.objects.published().in_themes(theme=theme)))
        return context


def paginate(request, context, queryset, per_page=WORKS_PER_PAGE):
    """Put a page of `queryset` into the context; an unknown or malformed page is a 404."""
    view = ListView(request=request, kwargs={}, paginate_by=per_page)
    paginator, page, object_list, is_paginated = view.paginate_queryset(queryset, per_page)
    context.update(paginator=paginator, page_obj=page, works=object_list, is_paginated=is_paginated)


#
# Works
#


class WorkListView(TemplateView):
    """Every public work, filtered through the same FilterSet as the API. An invalid
    filter value (unknown slug, malformed year) shows the reason and no works, with 400."""

    template_name = "catalog/work_list.html"

    def get(self, request, *args, **kwargs):
        filterset = WorkFilterSet(request.GET or None, queryset=Work.objects.published())
        context = self.get_context_data(filterset=filterset, **kwargs)
        status = 200
        if filterset.is_bound and not filterset.is_valid():
            context["filter_errors"] = [
                (filterset.form.fields[name].label if name in filterset.form.fields else name, e)
                for name, errors in filterset.form.errors.items()
                for e in errors
            ]
            context.update(works=[], page_obj=None, is_paginated=False)
            status = 400
        else:
            paginate(request, context, work_cards(filterset.qs))
        context["options"] = filter_options()
        context["selected"] = {
            name: request.GET.getlist(name)
            for name in ("theme", "initiative", "batch", "place", "organisation")
        }
        context["active_filters"] = active_filters(filterset)
        return self.render_to_response(context, status=status)


def filter_options():
    """Choices for the work filter form: five queries, whatever the filters."""
    places = list(Place.objects.only("pk", "name", "name_original", "slug", "parent_id"))
    return {
        "themes": Theme.objects.only("name", "slug", "name_original"),
        "initiatives": Initiative.objects.only("name", "slug", "name_original"),
        "batches": Batch.objects.published()
        .select_related("initiative")
        .order_by("initiative__name", "number"),
        "places": indented_tree(places),
        "organisations": Organisation.objects.only("name", "slug", "name_original"),
    }


def indented_tree(places):
    """Places in tree order with their depth, for an indented <select> or a nested list."""
    children = defaultdict(list)
    ids = {place.pk for place in places}
    for place in places:
        children[place.parent_id if place.parent_id in ids else None].append(place)
    ordered = []

    def walk(parent_id, depth, seen):
        for place in children.get(parent_id, []):
            if place.pk in seen:
                continue
            place.depth = depth
            place.indent = "\u2003" * depth
            ordered.append(place)
            walk(place.pk, depth + 1, seen | {place.pk})

    walk(None, 0, frozenset())
    return ordered


def active_filters(filterset):
    """The filters the visitor applied, in words, for the heading of the list."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    data = filterset.form.cleaned_data
    labels = {
        "theme": _("Theme"),
        "initiative": _("Initiative"),
        "batch": _("Batch"),
        "place": _("Place"),
        "organisation": _("Organisation"),
    }
    found = []
    for name, label in labels.items():
        for value in data.get(name) or []:
            found.append((label, str(value)))
    if data.get("year"):
        found.append((_("Year"), str(data["year"])))
    if data.get("q"):
        found.append((_("Text"), data["q"]))
    return found


class WorkDetailView(DetailView):
    """A work: titles, synopsis, recommendations, places, organisations, sources."""

    def get_queryset(self):
        return Work.objects.published().prefetch_related(
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
                queryset=WorkPlace.objects.select_related(
                    "place__parent__parent__parent__parent", "source"
                ).order_by("relation", "place__name"),
            ),
            Prefetch(
                "organisation_links",
                queryset=WorkOrganisation.objects.select_related("organisation", "source"),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        work = self.object
        links = list(work.organisation_links.all())
        context["organisation_links"] = links
        context["watch_links"] = [link for link in links if link.url]
        context["json_ld"] = work_json_ld(work, self.request)
        # Every document the page relies on, the work's own first.
        sources = list(work.sources.all())
        for item in [
            *work.public_recommendations,
            *work.place_links.all(),
            *links,
        ]:
            if item.source and item.source not in sources:
                sources.append(item.source)
        context["all_sources"] = sources
        return context


#
# Places
#


class PlaceListView(TemplateView):
    """Places as a tree, each with the number of public works there or inside it."""

    template_name = "catalog/place_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        places = list(Place.objects.all())
        pairs = WorkPlace.objects.filter(
            work__in=Work.objects.published().values("pk")
        ).values_list("place_id", "work_id")
        direct = defaultdict(set)
        for place_id, work_id in pairs:
            direct[place_id].add(work_id)
        tree = indented_tree(places)
        # Roll works up to every ancestor, so a province counts its cities' works once each.
        by_id = {place.pk: place for place in places}
        totals = defaultdict(set)
        for place in places:
            node, seen = place, set()
            while node is not None and node.pk not in seen:
                seen.add(node.pk)
                totals[node.pk] |= direct[place.pk]
                node = by_id.get(node.parent_id)
        for place in tree:
            place.work_count = len(totals[place.pk])
        context["places"] = tree
        return context


class PlaceDetailView(DetailView):
    """Works filmed or set in a place or anywhere inside it; its parents and children."""

    def get_queryset(self):
        return Place.objects.select_related("parent__parent__parent__parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        place = self.object
        inside = place.descendant_ids()
        # What WorkFilterSet's `place` filter does, without walking the tree a second time.
        works = work_cards(
            Work.objects.published().filter(
                Exists(WorkPlace.objects.filter(work=OuterRef("pk"), place_id__in=inside))
            )
        )
        context["ancestors"] = place.ancestors()
        context["children"] = place.children.all()
        context["organisations"] = Organisation.objects.filter(place_id__in=inside)
        context["initiatives"] = Initiative.objects.filter(place_id__in=inside)
        context["figures"] = place.figures.select_related("source")
        context["inside_ids"] = inside
        paginate(self.request, context, works)
        return context


#
# Organisations
#


class OrganisationListView(ListView):
    """Organisations grouped by kind, each with how many works and initiatives it is in."""

    def get_queryset(self):
        works = (
            WorkOrganisation.objects.filter(
                organisation=OuterRef("pk"), work__in=Work.objects.published().values("pk")
            )
            .order_by()
            .values("organisation")
            .annotate(n=Count("work", distinct=True))
            .values("n")
        )
        initiatives = (
            InitiativeOrganisation.objects.filter(organisation=OuterRef("pk"))
            .order_by()
            .values("organisation")
            .annotate(n=Count("initiative", distinct=True))
            .values("n")
        )
        return Organisation.objects.annotate(
            work_count=Coalesce(Subquery(works), 0),
            initiative_count=Coalesce(Subquery(initiatives), 0),
        ).order_by("kind", "name")


class OrganisationDetailView(DetailView):
    """What an organisation guided, initiated, organised, produced, sponsored or aired."""

    def get_queryset(self):
        return Organisation.objects.select_related("parent", "place").prefetch_related(
            "units", "sources"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org = self.object
        context["initiative_roles"] = group_by_role(
            org.initiative_links.select_related("initiative").order_by("role", "initiative__name"),
            InitiativeOrganisation.Role,
        )
        context["work_roles"] = group_by_role(
            org.work_links.filter(work__in=Work.objects.published().values("pk"))
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

    model = Source

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        context["cited_works"] = source.works.filter(pk__in=Work.objects.published().values("pk"))
        context["cited_initiatives"] = source.initiatives.all()
        context["cited_batches"] = source.batches.published().select_related("initiative")
        context["cited_figures"] = source.figures.all()
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
        # PostgreSQL refuses a NUL character in a query (a 500) and no stored text holds one.
        raw = self.request.GET.get("q", "").replace("\x00", "")
        query = normalise_query(raw)
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
            (
                "works",
                _("Works"),
                work_cards(Work.objects.published()),
                ["title", "title_original", "synopsis"],
            ),
            (
                "initiatives",
                _("Initiatives"),
                Initiative.objects.all(),
                ["name", "name_original", "aims", "description"],
            ),
            ("themes", _("Themes"), Theme.objects.all(), ["name", "name_original", "description"]),
            ("places", _("Places"), Place.objects.all(), ["name", "name_original", "description"]),
            (
                "organisations",
                _("Organisations"),
                Organisation.objects.all(),
                ["name", "name_original", "description"],
            ),
        ]
        results = []
        total = 0
        for key, label, queryset, fields in groups:
            found = text_search(queryset, fields, query, fuzzy_fields=fields[:2])
            rows = list(found[: SEARCH_LIMIT + 1])
            total += min(len(rows), SEARCH_LIMIT)
            results.append(
                {
                    "key": key,
                    "label": label,
                    "rows": rows[:SEARCH_LIMIT],
                    "more": len(rows) > SEARCH_LIMIT,
                }
            )
        context["results"] = results
        context["total"] = total
        return context
