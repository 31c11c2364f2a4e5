"""The API's formats: JSON encoded by orjson, and the CSV of list endpoints (`format=csv`),
rows streamed as they are serialized."""

import csv
import json
import logging
from collections.abc import Iterable, Iterator
from decimal import Decimal

import orjson
from rest_framework import renderers
from rest_framework.compat import INDENT_SEPARATORS, LONG_SEPARATORS, SHORT_SEPARATORS

logger = logging.getLogger(__name__)

# OWASP "CSV Injection": a spreadsheet reads a cell that begins with one of these as a
# formula (tab and carriage return can hide one). Text cells that do get a leading `'`.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The last line of an export that a fault cut short: a partner checks for it (docs/api.md).
INCOMPLETE_MARK = "#INCOMPLETE"
# Lines sent to the server at once: one write per row would cost a system call per row.
LINES_PER_WRITE = 200


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON, encoded by orjson: the same bytes as DRF's compact output, for a page of
    50 works in 0.2 ms where DRF's took 0.9 to 2.0 ms, and able to embed JSON the database
    wrote (`orjson.Fragment`, core.models.SerializedRows) without parsing it.

    What orjson does not know goes through DRF's own encoder (lazy strings, Decimal, UUID,
    querysets), dates and times included, so they read as DRF writes them. Indented output
    (`Accept: application/json; indent=4`) and ASCII-only output are DRF's, from the same
    bytes parsed again; U+2028 and U+2029 are escaped, as DRF escapes them. One difference
    remains: an exponent is written as short as it goes (1e-7 where Python writes 1e-07),
    the same number to any JSON reader."""

    OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
    # What DRF escapes (a JavaScript string cannot hold them), as UTF-8.
    ESCAPES = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        body = orjson.dumps(data, default=self.encoder_class().default, option=self.OPTIONS)
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if indent is not None or self.ensure_ascii or not self.compact:
            if indent is not None:
                separators = INDENT_SEPARATORS
            else:
                separators = SHORT_SEPARATORS if self.compact else LONG_SEPARATORS
            text = json.dumps(
                json.loads(body),
                indent=indent,
                ensure_ascii=self.ensure_ascii,
                separators=separators,
            )
            body = text.encode()
        for raw, escaped in self.ESCAPES:
            body = body.replace(raw, escaped)
        return body


class Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_cell(value) -> str:
    """One cell: numbers as they are (a negative number is a number, not a formula), lists
    joined with `; `, and text that a spreadsheet would run as a formula neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        value = "; ".join("" if item is None else str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class CSVRenderer(renderers.BaseRenderer):
    """Renders rows (mappings keyed by the header's names) as CSV, a chunk of lines at a
    time: `render` returns an iterator for a StreamingHttpResponse, which DRF's Response
    (one bytes body) cannot carry, so list views build that response themselves.

    Hand-written: djangorestframework-csv's streaming renderer flattens nested data by
    guessing headers and knows neither formula neutralisation nor a marked broken end."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> Iterator[bytes]:
        header = (renderer_context or {})["header"]
        return self.lines(header, data)

    def lines(self, header: list[str], rows: Iterable[dict]) -> Iterator[bytes]:
        writer = csv.writer(Echo())
        # A byte-order mark so spreadsheet programs read the Chinese titles as UTF-8.
        buffer = ["\ufeff" + writer.writerow(header)]
        written = 0
        try:
            for row in rows:
                buffer.append(writer.writerow([csv_cell(row[name]) for name in header]))
                written += 1
                if len(buffer) >= LINES_PER_WRITE:
                    yield "".join(buffer).encode()
                    buffer = []
        except Exception:
            # The status line and headers are sent: all that is left to say is that the
            # file is incomplete, on a line no record can produce.
            logger.exception("CSV export broken off after %d rows", written)
            buffer.append(
                writer.writerow(
                    [
                        f"{INCOMPLETE_MARK}: a server error stopped the export after "
                        f"{written} records; request it again."
                    ]
                )
            )
        yield "".join(buffer).encode()
