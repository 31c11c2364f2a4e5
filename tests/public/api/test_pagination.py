"""Page numbers, the sync cursor, Link headers and CSV export."""

import csv
import io

import pytest
from django.utils import timezone

from catalog.models import Work
from tests.factories import (
    RecommendationFactory,
    ThemeFactory,
    WorkFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
    create_in_bulk,
    create_works_in_bulk,
    published_at_the_end,
)

pytestmark = pytest.mark.django_db


def make_works(n):
    return [WorkFactory(slug=f"w{i:03d}", title=f"Work {i:03d}") for i in range(n)]


def make_many_works(n):
    """The works make_works() makes, saved in bulk: for the tests that only page through
    them (the cursor tests keep one save, so one `updated_at`, per work)."""
    with published_at_the_end():
        return create_works_in_bulk(
            [{"slug": f"w{i:03d}", "title": f"Work {i:03d}"} for i in range(n)]
        )


def test_lists_are_paged_twenty_at_a_time_with_count_and_links(api):
    make_many_works(45)

    first = api.get("/api/v1/works/")
    third = api.get("/api/v1/works/", {"page": 3})

    body = first.json()
    assert body["count"] == 45
    assert len(body["results"]) == 20
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/v1/works/?page=2"
    assert [w["slug"] for w in third.json()["results"]] == [f"w{i:03d}" for i in range(40, 45)]
    assert third.json()["next"] is None
    assert third.json()["previous"] == "http://testserver/api/v1/works/?page=2"


def test_link_header_names_first_previous_next_and_last_pages(api):
    make_works(5)

    response = api.get("/api/v1/works/", {"page": 2, "page_size": 2})

    assert response["Link"] == (
        '<http://testserver/api/v1/works/?page_size=2>; rel="first", '
        '<http://testserver/api/v1/works/?page_size=2>; rel="prev", '
        '<http://testserver/api/v1/works/?page=3&page_size=2>; rel="next", '
        '<http://testserver/api/v1/works/?page=3&page_size=2>; rel="last"'
    )


def test_page_size_is_honoured_up_to_one_hundred(api):
    make_many_works(101)

    assert len(api.get("/api/v1/works/", {"page_size": 100}).json()["results"]) == 100
    too_big = api.get("/api/v1/works/", {"page_size": 101})
    assert too_big.status_code == 400
    assert list(too_big.json()["errors"]) == ["page_size"]


def test_links_keep_the_filters(api):
    theme = ThemeFactory(slug="heritage")
    for i in range(3):
        WorkFactory(slug=f"t{i}", themes=[theme])

    body = api.get("/api/v1/works/", {"theme": "heritage", "page_size": 2}).json()

    assert body["next"] == "http://testserver/api/v1/works/?page=2&page_size=2&theme=heritage"


def follow_cursor(api, params):
    seen, url, pages = [], "/api/v1/works/", 0
    response = api.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [w["slug"] for w in body["results"]]
        pages += 1
        if not body["next"]:
            return seen, pages
        response = api.get(body["next"])


def test_cursor_mode_walks_every_record_once_in_updated_at_order(api):
    make_works(7)

    seen, pages = follow_cursor(api, {"mode": "cursor", "page_size": 3})

    assert sorted(seen) == [f"w{i:03d}" for i in range(7)]
    assert len(set(seen)) == 7
    assert pages == 3


def test_cursor_mode_stays_correct_while_records_change_during_the_sync(api):
    works = make_works(6)
    first = api.get("/api/v1/works/", {"mode": "cursor", "page_size": 3}).json()
    synced = [w["slug"] for w in first["results"]]

    # Meanwhile: an already-synced work changes, a not-yet-synced one is deleted, one is added.
    Work.objects.get(slug=synced[0]).save()
    unsynced = [w for w in works if w.slug not in synced]
    unsynced[0].delete()
    WorkFactory(slug="new")

    rest = []
    response = api.get(first["next"])
    while True:
        body = response.json()
        rest += [w["slug"] for w in body["results"]]
        if not body["next"]:
            break
        response = api.get(body["next"])

    expected = [w.slug for w in unsynced[1:]] + [synced[0], "new"]
    assert sorted(rest) == sorted(expected)  # nothing skipped; the changed work comes again
    assert rest[-2:] == [synced[0], "new"]  # in the order they changed


def test_cursor_mode_with_updated_since_is_the_incremental_sync(api):
    make_works(3)
    since = timezone.now()
    WorkFactory(slug="changed-later")

    seen, _ = follow_cursor(api, {"mode": "cursor", "updated_since": since.isoformat()})

    assert seen == ["changed-later"]


