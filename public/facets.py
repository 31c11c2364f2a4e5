"""Facets of the works list: for each filter a visitor can add, how many works each of its
values would leave. Shared by the works page (counts beside the options, zero-count options
disabled) and the API (`/api/v1/works/?facets=theme,place,organisation,year`).

A facet's counts apply every filter of the request except the facet's own: with
`?theme=a` the theme facet still says how many works theme b would add, while the place
facet counts within theme a. Each facet costs a fixed number of queries whatever the number of
works (one GROUP BY or one conditional count over the filtered public works, plus the values
it names), and the API answers the top `FACET_LIMIT` values of each.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear

from catalog.models import Organisation, Place, Theme, Work, WorkOrganisation, WorkPlace
from core.caching import per_public_version
from core.expressions import InValues
from core.pagination import (
    COUNT_BOUND,
    capped_count,
    kept_count,
    list_counted_as,
    past_the_bound,
    search_of,
    searched_within,
)
from initiatives.models import Batch, Initiative, Recommendation, ThemeWork

# The most values one facet answers in the API, the largest counts first.
FACET_LIMIT = 50
# The most works a facet counts over (the lists' count bound): see facet_counts.
FACET_BOUND = COUNT_BOUND

# A facet's own parameters, left out when it counts (slug and id forms of one filter).
FACET_PARAMS = {
    "theme": ("theme", "theme_id"),
    "place": ("place", "place_id"),
    "organisation": ("organisation", "organisation_id"),
    "initiative": ("initiative", "initiative_id", "batch_number"),
    "batch": ("batch", "batch_id"),
    "year": ("year",),
}
FACETS = tuple(FACET_PARAMS)


@dataclass
class FacetValue:
    key: str  # what the filter takes: a slug, or a year
    record: object  # the model instance, or None for a year
    count: int


def _links_of(links, works):
    """`links` (rows naming a work) of `works`: a queryset of works, or their ids once read
    (a search's, _within_the_bound), matched by the links' own `work_id` then. Unordered: the
    links' models order by their work's title, which joined `catalog_work` once more per
    link, a join that stayed in the GROUP BY though the ORDER BY went. For 3,065 works at 1M,
    by id and unordered, a facet took 12 to 17 ms where it took 25 to 31; over the whole
    catalog, the themes 0.67 s where they took 0.95 s."""
    links = links.order_by()
    if isinstance(works, list):
        return links.filter(InValues("work_id", works))
    return links.filter(work__in=works.values("pk"))


def _counts_by_theme(works) -> dict[str, int]:
    # ThemeWork holds one row per (theme, public work): a GROUP BY needs no DISTINCT.
    rows = (
        _links_of(ThemeWork.objects, works)
        .filter(theme__in=Theme.objects.public().values("pk"))
        .values("theme__slug")
        .annotate(n=Count("work"))
        .values_list("theme__slug", "n")
    )
    return dict(rows)


def _counts_by_organisation(works) -> dict[str, int]:
    rows = (
        _links_of(WorkOrganisation.objects, works)
        .filter(organisation__in=Organisation.objects.public().values("pk"))
        .values("organisation__slug")
        .annotate(n=Count("work", distinct=True))
        .values_list("organisation__slug", "n")
    )
    return dict(rows)


def _counts_by_initiative(works) -> dict[str, int]:
    rows = (
        _links_of(Recommendation.objects.public(), works)
        .values("batch__initiative__slug")
        .annotate(n=Count("work", distinct=True))
        .values_list("batch__initiative__slug", "n")
    )
    return dict(rows)


def _counts_by_batch(works) -> dict[str, int]:
    rows = (
        _links_of(Recommendation.objects.public(), works)
        .values("batch__slug")
        .annotate(n=Count("work", distinct=True))
        .values_list("batch__slug", "n")
    )
    return dict(rows)


def place_counts(works) -> dict[int, int]:
    """{place id: works of `works` there or inside it} (see _place_counts)."""
    return _place_counts(works)[0]


def _place_counts(works) -> tuple[dict[int, int], dict[int, str]]:
    """{place id: works of `works` there or inside it}, places with none left out. A work
    counts at its places and at every place they lie in, once however many of its places lie
    there. One GROUP BY finds the places the works are linked to; a place whose subtree holds
    two or more of those needs a distinct count, all such places in one conditional
    aggregate. With the counts, the public places' slugs (read with the tree)."""
    links = _links_of(WorkPlace.objects, works)
    direct = dict(
        links.values("place").annotate(n=Count("work", distinct=True)).values_list("place", "n")
    )
    if not direct:
        return {}, {}
    places = public_places()
    slugs = {place.pk: place.slug for place in places}
    linked_below = defaultdict(set)  # place -> linked places in its subtree
    for place in places:
        if place.pk in direct:
            for above in place.tree_path:
                linked_below[above].add(place.pk)
    counts = {}
    several = {}
    for place, linked in linked_below.items():
        if len(linked) == 1:
            counts[place] = direct[next(iter(linked))]
        else:
            several[f"p{place}"] = Count("work", distinct=True, filter=Q(place__in=linked))
    if several:
        for alias, n in links.aggregate(**several).items():
            counts[int(alias[1:])] = n
    return {pk: n for pk, n in counts.items() if n and pk in slugs}, slugs


def public_places() -> list[Place]:
    """The public places in tree order (siblings by name), with their tree fields (depth,
    path of ids from the root): read once per public-state version, for the place facet's
    roll-up and the places' map and list (a recursive query each time)."""
    return per_public_version(
        "public-places",
        lambda: list(Place.objects.public().with_tree_fields().order_siblings_by("name")),
        in_process=True,
    )


def _counts_by_place(works) -> dict[str, int]:
    counts, slugs = _place_counts(works)
    return {slugs[pk]: n for pk, n in counts.items()}


def public_years() -> list[int]:
    """The years any public work has (released, or recommended in a batch announced then),
    read once per public-state version: the first query reads every public work (1M)."""

    def read():
        # order_by(): the model's default ordering would make DISTINCT one row per work.
        years = set(
            Work.objects.public()
            .exclude(year=None)
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        )
        years |= set(
            Batch.objects.public()
            .exclude(announced_on=None)
            .annotate(y=ExtractYear("announced_on"))
            .order_by()
            .values_list("y", flat=True)
            .distinct()
        )
        return sorted(years)

    return per_public_version("public-years", read, in_process=True)


def _counts_by_year(works) -> dict[str, int]:
    """Released in the year or recommended in a published batch announced in it, as the
    `year` filter reads it: one conditional count per year that has any work."""
    years = public_years()
    if not years:
        return {}
    if isinstance(works, list):
        works = Work.objects.filter(InValues("pk", works)).order_by()
    columns = {}
    for year in years:
        recommended = Recommendation.objects.public().filter(
            work=OuterRef("pk"), batch__announced_on__year=year
        )
        columns[f"y{year}"] = Count("pk", filter=Q(year=year) | Q(Exists(recommended)))
    totals = works.order_by().aggregate(**columns)
    return {alias[1:]: n for alias, n in totals.items() if n}


COUNTERS = {
    "theme": (_counts_by_theme, Theme),
    "place": (_counts_by_place, Place),
    "organisation": (_counts_by_organisation, Organisation),
    "initiative": (_counts_by_initiative, Initiative),
    "batch": (_counts_by_batch, Batch),
    "year": (_counts_by_year, None),
}


def parse_facets(raw_values: list[str]) -> tuple[list[str], list[str]]:
    """`?facets=theme,place&facets=year` -> (known names in order, unknown names)."""
    names, unknown = [], []
    for raw in raw_values:
        for name in (part.strip() for part in raw.split(",")):
            if not name:
                continue
            if name not in FACET_PARAMS:
                unknown.append(name)
            elif name not in names:
                names.append(name)
    return names, unknown


def _unset(value) -> bool:
    """A filter the request leaves empty (a multiple choice left empty cleans to `[]`,
    core.filters.ModelMultipleChoiceField)."""
    return value in (None, "", [])


def _applied(cleaned, without=()) -> tuple[str, ...]:
    """The filters a request applies (its ordering is none), those in `without` left out."""
    return tuple(
        field
        for field, value in cleaned.items()
        if field not in without and field != "ordering" and not _unset(value)
    )


# The name the works page's counts are kept under (core.pagination.list_counted_as): its
# list's, and the facets' bounds, which count the same works through the same FilterSet.
WORKS_COUNTED_AS = "works"


def the_catalog():
    """Every public work, or None when they are more than FACET_BOUND: counted once per
    public-state version (core.caching.per_public_version). Every list with one filter asks
    it, for the facet that leaves that filter out."""
    past = per_public_version(
        f"works-past-facet-bound:{FACET_BOUND}",
        lambda: capped_count(Work.objects.public(), FACET_BOUND)[1],
        in_process=True,
    )
    return None if past else Work.objects.public()


def _within_the_bound(works, counted_as=None):
    """The works to count facets over (a queryset, or a list of their ids), or None when
    they are more than FACET_BOUND (counted first, capped, as the list counts, and kept as
    its count is under `counted_as`: core.pagination.kept_count). A searched list's works are
    read once (its search tested on each when they are few without it,
    core.pagination.searched_within) and counted by their ids: each facet repeated the
    search, gathering all of its matches in the catalog ("village" with one organisation at
    1M: 0.6 s a facet, for 41 works)."""
    if search_of(works) is None:
        return None if kept_count(works, counted_as, FACET_BOUND)[1] else works
    within, listed = searched_within(works)
    if listed is None and past_the_bound(works, FACET_BOUND):
        return None
    ids = list(within.order_by().values_list("pk", flat=True)[: FACET_BOUND + 1])
    return None if len(ids) > FACET_BOUND else ids


def facet_counts(filterset, names, listed=None) -> dict[str, dict[str, int]]:
    """count_facets(), kept once per public state for the list's filters and the facets
    asked (core.pagination.list_counted_as): the same on every page of a list and in any
    order. A search's second page counted its five facets again (180 ms of its 370 at 1M
    works for "我在宁波")."""
    names = list(names)
    kept_as = list_counted_as(f"facets:{','.join(names)}:{FACET_BOUND}", filterset)
    return per_public_version(kept_as, lambda: count_facets(filterset, names, listed))


def count_facets(filterset, names, listed=None) -> dict[str, dict[str, int]]:
    """{facet: {key: count}} for a validated (or unbound) FilterSet's filters, each facet
    without its own. A key is what the filter takes (a slug, or the year as text); values
    with no work are left out. The values the FilterSet already checked are reused, so a
    facet costs its counting queries only.

    A facet is counted over at most FACET_BOUND works: past it (counted first, capped, as
    the list counts) it is left out of the result. Counting a facet reads every work it
    counts and their links (6 s for a theme of 130,000 works at 1M, 67 s and a timeout for
    the years), so its cost is bounded by the bound, whatever the catalog's size.

    `listed`, the list's own CappedPaginator once its page is read, already says whether
    every filter together leaves more works than the bound: a facet whose filter is not
    applied counts over those, and is not counted again to know it. The works left by the
    other filters are counted once per public state for each set of them
    (core.pagination.list_counted_as, under WORKS_COUNTED_AS, as the works page counts)."""
    cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
    result = {}
    # Applied filters -> the works they leave, in the form they are best read in, or None
    # when they are more than the bound (facets share most).
    within = {}
    every_filter = _applied(cleaned)
    listed_says = listed is not None and listed.bound == FACET_BOUND
    if listed_says and listed.count_is_capped:
        within[every_filter] = None
    for name in names:
        key = _applied(cleaned, without=FACET_PARAMS[name])
        works = Work.objects.public()
        for field in key:
            works = filterset.filters[field].filter(works, cleaned[field])
        if key == every_filter and key not in within and listed_says and search_of(works) is None:
            within[key] = works  # the list's own count says they are within the bound
        if key not in within:
            counted_as = list_counted_as(WORKS_COUNTED_AS, filterset, without=FACET_PARAMS[name])
            within[key] = _within_the_bound(works, counted_as) if key else the_catalog()
        if within[key] is None:
            continue
        count, _model = COUNTERS[name]
        counted = within[key]
        result[name] = count(counted if isinstance(counted, list) else counted.order_by())
    return result


def facet_values(filterset, names, limit=FACET_LIMIT, listed=None):
    """The API's facets: {facet: [FacetValue]} with the largest counts first (ties by key),
    at most `limit` values each, each model value with its record. A facet over more than
    FACET_BOUND works is left out (count_facets).

    Kept once per public state for the list's filters, the facets asked and the limit, with
    their records, as their counts are: every page of a faceted list read each facet's
    records again, a query a facet (a request for all six made eight queries, five of them
    these)."""
    names = list(names)
    kept_as = list_counted_as(f"facet-values:{','.join(names)}:{FACET_BOUND}:{limit}", filterset)
    return per_public_version(kept_as, lambda: _facet_values(filterset, names, limit, listed))


def _facet_values(filterset, names, limit, listed):
    # Counted here, not through facet_counts: kept with their records, the counts need no
    # entry of their own.
    counts = count_facets(filterset, names, listed)
    result = {}
    for name, by_key in counts.items():
        top = sorted(by_key.items(), key=lambda item: (-item[1], item[0]))[:limit]
        _count, model = COUNTERS[name]
        records = {}
        if model is not None:
            queryset = model.objects.public().filter(slug__in=[key for key, _n in top])
            if model is Batch:
                queryset = queryset.select_related("initiative")
            records = {record.slug: record for record in queryset}
        result[name] = [FacetValue(key, records.get(key), n) for key, n in top]
    return result
