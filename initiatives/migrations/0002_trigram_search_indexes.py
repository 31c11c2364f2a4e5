"""Trigram GIN indexes for initiative names on PostgreSQL (see catalog 0003 for why SQL)."""

from django.db import migrations

TRIGRAM_INDEXES = [
    ("initiatives_initiative", "name"),
    ("initiatives_initiative", "name_original"),
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
    dependencies = [
        ("initiatives", "0001_initial"),
        ("catalog", "0003_trigram_search_indexes"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
