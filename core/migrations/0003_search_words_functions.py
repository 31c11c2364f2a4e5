"""`core_search_words(text)`: a text's words, lower-cased, each a run of letters and digits
(as pg_trgm splits words), for the table of works' title words (`catalog_work_word`,
catalog migration 0015) behind a search's whole-word rank (core/search.py). IMMUTABLE, as
`core_search_grams`: the database's ctype decides what a letter is, and it does not change.
Nothing on SQLite.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION core_search_words(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT array_remove(regexp_split_to_array(lower(value), '[^[:alnum:]]+'), '')
$$
"""
DROP = "DROP FUNCTION IF EXISTS core_search_words(text)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_search_grams_function")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
