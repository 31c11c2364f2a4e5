"""Import one batch from a spreadsheet (CSV or XLSX), one row a work.

The file is read with the standard csv module (strict quoting) or openpyxl's read-only streaming
reader, each behind limits checked before the rows are read (see `read_rows`). A row touches
several records
(the work, its places and organisations, its source, the batch, the theme count and the
listing), so rows are applied here rather than through a one-model `Resource`.

`run_import(..., commit=False)` is the preview: it applies every row inside a transaction
and rolls it back, so the preview shows exactly what a confirmed import does (a place named
on two rows is created once and then matched). `commit=True` keeps the transaction only when
no row has an error: a confirmed import is all-or-nothing. Unchanged records are not saved,
so importing the same file twice changes nothing (not even history or `updated_at`).

A file is parsed once: the admin keeps the rows `read_rows` returned for the preview (in the
session, as JSON) and the confirm applies those same rows with `apply_rows`, so the bytes are
neither kept nor read again.

The column format is documented in docs/editors.md.
"""

import base64
import csv
import datetime
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from catalog.models import Organisation, Place, Source, Theme, Work, WorkOrganisation, WorkPlace
from core import publication
from core.models import PublicState

from .models import Batch, BatchThemeCount, Initiative, Recommendation

EXTENSIONS = ("csv", "xlsx")

# Limits, checked in this order and each before the work it guards (docs/editors.md lists them):
MAX_BYTES = 2 * 1024 * 1024  # the upload
MAX_UNCOMPRESSED = 20 * 1024 * 1024  # an XLSX's members together, as its zip directory declares
MAX_RATIO = 100  # an XLSX member's uncompressed size over its compressed size (a zip bomb) ...
RATIO_FLOOR = 1024 * 1024  # ... checked on members that unpack to more than this
MAX_COLUMNS = 50  # columns a sheet may declare (the format has 19)
MAX_SHEET_ROWS = 2500  # rows a sheet may declare or hold, blank rows included
MAX_ROWS = 2000  # data rows
TEXT_LIMIT = 10_000  # characters in a cell bound for a text field (synopsis, places, ...)

# (column, required, what it holds) — docs/editors.md describes the same columns. The column
# names stay English in both languages (they are the file's headers); what they hold is translated.
COLUMNS = [
    ("initiative", True, _("initiative slug or name")),
    ("batch", True, _("batch number (1 or more)")),
    ("batch_date", False, _("date the batch was announced, YYYY-MM-DD")),
    ("batch_event", False, _("event where the batch was announced")),
    ("theme", True, _("theme slug or name")),
    ("theme_announced", False, _("works announced under this theme in this batch")),
    ("title", True, _("English title")),
    ("title_original", False, _("original (Chinese) title")),
    ("slug", False, _("the work's slug, to match an existing work exactly")),
    ("season", False, _("season number")),
    ("episodes", False, _("number of episodes")),
    ("synopsis", False, _("synopsis")),
    ("places", False, _("places separated by ';', a new one with its kind: 'Name (site)'")),
    ("place_relation", False, _("filmed_at, set_in, features (default) or from")),
    (
        "organisations",
        False,
        _("organisations with their role: 'Name (producer); Name (platform)'"),
    ),
    ("source", False, _("source slug or title; a new title creates the source")),
    ("source_publisher", False, _("publisher of a new source")),
    ("source_date", False, _("publication date of a new source, YYYY-MM-DD")),
    ("source_url", False, _("address of a new source")),
]
COLUMN_NAMES = [name for name, _required, _help in COLUMNS]
REQUIRED_COLUMNS = [name for name, required, _help in COLUMNS if required]


def _max_length(model: type[models.Model], *names: str) -> int:
    return max(model._meta.get_field(name).max_length for name in names)


