"""Hostile and malformed spreadsheets: every one is refused with a message that names the row
or the limit, nothing is written, and the limits are checked before the work they guard (the
files are built here, small; spies prove what was not read)."""

import io
import re
import zipfile
from unittest import mock

import openpyxl
import pytest
from django.urls import reverse
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from initiatives import imports
from initiatives.imports import read_rows, run_import
from initiatives.models import Batch

from .test_import import HEADER, catalog_state, csv_bytes, upload

ROW = "travel-with-micro-dramas,5,cultural-relics,1,{title},,{episodes},SAMPLE source"
XLSX_HEADER = ["initiative", "batch", "theme", "title", "synopsis"]


def xlsx_bytes(*rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(XLSX_HEADER)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(content: bytes, change) -> bytes:
    """The workbook with its sheet's XML passed through `change`, deflated again."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            archive.writestr(info.filename, data)
    return out.getvalue()


def good_row(title="Good Title"):
    return ["travel-with-micro-dramas", 5, "cultural-relics", title, "A synopsis."]


def assert_refused(content, name, *fragments):
    before = catalog_state()
    result = run_import(name=name, content=content, commit=True)
    assert not result.committed
    assert result.file_errors, [row.errors for row in result.rows]
    for fragment in fragments:
        assert fragment in result.file_errors[0]
    assert catalog_state() == before
    return result.file_errors[0]


#
# Malformed values are row errors, never a 500
#


@pytest.mark.parametrize("value", ["sNaN", "NaN", "-sNaN", "Infinity", "-inf", "1e999", "1e-9"])
@pytest.mark.parametrize("column", ["batch", "theme_announced", "episodes"])
def test_a_malformed_number_in_any_number_column_is_a_row_error(travel, column, value):
    cells = {"batch": "5", "theme_announced": "1", "episodes": "10"}
    cells[column] = value
    content = csv_bytes(
        f"travel-with-micro-dramas,{cells['batch']},cultural-relics,{cells['theme_announced']},"
        f"Odd Number,,{cells['episodes']},SAMPLE source"
    )
    before = catalog_state()
    result = run_import(name="batch.csv", content=content, commit=True)
    assert not result.committed
    assert result.totals["error"] == 1
    message = " ".join(result.rows[0].errors)
    assert column in message
    assert "not a whole number" in message or "too large" in message
    assert catalog_state() == before


@pytest.mark.parametrize("value", [b"NaN", b"INF", b"-inf", b"1e999"])
def test_an_xlsx_number_cell_holding_nan_or_infinity_is_a_row_error(travel, value):
    book = openpyxl.Workbook()
    book.active.append(["initiative", "batch", "theme", "title", "episodes"])
    book.active.append(["travel-with-micro-dramas", 5, "cultural-relics", "T", 7777])
    buffer = io.BytesIO()
    book.save(buffer)
    content = rewrite_sheet(
        buffer.getvalue(), lambda xml: xml.replace(b">7777<", b">" + value + b"<")
    )
    before = catalog_state()
    result = run_import(name="b.xlsx", content=content, commit=True)
    assert not result.committed
    # openpyxl itself refuses some (a file error); the rest are row errors naming the column.
    assert "could not be read as XLSX: ValueError" in " ".join(result.file_errors) or (
        "episodes" in result.rows[0].errors[0]
    )
    assert catalog_state() == before


#
# CSV quoting
#


def test_a_csv_quote_that_is_never_closed_is_a_file_error_not_a_garbage_title(travel):
    content = csv_bytes(
        ROW.format(title='"Unclosed Title', episodes=10),
        ROW.format(title="Next Title", episodes=12),
    )
    message = assert_refused(content, "batch.csv", "is not well-formed CSV", "not closed")
    assert "line 2" in message or "line 3" in message


def test_a_csv_quote_that_swallows_the_next_row_is_a_file_error_naming_the_row(travel):
    # The stray quote is closed by one on the next line, followed by a comma: the csv module
    # accepts it, and the title would hold both rows.
    content = csv_bytes(
        ROW.format(title='"Swallowing Title', episodes=10),
        'travel-with-micro-dramas,5,cultural-relics,1,Next",,12,SAMPLE source',
    )
    assert_refused(content, "batch.csv", "row 2, column title holds a line break", "not closed")


def test_text_after_a_closing_quote_is_a_file_error(travel):
    content = csv_bytes(ROW.format(title='"Quoted" and more', episodes=10))
    assert_refused(content, "batch.csv", "is not well-formed CSV at line 2")


def test_a_row_with_more_cells_than_the_header_is_a_file_error(travel):
    content = csv_bytes(ROW.format(title="Title, with a comma", episodes=10))
    assert_refused(content, "batch.csv", "row 2 has 9 or more cells but the header has 8")


def test_a_quoted_comma_and_a_doubled_quote_are_read_as_written(travel):
    content = csv_bytes(ROW.format(title='"Tea, ""Green"" and Black"', episodes=10))
    rows = read_rows(name="batch.csv", content=content)
    assert rows[0][1]["title"] == 'Tea, "Green" and Black'


#
# Lengths
#


def test_a_cell_longer_than_its_field_is_a_file_error_naming_the_limit(travel):
    content = xlsx_bytes(good_row(), good_row(title="T" * 301))
    assert_refused(content, "b.xlsx", "row 3, column title holds 301 characters; the limit is 300")


def test_a_synopsis_longer_than_the_text_limit_is_a_file_error(travel):
    content = xlsx_bytes(
        good_row(), ["travel-with-micro-dramas", 5, "cultural-relics", "Long", "s" * 10_001]
    )
    assert_refused(
        content, "b.xlsx", "row 3, column synopsis holds 10,001 characters; the limit is 10,000"
    )


def test_a_csv_cell_longer_than_its_field_is_a_file_error(travel):
    content = (HEADER + ROW.format(title="x" * 400, episodes=10) + "\n").encode()
    assert_refused(content, "batch.csv", "column title holds 400 characters; the limit is 300")


#
# XLSX bombs: refused before openpyxl reads the workbook or a row
#


@pytest.fixture
def spy_rows():
    """Records every row openpyxl's read-only sheet is asked for."""
    original = ReadOnlyWorksheet._cells_by_row
    calls = []

    def spy(self, *args, **kwargs):
        calls.append(args)
        return original(self, *args, **kwargs)

    with mock.patch.object(ReadOnlyWorksheet, "_cells_by_row", spy):
        yield calls


def test_a_sheet_declaring_a_million_rows_is_refused_before_a_row_is_read(travel, spy_rows):
    content = rewrite_sheet(
        xlsx_bytes(good_row()),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:E1048576"/>', xml),
    )
    assert len(content) < 10_000
    assert_refused(content, "b.xlsx", "declares 1,048,576 rows; the limit is 2,500 rows")
    assert spy_rows == []


def test_a_sheet_declaring_too_many_columns_is_refused_before_a_row_is_read(travel, spy_rows):
    content = rewrite_sheet(
        xlsx_bytes(good_row()),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD2"/>', xml),
    )
    assert_refused(content, "b.xlsx", "declares 16,384 columns; the limit is 50")
    assert spy_rows == []


def test_a_sheet_without_a_dimension_and_a_cell_far_below_stops_at_the_row_limit(travel):
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    content = rewrite_sheet(
        xlsx_bytes(good_row()),
        lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml).replace(
            b"</sheetData>", far + b"</sheetData>"
        ),
    )
    yielded = []
    original = imports._xlsx_rows

    def counting(name, content):
        for values in original(name, content):
            yielded.append(values)
            yield values

    with mock.patch.object(imports, "_xlsx_rows", counting):
        assert_refused(content, "b.xlsx", "has more than 2,500 rows")
    assert len(yielded) == imports.MAX_SHEET_ROWS


