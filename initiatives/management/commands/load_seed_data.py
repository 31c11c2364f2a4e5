"""Load the seed data drawn from the source documents (fixtures/seed.json).

Unlike `loaddata`, this command is idempotent and says what it did: records are matched by
their natural keys (slugs), so a second run finds every record unchanged, writes nothing and
reports so. Only the fields the fixture gives are compared and written, so an editor's work on
other fields survives a re-run. The whole load is one transaction: a broken fixture stops with
a message naming the record and leaves the database as it was.

What the seed says is public becomes public through core.publication, as if an editor had
published it: batches by their `status`, records that stand on their own by
`published_directly`, and what those show (their works, places, organisations, sources...).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from core import publication

DEFAULT_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "seed.json"
CHANGE_REASON = "Seed data from the source documents"


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class Command(BaseCommand):
    help = (
        "Load the seed data from the source documents. Safe to run again: it changes nothing then."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixture",
            default=str(DEFAULT_FIXTURE),
            help="Path of the seed fixture (default: fixtures/seed.json).",
        )

    def handle(self, *args, fixture, **options):
        path = Path(fixture)
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"Seed fixture not found: {path}") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Seed fixture {path} is not valid JSON: {exc}") from exc
        if not isinstance(entries, list):
            raise CommandError(f"Seed fixture {path} must hold a list of records.")

        try:
            with transaction.atomic():
                report = self.load(entries)
                if report.changed:
                    publication.refresh()
        except CommandError:
            raise
        except (
            DeserializationError,
            ValidationError,
            ObjectDoesNotExist,
            DatabaseError,
            KeyError,
            TypeError,
            ValueError,
        ) as exc:
            raise CommandError(
                f"Seed fixture {path} is broken; nothing was changed. {exc}"
            ) from exc

        if not report.changed:
            self.stdout.write(
                f"Seed data already up to date: nothing to change "
                f"({report.unchanged} records checked)."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Seed data loaded: {len(report.created)} created, {len(report.updated)} "
                f"updated, {report.unchanged} unchanged."
            )
        )
        if options["verbosity"] > 1:
            for label in report.created:
                self.stdout.write(f"  created {label}")
            for label in report.updated:
                self.stdout.write(f"  updated {label}")

    def load(self, entries: list[dict]) -> LoadReport:
        report = LoadReport()
        for index, entry in enumerate(entries, start=1):
            try:
                given = set(entry["fields"])
                (deserialized,) = serializers.deserialize(
                    "json", json.dumps([entry]), use_natural_foreign_keys=True
                )
            except (DeserializationError, KeyError, TypeError, ValueError) as exc:
                model = entry.get("model", "?") if isinstance(entry, dict) else "?"
                raise CommandError(
                    f"Seed record {index} ({model}) cannot be read; nothing was changed. {exc}"
                ) from exc
            obj = deserialized.object
            label = f"{obj._meta.label} “{obj}”"
            try:
                outcome = self.save(obj, given, deserialized.m2m_data)
            except ValidationError as exc:
                raise CommandError(
                    f"Seed record {index} ({label}) is invalid; nothing was changed. "
                    f"{'; '.join(f'{k}: {v}' for k, v in exc.message_dict.items())}"
                ) from exc
            if outcome == "created":
                report.created.append(label)
            elif outcome == "updated":
                report.updated.append(label)
            else:
                report.unchanged += 1
        return report

    def save(self, obj, given: set[str], m2m_data: dict) -> str:
        model = type(obj)
        concrete = {
            f.name: f for f in model._meta.concrete_fields if f.name in given and not f.primary_key
        }
        existing = model._default_manager.filter(pk=obj.pk).first() if obj.pk else None

        if existing is None:
            obj.pk = None
            obj.full_clean()
            obj._change_reason = CHANGE_REASON
            obj.save()
            for name, values in m2m_data.items():
                getattr(obj, name).set(values)
            return "created"

        changed_fields = [
            f.name
            for f in concrete.values()
            if f.to_python(getattr(existing, f.attname)) != f.to_python(getattr(obj, f.attname))
        ]
        changed_m2m = {
            name: values
            for name, values in m2m_data.items()
            if set(getattr(existing, name).values_list("pk", flat=True)) != set(map(int, values))
        }
        if not changed_fields and not changed_m2m:
            return "unchanged"
        for name in changed_fields:
            setattr(existing, concrete[name].attname, getattr(obj, concrete[name].attname))
        if changed_fields:
            existing.full_clean()
            existing._change_reason = CHANGE_REASON
            existing.save()
        for name, values in changed_m2m.items():
            getattr(existing, name).set(values)
        return "updated"
