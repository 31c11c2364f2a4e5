"""`manage.py load_seed_data`: clear messages, all or nothing."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog.models import Theme, Work
from initiatives.management.commands.load_seed_data import DEFAULT_FIXTURES, key_fields
from initiatives.models import Batch

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed.json"


def write_fixture(tmp_path, records) -> str:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return str(path)


def distinct_records(*paths) -> int:
    """Records across data sets: an entry that several of them give counts once."""
    keys = set()
    for path in paths:
        for entry in json.loads(Path(path).read_text(encoding="utf-8")):
            model = apps.get_model(entry["model"])
            keys.add((model, *(json.dumps(entry["fields"][f]) for f in key_fields(model))))
    return len(keys)


def test_first_load_reports_what_it_created(capsys):
    call_command("load_seed_data")
    out = capsys.readouterr().out
    records = distinct_records(*DEFAULT_FIXTURES)
    assert records > len(json.loads(SEED.read_text(encoding="utf-8")))
    assert f"Seed data loaded: {records} created, 0 updated, 0 unchanged." in out


def test_a_changed_seed_value_is_updated_and_reported(seed_data, tmp_path, capsys):
    records = json.loads(SEED.read_text(encoding="utf-8"))
    theme = next(r for r in records if r["model"] == "catalog.theme")
    theme["fields"]["description"] = "Corrected description."
    call_command("load_seed_data", fixture=write_fixture(tmp_path, records))
    assert "0 created, 1 updated" in capsys.readouterr().out
    assert Theme.objects.get(slug=theme["fields"]["slug"]).description == "Corrected description."


def test_an_editors_change_to_a_field_the_seed_does_not_give_survives_a_reload(seed_data):
    published_at = timezone.now()
    Batch.objects.filter(slug="travel-with-micro-dramas-4").update(published_at=published_at)
    call_command("load_seed_data")
    batch = Batch.objects.get(slug="travel-with-micro-dramas-4")
    assert (batch.published_at, batch.status) == (published_at, Batch.Status.PUBLISHED)


def test_a_reference_to_an_unknown_record_stops_the_load_and_writes_nothing(tmp_path):
    records = json.loads(SEED.read_text(encoding="utf-8"))
    work = next(r for r in records if r["model"] == "catalog.work")
    work["fields"]["themes"] = [["no-such-theme"]]
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("load_seed_data", fixture=write_fixture(tmp_path, records))
    assert not Theme.objects.exists()
    assert not Work.objects.exists()


def test_an_invalid_value_names_the_record_and_the_field(tmp_path):
    records = [
        {
            "model": "catalog.place",
            "fields": {"slug": "x", "name": "X", "kind": "planet", "sources": []},
        }
    ]
    with pytest.raises(CommandError, match=r"catalog\.Place.*kind"):
        call_command("load_seed_data", fixture=write_fixture(tmp_path, records))


def test_a_file_that_is_not_json_gets_a_clear_message(tmp_path):
    path = tmp_path / "seed.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_seed_data", fixture=str(path))


def test_a_missing_file_gets_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="not found"):
        call_command("load_seed_data", fixture=str(tmp_path / "missing.json"))
