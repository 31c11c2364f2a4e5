"""A search with many matches reads its page along the list's order (core/pagination.py,
`CappedPaginator.read_along`; issue 11).

A search of one or two characters does not rank: its page is the first matches in the list's
order. When they are many, the first records in that order, tested one by one, hold the
page, and gathering every match to sort them (茶香 at 1M works: 34,656) is not needed. These
tests hold the page so read to the page the gathered matches give, and to brute force, and
check that the count then comes from one branch's index when one alone passes the bound.
PostgreSQL only: SQLite gathers from its FTS5 table, at the embedded scale.
"""

import pytest

from catalog.models import Work
from core.search import text_search
from tests.factories import (
    OrganisationFactory,
    PlaceFactory,
    WorkFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
    published_at_the_end,
)
from tests.search_pages import POSTGRESQL_ONLY, api_page, read_page

pytestmark = [pytest.mark.django_db, POSTGRESQL_ONLY, pytest.mark.usefixtures("short_span")]

QUERY = "茶香"


@pytest.fixture
def catalog():
    """60 works in title order; half of them match 茶香, each in a different way: the title
    in Chinese, the synopsis, an organisation's name, a place's name (one level up)."""
    organisation = OrganisationFactory(name="Tea Fragrance Co.", name_original="茶香茶业")
    village = PlaceFactory(name="Chaxiang", name_original="茶香镇")
    street = PlaceFactory(name="Old Street", name_original="老街", parent=village)
    with published_at_the_end():
        for n in range(60):
            work = WorkFactory(slug=f"w{n:02}", title=f"Work {n:02}", title_original=f"作品{n}")
            kind = n % 8
            if kind == 0:
                work.title_original = f"茶香{n}"
            elif kind == 2:
                work.synopsis = "一杯茶香，一座城。"
            elif kind == 4:
                WorkOrganisationFactory(work=work, organisation=organisation)
            elif kind == 6:
                WorkPlaceFactory(work=work, place=street)
            work.save()


def expected_slugs():
    """Brute force: every public work that holds 茶香 or reaches a record that does."""
    found = []
    for work in Work.objects.public().order_by("title"):
        names = [work.title, work.title_original, work.synopsis]
        names += [o.name_original for o in work.organisations.all()]
        for place in work.places.all():
            names += [place.name_original, place.parent and place.parent.name_original]
        if any(QUERY in (name or "") for name in names):
            found.append(work.slug)
    return found


def searched(query=QUERY):
    return text_search(Work.objects.public().order_by(*Work._meta.ordering, "pk"), query)


def read(number, per_page=3, bound=10_000, along=True, queryset=None):
    queryset = searched() if queryset is None else queryset
    without = None if along else "read_along"
    return read_page(queryset, number, per_page=per_page, bound=bound, without=without)


def test_the_page_read_along_the_order_is_the_gathered_page_and_brute_forces(catalog):
    expected = expected_slugs()
    assert len(expected) == 30
    for number in (1, 2, 3):
        slugs, counted, queries = read(number, bound=10)
        gathered, gathered_count, _ = read(number, bound=10, along=False)
        assert slugs == gathered == expected[(number - 1) * 3 : number * 3]
        assert counted == gathered_count == (10, True)
        # Three queries: whether the list holds few works without its search (no), the count
        # from the works' own fields (16 hold 茶香), then the page, which did not gather the
        # matches: no UNION of the search's branches.
        assert len(queries) == 3
        assert "catalog_work_search_grams" not in queries[2]
        assert not any("UNION" in sql for sql in queries)


def test_matches_through_organisations_and_places_fill_the_page_read_along(catalog):
    slugs, _, queries = read(1, per_page=12, bound=10)
    assert slugs == expected_slugs()[:10]  # the page ends at the bound
    assert {"w04", "w06"} <= set(slugs)  # an organisation's name, a place's parent's name
    assert not any("UNION" in sql for sql in queries)


def test_one_branch_past_the_bound_caps_the_count_without_gathering(catalog):
    # The works' own fields hold 茶香 in 16 of them: past a bound of 10, the count is capped
    # from that branch alone (its index), and nothing is gathered.
    slugs, counted, queries = read(1, bound=10)
    assert slugs == expected_slugs()[:3]
    assert counted == (10, True)
    assert not any("UNION" in sql for sql in queries)


def test_the_last_page_read_along_ends_at_the_bound(catalog):
    slugs, counted, _ = read(2, bound=4)
    assert (slugs, counted) == (expected_slugs()[3:4], (4, True))


def test_a_search_no_branch_of_which_passes_the_bound_is_read_from_its_gathered_matches(
    catalog,
):
    # 16 works hold 茶香 in their own fields, 30 in all: the page and its count come from
    # the gathered matches, exact below the bound and capped above it.
    for bound, counted in [(20, (20, True)), (40, (30, False))]:
        slugs, read_count, queries = read(2, bound=bound)
        assert (slugs, read_count) == (expected_slugs()[3:6], counted)
        assert "UNION" in queries[-1]


def test_a_search_with_few_matches_reads_its_page_from_the_gathered_matches(catalog):
    WorkFactory(slug="late", title="Zither Nights", title_original="夜曲")
    slugs, counted, queries = read(1, queryset=searched("夜曲"))
    assert (slugs, counted) == (["late"], (1, False))
    assert "UNION" in queries[-1]


def test_another_order_or_a_ranked_search_is_not_read_along(catalog):
    newest = searched().order_by("-title", "pk")
    slugs, _, queries = read(1, bound=10, queryset=newest)
    assert slugs == list(reversed(expected_slugs()))[:3]
    assert "UNION" in queries[-1]
    WorkFactory(slug="tea", title="Tea Road", title_original="茶路")
    slugs, _, queries = read(1, bound=1, queryset=searched("tea road"))
    assert slugs == ["tea"]
    # Its page is not read along the list's order; its whole-word rank (one work, counted by
    # the words' index) does not pass the bound, and the gathered matches give it.
    assert not any("LIMIT 15" in q for q in queries)
    assert "UNION" in queries[-1]


def test_the_api_serves_the_page_read_along(client, catalog):
    slugs, counted, queries = api_page(client, QUERY, 2)
    assert slugs == expected_slugs()[3:6]
    assert counted == (10, True)
    assert not any("UNION" in sql for sql in queries)
