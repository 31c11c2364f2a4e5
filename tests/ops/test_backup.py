"""Backup and restore: `export_catalog` then `import_catalog` into an empty database gives back
every row of every model (values, not counts), the edit history of records deleted since, the
users, groups and API keys' hashes, and the public state; the import is all or nothing."""

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from rest_framework_api_key.models import APIKey

from catalog.models import Work
from core import publication
from core.backup import backed_up_models
from core.models import PublicState
from initiatives.imports import run_import
from initiatives.models import Batch, ThemeWork
from initiatives.services import batch_publish, batch_unpublish, editors_group_sync
from tests.editorial.conftest import SAMPLE_XLSX
from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def content_type_key(pk):
    return tuple(ContentType.objects.filter(pk=pk).values_list("app_label", "model").get())


def permission_key(pk):
    permission = Permission.objects.select_related("content_type").get(pk=pk)
    return (permission.codename, *content_type_key(permission.content_type_id))


def snapshot() -> dict[str, list]:
    """Every backed-up model's rows as values, and its many-to-many links; content types and
    permissions by natural key (migrate numbers them in each database its own way)."""
    rows = {}
    for model in backed_up_models():
        values = list(model._base_manager.order_by("pk").values())
        for row in values:
            if "content_type_id" in row and row["content_type_id"] is not None:
                row["content_type_id"] = content_type_key(row["content_type_id"])
        rows[model._meta.label] = values
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if not through._meta.auto_created:
                continue  # a model of its own, compared above
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            links = through._base_manager.values_list(f"{source}_id", f"{target}_id")
            if field.remote_field.model is Permission:
                links = [(left, permission_key(right)) for left, right in links]
            rows[f"{model._meta.label}.{field.name}"] = sorted(links)
    return rows


@pytest.fixture
def lived_in_catalog(seed_data):
    """The seed, then a season of editing: a batch imported and published, one taken back
    to draft, one edited, one deleted (its history rows now point at nothing), an editor in
    the editors' group, a partner's API key, an admin log entry."""
    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(editors_group_sync())
    editor.user_permissions.add(Permission.objects.get(codename="view_logentry"))
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    APIKey.objects.create_key(name="partner")

    imported = run_import(name=SAMPLE_XLSX.name, content=SAMPLE_XLSX.read_bytes(), commit=True)
    assert imported.committed
    batch_publish(batch=imported.batch, user=editor)

    published = list(Batch.objects.public().order_by("pk"))
    assert len(published) >= 3
    batch_unpublish(batch=published[0], user=editor)

    edited = published[1]
    edited.event = "Edited: the announcement forum, renamed"
    edited.save()

    deleted = published[2]
    before, any_public = publication.touched_by(deleted), publication.is_public(deleted)
    deleted_pk = deleted.pk
    deleted.delete()
    publication.records_deleted(before=before, any_public=any_public)
    assert Batch.history.filter(id=deleted_pk).exists()

    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Batch),
        object_id=str(edited.pk),
        object_repr=str(edited),
        action_flag=CHANGE,
        change_message="Changed event.",
    )
    return {"deleted_pk": deleted_pk, "unpublished": published[0], "edited": edited}


def empty_the_database():
    """What a new database looks like to the import: tables there, rows gone, content types
    and permissions made again by post_migrate (under other ids)."""
    if connection.vendor == "postgresql":
        connection.check_constraints()  # TRUNCATE refuses tables with checks pending
    call_command("flush", interactive=False, verbosity=0)
    assert Work.objects.count() == 0


def test_dumpdata_with_natural_keys_fails_once_a_batch_is_deleted(lived_in_catalog, tmp_path):
    # Why export_catalog writes plain keys: the finding this command answers.
    with pytest.raises(Exception, match="matching query does not exist"):
        call_command(
            "dumpdata",
            "--natural-foreign",
            "--natural-primary",
            output=str(tmp_path / "dump.json"),
            verbosity=0,
        )


