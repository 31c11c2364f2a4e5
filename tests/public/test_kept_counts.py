"""A list's count is kept once per filter and public state (core.pagination:
KeptCountPaginator): its other pages, page sizes and orders, in the API (both modes) and on
the works page, do not count it again; other filters count their own, and a publication
counts afresh."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.datastructures import MultiValueDict
from rest_framework.test import APIClient

from core.pagination import list_counted_as
from public.filters import WorkFilterSet
from public.views import catalog as views
from tests.factories import ThemeFactory, WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def themes():
    rural = ThemeFactory(slug="rural", name="Rural revitalisation")
    court = ThemeFactory(slug="court", name="Court stories")
    for n in range(3):
        WorkFactory(slug=f"rural-{n}", title=f"Rural {n}", themes=[rural])
    for n in range(2):
        WorkFactory(slug=f"court-{n}", title=f"Court {n}", themes=[court])
    return rural, court


def list_counts(queries) -> list[str]:
    """The list counts among the queries (core.pagination.capped_count's form)."""
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*) FROM (SELECT")]


def test_the_api_counts_a_filtered_list_once_whatever_its_page_size_order_or_mode(themes):
    api = APIClient()
    assert api.get("/api/v1/works/", {"theme": "rural", "page_size": 1}).json()["count"] == 3

    with CaptureQueriesContext(connection) as queries:
        pages = [
            api.get("/api/v1/works/", {"theme": "rural", "page": 2, "page_size": 1}),
            api.get("/api/v1/works/", {"page_size": 2, "theme": "rural", "ordering": "-year"}),
            api.get("/api/v1/works/", {"theme": "rural", "mode": "cursor", "page_size": 1}),
        ]

    assert [page.json()["count"] for page in pages] == [3, 3, 3]
    assert list_counts(queries) == []


def test_another_filter_and_the_unfiltered_list_count_their_own(themes):
    api = APIClient()
    assert api.get("/api/v1/works/", {"theme": "rural"}).json()["count"] == 3
    assert api.get("/api/v1/works/", {"theme": "court"}).json()["count"] == 2
    assert api.get("/api/v1/works/", {"theme": ["rural", "court"]}).json()["count"] == 5
    assert api.get("/api/v1/works/").json()["count"] == 5
    assert api.get("/api/v1/themes/").json()["count"] == 2


def test_a_publication_counts_the_list_afresh(themes):
    rural, _court = themes
    api = APIClient()
    assert api.get("/api/v1/works/", {"theme": "rural"}).json()["count"] == 3

    WorkFactory(slug="rural-new", title="Rural new", themes=[rural])

    assert api.get("/api/v1/works/", {"theme": "rural"}).json()["count"] == 4
    assert api.get("/api/v1/works/", {"theme": "rural", "mode": "cursor"}).json()["count"] == 4
    assert api.get("/api/v1/works/").json()["count"] == 6


def test_a_search_is_counted_with_its_page_not_kept(themes):
    api = APIClient()
    assert api.get("/api/v1/works/", {"q": "Rural"}).json()["count"] == 3
    WorkFactory(slug="rural-new", title="Rural new")
    assert api.get("/api/v1/works/", {"q": "Rural"}).json()["count"] == 4


def test_the_works_page_counts_a_filtered_list_once_across_its_pages(client, themes, monkeypatch):
    monkeypatch.setattr(views.WorkListView, "paginate_by", 2)
    first = client.get("/works/", {"theme": "rural"})
    assert first.context["paginator"].count == 3

    with CaptureQueriesContext(connection) as queries:
        second = client.get("/works/", {"theme": "rural", "page": 2, "ordering": "-year"})

    assert second.status_code == 200
    assert second.context["paginator"].count == 3
    assert [work.slug for work in second.context["works"]] != []
    assert list_counts(queries) == []


def test_an_invalid_filter_on_the_works_page_keeps_no_count(client, themes):
    response = client.get("/works/", {"theme": "no-such-theme"})
    assert response.status_code == 400
    assert response.context["paginator"] is None or response.context["paginator"].count == 0
    assert client.get("/works/").context["paginator"].count == 5


def filterset(**data) -> WorkFilterSet:
    return WorkFilterSet(data=MultiValueDict(data))


def test_addresses_that_filter_alike_share_a_name_and_others_do_not():
    same = list_counted_as("works", filterset(theme=["a", "b"], ordering=["title"]))
    assert same == list_counted_as("works", filterset(theme=["b", "a"], page=["3"]))
    assert same != list_counted_as("works", filterset(theme=["a"]))
    assert same != list_counted_as("api-count:work", filterset(theme=["a", "b"]))
    assert list_counted_as("works", None) == list_counted_as("works", filterset())
    assert list_counted_as("works", filterset(theme=["a"])) != list_counted_as(
        "works", filterset(place=["a"])
    )


def test_a_searched_lists_facets_are_counted_once_across_its_pages_and_orders(
    client, themes, monkeypatch
):
    """The facets a works page shows are the same on each of its pages: its second page,
    or the same list in another order, counts none of them again. A publication counts
    them afresh."""
    monkeypatch.setattr(views.WorkListView, "paginate_by", 2)

    def facet_queries(params):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/works/", params)
        counting = [q["sql"] for q in queries if "GROUP BY" in q["sql"]]
        return response.context["filterset"].form.fields["theme"].widget.counts, len(counting)

    first, counted = facet_queries({"q": "Rural"})
    assert first == {"rural": 3}
    assert counted >= 1
    assert facet_queries({"q": "Rural", "page": 2}) == ({"rural": 3}, 0)
    assert facet_queries({"q": "Rural", "ordering": "-year"}) == ({"rural": 3}, 0)

    WorkFactory(slug="rural-new", title="Rural new", themes=[themes[1]])

    assert facet_queries({"q": "Rural"})[0] == {"rural": 3, "court": 1}
