"""API lists and records from the shared cache (core/api/viewsets.py, issue 11): built once
per public-state version, shared by anonymous callers and partners, retired by publishing,
counted by the throttle all the same, and never in the way when the cache is down."""

import socket

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from config.settings.base import redis_cache
from core import publication
from tests.factories import ThemeFactory, WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_cache(settings):
    settings.API_CACHE_SECONDS = 600


@pytest.fixture
def works():
    # Far apart, so that a search on PostgreSQL (which admits near misses) finds one.
    titles = ["Lion Dance", "River Town", "Tea Road"]
    return [WorkFactory(slug=f"w{n}", title=title) for n, title in enumerate(titles)]


def slugs(response):
    return [w["slug"] for w in response.json()["results"]]


def tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


def test_a_repeated_list_is_answered_without_reading_the_works(api, works, api_cache):
    first = api.get("/api/v1/works/", {"page_size": 2})
    with CaptureQueriesContext(connection) as queries:
        again = api.get("/api/v1/works/", {"page_size": 2})
    assert again.json() == first.json()
    assert again["Link"] == first["Link"]  # the pagination headers come back too
    assert "catalog_work" not in tables(queries)
    assert len(queries) <= 1  # the public state, for the validators


def test_a_record_is_cached_and_an_unknown_one_is_not(api, works, api_cache):
    api.get("/api/v1/works/w1/")
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/works/w1/").json()["slug"] == "w1"
    assert "catalog_work" not in tables(queries)
    assert api.get("/api/v1/works/missing/").status_code == 404
    assert api.get("/api/v1/works/missing/").status_code == 404


def test_publishing_retires_the_cached_lists(api, works, api_cache):
    assert len(slugs(api.get("/api/v1/works/"))) == 3
    WorkFactory(slug="new", title="A New Work")  # published: the public state moves
    assert "new" in slugs(api.get("/api/v1/works/"))


def test_partners_and_anonymous_callers_share_entries(api, partner, works, api_cache):
    anonymous = api.get("/api/v1/works/")
    with CaptureQueriesContext(connection) as queries:
        keyed = partner.get("/api/v1/works/")
    assert keyed.json() == anonymous.json()
    assert "catalog_work" not in tables(queries)
    assert "max-age" not in keyed.get("Cache-Control", "")  # a partner's answer stays private


def test_different_addresses_and_languages_are_different_entries(api, works, api_cache):
    assert slugs(api.get("/api/v1/works/", {"q": "River"})) == ["w1"]
    assert len(slugs(api.get("/api/v1/works/"))) == 3
    english = api.get("/api/v1/works/w1/", HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = api.get("/api/v1/works/w1/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert english["slug"] == chinese["slug"] == "w1"


def test_cached_answers_still_count_against_the_rate_limit(api, works, api_cache, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "api_key": "3/min"},
    }
    statuses = [api.get("/api/v1/works/").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_without_a_shared_cache_every_request_builds_its_answer(api, works, settings):
    settings.API_CACHE_SECONDS = 0
    api.get("/api/v1/works/")
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/works/")
    assert "catalog_work" in tables(queries)


@pytest.fixture
def redis_refused(settings):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{port}/0")}
    yield
    cache.reset_breaker()


def test_the_api_answers_while_the_cache_is_down(api, works, api_cache, redis_refused):
    for _ in range(2):
        response = api.get("/api/v1/works/")
        assert response.status_code == 200
        assert len(slugs(response)) == 3
    assert api.get("/api/v1/works/w1/").json()["slug"] == "w1"


@pytest.fixture
def themed(works):
    heritage = ThemeFactory(slug="heritage", name="Heritage")
    for work in works[:2]:
        work.themes.add(heritage)
    publication.refresh(publication.touched_by(heritage))
    return heritage


def test_a_filtered_list_with_facets_is_answered_from_the_cache_alone(api, themed, api_cache):
    """The filters' values are checked and the facets counted when the page is built, not
    on every hit: before, a hit looked the theme up and counted every facet again."""
    params = {"theme": "heritage", "facets": "theme,year"}
    first = api.get("/api/v1/works/", params)
    assert first.status_code == 200
    assert slugs(first) == ["w0", "w1"]
    assert [v["count"] for v in first.json()["facets"]["theme"]] == [2]
    with CaptureQueriesContext(connection) as queries:
        again = api.get("/api/v1/works/", params)
    assert again.json() == first.json()
    assert len(queries) <= 1  # the public state, for the validators
    assert "catalog_" not in tables(queries)


def test_a_cached_list_whose_filter_value_is_withdrawn_answers_400(api, works, themed, api_cache):
    """Withdrawn (no longer published on its own, and no public work shows it), the theme is
    not a filter value any more, and its cached page went with the public state."""
    assert api.get("/api/v1/works/", {"theme": "heritage"}).status_code == 200
    for work in works[:2]:
        work.delete()
    themed.published_directly = False
    themed.save()
    publication.refresh()  # what the admin's save does (core.publication.record_changed)
    assert api.get("/api/v1/themes/heritage/").status_code == 404
    response = api.get("/api/v1/works/", {"theme": "heritage"})
    assert response.status_code == 400
    assert "theme" in response.json()["errors"]


def test_bad_parameters_answer_400_whatever_the_cache_holds(api, works, api_cache):
    assert api.get("/api/v1/works/").status_code == 200
    for params in ({"page_size": "0"}, {"facets": "colour"}, {"theme": "nowhere"}):
        for _ in range(2):  # an error is never kept
            assert api.get("/api/v1/works/", params).status_code == 400, params
    csv = api.get("/api/v1/works/", {"format": "csv", "facets": "colour"})
    assert csv.status_code == 400


def test_a_hit_sends_the_bytes_it_kept(api, works, api_cache, monkeypatch):
    """Kept rendered: a hit neither decodes the page's data nor encodes it again."""
    first = api.get("/api/v1/works/", {"page_size": 2})

    def no_rendering(*args, **kwargs):
        raise AssertionError("a cache hit rendered its answer again")

    monkeypatch.setattr(JSONRenderer, "render", no_rendering)
    again = api.get("/api/v1/works/", {"page_size": 2})
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json"
    assert again["Link"] == first["Link"]
    assert again["ETag"] == first["ETag"]


def test_an_indented_answer_is_an_entry_of_its_own(api, works, api_cache):
    compact = api.get("/api/v1/works/w1/")
    indented = api.get("/api/v1/works/w1/", HTTP_ACCEPT="application/json; indent=2")
    assert b"\n" not in compact.content
    assert indented.content.startswith(b'{\n  "')
    assert indented.json() == compact.json()
    assert api.get("/api/v1/works/w1/").content == compact.content