def test_the_round_trip_into_an_empty_database_gives_back_every_row(lived_in_catalog, tmp_path):
    before = snapshot()
    assert before["initiatives.HistoricalBatch"]  # the history travels too
    path = tmp_path / "catalog.json"
    themed = set(ThemeWork.objects.values_list("theme__slug", "work__slug"))
    assert themed
    call_command("export_catalog", str(path), verbosity=0)

    empty_the_database()
    call_command("import_catalog", str(path), verbosity=0)

    after = snapshot()
    # The works in each theme are derived: not in the file, rebuilt by the import.
    assert "initiatives.ThemeWork" not in after
    assert set(ThemeWork.objects.values_list("theme__slug", "work__slug")) == themed
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label

    # What a user of the restored site notices: the deleted batch's history, the states.
    deleted = Batch.history.filter(id=lived_in_catalog["deleted_pk"])
    assert deleted.exists()
    assert not Batch.objects.filter(pk=lived_in_catalog["deleted_pk"]).exists()
    assert not Batch.objects.get(pk=lived_in_catalog["unpublished"].pk).is_public
    assert Batch.objects.get(pk=lived_in_catalog["edited"].pk).event.startswith("Edited:")
    assert PublicState.objects.get().pk == 1
    # An API key still authenticates with its secret (only its hash was stored).
    assert APIKey.objects.get(name="partner").hashed_key
    # New rows get new keys (the sequences moved past the restored ones).
    Work.objects.create(title="After the restore", slug="after-the-restore")


def test_exporting_the_restored_database_gives_the_same_file(lived_in_catalog, tmp_path):
    first, second = tmp_path / "first.json.gz", tmp_path / "second.json.gz"
    call_command("export_catalog", str(first), verbosity=0)
    empty_the_database()
    call_command("import_catalog", str(first), verbosity=0)
    call_command("export_catalog", str(second), verbosity=0)
    assert gzip.decompress(first.read_bytes()) == gzip.decompress(second.read_bytes())


def test_a_database_migrate_made_takes_the_backup_and_gives_back_the_same_file(
    lived_in_catalog, tmp_path
):
    # The operator's path, in other processes: a new SQLite database, `migrate`, the import,
    # and an export that must equal the one made here (on PostgreSQL when the suite runs there).
    exported = tmp_path / "catalog.json"
    call_command("export_catalog", str(exported), verbosity=0)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'restored.sqlite3'}",
    )

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("migrate", "--noinput", "-v0")
    assert "Imported" in manage("import_catalog", str(exported))
    manage("export_catalog", str(tmp_path / "again.json"))
    assert (tmp_path / "again.json").read_bytes() == exported.read_bytes()


def test_a_database_holding_data_is_refused_and_left_alone(lived_in_catalog, tmp_path):
    path = tmp_path / "catalog.json"
    call_command("export_catalog", str(path), verbosity=0)
    Work.objects.create(title="Added after the backup", slug="added-after-the-backup")
    before = snapshot()
    with pytest.raises(CommandError, match=r"The database is not empty: .*--replace"):
        call_command("import_catalog", str(path), verbosity=0)
    assert snapshot() == before


def test_replace_swaps_a_database_holding_data_for_the_backup(lived_in_catalog, tmp_path):
    path = tmp_path / "catalog.json"
    backed_up = snapshot()
    call_command("export_catalog", str(path), verbosity=0)
    Work.objects.create(title="Added after the backup", slug="added-after-the-backup")
    call_command("import_catalog", str(path), "--replace", verbosity=0)
    assert snapshot() == backed_up
    assert not Work.objects.filter(slug="added-after-the-backup").exists()


def test_a_damaged_backup_imports_nothing(lived_in_catalog, tmp_path):
    path = tmp_path / "catalog.json"
    call_command("export_catalog", str(path), verbosity=0)
    text = path.read_text()
    damaged = tmp_path / "damaged.json"
    damaged.write_text(text[: len(text) // 2])  # cut off mid-way, as a full disk would
    empty_the_database()
    with pytest.raises(CommandError, match="could not be loaded; nothing was imported"):
        call_command("import_catalog", str(damaged), verbosity=0)
    assert all(rows == [] for rows in snapshot().values())


def test_an_empty_backup_never_replaces_the_data(lived_in_catalog, tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("[]")
    before = snapshot()
    with pytest.raises(CommandError, match="holds no rows; nothing was imported"):
        call_command("import_catalog", str(empty), "--replace", verbosity=0)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export_catalog", "catalog.txt"], "name a backup .json"),
        (["import_catalog", "catalog.tar.gz"], "name a backup .json"),
        (["import_catalog", "missing.json"], "does not exist"),
        (["export_catalog", "no/such/dir/catalog.json"], "is not a directory"),
    ],
)
def test_bad_arguments_get_a_command_message(db, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command(*args, verbosity=0)
