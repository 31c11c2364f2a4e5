"""Operations shared by migrations."""

from django.db import migrations


def _lift_statement_timeout(apps, schema_editor):
    # The site's statement timeout (DB_STATEMENT_TIMEOUT) guards web requests; building an
    # index over a large catalog is no request and may take minutes. SET LOCAL ends with the
    # migration's transaction.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET LOCAL statement_timeout = 0")


def postgresql_only(forward: str, backward: str) -> migrations.RunPython:
    """A statement and its reverse, run on PostgreSQL only (nothing on SQLite)."""

    def run(sql):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql)

        return operation

    return migrations.RunPython(run(forward), run(backward), elidable=False)


def lift_statement_timeout() -> migrations.RunPython:
    """First operation of a migration that builds indexes over large tables."""
    return migrations.RunPython(_lift_statement_timeout, migrations.RunPython.noop, elidable=True)