# The longest text each column may hold: the model field's max_length where the cell lands in
# a CharField, TEXT_LIMIT for text fields and lists, a short bound for numbers and dates.
CELL_LIMITS = {
    "initiative": _max_length(Initiative, "name", "name_original", "slug"),
    "batch": 20,
    "batch_date": 40,
    "batch_event": _max_length(Batch, "event"),
    "theme": _max_length(Theme, "name", "name_original", "slug"),
    "theme_announced": 20,
    "title": _max_length(Work, "title"),
    "title_original": _max_length(Work, "title_original"),
    "slug": _max_length(Work, "slug"),
    "season": 20,
    "episodes": 20,
    "synopsis": TEXT_LIMIT,
    "places": TEXT_LIMIT,
    "place_relation": 20,
    "organisations": TEXT_LIMIT,
    "source": _max_length(Source, "title", "slug"),
    "source_publisher": _max_length(Source, "publisher"),
    "source_date": 40,
    "source_url": _max_length(Source, "url"),
}
# Columns whose value may span lines; a line break anywhere else is, in a CSV file, the sign
# of a quote that was never closed and swallowed the rows after it.
MULTILINE_COLUMNS = {"synopsis", "places", "organisations"}

# An organisation first named in an import gets the kind its role implies.
KIND_FOR_ROLE = {
    WorkOrganisation.Role.PRODUCER: Organisation.Kind.PRODUCER,
    WorkOrganisation.Role.CO_PRODUCER: Organisation.Kind.PRODUCER,
    WorkOrganisation.Role.BRAND_PARTNER: Organisation.Kind.BRAND,
    WorkOrganisation.Role.BROADCASTER: Organisation.Kind.BROADCASTER,
    WorkOrganisation.Role.PLATFORM: Organisation.Kind.PLATFORM,
}
# Editors type in Chinese input methods too: full-width semicolons and brackets count.
ENTRY_SEPARATORS = re.compile("[;\uff1b\n]")
BRACKETED = re.compile("^(?P<name>.*?)\\s*[(\uff08](?P<tag>[^()\uff08\uff09]*)[)\uff09]\\s*$")


class ImportFileError(Exception):
    """The file as a whole cannot be imported (wrong type, unreadable, missing columns)."""


class RowError(Exception):
    """One row cannot be imported; the message says why, in the editor's words."""


@dataclass
class RowResult:
    number: int  # as the spreadsheet numbers it: the header is row 1
    title: str
    outcome: str = "matched"  # created | changed | matched | error
    changes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    file_name: str
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    batch_notes: list[str] = field(default_factory=list)
    batch: Batch | None = None
    committed: bool = False

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    @property
    def error_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.errors]

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def totals(self) -> dict[str, int]:
        return {name: self.count(name) for name in ("created", "changed", "matched", "error")}

    @property
    def changes_anything(self) -> bool:
        return bool(self.batch_notes) or any(row.outcome != "matched" for row in self.rows)


class _Rollback(Exception):
    pass


#
# Reading the file
#


def _cell(value) -> str:
    """Cells as text: XLSX gives numbers and dates, CSV gives strings."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column_name(header) -> str:
    return re.sub(r"[\s-]+", "_", _cell(header).lower())


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def read_rows(*, name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """The file's data rows as (spreadsheet row number, {column: text}); blank rows skipped.

    Every limit is checked before the work it guards: the upload's size before anything, an
    XLSX's declared sizes before it is unpacked, the sheet's declared dimension before a row is
    read; rows are streamed and reading stops at the row limit; every cell is checked against
    its column's length. Breaking one is an ImportFileError naming the limit."""
    extension = _extension(name)
    if extension not in EXTENSIONS:
        raise ImportFileError(
            f"“{name}” is not a CSV or XLSX file: save the spreadsheet as .csv (UTF-8) or .xlsx."
        )
    if len(content) > MAX_BYTES:
        raise ImportFileError(
            f"“{name}” is {_mb(len(content))}; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split the file."
        )
    if not content.strip():
        raise ImportFileError(f"“{name}” is empty.")
    try:
        table = _csv_rows(name, content) if extension == "csv" else _xlsx_rows(name, content)
        header = next(table, None)
        if header is None:
            raise ImportFileError(f"“{name}” is empty.")
        headers = _check_header(name, header)
        raw_rows = []
        for index, values in enumerate(table, start=2):
            raw_rows.append((index, values))
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl and zipfile raise many kinds on a malformed file
        raise ImportFileError(
            f"“{name}” could not be read as {extension.upper()}: {error.__class__.__name__}."
            " Check that it is a spreadsheet with one header row."
        ) from error

    rows, problems = [], []
    for index, values in raw_rows:
        extra = [value for value in values[len(headers) :] if _cell(value)]
        if extra:
            problems.append(
                f"row {index} has {len(headers) + len(extra)} or more cells but the header has "
                f"{len(headers)} columns (a comma inside a value needs quotes around the value)"
            )
        row = {
            header: _cell(value) for header, value in zip(headers, values, strict=False) if header
        }
        for column, text in row.items():
            problems.extend(_cell_problems(index, column, text, extension))
        if any(row.values()):
            rows.append((index, row))
        if len(problems) >= 5:
            break
    if problems:
        raise ImportFileError(
            f"“{name}” cannot be imported: " + "; ".join(problems[:5]) + ". Nothing was imported."
        )
    if not rows:
        raise ImportFileError(f"“{name}” has a header row but no data rows.")
    if len(rows) > MAX_ROWS:
        raise ImportFileError(f"“{name}” has {len(rows)} rows; the limit is {MAX_ROWS}.")
    return rows


