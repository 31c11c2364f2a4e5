"""Load the catalog's data sets: the seed drawn from the two source documents
(fixtures/seed.json), the gazetteer's reference data for places (fixtures/gazetteer.json) and
the wider public record of the lists (fixtures/public-record.json).

Unlike `loaddata`, this command is idempotent and says what it did: records are matched by
their natural keys (slugs), so a second run finds every record unchanged, writes nothing and
reports so. Only the fields a data set gives are compared and written, so an editor's work on
other fields survives a re-run. The whole load is one transaction: a broken data set stops
with a message naming the record and leaves the database as it was.

Several data sets may describe one record (the seed names Ningbo, the gazetteer gives its
Chinese name and province): their entries are merged by natural key before anything is
written, related lists (sources, themes) are combined, and two data sets giving a field two
different values is an error, not a silent "last one wins".

Data that editors own stays theirs. Every save is in the record's history (django-simple-
history) with its change reason; the loader's saves carry LOADER_REASON. A field whose latest
change is not the loader's was corrected by someone: the loader keeps that value and reports
the difference, and a record an editor deleted is not recreated, unless `--force` is given.

A correction to the data sets can also withdraw a record (the seed's "Glazed Beauty filmed at
New York"). On a full load (no `--fixture`), a record the loader created that no data set holds
any more is deleted, unless someone changed it since: then it is reported and kept.

What the data sets say is public becomes public through core.publication, as if an editor had
published it: batches by their `status`, records that stand on their own by
`published_directly`, and what those show (their works, places, organisations, sources...).
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, models, transaction
from django.db.models import ProtectedError

from core import publication

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEFAULT_FIXTURES = [
    FIXTURES / "seed.json",
    FIXTURES / "gazetteer.json",
    FIXTURES / "public-record.json",
]
LOADER_REASON = "Seed data from the source documents"
# Reasons the loader wrote under earlier names; their rows count as the loader's too.
LOADER_REASONS = {LOADER_REASON}


@dataclass
class Kept:
    """A value an editor set that differs from what the data sets say."""

    label: str
    field: str
    editor: object
    data_set: object

    def __str__(self):
        return (
            f"{self.label} {self.field}: kept the editor's {self.editor!r} "
            f"(the data sets say {self.data_set!r})"
        )


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    not_recreated: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    not_withdrawn: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn)


def key_fields(model) -> tuple[str, ...]:
    """The fields that identify a record across data sets: its slug, or the fields of its
    first unique constraint (a link record: work + place + relation)."""
    names = {f.name for f in model._meta.concrete_fields}
    if "slug" in names:
        return ("slug",)
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            return tuple(constraint.fields)
    raise CommandError(f"{model._meta.label} has no natural key the loader can match on.")


def is_empty(value) -> bool:
    return value is None or value == "" or value == []


class Command(BaseCommand):
    help = (
        "Load the catalog's data sets (seed, gazetteer, public record). Safe to run again: "
        "it changes nothing then, and never overwrites an editor's correction unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixture",
            action="append",
            help=(
                "Path of a data set; repeat for several, loaded in order "
                "(default: fixtures/seed.json, gazetteer.json, public-record.json)."
            ),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace values editors changed, and recreate records they deleted.",
        )

    def handle(self, *args, fixture=None, force=False, **options):
        # Only a load of every data set knows what they no longer hold.
        self.withdraw = fixture is None
        if fixture is None:
            paths = DEFAULT_FIXTURES
        else:
            paths = [Path(fixture)] if isinstance(fixture, str | Path) else map(Path, fixture)
        data_sets = [(path, self.read(path)) for path in paths]
        self.force = force
        try:
            with transaction.atomic():
                report = self.load(self.merge(data_sets))
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
            raise CommandError(f"The data sets are broken; nothing was changed. {exc}") from exc
        self.say(report, options["verbosity"])

    def read(self, path: Path) -> list[dict]:
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"Seed fixture not found: {path}") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Seed fixture {path} is not valid JSON: {exc}") from exc
        if not isinstance(entries, list):
            raise CommandError(f"Seed fixture {path} must hold a list of records.")
        return entries

    def say(self, report: LoadReport, verbosity: int):
        if not report.changed:
            self.stdout.write(
                f"Seed data already up to date: nothing to change "
                f"({report.unchanged} records checked)."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seed data loaded: {len(report.created)} created, "
                    f"{len(report.updated)} updated, {report.unchanged} unchanged."
                )
            )
        if report.withdrawn:
            self.stdout.write(
                f"Withdrew {len(report.withdrawn)} record(s) the data sets no longer hold:"
            )
            for label in report.withdrawn:
                self.stdout.write(f"  {label}")
        if verbosity > 1:
            for label in report.created:
                self.stdout.write(f"  created {label}")
            for label in report.updated:
                self.stdout.write(f"  updated {label}")
        # Always said, whatever the verbosity: an editor's value differs from the data.
        if report.kept or report.not_recreated:
            self.stdout.write(
                self.style.WARNING(
                    f"Kept {len(report.kept)} value(s) editors changed and "
                    f"{len(report.not_recreated)} record(s) they deleted; "
                    "run with --force to replace them with the data sets' values."
                )
            )
            for kept in report.kept:
                self.stdout.write(f"  {kept}")
            for label in report.not_recreated:
                self.stdout.write(f"  {label}: deleted by an editor, not recreated")
        if report.not_withdrawn:
            self.stdout.write(
                self.style.WARNING(
                    f"Kept {len(report.not_withdrawn)} record(s) the data sets no longer hold, "
                    "because someone changed them or uses them:"
                )
            )
            for label in report.not_withdrawn:
                self.stdout.write(f"  {label}")

    #
    # Merging the data sets
    #

    def merge(self, data_sets: list[tuple[Path, list[dict]]]) -> list[dict]:
        """One entry per record, in dependency order (what a record refers to first)."""
        merged: dict[tuple, dict] = {}
        given_by: dict[tuple, dict[str, Path]] = defaultdict(dict)
        for path, entries in data_sets:
            for index, entry in enumerate(entries, start=1):
                try:
                    model = apps.get_model(entry["model"])
                    fields = dict(entry["fields"])
                    key = (model._meta.label, *(json.dumps(fields[f]) for f in key_fields(model)))
                except (LookupError, KeyError, TypeError, ValueError) as exc:
                    label = entry.get("model", "?") if isinstance(entry, dict) else "?"
                    raise CommandError(
                        f"Seed record {index} of {path.name} ({label}) cannot be read; "
                        f"nothing was changed. {exc}"
                    ) from exc
                if key not in merged:
                    merged[key] = {"model": entry["model"], "fields": fields}
                    given_by[key] = dict.fromkeys(fields, path)
                    continue
                known = merged[key]["fields"]
                m2m = {f.name for f in model._meta.many_to_many}
                for name, value in fields.items():
                    if name in m2m:
                        known[name] = known.get(name, []) + [
                            v for v in value if v not in known.get(name, [])
                        ]
                    elif is_empty(known.get(name)):
                        known[name] = value
                        given_by[key][name] = path
                    elif not is_empty(value) and value != known[name]:
                        named = dict(zip(key_fields(model), key[1:], strict=True))
                        raise CommandError(
                            f"{model._meta.label} {named}: "
                            f"{given_by[key][name].name} says {name}={known[name]!r} but "
                            f"{path.name} says {value!r}; nothing was changed."
                        )
        return self.in_dependency_order(list(merged.values()))

    def in_dependency_order(self, entries: list[dict]) -> list[dict]:
        by_model = defaultdict(list)
        for entry in entries:
            by_model[entry["model"].lower()].append(entry)
        app_models = defaultdict(list)
        for label in by_model:
            model = apps.get_model(label)
            app_models[model._meta.app_config].append(model)
        ordered = []
        for model in serializers.sort_dependencies(app_models.items(), allow_cycles=True):
            ordered.extend(self.parents_first(by_model[model._meta.label_lower]))
        return ordered

    def parents_first(self, entries: list[dict]) -> list[dict]:
        """Records that nest (places, organisations, initiatives) after their parent."""
        by_slug = {e["fields"].get("slug"): e for e in entries}
        done, ordered = set(), []

        def visit(entry, path=()):
            slug = entry["fields"].get("slug")
            if slug in done:
                return
            parent = entry["fields"].get("parent")
            if parent and parent[0] in by_slug and parent[0] not in path:
                visit(by_slug[parent[0]], (*path, slug))
            done.add(slug)
            ordered.append(entry)

        for entry in entries:
            if entry["fields"].get("slug") is None:
                ordered.append(entry)
            else:
                visit(entry)
        return ordered

    #
    # Writing
    #

    def load(self, entries: list[dict]) -> LoadReport:
        report = LoadReport()
        held: dict[type, set] = defaultdict(set)  # what the data sets hold, by model
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
            if obj.pk is not None:
                held[type(obj)].add(obj.pk)
            try:
                outcome = self.save(obj, given, deserialized.m2m_data, label, report)
            except ValidationError as exc:
                raise CommandError(
                    f"Seed record {index} ({label}) is invalid; nothing was changed. "
                    f"{'; '.join(f'{k}: {v}' for k, v in exc.message_dict.items())}"
                ) from exc
            if outcome == "created":
                report.created.append(label)
                held[type(obj)].add(obj.pk)
            elif outcome == "updated":
                report.updated.append(label)
            elif outcome == "unchanged":
                report.unchanged += 1
        if self.withdraw:
            # Links before the records they join.
            for model in reversed(list(held)):
                self.withdraw_missing(model, held[model], report)
        return report

    def withdraw_missing(self, model, held: set, report: LoadReport):
        """Delete what the loader created and the data sets no longer hold, if nobody has
        changed it since. Bounded by the loader's own creations, not by the table's size."""
        history = getattr(model, "history", None)
        if history is None:
            return
        pk_name = model._meta.pk.attname
        created = set(
            history.filter(history_type="+", history_change_reason__in=LOADER_REASONS)
            .values_list(pk_name, flat=True)
            .distinct()
        )
        pending = list(model._default_manager.filter(pk__in=created - held))
        # Records that nest (a city in a country) go children first: repeat while a pass
        # deletes something.
        while pending:
            still_used = []
            for obj in pending:
                label = f"{obj._meta.label} “{obj}”"
                rows = history.filter(**{pk_name: obj.pk}).order_by("history_date", "history_id")
                if rows.last().history_change_reason not in LOADER_REASONS:
                    report.not_withdrawn.append(f"{label}: changed by an editor")
                    continue
                obj._change_reason = LOADER_REASON
                try:
                    with transaction.atomic():
                        obj.delete()
                except ProtectedError:
                    still_used.append(obj)
                    continue
                report.withdrawn.append(label)
            if len(still_used) == len(pending):
                report.not_withdrawn.extend(
                    f"{obj._meta.label} “{obj}”: still used by other records" for obj in still_used
                )
                break
            pending = still_used

    def save(self, obj, given: set[str], m2m_data: dict, label: str, report: LoadReport) -> str:
        model = type(obj)
        concrete = {
            f.name: f for f in model._meta.concrete_fields if f.name in given and not f.primary_key
        }
        existing = model._default_manager.filter(pk=obj.pk).first() if obj.pk else None

        if existing is None:
            if not self.force and self.deleted_by_editor(obj):
                report.not_recreated.append(label)
                return "kept"
            obj.pk = None
            obj.full_clean()
            obj._change_reason = LOADER_REASON
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
        if not self.force:
            owned, edited_since = self.editor_owned(existing, changed_fields)
            for name in owned:
                f = concrete[name]
                report.kept.append(
                    Kept(label, name, getattr(existing, f.attname), getattr(obj, f.attname))
                )
            changed_fields = [name for name in changed_fields if name not in owned]
            if edited_since:
                # Related lists carry no per-field history: once an editor has saved the
                # record, its lists are theirs too.
                for name, values in changed_m2m.items():
                    report.kept.append(
                        Kept(
                            label,
                            name,
                            sorted(getattr(existing, name).values_list("pk", flat=True)),
                            sorted(map(int, values)),
                        )
                    )
                changed_m2m = {}
            if not changed_fields and not changed_m2m:
                return "kept"
        for name in changed_fields:
            setattr(existing, concrete[name].attname, getattr(obj, concrete[name].attname))
        if changed_fields:
            existing.full_clean()
            existing._change_reason = LOADER_REASON
            existing.save()
        for name, values in changed_m2m.items():
            getattr(existing, name).set(values)
        return "updated"

    def editor_owned(self, existing, fields: list[str]) -> tuple[set[str], bool]:
        """Which of `fields` someone other than the loader changed last, and whether anyone
        did anything to the record since the loader last saved it. Read from the record's
        history, oldest first; a record with no history (made before history was kept)
        counts as the loader's."""
        history = getattr(existing, "history", None)
        if history is None:
            return set(), False
        rows = list(history.order_by("history_date", "history_id"))
        if not rows:
            return set(), False
        attnames = {name: existing._meta.get_field(name).attname for name in fields}
        last_changer: dict[str, bool] = {}  # field -> changed last by the loader?
        previous = None
        for row in rows:
            by_loader = row.history_change_reason in LOADER_REASONS
            for name, attname in attnames.items():
                if previous is None or getattr(row, attname) != getattr(previous, attname):
                    last_changer[name] = by_loader
            previous = row
        owned = {name for name, by_loader in last_changer.items() if not by_loader}
        edited_since = rows[-1].history_change_reason not in LOADER_REASONS
        return owned, edited_since

    def deleted_by_editor(self, obj) -> bool:
        """Whether a record with this natural key existed and someone (not the loader)
        deleted it: its history's last row is a deletion."""
        model = type(obj)
        history = getattr(model, "history", None)
        if history is None:
            return False
        lookup = {}
        for name in key_fields(model):
            attname = model._meta.get_field(name).attname
            lookup[attname] = getattr(obj, attname)
        last = history.filter(**lookup).order_by("history_date", "history_id").last()
        return (
            last is not None
            and last.history_type == "-"
            and last.history_change_reason not in LOADER_REASONS
        )
