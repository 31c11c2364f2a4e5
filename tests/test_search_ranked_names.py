"""A ranked search with no near misses (Chinese, three characters and more) ranks only the
names that contain it; the works it finds elsewhere follow in the list's order, and when no
name contains it the page is read along that order (core/search.py, core/pagination.py
`CappedPaginator.read_along`; issue 11).

浙江省 at 1M works names no title and finds 275,058 works through the province's places; each
was ranked by its title's few shared trigrams before the page was cut (1.2 s). PostgreSQL only:
SQLite's search does not rank.
"""

import pytest

from catalog.models import Work
from core.search import text_search
from tests.factories import PlaceFactory, WorkFactory, WorkPlaceFactory, published_at_the_end
from tests.search_pages import POSTGRESQL_ONLY, api_page, read_page

pytestmark = [pytest.mark.django_db, POSTGRESQL_ONLY, pytest.mark.usefixtures("short_span")]

QUERY = "浙江省"


@pytest.fixture
def province():
    """40 works in title order: every other one filmed in a city of 浙江省, some of those
    with titles sharing two of its characters (浙江), which pg_trgm scores above the others;
    and a draft filmed there that would come first."""
    zhejiang = PlaceFactory(name="Zhejiang", name_original="浙江省")
    ningbo = PlaceFactory(name="Ningbo", name_original="宁波市", parent=zhejiang)
    with published_at_the_end():
        for n in range(40):
            title = f"浙江故事{n:02}" if n % 8 == 2 else f"作品{n:02}"
            work = WorkFactory(slug=f"w{n:02}", title=f"Work {n:02}", title_original=title)
            if n % 2 == 0:
                WorkPlaceFactory(work=work, place=ningbo)
        draft = WorkFactory(slug="draft", title="A Draft", published_directly=False)
        WorkPlaceFactory(work=draft, place=ningbo)


def expected_slugs(query=QUERY):
    """Brute force: the public works filmed in a place named `query` or inside one, in the
    list's order."""
    found = []
    for work in Work.objects.public().order_by(*Work._meta.ordering, "pk"):
        places = [p for place in work.places.all() for p in (place, place.parent) if p]
        if any(query in p.name_original for p in places):
            found.append(work.slug)
    return found


def searched(query=QUERY):
    return text_search(Work.objects.public().order_by(*Work._meta.ordering, "pk"), query)


def read(number, bound=10, along=True):
    return read_page(searched(), number, bound=bound, without=None if along else "read_along")


def test_works_found_through_their_places_come_in_the_lists_order(province):
    works = list(searched())
    assert [w.slug for w in works] == expected_slugs()
    assert len(works) == 20
    # Their titles' shared trigrams (浙江) do not rank them: no name contains the query.
    assert {w.search_rank for w in works} == {0}
    assert "draft" not in {w.slug for w in works}


def test_names_containing_the_query_still_rank_first():
    WorkFactory(slug="named", title="Zz", title_original="我在浙江省")
    WorkFactory(slug="near", title="Aa", title_original="浙江之恋")  # no near misses in Chinese
    WorkFactory(slug="synopsis", title="Ab", synopsis="浙江省的故事")
    WorkFactory(slug="other", title="Ac", synopsis="另一个故事")
    works = list(searched())
    assert [w.slug for w in works] == ["named", "synopsis"]
    assert works[0].search_rank > 0
    assert works[1].search_rank == 0


def test_the_page_read_along_the_order_is_the_gathered_page_and_brute_force(province):
    expected = expected_slugs()
    for number in (1, 2, 4):
        slugs, counted, queries = read(number)
        gathered, gathered_count, _ = read(number, along=False)
        assert slugs == gathered == expected[(number - 1) * 3 : min(number * 3, 10)]
        assert counted == gathered_count == (10, True)
        # Four queries: whether the list holds few works without its search (no), whether a
        # name holds it (none), the branches tried in turn (the places' passes the bound),
        # then the page; nothing gathered.
        assert len(queries) == 4
        assert not any("UNION" in sql for sql in queries)


def test_a_name_containing_the_query_sends_the_page_to_the_gathered_matches(province):
    WorkFactory(slug="named", title="Zz", title_original="我在浙江省")
    slugs, counted, queries = read(1)
    assert slugs == ["named", *expected_slugs()[:2]]
    assert counted == (10, True)
    assert "UNION" in queries[-1]


def test_fewer_matches_than_the_bound_are_read_from_the_gathered_matches(province):
    slugs, counted, queries = read(2, bound=50)
    assert slugs == expected_slugs()[3:6]
    assert counted == (20, False)
    assert "UNION" in queries[-1]


def test_the_api_serves_the_page_read_along(client, province):
    slugs, counted, queries = api_page(client, QUERY, 2)
    assert slugs == expected_slugs()[3:6]
    assert counted == (10, True)
    assert not any("UNION" in sql for sql in queries)


def test_a_drafts_name_holding_the_query_is_never_shown(province):
    # Asked of the whole table, a draft's title sends the page to the gathered matches, which
    # keep to the public works.
    WorkFactory(slug="draft-named", title="Aa", title_original="浙江省", published_directly=False)
    slugs, counted, queries = read(1)
    assert slugs == expected_slugs()[:3]
    assert counted == (10, True)
    assert "UNION" in queries[-1]
