"""manage.py export_catalog FILE: the whole database as a portable JSON backup (core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = (
        "Write the whole catalog (records, links, sources, edit history, users and groups, API "
        "keys' hashes, the public state) to FILE as JSON: .json, or .json.gz/.bz2/.xz "
        "compressed. Restore it with import_catalog. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write it, e.g. catalog-2026-11-23.json.gz")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.parent.is_dir():
            raise CommandError(f"“{path.parent}” is not a directory.")
        try:
            counts = backup.export(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Cannot write “{path}”: {error.strerror or error}.") from error
        _report(self, counts, options["verbosity"])
        self.stdout.write(
            f"Exported {sum(counts.values())} rows of {len(counts)} models to {path}."
        )


def _report(command: BaseCommand, counts: dict[str, int], verbosity: int) -> None:
    if verbosity >= 2:
        for label, count in counts.items():
            command.stdout.write(f"  {label}: {count}")
