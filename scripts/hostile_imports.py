#!/usr/bin/env python
"""Time and memory of the spreadsheet import's reader on hostile files, each in a fresh
process: how fast `initiatives.imports.read_rows` refuses them. No database is touched.

    env -u DATABASE_URL .venv/bin/python scripts/hostile_imports.py

Results go to stdout as a Markdown table (docs/editors.md, "Limits", records a run).
"""

import io
import os
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HEADER = ["initiative", "batch", "theme", "title", "synopsis"]
ROW = ["travel-with-micro-dramas", 5, "cultural-relics", "A title", "A synopsis."]


def workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(ROW)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(content: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            archive.writestr(info.filename, data)
    return out.getvalue()


def million_rows() -> bytes:
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return rewrite_sheet(
        workbook(),
        lambda xml: re.sub(
            rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:S1048576"/>', xml
        ).replace(b"</sheetData>", far + b"</sheetData>"),
    )


def no_dimension_far_row() -> bytes:
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return rewrite_sheet(
        workbook(),
        lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml).replace(
            b"</sheetData>", far + b"</sheetData>"
        ),
    )


def huge_cell() -> bytes:
    cell = b'<c r="E2" t="inlineStr"><is><t>' + b"a" * 50_000_000 + b"</t></is></c>"
    return rewrite_sheet(
        workbook(), lambda xml: xml.replace(b"</row></sheetData>", cell + b"</row></sheetData>")
    )


def unclosed_quote() -> bytes:
    rows = ["initiative,batch,theme,title"] + [
        f'travel-with-micro-dramas,5,cultural-relics,"Title {n}' for n in range(2000)
    ]
    return "\n".join(rows).encode()


CASES = {
    "sheet declaring 1,048,576 rows": ("b.xlsx", million_rows),
    "no dimension, a cell at row 1,048,576": ("b.xlsx", no_dimension_far_row),
    "a 50,000,000-character cell": ("b.xlsx", huge_cell),
    "CSV, a quote never closed": ("b.csv", unclosed_quote),
}


def measure(case: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(BASE_DIR))
    django.setup()
    from initiatives.imports import ImportFileError, read_rows

    name, build = CASES[case]
    content = build()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        rows = read_rows(name=name, content=content)
        outcome = f"accepted, {len(rows)} rows"
    except ImportFileError as error:
        outcome = "refused: " + str(error).split(";")[0][:70]
    elapsed = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline) // 1024
    print(f"| {case} | {len(content) / 1024:.0f} kB | {elapsed:.2f} s | +{grown} MB | {outcome} |")


def main() -> None:
    if len(sys.argv) > 1:
        measure(sys.argv[1])
        return
    print("| file | size | read_rows | memory | outcome |")
    print("| --- | --- | --- | --- | --- |")
    for case in CASES:
        subprocess.run([sys.executable, __file__, case], check=True, timeout=300)


if __name__ == "__main__":
    main()
