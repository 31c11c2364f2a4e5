"""Query counts do not grow with the page size: the related records a list shows come as
JSON columns of its page query (public/api/rows.py) or, for a few, one prefetch each. The
bound for 5 records and for 50 is the same."""

import pytest
from django.core.cache import cache
from django.db import connection

from catalog.models import Place, Work, WorkTitle
from core.models import PublicState
from initiatives.models import Batch, Initiative
from public.api.views import WorkViewSet
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
    create_in_bulk,
    link,
    published_at_the_end,
)

pytestmark = pytest.mark.django_db

# The public state (ETag, Last-Modified), the count, the page with its related records, and
# one prefetch at most (batches: their per-theme counts and recommendations, with a warm
# state). The state comes from the shared cache once
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
    """n of each record the lists show, each work with its initiative, batch, counts per
    theme, sources, Chinese title, figure, listing, place and organisation; saved in bulk
    (one INSERT per model) so that n = 50 costs little more than n = 5."""
    themes = ThemeFactory.create_batch(3)
    province = PlaceFactory(kind=Place.Kind.PROVINCE)
    initiatives = create_in_bulk(InitiativeFactory, n)
    link(Initiative.sources, zip(initiatives, create_in_bulk(SourceFactory, n), strict=True))
    link(Initiative.themes, [(initiative, theme) for initiative in initiatives for theme in themes])
    organisations = create_in_bulk(OrganisationFactory, n)
    create_in_bulk(
        InitiativeOrganisationFactory,
        [
            {"initiative": i, "organisation": o}
            for i, o in zip(initiatives, organisations, strict=True)
        ],
    )
    batches = create_in_bulk(BatchFactory, [{"initiative": i} for i in initiatives])
    link(Batch.sources, zip(batches, create_in_bulk(SourceFactory, n), strict=True))
    create_in_bulk(
        BatchThemeCountFactory, [{"batch": b, "theme": t} for b in batches for t in themes]
    )
    # A listed work is public through its batches only (as RecommendationFactory makes it).
    works = create_in_bulk(WorkFactory, n, published_directly=False)
    sources = create_in_bulk(SourceFactory, n)
    link(Work.sources, zip(works, sources, strict=True))
    link(Work.sources, zip(works, create_in_bulk(SourceFactory, n), strict=True))
    link(Work.themes, [(work, theme) for work in works for theme in themes[:2]])
    WorkTitle.objects.bulk_create(
        WorkTitle(
            work=work, title=f"作品{work.pk}", language="zh-Hans", source=source, excerpt="《作品》"
        )
        for work, source in zip(works, sources, strict=True)
    )
    create_in_bulk(
        FigureFactory,
        [{"initiative": i, "source": s} for i, s in zip(initiatives, sources, strict=True)],
        place=province,
    )
    create_in_bulk(
        RecommendationFactory,
        [{"batch": b, "work": w} for b, w in zip(batches, works, strict=True)],
        theme=themes[0],
    )
    places = create_in_bulk(PlaceFactory, n, parent=province)
    create_in_bulk(
        WorkPlaceFactory, [{"work": w, "place": p} for w, p in zip(works, places, strict=True)]
    )
    organisations = create_in_bulk(OrganisationFactory, n, place=province)
    create_in_bulk(
        WorkOrganisationFactory,
        [{"work": w, "organisation": o} for w, o in zip(works, organisations, strict=True)],
    )
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


@pytest.mark.parametrize("n", [5, 50])
def test_works_come_with_all_they_show_in_their_page_query(
    api, django_assert_num_queries, settings, n
):
    """A work's listings are a JSON column of the page query, as its themes, places,
    organisations, titles and sources are: a page is its count and its rows, a record one
    query. (With Redis they are kept per work instead: tests/public/api/test_kept_rows.py.)"""
    settings.API_ROWS_CACHE_SECONDS = 0
    build_catalog(n)
    work = RecommendationFactory(theme=None).work
    warm()

    with django_assert_num_queries(2):
        listing = api.get("/api/v1/works/", {"page_size": 100}).json()
    with django_assert_num_queries(1):
        record = api.get(f"/api/v1/works/{work.slug}/").json()

    assert all(each["recommendations"] for each in listing["results"])
    (listed,) = record["recommendations"]
    assert listed["theme"] is None
    assert listed["batch"]["slug"] == work.recommendations.get().batch.slug
    assert listed["initiative"]["slug"] == work.recommendations.get().batch.initiative.slug
    assert listed["date"] == work.recommendations.get().batch.announced_on.isoformat()


def test_a_detail_takes_a_handful_of_queries(api, django_assert_max_num_queries):
    build_catalog(2)
    work = RecommendationFactory().work
    warm()

    with django_assert_max_num_queries(LIST_QUERIES - 1):
        assert api.get(f"/api/v1/works/{work.slug}/").status_code == 200


def test_a_works_related_rows_are_read_without_joining_the_works_table_again():
    """Titles, places and organisations are ordered as their models are, less the work: the
    models' orderings start with the work, and ordering one work's rows by it joined the
    works' table again for each related row."""
    sql = str(WorkViewSet.base_queryset().query)
    assert 'INNER JOIN "catalog_work"' not in sql
