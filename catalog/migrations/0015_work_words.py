"""The words of works' titles in the list's order (`catalog_work_word`, read by
Work.search_words), on PostgreSQL: a table kept by triggers on `catalog_work`, statement by
statement with transition tables, so that a COPY of a million works writes its words in one
INSERT per statement. Every work is in it,
drafts too (a search reads them with the queryset's own conditions, the public rule among
them). A TRUNCATE of works (the test runner's flush) empties it. Nothing on SQLite.
"""

from django.db import migrations

from core.migration_operations import lift_statement_timeout

CHANGED = (
    "(o.title, o.title_original, o.season) IS DISTINCT FROM (n.title, n.title_original, n.season)"
)


def words_of(rows: str, where: str = "TRUE") -> str:
    """The words of the works in `rows` (a FROM item whose alias is n), each once."""
    return f"""INSERT INTO catalog_work_word (work_id, word, sort_key, season)
      SELECT DISTINCT n.id, w, COALESCE(NULLIF(n.title, ''), n.title_original), n.season
      FROM {rows} CROSS JOIN unnest(core_search_words(n.title || ' ' || n.title_original)) w
      WHERE {where}"""


PG_CREATE = [
    """CREATE TABLE catalog_work_word (
      work_id integer NOT NULL,
      word text NOT NULL,
      sort_key text NOT NULL,
      season smallint,
      PRIMARY KEY (work_id, word))""",
    f"""CREATE FUNCTION catalog_work_word_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      {words_of("new_rows n")};
      RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION catalog_work_word_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM catalog_work_word w USING old_rows o JOIN new_rows n ON n.id = o.id
        WHERE w.work_id = o.id AND {CHANGED};
      {words_of("new_rows n JOIN old_rows o ON o.id = n.id", CHANGED)};
      RETURN NULL;
    END $$""",
    """CREATE FUNCTION catalog_work_word_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM catalog_work_word w USING old_rows o WHERE w.work_id = o.id;
      RETURN NULL;
    END $$""",
    """CREATE FUNCTION catalog_work_word_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      TRUNCATE catalog_work_word;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER catalog_work_word_insert AFTER INSERT ON catalog_work
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION catalog_work_word_insert()""",
    """CREATE TRIGGER catalog_work_word_update AFTER UPDATE ON catalog_work
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION catalog_work_word_update()""",
    """CREATE TRIGGER catalog_work_word_delete AFTER DELETE ON catalog_work
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
      EXECUTE FUNCTION catalog_work_word_delete()""",
    """CREATE TRIGGER catalog_work_word_truncate AFTER TRUNCATE ON catalog_work
      FOR EACH STATEMENT EXECUTE FUNCTION catalog_work_word_truncate()""",
    words_of("catalog_work n"),
    # A word's works in the list's order (Work.Meta.ordering, then the id).
    """CREATE INDEX catalog_work_word_order
      ON catalog_work_word (word, sort_key, season NULLS FIRST, work_id)""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS catalog_work_word_insert ON catalog_work",
    "DROP TRIGGER IF EXISTS catalog_work_word_update ON catalog_work",
    "DROP TRIGGER IF EXISTS catalog_work_word_delete ON catalog_work",
    "DROP TRIGGER IF EXISTS catalog_work_word_truncate ON catalog_work",
    "DROP FUNCTION IF EXISTS catalog_work_word_insert()",
    "DROP FUNCTION IF EXISTS catalog_work_word_update()",
    "DROP FUNCTION IF EXISTS catalog_work_word_delete()",
    "DROP FUNCTION IF EXISTS catalog_work_word_truncate()",
    "DROP TABLE IF EXISTS catalog_work_word",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_CREATE:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0014_link_indexes_replace_fk_indexes"),
        ("core", "0003_search_words_functions"),
    ]

    operations = [
        lift_statement_timeout(),
        migrations.RunPython(create, drop, elidable=False),
    ]
