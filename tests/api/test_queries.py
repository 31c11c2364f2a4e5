"""Query counts do not grow with the page size: every relation a list shows is prefetched.
The bound for 5 records and for 50 is the same."""

import pytest

from catalog.models import Place, WorkTitle
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

# count, page, then one per prefetched relation (works: themes, title renderings, places,
# organisations, recommendations with their batches, sources), plus the filter's own lookups,
# plus the batches' newest change (a list's Last-Modified).
LIST_QUERIES = 9


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

    with django_assert_max_num_queries(LIST_QUERIES):
        response = api.get(f"/api/v1/{endpoint}/", {"page_size": 100})

    assert response.status_code == 200
    assert len(response.json()["results"]) >= min(n, 3)


@pytest.mark.parametrize("n", [5, 50])
def test_filtered_work_list_query_count_is_flat_in_the_page_size(
    api, django_assert_max_num_queries, n
):
    themes = build_catalog(n)

    # + the theme and place lookups, + one query per level below the province, + the title
    # renderings.
    with django_assert_max_num_queries(LIST_QUERIES + 5):
        response = api.get(
            "/api/v1/works/",
            {
                "theme": themes[0].slug,
                "place": Place.objects.filter(parent=None)[0].slug,
                "page_size": 100,
            },
        )

    assert response.json()["count"] == n


@pytest.mark.parametrize("n", [5, 50])
def test_a_keyed_request_adds_one_query_for_the_key(partner, django_assert_max_num_queries, n):
    build_catalog(n)

    with django_assert_max_num_queries(LIST_QUERIES + 1):
        assert partner.get("/api/v1/works/", {"page_size": 100}).status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_csv_export_query_count_is_flat_in_the_number_of_rows(
    api, django_assert_max_num_queries, n
):
    build_catalog(n)

    with django_assert_max_num_queries(LIST_QUERIES):
        response = api.get("/api/v1/works/", {"format": "csv"})
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert len(lines) == n + 1


def test_a_detail_takes_a_handful_of_queries(api, django_assert_max_num_queries):
    build_catalog(2)
    work = RecommendationFactory().work

    with django_assert_max_num_queries(LIST_QUERIES):
        assert api.get(f"/api/v1/works/{work.slug}/").status_code == 200
