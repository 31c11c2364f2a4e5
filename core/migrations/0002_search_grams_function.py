"""`core_search_grams(text)`: a text's single characters and pairs of adjacent characters,
upper-cased, for the GIN indexes that serve one- and two-character searches on PostgreSQL
(core/search.py says why). IMMUTABLE, so an expression index can use it; the index keeps
itself in step with every write, bulk loads included. Nothing on SQLite.

`regexp_split_to_array` gives the characters (four times faster than a generate_series
over both lengths with DISTINCT: GIN drops duplicate keys itself).
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION core_search_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT regexp_split_to_array(u, '')
      || ARRAY(SELECT substr(u, i, 2) FROM generate_series(1, char_length(u) - 1) i)
  FROM upper(value) u
$$
"""
DROP = "DROP FUNCTION IF EXISTS core_search_grams(text)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_public_state")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
