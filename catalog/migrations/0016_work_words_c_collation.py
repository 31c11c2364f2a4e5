"""The words of `catalog_work_word` in the C collation, on PostgreSQL: a search typed as far as
"villag" reads the works of the words it begins (Work.search_words with `begins`) as one range
of the table's indexes, `word LIKE 'villag%'`. PostgreSQL reads a LIKE prefix from a B-tree
only in the C collation (or with text_pattern_ops); in a database's own (en_US.UTF-8,
C.UTF-8) it scanned every word. The words are compared for equality and as prefixes only,
never sorted for people, so nothing else changes. Rewrites the table and its two indexes
(about a minute at 1M works). Nothing on SQLite.
"""

from django.db import migrations

from core.migration_operations import lift_statement_timeout, postgresql_only

FORWARD = 'ALTER TABLE catalog_work_word ALTER COLUMN word SET DATA TYPE text COLLATE "C"'
BACKWARD = (
    "ALTER TABLE catalog_work_word ALTER COLUMN word SET DATA TYPE text COLLATE pg_catalog.default"
)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0015_work_words")]

    operations = [lift_statement_timeout(), postgresql_only(FORWARD, BACKWARD)]
