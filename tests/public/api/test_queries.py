"""Query counts do not grow with the page size: the related records a list shows come as
JSON columns of its page query (public/api/rows.py) or, for a few, one prefetch each. The
bound for 5 records and for 50 is the same."""

import pytest
from django.core.cache import cache
from django.db import connection

from catalog.models import Place, WorkTitle
from core.models import PublicState
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    FigureFactory,
    InitiativeFactory,
    InitiativeOrganisationFactory,
    OrganisationFactory,
    PlaceFactory,
    RecommendationFactory,
    SourceFactory,
    ThemeFactory,
    WorkFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
    published_at_the_end,
)

pytestmark = pytest.mark.django_db

# The public state (ETag, Last-Modified), the count, the page with its related records, and
# one prefetch at most (works: the published recommendations; batches: their per-theme
# counts and recommendations, with a warm state). The state comes from the shared cache once
# a request has read it (PublicState.cached()); a cold cache adds one query.
LIST_QUERIES = 4


def warm():
    """What production holds after its first request: the public state in the shared cache,
    and on SQLite Django's one-off probe of the JSON functions (once per connection)."""
    PublicState.cached()
    connection.features.supports_json_field  # noqa: B018


def build_catalog(n):
    with published_at_the_end():
        return _build_catalog(n)


def _build_catalog(n):
    themes = [ThemeFactory() for _ in range(3)]
    province = PlaceFactory(kind=Place.Kind.PROVINCE)
    for _ in range(n):
        initiative = InitiativeFactory()
        InitiativeOrganisationFactory(initiative=initiative)
        initiative.themes.set(themes)
        batch = BatchFactory(initiative=initiative)
        for theme in themes:
            BatchThemeCountFactory(batch=batch, theme=theme)
        source = SourceFactory()
        work = WorkFactory(themes=themes[:2], sources=[source, SourceFactory()])
        WorkTitle.objects.create(
            work=work, title=f"作品{work.pk}", language="zh-Hans", source=source, excerpt="《作品》"
        )
        FigureFactory(place=province, initiative=initiative, source=source)
        RecommendationFactory(batch=batch, work=work, theme=themes[0])
        WorkPlaceFactory(work=work, place=PlaceFactory(parent=province))
        WorkOrganisationFactory(work=work, organisation=OrganisationFactory(place=province))
    return themes


@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize(
    "endpoint",
    ["works", "themes", "initiatives", "batches", "places", "organisations", "figures"],
)
def test_list_query_count_is_flat_in_the_page_size(api, django_assert_max_num_queries, endpoint, n):
    build_catalog(n)
    warm()

    with django_assert_max_num_queries(LIST_QUERIES):
        response = api.get(f"/api/v1/{endpoint}/", {"page_size": 100})

    assert response.status_code == 200
    assert len(response.json()["results"]) >= min(n, 3)


@pytest.mark.parametrize(
    "endpoint",
    ["works", "themes", "initiatives", "places", "organisations", "figures"],
)
def test_with_a_cold_cache_a_list_reads_the_public_state_once_more(
    api, django_assert_max_num_queries, endpoint
):
    build_catalog(5)
    connection.features.supports_json_field  # noqa: B018
    cache.clear()

    with django_assert_max_num_queries(LIST_QUERIES):
        assert api.get(f"/api/v1/{endpoint}/", {"page_size": 100}).status_code == 200


@pytest.mark.parametrize("endpoint", ["works", "batches", "places", "works/{slug}"])
def test_a_conditional_get_answered_304_costs_one_query_at_most_and_none_from_the_cache(
    api, django_assert_max_num_queries, django_assert_num_queries, endpoint
):
    build_catalog(3)
    path = "/api/v1/" + endpoint.format(slug=RecommendationFactory().work.slug) + "/"
    etag = api.get(path)["ETag"]
    cache.clear()

    with django_assert_max_num_queries(1):
        assert api.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_assert_num_queries(0):
        assert api.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize("n", [5, 50])
def test_filtered_work_list_query_count_is_flat_in_the_page_size(
    api, django_assert_max_num_queries, n
):
    themes = build_catalog(n)
    province = Place.objects.filter(parent=None)[0]
    warm()

    # + the theme lookup, and the place with everything inside it (one query).
    with django_assert_max_num_queries(LIST_QUERIES + 2):
        response = api.get(
            "/api/v1/works/",
            {"theme": themes[0].slug, "place": province.slug, "page_size": 100},
        )

    assert response.json()["count"] == n


@pytest.mark.parametrize("n", [5, 50])
def test_a_keyed_request_adds_one_query_for_the_key(partner, django_assert_max_num_queries, n):
    build_catalog(n)
    warm()

    with django_assert_max_num_queries(LIST_QUERIES + 1):
        assert partner.get("/api/v1/works/", {"page_size": 100}).status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_csv_export_query_count_is_flat_in_the_number_of_rows(
    api, django_assert_max_num_queries, n
):
    build_catalog(n)
    warm()

    # No count: the state, then per chunk of records the rows and their recommendations.
    with django_assert_max_num_queries(LIST_QUERIES - 1):
        response = api.get("/api/v1/works/", {"format": "csv"})
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert len(lines) == n + 1


def test_a_detail_takes_a_handful_of_queries(api, django_assert_max_num_queries):
    build_catalog(2)
    work = RecommendationFactory().work
    warm()

    with django_assert_max_num_queries(LIST_QUERIES - 1):
        assert api.get(f"/api/v1/works/{work.slug}/").status_code == 200