def _cell_problems(index: int, column: str, text: str, extension: str) -> list[str]:
    limit = CELL_LIMITS[column]
    if len(text) > limit:
        return [
            f"row {index}, column {column} holds {len(text):,} characters; the limit is {limit:,}"
        ]
    if "\x00" in text:
        return [f"row {index}, column {column} holds a NUL character"]
    if column not in MULTILINE_COLUMNS and ("\n" in text or "\r" in text):
        hint = (
            ': a quote (") is probably not closed on this row'
            if extension == "csv"
            else ": keep it on one line"
        )
        return [f"row {index}, column {column} holds a line break{hint}"]
    return []


def _check_header(name: str, header) -> list[str]:
    headers = [_column_name(value) for value in header]
    unknown = [_short(h, 40) for h in headers if h and h not in COLUMN_NAMES]
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    problems = []
    if missing:
        problems.append("missing column(s): " + ", ".join(missing))
    if unknown:
        problems.append("unknown column(s): " + ", ".join(unknown[:10]))
    if len(set(filter(None, headers))) != len(list(filter(None, headers))):
        problems.append("a column appears twice")
    if problems:
        raise ImportFileError(
            f"The header row of “{name}” does not fit the import format ("
            + "; ".join(problems)
            + "). The columns are: "
            + ", ".join(COLUMN_NAMES)
            + "."
        )
    return headers


def _csv_rows(name: str, content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"“{name}” is not UTF-8 text: save it as “CSV UTF-8” and try again."
        ) from error
    if "\x00" in text:
        raise ImportFileError(f"“{name}” is not a text CSV file.")
    # strict: a quote that is never closed, or text after a closing quote, is an error rather
    # than a value that swallows the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for count, values in enumerate(reader, start=1):
            if count > MAX_SHEET_ROWS:
                raise ImportFileError(
                    f"“{name}” has more than {MAX_SHEET_ROWS:,} lines; the limit is "
                    f"{MAX_ROWS:,} rows. Split the file."
                )
            yield values
    except csv.Error as error:
        raise ImportFileError(
            f'“{name}” is not well-formed CSV at line {reader.line_num} ({error}): a quote (") '
            'is probably not closed. Quote a whole value, and double a quote inside it ("").'
        ) from error


