"""Importing a batch from CSV/XLSX: preview, row errors, all-or-nothing confirm, re-import."""

import io

import openpyxl
import pytest
from django.urls import reverse

from catalog.models import Organisation, Place, Source, Work
from initiatives.imports import MAX_BYTES, read_rows, run_import
from initiatives.models import Batch, BatchThemeCount, Recommendation
from tests.factories import BatchFactory, WorkFactory

from .conftest import SAMPLE_CSV, SAMPLE_XLSX

HEADER = "initiative,batch,theme,theme_announced,title,title_original,episodes,source\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def catalog_state():
    """Everything an import can write, counted, plus the history tables."""
    return {
        "works": Work.objects.count(),
        "work_history": Work.history.count(),
        "batches": Batch.objects.count(),
        "batch_history": Batch.history.count(),
        "recommendations": Recommendation.objects.count(),
        "counts": BatchThemeCount.objects.count(),
        "places": Place.objects.count(),
        "organisations": Organisation.objects.count(),
        "sources": Source.objects.count(),
    }


@pytest.fixture
def sample_csv() -> bytes:
    return SAMPLE_CSV.read_bytes()


def test_the_preview_shows_what_the_sample_file_would_create_and_writes_nothing(travel, sample_csv):
    before = catalog_state()
    result = run_import(name=SAMPLE_CSV.name, content=sample_csv, commit=False)
    assert not result.has_errors
    assert result.totals == {"created": 4, "changed": 0, "matched": 0, "error": 0}
    assert [row.number for row in result.rows] == [2, 3, 4, 5]
    assert "creates work “Sample: Tea Terraces at Dawn”" in result.rows[0].changes
    assert "creates place “Sample Village” (village)" in result.rows[0].changes
    assert not any("creates place" in change for change in result.rows[1].changes)
    assert any("creates Travel with Micro-Dramas — batch 5" in n for n in result.batch_notes)
    assert not result.committed
    assert catalog_state() == before


def test_a_confirmed_import_writes_a_draft_batch_with_its_works_counts_and_sources(
    travel, sample_csv
):
    result = run_import(name=SAMPLE_CSV.name, content=sample_csv, commit=True)
    assert result.committed
    batch = Batch.objects.get(initiative=travel, number=5)
    assert batch.status == Batch.Status.DRAFT
    assert str(batch.announced_on) == "2026-01-15"
    assert batch.recommendations.count() == 4
    assert dict(batch.theme_counts.values_list("theme__slug", "announced")) == {
        "rural-revitalisation": 2,
        "intangible-cultural-heritage": 1,
        "ecological-civilisation": 3,
    }
    work = Work.objects.get(title="Sample: Paper-Cut Lanterns")
    assert work.title_original == "示例：剪纸灯笼"
    assert work.episodes == 15
    assert work.sources.get().title.startswith("SAMPLE source")
    assert set(work.organisation_links.values_list("organisation__name", "role")) == {
        ("Sample Studio", "producer"),
        ("Sample Tea Brand", "brand_partner"),
    }
    assert Organisation.objects.get(name="Sample Tea Brand").kind == "brand"
    assert work.place_links.get().place.kind == "site"
    assert batch.sources.get() == work.sources.get()


def test_the_sample_xlsx_and_csv_files_hold_the_same_rows():
    from_csv = read_rows(name=SAMPLE_CSV.name, content=SAMPLE_CSV.read_bytes())
    from_xlsx = read_rows(name=SAMPLE_XLSX.name, content=SAMPLE_XLSX.read_bytes())
    assert from_csv == from_xlsx
    assert all(row["title"].startswith("Sample: ") for _n, row in from_csv)


def test_importing_the_same_file_again_changes_nothing(travel, sample_csv):
    run_import(name=SAMPLE_CSV.name, content=sample_csv, commit=True)
    before = catalog_state()
    updated = list(Work.objects.order_by("pk").values_list("updated_at", flat=True))
    again = run_import(name=SAMPLE_XLSX.name, content=SAMPLE_XLSX.read_bytes(), commit=True)
    assert again.totals == {"created": 0, "changed": 0, "matched": 4, "error": 0}
    assert not again.changes_anything
    assert catalog_state() == before
    assert list(Work.objects.order_by("pk").values_list("updated_at", flat=True)) == updated


def test_an_existing_work_is_matched_and_its_changed_fields_are_reported(travel):
    WorkFactory(title="Known Drama", title_original="已知剧", episodes=10)
    content = csv_bytes(
        "travel-with-micro-dramas,5,cultural-relics,1,Known Drama,已知剧,12,SAMPLE source"
    )
    result = run_import(name="batch.csv", content=content, commit=False)
    row = result.rows[0]
    assert row.outcome == "changed"
    assert "work episodes: 10 → 12" in row.changes
    assert Work.objects.get(title="Known Drama").episodes == 10  # preview only


