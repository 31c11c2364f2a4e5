"""The search page: English or Chinese, one character up, clear messages for bad queries."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from initiatives.models import Batch
from tests.catalog.test_views import text
from tests.factories import (
    BatchFactory,
    InitiativeFactory,
    OrganisationFactory,
    PlaceFactory,
    RecommendationFactory,
    ThemeFactory,
    WorkFactory,
    published_at_the_end,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    with published_at_the_end():
        return _records()


def _records():
    initiative = InitiativeFactory(
        name="Travel with Micro-Dramas", name_original="跟着微短剧去旅行", slug="travel"
    )
    batch = BatchFactory(initiative=initiative, number=4)
    lion = WorkFactory(title="The Sixth Awakened Lion", title_original="第六只醒狮", slug="lion")
    RecommendationFactory(batch=batch, work=lion, theme=None)
    draft = BatchFactory(initiative=initiative, number=5, status=Batch.Status.DRAFT)
    RecommendationFactory(
        batch=draft, work=WorkFactory(title="Hidden Lion", title_original="隐藏的狮"), theme=None
    )
    PlaceFactory(name="Xiamen", name_original="厦门", slug="xiamen")
    OrganisationFactory(name="The Paper", name_original="澎湃新闻", slug="the-paper")
    ThemeFactory(name="Intangible cultural heritage", name_original="非物质文化遗产")
    return initiative


def search(client, q):
    return client.get(reverse("catalog:search"), {"q": q})


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("lion", "The Sixth Awakened Lion"),
        ("第六只醒狮", "The Sixth Awakened Lion"),
        ("醒", "The Sixth Awakened Lion"),  # one Chinese character
        ("醒狮", "The Sixth Awakened Lion"),  # two
        ("跟着微短剧", "Travel with Micro-Dramas"),
        ("剧", "Travel with Micro-Dramas"),
        ("厦门", "Xiamen"),
        ("xiamen", "Xiamen"),
        ("澎湃", "The Paper"),
        ("非物质", "Intangible cultural heritage"),
    ],
)
def test_search_finds_works_initiatives_places_and_organisations_in_english_or_chinese(
    client, records, query, found
):
    response = search(client, query)
    assert response.status_code == 200
    assert found in text(response)


def test_search_results_are_grouped_by_kind_with_the_original_name_beside(client, records):
    page = text(search(client, "Lion"))
    assert "Works (1)" in page
    assert "The Sixth Awakened Lion 第六只醒狮" in page
    assert "1 result for “Lion”" in page


def test_search_never_shows_works_listed_only_in_a_draft_batch(client, records):
    page = text(search(client, "狮"))
    assert "The Sixth Awakened Lion" in page
    assert "Hidden Lion" not in page


def test_empty_search_asks_for_a_query_without_an_error(client, records):
    response = search(client, "   ")
    assert response.status_code == 200
    assert "Type a title, a name or a place, in English or Chinese." in text(response)


def test_search_page_without_a_query_shows_just_the_form(client, records):
    response = client.get(reverse("catalog:search"))
    assert response.status_code == 200
    assert "Type a title" not in text(response)
    assert '<label for="search-q">' in response.content.decode()


def test_over_long_search_gets_a_clear_message_not_an_error(client, records):
    response = search(client, "剧" * 101)
    assert response.status_code == 200
    assert "That search is 101 characters long; please use 100 at most." in text(response)


def test_a_null_character_in_the_search_is_ignored_not_a_server_error(client, records):
    response = search(client, "醒\x00狮")
    assert response.status_code == 200
    assert "The Sixth Awakened Lion" in text(response)
    response = search(client, "\x00")
    assert response.status_code == 200
    assert "Type a title, a name or a place, in English or Chinese." in text(response)


def test_search_with_no_match_says_so(client, records):
    page = text(search(client, "zzzz"))
    assert "Nothing in the catalog matches “zzzz”." in page


def test_search_html_is_escaped(client, records):
    html = search(client, "<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in html


def test_search_takes_the_same_number_of_queries_for_3_and_30_matches(
    client, records, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        search(client, "Work")
    for _ in range(30):
        RecommendationFactory(batch=records.batches.get(number=4), theme=None)
    with django_assert_max_num_queries(12):
        response = search(client, "Work")
    assert "Works (20+)" in text(response)
    assert "All matching works" in text(response)


def test_chinese_interface_search_page(client, records):
    with translation.override("zh-hans"):
        response = client.get("/zh-hans/search/", {"q": "醒狮"})
    page = text(response)
    assert "搜索" in page
    # The Chinese interface puts the Chinese title first.
    assert "第六只醒狮 The Sixth Awakened Lion" in page


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking uses pg_trgm; SQLite orders by title"
)
@pytest.mark.parametrize("path", ["/works/", "/search/"])
def test_the_closest_match_comes_first_on_the_works_list_and_the_search_page(client, path):
    WorkFactory(slug="a", title="A Macauesque night")  # first by title, a partial match
    WorkFactory(slug="b", title="Macau")

    html = client.get(path, {"q": "macau"}).content.decode()

    assert html.index("/works/b/") < html.index("/works/a/")


def test_an_explicit_order_replaces_the_ranking_on_the_works_list(client):
    WorkFactory(slug="a", title="A Macauesque night")
    WorkFactory(slug="b", title="Macau")

    html = client.get("/works/", {"q": "macau", "ordering": "-title"}).content.decode()

    assert html.index("/works/b/") < html.index("/works/a/")
    html = client.get("/works/", {"q": "macau", "ordering": "title"}).content.decode()
    assert html.index("/works/a/") < html.index("/works/b/")