def _xlsx_rows(name: str, content: bytes):
    if not content.startswith(b"PK"):
        raise ImportFileError(f"“{name}” is not an Excel workbook (.xlsx).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise ImportFileError(
            f"“{name}” could not be read as XLSX: {error.__class__.__name__}."
            " Check that it is a spreadsheet with one header row."
        ) from error
    # zipfile never unpacks more than a member's declared size, so the declared sizes bound
    # what openpyxl can be made to read.
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED:
        raise ImportFileError(
            f"“{name}” unpacks to {_mb(total)}; the limit is "
            f"{MAX_UNCOMPRESSED // 1024 // 1024} MB. Split the file."
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise ImportFileError(
                f"“{name}” holds {member.filename}, compressed {ratio:,.0f} times; the limit "
                f"is {MAX_RATIO} times. Save the spreadsheet again from Excel or LibreOffice."
            )
    # read_only streams the sheet; data_only reads a formula's last value, not its text.
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book.active
        declared_rows, declared_columns = sheet.max_row, sheet.max_column
        if declared_rows is not None and declared_rows > MAX_SHEET_ROWS:
            raise ImportFileError(
                f"“{name}”'s sheet declares {declared_rows:,} rows; the limit is "
                f"{MAX_SHEET_ROWS:,} rows (of which {MAX_ROWS:,} with data). Delete the empty "
                "rows below the data, or split the file."
            )
        if declared_columns is not None and declared_columns > MAX_COLUMNS:
            raise ImportFileError(
                f"“{name}”'s sheet declares {declared_columns:,} columns; the limit is "
                f"{MAX_COLUMNS}. Delete the empty columns right of the data."
            )
        # The bounds also stop a sheet without a dimension that places a cell far below.
        rows = sheet.iter_rows(max_row=MAX_SHEET_ROWS + 1, max_col=MAX_COLUMNS, values_only=True)
        for count, values in enumerate(rows, start=1):
            if count > MAX_SHEET_ROWS:
                raise ImportFileError(
                    f"“{name}”'s sheet has more than {MAX_SHEET_ROWS:,} rows; the limit is "
                    f"{MAX_SHEET_ROWS:,} rows (of which {MAX_ROWS:,} with data). Split the file."
                )
            yield list(values)
    finally:
        book.close()


#
# Parsing cells
#


def _whole_number(value: str, column: str, minimum: int) -> int | None:
    if not value:
        return None
    try:
        number = Decimal(value)
        # NaN, sNaN and Infinity parse as Decimals; sNaN raises on any comparison.
        whole = number.is_finite() and number == number.to_integral_value()
    except (InvalidOperation, ValueError):
        whole = False
    if not whole:
        raise RowError(f"{column} “{value}” is not a whole number.")
    if number < minimum:
        raise RowError(f"{column} must be {minimum} or more, not {value}.")
    if number > 32767:
        raise RowError(f"{column} {value} is too large.")
    return int(number)


def _date(value: str, column: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10] if "T" in value else value)
    except ValueError as error:
        raise RowError(
            f"{column} “{value}” is not a valid date: write it as YYYY-MM-DD."
        ) from error


def _entries(value: str) -> list[str]:
    return [entry.strip() for entry in ENTRY_SEPARATORS.split(value) if entry.strip()]


def _split_tag(entry: str, choices: type[models.TextChoices]) -> tuple[str, str | None]:
    """ "Gulangyu (site)" -> ("Gulangyu", "site"); a bracket that names no choice stays part
    of the name. Choice labels ("brand partner") are accepted as well as values."""
    match = BRACKETED.match(entry)
    if match:
        tag = match["tag"].strip().lower()
        for value, label in choices.choices:
            if tag in (value, str(label).lower(), value.replace("_", " ")):
                return match["name"].strip(), value
    return entry, None


def _find_one(model: type[models.Model], text: str, *fields: str):
    """A record by slug, else by one of the name fields (case-insensitive); None when there is
    none; a RowError when the name is ambiguous."""
    found = model.objects.filter(slug=text).first()
    if found:
        return found
    query = Q()
    for name in fields:
        query |= Q(**{f"{name}__iexact": text})
    matches = list(model.objects.filter(query)[:2])
    if len(matches) > 1:
        raise RowError(
            f"{model._meta.verbose_name.capitalize()} “{text}” matches several records: "
            "write its slug instead."
        )
    return matches[0] if matches else None


def _unique_slug(model: type[models.Model], text: str, max_length: int = 200) -> str:
    base = slugify(text)[: max_length - 6].strip("-") or model._meta.model_name
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _save_if_changed(obj: models.Model, values: dict, changes: list[str], label: str) -> None:
    """Set non-empty values that differ; record "label field: old → new"; save only then."""
    changed = []
    for name, new in values.items():
        if new in (None, ""):
            continue  # an empty cell never erases what the catalog already has
        old = getattr(obj, name)
        if old != new:
            verbose = obj._meta.get_field(name).verbose_name
            shown_old = old if old not in (None, "") else "—"
            changes.append(f"{label} {verbose}: {_short(shown_old)} → {_short(new)}")
            setattr(obj, name, new)
            changed.append(name)
    if changed:
        obj.full_clean()
        obj.save()


