"""A portable backup of the whole database, on Django's serializers (`manage.py export_catalog`,
`manage.py import_catalog`; docs/operations.md, "Backup and restore").

The file is a Django JSON fixture (so `loaddata` could read it too), one object per row of
every model, ordered by model then primary key, so the same database always gives the same
file. Rows keep their primary keys, and foreign keys are written as plain keys: the edit
history (django-simple-history) keeps rows that point at records deleted since, which
`dumpdata --natural-foreign` cannot write (it looks each target up to get its natural key).
Only content types and permissions go by natural key (`["catalog", "work"]`): `migrate`
creates them in every database, under ids of its own.

Left out, on purpose: content types and permissions (made by `migrate`), sessions (a restore
signs everyone out) and django-axes' login attempts (a restore does not carry lockouts over).

The import loads into an empty database (migrated, nothing else) in one transaction through
`loaddata`, which saves rows raw (no `save()`, no `auto_now`, no history written for the load
itself), checks every foreign key before committing, and resets PostgreSQL's sequences.
"""

import bz2
import datetime
import gzip
import lzma
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers import json as json_serializer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor

from . import publication

EXCLUDED_APPS = {"contenttypes", "sessions", "axes"}
EXCLUDED_MODELS = {Permission}
BY_NATURAL_KEY = {ContentType, Permission}
# What `migrate` itself writes into a new database (data migrations): an import replaces it.
MADE_BY_MIGRATE = {"core.PublicState", "auth.Group"}
OPENERS = {".json": open, ".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


class BackupError(Exception):
    """The backup cannot be written or loaded; the message says why."""


class Encoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds (for ECMAScript); a backup keeps the
    microseconds the database stores."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(json_serializer.Serializer):
    """Django's JSON serializer, with plain keys for every relation except to content types
    and permissions (natural keys, so they resolve in a database migrate made), and times to
    the microsecond."""

    def _init_options(self):
        self.options.setdefault("cls", Encoder)
        super()._init_options()

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in BY_NATURAL_KEY
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in BY_NATURAL_KEY
        super().handle_m2m_field(obj, field)


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete table Django manages, in the app registry's (stable) order; the
    many-to-many tables Django creates travel inside their models' rows."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in EXCLUDED_APPS
        and model not in EXCLUDED_MODELS
        and model not in publication.derived_models()  # rebuilt by a load
    ]


def _opener(path: Path):
    """How to open a backup by its name: catalog.json, or compressed, catalog.json.gz (.bz2,
    .xz), as loaddata reads them."""
    suffixes = path.suffixes[-2:]
    if suffixes[-1:] == [".json"] or (suffixes[:1] == [".json"] and suffixes[-1] in OPENERS):
        return OPENERS[suffixes[-1]]
    raise BackupError(f"“{path}”: name a backup .json, .json.gz, .json.bz2 or .json.xz.")


def _rows(counts: dict[str, int]) -> Iterator[models.Model]:
    for model in backed_up_models():
        count = 0
        for obj in model._base_manager.order_by("pk").iterator(chunk_size=2000):
            count += 1
            yield obj
        counts[model._meta.label] = count


def export(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Write every backed-up row to `path` (compressed by its suffix); the rows per model."""
    opener = _opener(path)
    partial = path.with_name(path.name + ".partial")
    counts: dict[str, int] = {}
    connection = connections[using]
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:
                # One snapshot for every table, even while editors keep working.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            with opener(partial, "wt", encoding="utf-8") as stream:
                Serializer().serialize(_rows(counts), stream=stream, indent=1)
        partial.replace(path)  # never a truncated file under the backup's name
    finally:
        partial.unlink(missing_ok=True)
    return counts


def rows_in_the_way(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """The models holding rows beyond what `migrate` writes: the database is not empty."""
    found = {}
    for model in backed_up_models():
        if model._meta.label in MADE_BY_MIGRATE:
            continue
        count = model._base_manager.using(using).count()
        if count:
            found[model._meta.label] = count
    return found


def unapplied_migrations(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


@contextmanager
def _history_off():
    """loaddata sets many-to-many values through the ORM, which django-simple-history would
    record as new edits; the restored history is the one in the file."""
    had = hasattr(settings, "SIMPLE_HISTORY_ENABLED")
    previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        if had:
            settings.SIMPLE_HISTORY_ENABLED = previous
        else:
            del settings.SIMPLE_HISTORY_ENABLED


def _clear(using: str) -> None:
    connection = connections[using]
    # The derived tables too: they point at the rows going, and the load rebuilds them.
    tables = {model._meta.db_table for model in publication.derived_models()}
    for model in backed_up_models():
        tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                tables.add(field.remote_field.through._meta.db_table)
    if connection.vendor == "postgresql":
        # Run the foreign key checks this transaction still owes: PostgreSQL will not
        # TRUNCATE a table with pending checks (when the caller wrote to it already).
        connection.check_constraints()
    statements = connection.ops.sql_flush(no_style(), sorted(tables))
    connection.ops.execute_sql_flush(statements)


def load(path: Path, *, replace: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Load a backup in one transaction: all of it, or (on any error) nothing. Refuses a
    database that is not migrated to the end, and one that holds data unless `replace`.
    Returns the rows per model after the load."""
    _opener(path)
    if not path.is_file():
        raise BackupError(f"“{path}” does not exist.")
    pending = unapplied_migrations(using=using)
    if pending:
        raise BackupError(
            "The database is not migrated to this version of the code (pending: "
            + ", ".join(pending[:5])
            + "). Run `manage.py migrate` first."
        )
    in_the_way = rows_in_the_way(using=using)
    if in_the_way and not replace:
        shown = ", ".join(f"{label} ({count})" for label, count in list(in_the_way.items())[:4])
        if len(in_the_way) > 4:
            shown += f" and {len(in_the_way) - 4} more models"
        raise BackupError(
            f"The database is not empty: {shown}. Import into a new, migrated database, or "
            "pass --replace to delete all of it first (in the same transaction)."
        )
    with transaction.atomic(using=using), _history_off():
        _clear(using)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            # An absolute path: a bare name would also be looked for in every app's fixtures.
            with publication.deferring_derived_state():
                call_command("loaddata", str(path.resolve()), database=using, verbosity=0)
        for warning in caught:
            if "No fixture data found" in str(warning.message):
                raise BackupError(f"“{path}” holds no rows; nothing was imported.")
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
        counts = {
            model._meta.label: model._base_manager.using(using).count()
            for model in backed_up_models()
        }
        if not any(counts.values()):  # `[]`, or not a backup: never trade data for nothing
            raise BackupError(f"“{path}” holds no rows; nothing was imported.")
    ContentType.objects.clear_cache()
    if replace:
        cache.clear()  # pages cached under the replaced data's validators
    return counts