def test_row_errors_name_their_row_and_nothing_is_written_on_confirm(travel):
    content = csv_bytes(
        "travel-with-micro-dramas,5,rural-revitalisation,2,Good Row,,10,SAMPLE source",
        "travel-with-micro-dramas,5,space-opera,1,Unknown Theme Row,,10,SAMPLE source",
        "travel-with-micro-dramas,5,cultural-relics,-3,Negative Count Row,,10,SAMPLE source",
        "travel-with-micro-dramas,5,cultural-relics,1,Zero Episodes Row,,0,SAMPLE source",
        "travel-with-micro-dramas,5,cultural-relics,1,,,10,SAMPLE source",
    )
    before = catalog_state()
    result = run_import(name="batch.csv", content=content, commit=True)
    assert not result.committed
    errors = {row.number: " ".join(row.errors) for row in result.error_rows}
    assert set(errors) == {3, 4, 5, 6}
    assert "Unknown theme “space-opera”" in errors[3]
    assert "theme_announced must be 0 or more, not -3" in errors[4]
    assert "episodes must be 1 or more, not 0" in errors[5]
    assert "title is empty" in errors[6]
    assert result.rows[0].outcome == "created"  # the good row, previewed but not kept
    assert catalog_state() == before


def test_an_invalid_date_is_a_row_error(travel):
    content = (
        b"initiative,batch,batch_date,theme,title\n"
        b"travel-with-micro-dramas,5,2026-02-30,cultural-relics,Dated Work\n"
    )
    result = run_import(name="batch.csv", content=content, commit=False)
    assert result.error_rows[0].errors == [
        "batch_date “2026-02-30” is not a valid date: write it as YYYY-MM-DD."
    ]


def test_a_work_listed_twice_in_the_file_is_refused_on_its_second_row(travel):
    content = csv_bytes(
        "travel-with-micro-dramas,5,cultural-relics,2,Twice,,10,SAMPLE source",
        "travel-with-micro-dramas,5,cultural-relics,2,Twice,,10,SAMPLE source",
    )
    result = run_import(name="batch.csv", content=content, commit=False)
    assert result.error_rows[0].number == 3
    assert "“Twice” is already listed in this batch on row 2." in result.error_rows[0].errors


def test_an_unknown_place_without_a_kind_and_an_organisation_without_a_role_are_row_errors(
    travel,
):
    content = (
        b"initiative,batch,theme,title,places,organisations\n"
        b"travel-with-micro-dramas,5,cultural-relics,Placed,Nowhere Town,Some Studio\n"
    )
    result = run_import(name="batch.csv", content=content, commit=False)
    errors = " ".join(result.error_rows[0].errors)
    assert "Place “Nowhere Town” is not in the catalog" in errors
    assert "Organisation “Some Studio” has no role" in errors


def test_importing_changes_into_a_published_batch_is_refused(travel):
    BatchFactory(initiative=travel, number=5, status=Batch.Status.PUBLISHED)
    before = catalog_state()
    content = csv_bytes("travel-with-micro-dramas,5,cultural-relics,1,Late,,10,SAMPLE source")
    result = run_import(name="batch.csv", content=content, commit=True)
    assert "is published and this row would change it" in result.error_rows[0].errors[0]
    assert catalog_state() == before


def test_re_importing_the_file_of_a_published_batch_matches_everything(travel, sample_csv):
    from initiatives.services import batch_publish
    from tests.factories import UserFactory

    batch = run_import(name=SAMPLE_CSV.name, content=sample_csv, commit=True).batch
    batch_publish(batch=batch, user=UserFactory())
    before = catalog_state()
    again = run_import(name=SAMPLE_CSV.name, content=sample_csv, commit=True)
    assert again.totals == {"created": 0, "changed": 0, "matched": 4, "error": 0}
    assert catalog_state() == before


