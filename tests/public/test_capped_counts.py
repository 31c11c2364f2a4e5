"""Lists count up to a bound and number their pages up to it (core/pagination.py, issue 11):
past the bound the page says "more than", in both languages, and a page number past the
last numbered page leads back to that page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Work
from core import pagination
from core.pagination import CappedPaginator, capped_count
from public.views import catalog as views
from tests.catalog.test_views import text
from tests.factories import PlaceFactory, ThemeFactory, WorkFactory, WorkPlaceFactory

pytestmark = pytest.mark.django_db

# Far apart, so that a search on PostgreSQL (which admits near misses) finds one.
TITLES = ["Lion Dance", "River Town", "Tea Road", "Silk Mountain", "Harbour Lights"]


@pytest.fixture
def small_bound(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "bound", 3)
    monkeypatch.setattr(views.WorkListView, "paginate_by", 2)
    monkeypatch.setattr(views, "WORKS_PER_PAGE", 2)


@pytest.fixture
def theme():
    theme = ThemeFactory(name="Rural revitalisation", name_original="乡村振兴", slug="rural")
    for n, title in enumerate(TITLES):
        WorkFactory(slug=f"w{n}", title=title).themes.add(theme)
    return theme


def test_capped_count_is_exact_below_the_bound_and_capped_above(theme):
    assert capped_count(Work.objects.public(), bound=10) == (5, False)
    assert capped_count(Work.objects.public(), bound=5) == (5, False)
    assert capped_count(Work.objects.public(), bound=4) == (4, True)


def test_capped_count_reads_at_most_the_bound_plus_one_rows(theme):
    with CaptureQueriesContext(connection) as queries:
        capped_count(Work.objects.public(), bound=4)
    assert len(queries) == 1
    assert "LIMIT 5" in queries[0]["sql"]


def test_works_list_says_more_than_the_bound_in_english_and_chinese(client, theme, small_bound):
    page = text(client.get("/works/"))
    assert "More than 3 works" in page
    assert "Page 1 of the first 2" in page
    page = text(client.get("/zh-hans/works/"))
    assert "超过 3 部作品" in page


def test_a_small_list_keeps_its_exact_count(client, theme, small_bound):
    page = text(client.get("/works/", {"q": "Harbour"}))
    assert "1 work" in page
    assert "More than" not in page


def test_the_last_numbered_page_says_how_to_reach_the_rest(client, theme, small_bound):
    page = text(client.get("/works/", {"page": 2}))
    assert "Pages stop after the first 3 works" in page


@pytest.mark.parametrize("path", ["/works/?ordering=title&page=9", "/themes/rural/?page=9"])
def test_a_page_past_the_bound_leads_to_the_last_numbered_page(client, theme, small_bound, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "page=2" in response["Location"]
    assert response["Location"].startswith(path.split("?")[0])
    assert "ordering=title" in response["Location"] or "ordering" not in path


def test_a_page_past_the_end_of_an_uncapped_list_is_still_not_found(client, theme):
    assert client.get("/works/", {"page": 9}).status_code == 404


def test_place_page_says_more_than_the_bound(client, small_bound):
    place = PlaceFactory(name="Ningbo", name_original="宁波", slug="ningbo")
    for n in range(5):
        WorkPlaceFactory(work=WorkFactory(slug=f"p{n}"), place=place)
    assert "More than 3 works linked to this place" in text(client.get("/places/ningbo/"))


SEARCH_TITLES = ["Tea Road One", "Tea Road Two", "Tea Road Three", "Tea Road Four", "Lion Dance"]


@pytest.fixture
def tea_roads():
    for n, title in enumerate(SEARCH_TITLES):
        WorkFactory(slug=f"t{n}", title=title)


def search_pages(bound, per_page, number):
    """(the page's titles, count, capped) and the queries that read them."""
    from core.search import text_search

    works = text_search(Work.objects.public().order_by("title"), "Tea Road")
    paginator = CappedPaginator(works, per_page)
    paginator.bound = bound
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(number)
        result = ([w.title for w in page], paginator.count, paginator.count_is_capped)
    return result, queries


@pytest.mark.parametrize(
    ("bound", "per_page", "number", "expected"),
    [
        (10, 3, 1, (["Tea Road Four", "Tea Road One", "Tea Road Three"], 4, False)),
        (10, 3, 2, (["Tea Road Two"], 4, False)),
        (3, 2, 2, (["Tea Road Three"], 3, True)),  # the last page ends at the bound
    ],
)
def test_a_search_reads_its_page_and_count_in_one_query(
    tea_roads, bound, per_page, number, expected
):
    """A search gathers its candidates whole, then ranks them: the count comes with the page
    (`COUNT(*) OVER ()`) instead of a query that gathered them a second time."""
    result, queries = search_pages(bound, per_page, number)
    if connection.vendor == "postgresql":  # ranked: every match is equally close
        expected = (sorted(expected[0]), *expected[1:])
        result = (sorted(result[0]), *result[1:])
    assert result == expected
    # First the ids of the list without its search (core.pagination.searched_within): 5
    # works, tested one by one.
    sql = [query["sql"] for query in queries]
    assert f"LIMIT {pagination.ROWWISE_WITHIN + 1}" in sql[0]
    if connection.vendor != "postgresql" or bound >= len(SEARCH_TITLES):
        # No more than the bound: the page and its count in one query.
        assert len(sql) == 2
        assert "OVER ()" in sql[1]
        return
    # Past a bound of 3, a search in plain words counts its whole-word rank by its index
    # (core.pagination: `read_words`) on PostgreSQL: 4, past the bound, is the list's count,
    # and its page is read along its words.
    assert len(sql) == 3
    assert "catalog_work_word" in sql[1]
    assert "OVER ()" not in sql[2]


def test_a_search_page_past_its_matches_is_still_refused(tea_roads):
    from django.core.paginator import EmptyPage

    with pytest.raises(EmptyPage):
        search_pages(10, 3, 3)


def test_a_list_without_search_keeps_its_own_bounded_count(tea_roads):
    """A list read along an index would read every row to count them in a window."""
    paginator = CappedPaginator(Work.objects.public().order_by("title"), 2)
    with CaptureQueriesContext(connection) as queries:
        list(paginator.page(1))
    assert [q["sql"] for q in queries if "OVER" in q["sql"]] == []
    assert paginator.count == 5
