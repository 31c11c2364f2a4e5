"""CSV export (`format=csv`): a 200 is a complete file or says it is not, and no cell is a
formula a spreadsheet would run (OWASP "CSV Injection")."""

import csv
import io
from decimal import Decimal

import pytest

from core.api import viewsets
from public.api.serializers import PublicUrlField
from tests.factories import FigureFactory, OrganisationFactory, PlaceFactory, WorkFactory

pytestmark = pytest.mark.django_db

INJECTION = "=cmd|' /C calc'!A0"


def content(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content(response).removeprefix("\ufeff"))))


def fail_on_call(monkeypatch, number: int):
    """Make the public URL of the number-th record serialized raise, as a bug would."""
    calls = {"n": 0}
    original = PublicUrlField.to_representation

    def to_representation(self, value):
        calls["n"] += 1
        if calls["n"] == number:
            raise RuntimeError("simulated fault")
        return original(self, value)

    monkeypatch.setattr(PublicUrlField, "to_representation", to_representation)


def test_a_fault_in_the_first_records_is_an_error_answer_not_a_200_that_breaks_off(
    api, monkeypatch
):
    WorkFactory.create_batch(3)
    fail_on_call(monkeypatch, 1)
    api.raise_request_exception = False

    response = api.get("/api/v1/works/", {"format": "csv"})

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert not response.streaming


def test_a_fault_after_streaming_began_ends_the_file_with_a_marked_line(api, monkeypatch):
    for i in range(5):
        WorkFactory(slug=f"w{i}", title=f"Work {i}")
    monkeypatch.setattr(viewsets, "CSV_CHUNK_SIZE", 2)
    fail_on_call(monkeypatch, 3)  # the first record of the second chunk

    response = api.get("/api/v1/works/", {"format": "csv"})

    assert response.status_code == 200
    lines = content(response).splitlines()
    assert [line.split(",")[1] for line in lines[1:3]] == ["w0", "w1"]  # the first chunk
    assert len(lines) == 4
    assert lines[-1].startswith("#INCOMPLETE: a server error stopped the export after 2 records")


def test_the_export_starts_with_a_byte_order_mark_and_names_the_file(api):
    WorkFactory(title_original="茶路")

    response = api.get("/api/v1/works/", {"format": "csv"})

    assert content(response).startswith("\ufeffid,slug,title,title_original,")
    assert response["Content-Disposition"] == 'attachment; filename="works.csv"'


def test_a_title_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(api):
    WorkFactory(slug="calc", title=INJECTION, title_original="+1 中文")

    (row,) = rows(api.get("/api/v1/works/", {"format": "csv"}))

    assert row["title"] == "'" + INJECTION
    assert row["title_original"] == "'+1 中文"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_trigger_of_owasp_is_neutralised_in_an_organisation_name(api, start):
    OrganisationFactory(slug="org", name=f"{start}SUM(A1:A9)")

    (row,) = rows(api.get("/api/v1/organisations/", {"format": "csv"}))

    assert row["name"] == f"'{start}SUM(A1:A9)"


def test_an_organisation_name_with_the_owasp_payload_is_neutralised(api):
    OrganisationFactory(slug="org", name=INJECTION, name_original="@广电")

    (row,) = rows(api.get("/api/v1/organisations/", {"format": "csv"}))

    assert row["name"] == "'" + INJECTION
    assert row["name_original"] == "'@广电"


def test_negative_numbers_stay_numbers(api):
    PlaceFactory(slug="new-york", latitude=Decimal("40.7128"), longitude=Decimal("-74.0060"))
    FigureFactory(value=Decimal("-3.5"))

    (place,) = rows(api.get("/api/v1/places/", {"format": "csv"}))
    (figure,) = rows(api.get("/api/v1/figures/", {"format": "csv"}))

    assert Decimal(place["longitude"]) == Decimal("-74.0060")  # not '-74.006: a number
    assert Decimal(figure["value"]) == Decimal("-3.5")


def test_text_inside_a_cell_is_left_alone(api):
    WorkFactory(slug="plain", title="Tea = life - 1 @ home")

    (row,) = rows(api.get("/api/v1/works/", {"format": "csv"}))

    assert row["title"] == "Tea = life - 1 @ home"


@pytest.mark.django_db(transaction=True)
def test_the_export_reads_one_cursor_in_one_transaction(api, monkeypatch):
    """Outside a transaction Django declares PostgreSQL's cursor WITH HOLD, and PostgreSQL
    then computes every row before sending the first: at 1M works no byte left for 90 s.
    In one transaction the rows stream, all from one snapshot."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(5):
        WorkFactory(slug=f"w{i}", title=f"Work {i}")
    monkeypatch.setattr(viewsets, "CSV_CHUNK_SIZE", 2)

    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/works/", {"format": "csv"})
        exported = [row["slug"] for row in rows(response)]

    assert exported == [f"w{i}" for i in range(5)]
    if connection.vendor == "postgresql":
        (declare,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DECLARE")]
        assert "WITH HOLD" not in declare


def test_each_works_related_cells_name_what_its_json_answer_lists(api, catalog_data, settings):
    """The CSV reads its own columns of slugs (public.api.rows.work_csv_rows), not the JSON
    answer's: each cell holds, in the answer's order, the slugs of the work's themes, its
    places and organisations with their relation or role, and its published batches."""
    settings.API_CACHE_SECONDS = 0
    answered = {}
    page = "/api/v1/works/?page_size=100"
    while page:
        body = api.get(page).json()
        answered.update({work["slug"]: work for work in body["results"]})
        page = body["next"]
    exported = {row["slug"]: row for row in rows(api.get("/api/v1/works/?format=csv"))}
    assert exported.keys() == answered.keys()
    for slug, work in answered.items():
        row = exported[slug]
        assert row["themes"] == "; ".join(theme["slug"] for theme in work["themes"])
        places = [f"{place['slug']} ({place['relation']})" for place in work["places"]]
        assert row["places"] == "; ".join(places)
        organisations = [f"{link['slug']} ({link['role']})" for link in work["organisations"]]
        assert row["organisations"] == "; ".join(organisations)
        batches = [listing["batch"]["slug"] for listing in work["recommendations"]]
        assert row["batches"] == "; ".join(batches)
    for relation in ("themes", "places", "organisations", "recommendations"):
        assert sum(bool(work[relation]) for work in answered.values()) >= 3, relation
    several = [w for w in answered.values() if len(w["places"]) > 1 or len(w["organisations"]) > 1]
    assert several  # the order within a cell is checked too
