"""manage.py import_catalog FILE: restore a backup export_catalog wrote (core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError

from core import backup

from .export_catalog import _report


class Command(BaseCommand):
    help = (
        "Load a backup written by export_catalog into an empty, migrated database, in one "
        "transaction (all or nothing). A database holding data is refused unless --replace. "
        "See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup, e.g. catalog-2026-11-23.json.gz")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete everything the backup covers first (in the same transaction), and "
            "clear the cache",
        )

    def handle(self, *args, file, replace=False, **options):
        path = Path(file)
        try:
            counts = backup.load(path, replace=replace)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        except (DeserializationError, DatabaseError, ValueError) as error:
            raise CommandError(
                f"“{path}” could not be loaded; nothing was imported. {error}"
            ) from error
        _report(self, counts, options["verbosity"])
        self.stdout.write(
            f"Imported {sum(counts.values())} rows of {len(counts)} models from {path}."
        )
