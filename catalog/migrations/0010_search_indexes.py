"""Indexes for text search (core/search.py).

PostgreSQL: the one- and two-character gram index on works (over the fields core.search
reads: title, original title, synopsis), and a trigram index on title renderings. SQLite
(>= 3.34): an FTS5 trigram table over works' search fields, an external-content table kept
in step by triggers. Each is a no-op on the other database.
"""

import sqlite3

from django.db import migrations

from core.migration_operations import lift_statement_timeout

WORK_FIELDS = ("title", "title_original", "synopsis")
GRAMS = " || ".join(f'core_search_grams("{field}")' for field in WORK_FIELDS)

PG_CREATE = [
    f'CREATE INDEX IF NOT EXISTS "catalog_work_search_grams" ON "catalog_work" USING gin (({GRAMS}))',
    'CREATE INDEX IF NOT EXISTS "catalog_worktitle_title_trgm" ON "catalog_worktitle" '
    'USING gin (UPPER("title") gin_trgm_ops)',
]
PG_DROP = [
    'DROP INDEX IF EXISTS "catalog_work_search_grams"',
    'DROP INDEX IF EXISTS "catalog_worktitle_title_trgm"',
]

COLUMNS = ", ".join(WORK_FIELDS)
NEW = ", ".join(f"new.{field}" for field in WORK_FIELDS)
OLD = ", ".join(f"old.{field}" for field in WORK_FIELDS)
SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE catalog_work_fts USING fts5({COLUMNS}, content='catalog_work', "
    "content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER catalog_work_fts_insert AFTER INSERT ON catalog_work BEGIN
      INSERT INTO catalog_work_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END""",
    f"""CREATE TRIGGER catalog_work_fts_delete AFTER DELETE ON catalog_work BEGIN
      INSERT INTO catalog_work_fts(catalog_work_fts, rowid, {COLUMNS})
      VALUES ('delete', old.id, {OLD}); END""",
    f"""CREATE TRIGGER catalog_work_fts_update AFTER UPDATE ON catalog_work BEGIN
      INSERT INTO catalog_work_fts(catalog_work_fts, rowid, {COLUMNS})
      VALUES ('delete', old.id, {OLD});
      INSERT INTO catalog_work_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END""",
    "INSERT INTO catalog_work_fts(catalog_work_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS catalog_work_fts_insert",
    "DROP TRIGGER IF EXISTS catalog_work_fts_delete",
    "DROP TRIGGER IF EXISTS catalog_work_fts_update",
    "DROP TABLE IF EXISTS catalog_work_fts",
]


def statements(vendor: str, forwards: bool) -> list[str]:
    if vendor == "postgresql":
        return PG_CREATE if forwards else PG_DROP
    if vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 34, 0):
        return SQLITE_CREATE if forwards else SQLITE_DROP
    return []


def create(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, True):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_editors_can_edit_title_renderings"),
        ("core", "0002_search_grams_function"),
    ]

    operations = [lift_statement_timeout(), migrations.RunPython(create, drop, elidable=False)]
