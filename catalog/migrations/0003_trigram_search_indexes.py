"""pg_trgm and trigram GIN indexes for text search on PostgreSQL.

They are created with SQL rather than declared in Meta.indexes because a GIN index has no
SQLite equivalent: on SQLite this migration does nothing and search falls back to a scan,
which is fine at the embedded scale. `icontains` and trigram similarity both use them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TRIGRAM_INDEXES = [
    ("catalog_work", "title"),
    ("catalog_work", "title_original"),
    ("catalog_work", "synopsis"),
    ("catalog_place", "name"),
    ("catalog_place", "name_original"),
    ("catalog_organisation", "name"),
    ("catalog_organisation", "name_original"),
    ("catalog_theme", "name"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm" '
            f'ON "{table}" USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_{column}_trgm"')


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