def test_a_zip_bomb_cell_is_refused_by_its_compression_ratio_before_openpyxl_opens_it(travel):
    bomb = b'<c r="E2" t="inlineStr"><is><t>' + b"a" * 5_000_000 + b"</t></is></c>"
    content = rewrite_sheet(
        xlsx_bytes(good_row()),
        lambda xml: xml.replace(b"</row></sheetData>", bomb + b"</row></sheetData>"),
    )
    assert len(content) < 60_000
    with mock.patch.object(imports, "load_workbook") as load:
        assert_refused(
            content, "b.xlsx", "xl/worksheets/sheet1.xml, compressed", "the limit is 100 times"
        )
    load.assert_not_called()


def test_an_xlsx_unpacking_to_more_than_the_limit_is_refused_before_openpyxl_opens_it(
    travel, monkeypatch
):
    # A real bomb at the 20 MB limit is slow to build; the check is the same at 1 MB.
    monkeypatch.setattr(imports, "MAX_UNCOMPRESSED", 1024 * 1024)
    # Counters compress only a few times; a cell holds at most 32,767 characters.
    filler = "".join(f"{n:08x}" for n in range(4000))
    content = xlsx_bytes(
        *[["travel-with-micro-dramas", 5, "x", f"y{n}", filler] for n in range(40)]
    )
    with mock.patch.object(imports, "load_workbook") as load:
        assert_refused(content, "b.xlsx", "unpacks to", "the limit is 1 MB")
    load.assert_not_called()


def test_the_limits_are_documented_for_editors():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "editors.md").read_text()
    for figure in ["2 MB", "20 MB", "100 times", "2,500", "2,000", "10,000", "50 columns"]:
        assert figure in text, figure


#
# Parsed once
#


def test_the_admin_confirm_applies_the_previewed_rows_without_reading_the_file_again(
    editor_client, travel
):
    content = xlsx_bytes(good_row("Parsed Once"))
    response = editor_client.post(
        reverse("admin:initiatives_batch_import"), {"file": upload("b.xlsx", content)}
    )
    assert "1 created" in response.content.decode()
    session = editor_client.session[imports_session_key()]
    assert "content" not in session
    with (
        mock.patch.object(imports, "read_rows", side_effect=AssertionError("read again")),
        mock.patch.object(imports, "load_workbook", side_effect=AssertionError("read again")),
    ):
        response = editor_client.post(
            reverse("admin:initiatives_batch_import_confirm"),
            {"token": response.context["token"]},
        )
    assert response.status_code == 302
    assert Batch.objects.get(number=5).recommendations.get().work.title == "Parsed Once"


def test_the_admin_shows_a_bomb_as_a_file_error(editor_client, travel):
    content = rewrite_sheet(
        xlsx_bytes(good_row()),
        lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:E1048576"/>', xml),
    )
    response = editor_client.post(
        reverse("admin:initiatives_batch_import"), {"file": upload("b.xlsx", content)}
    )
    assert response.status_code == 200
    assert "the limit is 2,500 rows" in " ".join(response.context["form"].errors["file"])
    assert Batch.objects.count() == 0


def imports_session_key():
    from initiatives.admin import IMPORT_SESSION_KEY

    return IMPORT_SESSION_KEY
