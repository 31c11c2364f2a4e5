"""Admin lists cost the same number of queries however many rows they show: a column that
follows a relation (a parent, a place, a source) must not query once per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    BatchFactory,
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
)

# Each maker adds one row whose optional relations are all filled in.
ROW_MAKERS = {
    "catalog_place": lambda: PlaceFactory(parent=PlaceFactory()),
    "catalog_organisation": lambda: OrganisationFactory(
        parent=OrganisationFactory(), place=PlaceFactory()
    ),
    "catalog_workplace": lambda: WorkPlaceFactory(source=SourceFactory()),
    "catalog_workorganisation": lambda: WorkOrganisationFactory(source=SourceFactory()),
    "initiatives_initiative": lambda: InitiativeFactory(parent=InitiativeFactory()),
    "initiatives_initiativeorganisation": lambda: InitiativeOrganisationFactory(
        source=SourceFactory()
    ),
}


def changelist_queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ROW_MAKERS)
def test_an_admin_list_takes_no_more_queries_with_more_rows(editor_client, name):
    make = ROW_MAKERS[name]
    make()
    few = changelist_queries(editor_client, name)
    for _ in range(4):
        make()

    assert changelist_queries(editor_client, name) == few


# The tables that grow with the catalog (core.admin.LargeListAdmin): a million rows and more
# at 1M works.
LARGE_LISTS = {
    "catalog_work": lambda: WorkFactory(),
    "catalog_workplace": lambda: WorkPlaceFactory(),
    "catalog_workorganisation": lambda: WorkOrganisationFactory(),
    "initiatives_recommendation": lambda: RecommendationFactory(),
}


@pytest.mark.parametrize("name", LARGE_LISTS)
def test_a_large_admin_list_shows_the_newest_first_and_counts_no_whole_table_when_searched(
    editor_client, name
):
    """Sorted by the model's order (a title, a batch's date), each page of these lists
    sorted the whole table: 0.5 to 2.4 s at 1M works. Newest first, the page is read along
    the primary key's index. A searched list counts its matches, not the table as well."""
    made = [LARGE_LISTS[name]() for _ in range(3)]
    response = editor_client.get(reverse(f"admin:{name}_changelist"))
    shown = [record.pk for record in response.context["cl"].result_list]
    assert shown == sorted((record.pk for record in made), reverse=True)

    with CaptureQueriesContext(connection) as queries:
        assert editor_client.get(reverse(f"admin:{name}_changelist"), {"q": "x"}).status_code == 200
    counts = [q["sql"] for q in queries if q["sql"].startswith('SELECT COUNT(*) AS "__count"')]
    assert counts
    assert all("WHERE" in sql for sql in counts), counts


def test_the_works_admin_finds_a_work_by_its_title_or_its_whole_slug(editor_client):
    """Its text fields are searched as Django searches them, by their trigram indexes; the
    slug is matched whole (a slug searched in part, by UPPER(slug), which no index serves,
    made every search read the whole table)."""
    WorkFactory(slug="tea-road", title="The Tea Road", title_original="茶路")
    WorkFactory(slug="tea-road-2", title="Silk Road")

    def found(term):
        response = editor_client.get(reverse("admin:catalog_work_changelist"), {"q": term})
        return sorted(work.slug for work in response.context["cl"].result_list)

    assert found("tea road") == ["tea-road"]
    assert found("茶") == ["tea-road"]
    assert found("road") == ["tea-road", "tea-road-2"]
    assert found("tea-road-2") == ["tea-road-2"]
    assert found("road-2") == []


def test_a_batchs_page_takes_no_more_queries_with_more_listings(editor_client):
    """Each listing row named its work, batch and initiative (its title) and asked the
    database for the record each autocomplete shows: about six queries a row (500 listings of
    the 1M-work catalog: over 2,700 queries and 8 s). The rows come with their records."""
    batch = BatchFactory()
    theme, source = ThemeFactory(), SourceFactory()

    def listed(n):
        for _ in range(n):
            RecommendationFactory(batch=batch, theme=theme, source=source)
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(reverse("admin:initiatives_batch_change", args=[batch.pk]))
        assert response.status_code == 200
        return len(queries), response.content.decode()

    few, _page = listed(2)
    many, page = listed(10)
    assert many <= few  # the first pages read the content types once more
    for recommendation in batch.recommendations.select_related("work"):
        work = recommendation.work
        assert f'<option value="{work.pk}" selected>{work}</option>' in page
    assert page.count(f'<option value="{source.pk}" selected>{source}</option>') == 12