def test_a_forged_cursor_is_a_bad_request(api):
    response = api.get("/api/v1/works/", {"mode": "cursor", "cursor": "bm90LWEtY3Vyc29y"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]


def test_cursor_mode_does_not_combine_with_ordering(api):
    response = api.get("/api/v1/works/", {"mode": "cursor", "ordering": "title"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["ordering"]


def read_csv(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def test_csv_export_streams_every_matching_work_with_the_same_filters(api):
    theme = ThemeFactory(slug="heritage")
    with published_at_the_end():
        for i in range(25):
            RecommendationFactory(work=WorkFactory(slug=f"h{i:02d}", themes=[theme]), theme=theme)
    WorkFactory(slug="elsewhere", title_original="别处")

    response = api.get("/api/v1/works/", {"format": "csv", "theme": "heritage"})

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="works.csv"'
    rows = read_csv(response)
    assert len(rows) == 25  # all of them, not one page
    assert rows[0]["themes"] == "heritage"
    assert rows[0]["url"].startswith("http://testserver/works/h")


def test_csv_export_keeps_chinese_text_and_joins_lists(api):
    a, b = ThemeFactory(slug="a"), ThemeFactory(slug="b")
    WorkFactory(slug="tea", title="The Tea Road", title_original="茶路", themes=[a, b])

    rows = read_csv(api.get("/api/v1/works/", {"format": "csv"}))

    assert rows[0]["title_original"] == "茶路"
    assert rows[0]["themes"] == "a; b"


@pytest.mark.parametrize(
    "endpoint", ["themes", "initiatives", "batches", "places", "organisations"]
)
def test_every_list_endpoint_exports_csv(api, endpoint):
    work = RecommendationFactory().work  # one work, theme, initiative and batch
    WorkPlaceFactory(work=work)
    WorkOrganisationFactory(work=work)

    response = api.get(f"/api/v1/{endpoint}/", {"format": "csv"})

    assert response.status_code == 200
    rows = read_csv(response)
    assert len(rows) == 1
    assert rows[0]["slug"]


def test_csv_is_not_offered_on_a_detail(api):
    work = WorkFactory()

    response = api.get(f"/api/v1/works/{work.slug}/", {"format": "csv"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["format"]


def test_a_page_beyond_the_bound_is_a_bad_request_pointing_to_the_cursor(api):
    make_works(3)

    response = api.get("/api/v1/works/", {"page": 101, "page_size": 100})

    assert response.status_code == 400
    (message,) = response.json()["errors"]["page"]
    assert "10000" in message
    assert "mode=cursor" in message
    # At the bound itself the page is served, or found out of range like any other page.
    assert api.get("/api/v1/works/", {"page": 500, "page_size": 20}).json()["errors"]["page"] == [
        "Page 500 is out of range: the last page is 1."
    ]


@pytest.mark.parametrize(
    "params", [{}, {"ordering": "-newest_batch"}, {"mode": "cursor"}, {"ordering": "title"}]
)
def test_the_page_count_is_one_plain_count_of_the_filtered_records(api, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    RecommendationFactory()
    make_works(3)

    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/works/", params).json()["count"] == 4

    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert " JOIN " not in counts[0].upper()
    assert "ORDER BY" not in counts[0].upper()


def bulk_public_works(n):
    """`n` works published on their own, in one insert."""
    with published_at_the_end():
        create_in_bulk(
            WorkFactory, [{"slug": f"bulk-{i:05d}", "title": f"Bulk {i:05d}"} for i in range(n)]
        )


def test_a_count_past_the_bound_stops_there_and_says_so_in_both_modes(api):
    from core.pagination import COUNT_BOUND

    bulk_public_works(COUNT_BOUND + 1)
    WorkFactory(slug="small", title="Small")

    first = api.get("/api/v1/works/")
    cursor = api.get("/api/v1/works/", {"mode": "cursor"})
    narrow = api.get("/api/v1/works/", {"q": "Small"})

    assert (first.json()["count"], first.json()["count_is_capped"]) == (COUNT_BOUND, True)
    assert (cursor.json()["count"], cursor.json()["count_is_capped"]) == (COUNT_BOUND, True)
    assert (narrow.json()["count"], narrow.json()["count_is_capped"]) == (1, False)
    # The last numbered page ends at the bound; the cursor goes on past it.
    last = COUNT_BOUND // 20
    assert f'page={last}>; rel="last"' in first["Link"]
    final = api.get("/api/v1/works/", {"page": last})
    assert len(final.json()["results"]) == 20
    assert final.json()["next"] is None
    assert api.get("/api/v1/works/", {"page": last + 1}).status_code == 400
    assert cursor.json()["next"]


def test_the_last_page_of_an_uneven_size_is_served_up_to_the_bound(api):
    from core.pagination import COUNT_BOUND

    bulk_public_works(COUNT_BOUND + 5)

    response = api.get("/api/v1/works/", {"page_size": 30, "page": COUNT_BOUND // 30 + 1})

    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == COUNT_BOUND % 30
    assert body["next"] is None


def test_a_cursor_page_starts_its_index_range_at_the_position(api):
    """The page after a cursor reads the (updated_at, id) index from the position on: a
    cursor deep into a million works costs what the first page costs (docs/benchmarks.md)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    make_works(5)
    first = api.get("/api/v1/works/", {"mode": "cursor", "page_size": 2}).json()

    with CaptureQueriesContext(connection) as queries:
        api.get(first["next"])
    (page,) = [
        q["sql"]
        for q in queries.captured_queries
        if "LIMIT 3" in q["sql"] and "COUNT" not in q["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {page}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "catalog_work_public_sync" in plan
    assert "Index Cond: (updated_at >=" in plan