def test_rows_naming_two_batches_are_refused(travel):
    content = csv_bytes(
        "travel-with-micro-dramas,5,cultural-relics,1,First,,10,SAMPLE source",
        "travel-with-micro-dramas,6,cultural-relics,1,Second,,10,SAMPLE source",
    )
    result = run_import(name="batch.csv", content=content, commit=False)
    assert "A file imports one batch" in result.error_rows[0].errors[0]
    assert result.error_rows[0].number == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("batch.txt", b"title\nx\n", "is not a CSV or XLSX file"),
        ("batch.xlsx", b"title,theme\nx,y\n", "is not an Excel workbook"),
        ("batch.xlsx", b"PK\x03\x04 broken zip", "could not be read as XLSX"),
        ("batch.csv", "titel;thème\n".encode("latin-1"), "is not UTF-8 text"),
        ("batch.csv", b"title,theme\nx,y\n", "missing column(s): initiative, batch"),
        ("batch.csv", b"", "is empty"),
        ("batch.csv", HEADER.encode(), "no data rows"),
        ("batch.csv", b"a" * (MAX_BYTES + 1), "the limit is 2 MB"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message_and_writes_nothing(
    travel, name, content, message
):
    before = catalog_state()
    result = run_import(name=name, content=content, commit=True)
    assert not result.committed
    assert message in result.file_errors[0]
    assert catalog_state() == before


#
# Through the admin
#


def upload(path_or_name, content=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if content is None:
        return SimpleUploadedFile(path_or_name.name, path_or_name.read_bytes())
    return SimpleUploadedFile(path_or_name, content)


def test_the_admin_import_previews_then_imports_on_confirm(editor_client, travel):
    url = reverse("admin:initiatives_batch_import")
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {"file": upload(SAMPLE_XLSX)})
    assert response.status_code == 200
    content = response.content.decode()
    assert "4 created, 0 changed, 0 matched unchanged, 0 with errors." in content
    assert "Confirm import" in content
    assert not Batch.objects.filter(number=5).exists()

    response = editor_client.post(
        reverse("admin:initiatives_batch_import_confirm"),
        {"token": response.context["token"]},
    )
    batch = Batch.objects.get(initiative=travel, number=5)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:initiatives_batch_change", args=[batch.pk])
    assert batch.recommendations.count() == 4
    assert batch.history.first().history_user.username == "editor"


def test_the_admin_preview_lists_every_row_error_with_its_row_number(editor_client, travel):
    content = csv_bytes(
        "travel-with-micro-dramas,5,space-opera,1,Bad Theme,,10,SAMPLE source",
        "travel-with-micro-dramas,5,cultural-relics,-1,Bad Count,,10,SAMPLE source",
    )
    response = editor_client.post(
        reverse("admin:initiatives_batch_import"), {"file": upload("batch.csv", content)}
    )
    text = response.content.decode()
    assert "Row 2: Unknown theme “space-opera”" in text
    assert "Row 3: theme_announced must be 0 or more, not -1" in text
    assert "Nothing will be imported" in text
    assert "Confirm import" not in text


def test_the_admin_shows_file_errors_at_the_file_field(editor_client, travel):
    url = reverse("admin:initiatives_batch_import")
    for name, content, message in [
        ("notes.pdf", b"%PDF-1.4", "is not a CSV or XLSX file"),
        ("big.csv", b"a" * (MAX_BYTES + 1), "the limit is 2 MB"),
        ("batch.xlsx", b"not a workbook", "is not an Excel workbook"),
    ]:
        response = editor_client.post(url, {"file": upload(name, content)})
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors["file"])
    assert Batch.objects.count() == 0


def test_an_upload_far_over_the_limit_is_refused_before_it_is_read(editor_client, travel):
    response = editor_client.post(
        reverse("admin:initiatives_batch_import"),
        {"file": upload("huge.csv", b"a" * (3 * MAX_BYTES))},
    )
    assert response.status_code == 413
    assert "The upload is 6.0 MB; the limit is 2 MB." in response.content.decode()
    assert Batch.objects.count() == 0


def test_a_confirm_without_its_preview_imports_nothing(editor_client, travel):
    response = editor_client.post(
        reverse("admin:initiatives_batch_import_confirm"), {"token": "forged"}
    )
    assert response.status_code == 302
    assert Batch.objects.count() == 0


def test_an_xlsx_with_dates_and_numbers_as_cells_is_read_as_text(travel):
    import datetime

    book = openpyxl.Workbook()
    book.active.append(["initiative", "batch", "batch_date", "theme", "title", "episodes"])
    book.active.append(
        ["travel-with-micro-dramas", 5.0, datetime.datetime(2026, 1, 15), "cultural-relics", "T", 8]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read_rows(name="b.xlsx", content=buffer.getvalue())
    assert rows == [
        (
            2,
            {
                "initiative": "travel-with-micro-dramas",
                "batch": "5",
                "batch_date": "2026-01-15",
                "theme": "cultural-relics",
                "title": "T",
                "episodes": "8",
            },
        )
    ]


def test_the_sample_file_imports_into_the_seeded_catalog_as_batch_5_and_can_be_published(
    seed_data,
):
    from initiatives.services import batch_publish
    from tests.factories import UserFactory

    assert {1, 4} <= set(
        Batch.objects.filter(initiative__slug="travel-with-micro-dramas").values_list(
            "number", flat=True
        )
    )
    result = run_import(name=SAMPLE_XLSX.name, content=SAMPLE_XLSX.read_bytes(), commit=True)
    assert result.committed, [row.errors for row in result.error_rows]
    assert result.batch.number == 5
    batch_publish(batch=result.batch, user=UserFactory())
    assert Work.objects.published().filter(title__startswith="Sample: ").count() == 4


def test_a_malformed_content_length_header_is_not_a_server_error(editor_client, travel):
    response = editor_client.get(
        reverse("admin:initiatives_batch_import"), CONTENT_LENGTH="not-a-number"
    )
    assert response.status_code == 200
    assert Batch.objects.count() == 0