def _short(value, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#
# Applying rows
#


class _Importer:
    def __init__(self, result: ImportResult):
        self.result = result
        self.batch: Batch | None = None
        self.batch_key: tuple[int, int] | None = None
        self.batch_row: int | None = None
        self.theme_counts: dict[int, tuple[int, int]] = {}  # theme id -> (count, row)
        self.works_seen: dict[int, int] = {}  # work id -> row

    def row(self, number: int, data: dict[str, str]) -> RowResult:
        row = RowResult(number=number, title=data.get("title", ""))
        # What a failed row must not leave behind in memory (the savepoint undoes the rest).
        saved = (
            self.batch,
            self.batch_key,
            self.batch_row,
            dict(self.theme_counts),
            dict(self.works_seen),
            len(self.result.batch_notes),
        )
        try:
            with transaction.atomic():  # a savepoint: a failed row leaves no trace
                self.apply(row, data)
                if self.batch.is_public and (
                    row.changes or len(self.result.batch_notes) > saved[-1]
                ):
                    # Matching a published batch is fine (re-importing its file is a no-op);
                    # changing it goes through draft, where it can be checked again.
                    raise RowError(
                        f"{self.batch} is published and this row would change it: put it "
                        "back to draft before importing into it."
                    )
        except RowError as error:
            row.errors.append(str(error))
        except ValidationError as error:
            row.errors.extend(_messages(error))
        except IntegrityError as error:  # a constraint the checks above did not foresee
            row.errors.append(f"The database refused this row ({error.__class__.__name__}).")
        if row.errors:
            row.outcome = "error"
            row.changes = []
            (self.batch, self.batch_key, self.batch_row, self.theme_counts, self.works_seen, n) = (
                saved
            )
            del self.result.batch_notes[n:]
            self.result.batch = self.batch
            if self.batch is not None:
                self.batch.refresh_from_db()
        return row

    def apply(self, row: RowResult, data: dict[str, str]) -> None:
        errors: list[str] = []

        def check(fn, *args):
            try:
                return fn(*args)
            except RowError as error:
                errors.append(str(error))
                return None

        initiative = check(self.initiative, data.get("initiative", ""))
        number = check(_whole_number, data.get("batch", ""), "batch", 1)
        if data.get("batch", "") == "":
            errors.append("batch is empty: give the batch number.")
        announced_on = check(_date, data.get("batch_date", ""), "batch_date")
        theme = check(self.theme, data.get("theme", ""))
        theme_announced = check(
            _whole_number, data.get("theme_announced", ""), "theme_announced", 0
        )
        title = data.get("title", "")
        if not title:
            errors.append("title is empty.")
        season = check(_whole_number, data.get("season", ""), "season", 1)
        episodes = check(_whole_number, data.get("episodes", ""), "episodes", 1)
        relation = data.get("place_relation", "") or WorkPlace.Relation.FEATURES
        if relation not in WorkPlace.Relation.values:
            errors.append(
                f"place_relation “{relation}” is not one of: "
                + ", ".join(WorkPlace.Relation.values)
                + "."
            )
        places = check(self.places, data.get("places", ""))
        organisations = check(self.organisations, data.get("organisations", ""))
        source_date = check(_date, data.get("source_date", ""), "source_date")
        if errors:
            raise ValidationError(errors)

        batch = self.get_batch(row, initiative, number, announced_on, data.get("batch_event", ""))
        source = self.source(row, data, source_date)
        if source and not batch.sources.filter(pk=source.pk).exists():
            batch.sources.add(source)
            self.result.batch_notes.append(f"cites source “{source}” (row {row.number})")
        if theme_announced is not None:
            self.theme_count(row, batch, theme, theme_announced)

        work = self.work(row, data, title, season, episodes)
        if work.pk in self.works_seen:
            raise RowError(
                f"“{work}” is already listed in this batch on row {self.works_seen[work.pk]}."
            )
        self.works_seen[work.pk] = row.number
        if not work.themes.filter(pk=theme.pk).exists():
            work.themes.add(theme)
            row.changes.append(f"files the work under theme “{theme}”")
        if source and not work.sources.filter(pk=source.pk).exists():
            work.sources.add(source)
            row.changes.append(f"cites “{source}”")
        for place in places:
            place = self.place(row, *place)
            _link, created = WorkPlace.objects.get_or_create(
                work=work, place=place, relation=relation, defaults={"source": source}
            )
            if created:
                row.changes.append(f"links place “{place}” ({relation.replace('_', ' ')})")
        for name, role in organisations:
            organisation = self.organisation(row, name, role)
            _link, created = WorkOrganisation.objects.get_or_create(
                work=work, organisation=organisation, role=role, defaults={"source": source}
            )
            if created:
                row.changes.append(f"links “{organisation}” as {role.replace('_', ' ')}")
        self.recommendation(row, batch, work, theme, source)

        if row.outcome != "created" and row.changes:
            row.outcome = "changed"

    # Lookups (no writes)

    def initiative(self, text: str) -> Initiative:
        if not text:
            raise RowError("initiative is empty: give the initiative's slug.")
        initiative = _find_one(Initiative, text, "name", "name_original")
        if initiative is None:
            raise RowError(f"Unknown initiative “{text}”.")
        return initiative

    def theme(self, text: str) -> Theme:
        if not text:
            raise RowError("theme is empty: give the theme's slug.")
        theme = _find_one(Theme, text, "name", "name_original")
        if theme is None:
            known = ", ".join(Theme.objects.values_list("slug", flat=True))
            raise RowError(f"Unknown theme “{text}”. Known themes: {known}.")
        return theme

    def places(self, text: str) -> list[tuple[str, str | None]]:
        found = []
        for entry in _entries(text):
            name, kind = _split_tag(entry, Place.Kind)
            if kind is None and _find_one(Place, name, "name", "name_original") is None:
                raise RowError(
                    f"Place “{name}” is not in the catalog. To create it, give its kind: "
                    f"“{name} (city)”; kinds: " + ", ".join(Place.Kind.values) + "."
                )
            found.append((name, kind))
        return found

    def organisations(self, text: str) -> list[tuple[str, str]]:
        found = []
        for entry in _entries(text):
            name, role = _split_tag(entry, WorkOrganisation.Role)
            if role is None:
                raise RowError(
                    f"Organisation “{entry}” has no role: write “{entry} (producer)”; roles: "
                    + ", ".join(WorkOrganisation.Role.values)
                    + "."
                )
            found.append((name, role))
        return found

    # Writes

    def get_batch(self, row, initiative, number, announced_on, event) -> Batch:
        key = (initiative.pk, number)
        if self.batch_key is not None and key != self.batch_key:
            raise RowError(
                f"A file imports one batch: row {self.batch_row} names batch "
                f"{self.batch.number} of {self.batch.initiative}, this row batch {number} "
                f"of {initiative}."
            )
        if self.batch is None:
            batch = Batch.objects.filter(initiative=initiative, number=number).first()
            if batch is None:
                batch = Batch(
                    initiative=initiative,
                    number=number,
                    announced_on=announced_on,
                    event=event,
                    status=Batch.Status.DRAFT,
                )
                batch.full_clean(exclude=["slug"])  # save() derives it
                batch.save()
                self.result.batch_notes.append(f"creates {batch} as a draft")
            self.batch, self.batch_key, self.batch_row = batch, key, row.number
            self.result.batch = batch
        notes: list[str] = []
        _save_if_changed(self.batch, {"announced_on": announced_on, "event": event}, notes, "batch")
        self.result.batch_notes.extend(f"{note} (row {row.number})" for note in notes)
        return self.batch

    def theme_count(self, row, batch, theme, announced) -> None:
        if theme.pk in self.theme_counts and self.theme_counts[theme.pk][0] != announced:
            count, first_row = self.theme_counts[theme.pk]
            raise RowError(
                f"theme_announced {announced} for “{theme}” differs from {count} on row "
                f"{first_row}."
            )
        self.theme_counts.setdefault(theme.pk, (announced, row.number))
        existing = BatchThemeCount.objects.filter(batch=batch, theme=theme).first()
        if existing is None:
            BatchThemeCount.objects.create(batch=batch, theme=theme, announced=announced)
            self.result.batch_notes.append(
                f"sets “{theme}” announced to {announced} (row {row.number})"
            )
        elif existing.announced != announced:
            self.result.batch_notes.append(
                f"changes “{theme}” announced {existing.announced} → {announced} (row {row.number})"
            )
            existing.announced = announced
            existing.save()

    def source(self, row, data, published_on) -> Source | None:
        text = data.get("source", "")
        if not text:
            return None
        source = _find_one(Source, text, "title")
        if source is None:
            source = Source(
                title=text,
                slug=_unique_slug(Source, text),
                publisher=data.get("source_publisher", ""),
                published_on=published_on,
                url=data.get("source_url", ""),
            )
            source.full_clean()
            source.save()
            row.changes.append(f"creates source “{source}”")
        return source

    def work(self, row, data, title, season, episodes) -> Work:
        values = {
            "title": title,
            "title_original": data.get("title_original", ""),
            "season": season,
            "episodes": episodes,
            "synopsis": data.get("synopsis", ""),
        }
        work = None
        if data.get("slug"):
            work = Work.objects.filter(slug=data["slug"]).first()
        if work is None and values["title_original"]:
            work = Work.objects.filter(
                title_original=values["title_original"], season=season
            ).first()
        if work is None:
            work = Work.objects.filter(title__iexact=title, season=season).first()
        if work is None:
            slug = data.get("slug") or _unique_slug(Work, f"{title} {season}" if season else title)
            work = Work(slug=slug, **{k: v for k, v in values.items() if v not in (None, "")})
            work.full_clean()
            work.save()
            row.outcome = "created"
            row.changes.append(f"creates work “{work}”")
        else:
            _save_if_changed(work, values, row.changes, "work")
        return work

    def place(self, row, name, kind) -> Place:
        place = _find_one(Place, name, "name", "name_original")
        if place is None:
            place = Place(name=name, slug=_unique_slug(Place, name), kind=kind)
            place.full_clean()
            place.save()
            row.changes.append(f"creates place “{place}” ({kind})")
        return place

    def organisation(self, row, name, role) -> Organisation:
        organisation = _find_one(Organisation, name, "name", "name_original")
        if organisation is None:
            kind = KIND_FOR_ROLE[role]
            organisation = Organisation(name=name, slug=_unique_slug(Organisation, name), kind=kind)
            organisation.full_clean()
            organisation.save()
            row.changes.append(f"creates organisation “{organisation}” ({kind})")
        return organisation

    def recommendation(self, row, batch, work, theme, source) -> None:
        listing = Recommendation.objects.filter(batch=batch, work=work).first()
        if listing is None:
            Recommendation.objects.create(batch=batch, work=work, theme=theme, source=source)
            row.changes.append(f"lists it in batch {batch.number} under “{theme}”")
            return
        if listing.theme_id != theme.pk:
            row.changes.append(f"moves it from “{listing.theme}” to “{theme}”")
            listing.theme = theme
            listing.save()
        if source and listing.source_id is None:
            listing.source = source
            listing.save()
            row.changes.append(f"cites “{source}” for the listing")


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


def run_import(*, name: str, content: bytes, commit: bool) -> ImportResult:
    """Apply the file's rows in one transaction; keep them only if `commit` and no row failed."""
    try:
        rows = read_rows(name=name, content=content)
    except ImportFileError as error:
        return ImportResult(file_name=name, file_errors=[str(error)])
    return apply_rows(name=name, rows=rows, commit=commit)


def pack_rows(rows: list[tuple[int, dict[str, str]]]) -> str:
    """The parsed rows as compact text for the session (deflated JSON: the rows of a 2 MB
    XLSX can be several times its size as text)."""
    return base64.b64encode(zlib.compress(json.dumps(rows).encode(), 6)).decode("ascii")


def unpack_rows(packed: str) -> list[tuple[int, dict[str, str]]]:
    rows = json.loads(zlib.decompress(base64.b64decode(packed)))
    return [(number, data) for number, data in rows]  # JSON made the pairs lists


def apply_rows(*, name: str, rows: list[tuple[int, dict[str, str]]], commit: bool) -> ImportResult:
    """Apply rows `read_rows` returned (the preview's, kept by the admin until the confirm)."""
    result = ImportResult(file_name=name)
    importer = _Importer(result)
    started = timezone.now()
    try:
        with transaction.atomic():
            for number, data in rows:
                result.rows.append(importer.row(number, data))
            if result.has_errors or not commit:
                raise _Rollback
            _publish_changes(result.batch, since=started)
    except _Rollback:
        pass
    else:
        result.committed = True
    return result


def _publish_changes(batch: Batch, *, since) -> None:
    """An import writes into a draft batch (a published one refuses changes), so what it
    creates stays hidden until the batch is published. But it may change works that another
    published batch already shows: those are edits of public records, and the public state
    must say so."""
    touched = publication.touched_by(batch)
    changes = publication.refresh(touched)
    edited = Work.objects.public().filter(pk__in=touched.get(Work, ()), updated_at__gte=since)
    if not changes and edited.exists():
        PublicState.bump()
