"""Append-only tables: the record that documentation is never lost.

Two walls. The application has no way to change or delete a row: the model
and its queryset refuse. The database refuses too, with a trigger, so that
neither a raw SQL statement nor a future bug can rewrite history. Tables that
need it (the audit log, the journal, the ledger) use both.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models

APPEND_ONLY_MESSAGE = "append-only table: rows can be added, never changed or deleted"


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    def delete(self) -> NoReturn:
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(APPEND_ONLY_MESSAGE)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)


def _trigger_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            """
            CREATE OR REPLACE FUNCTION jobcenter_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END;
            $$ LANGUAGE plpgsql;
            """,
            f"""
            CREATE TRIGGER {table}_append_only
            BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION jobcenter_refuse_change();
            """,
            f"""
            CREATE TRIGGER {table}_no_truncate
            BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION jobcenter_refuse_change();
            """,
        ]
    if vendor == "sqlite":
        return [
            f"""
            CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, 'append-only table {table}: UPDATE refused'); END;
            """,
            f"""
            CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, 'append-only table {table}: DELETE refused'); END;
            """,
        ]
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def protect_table(table: str):  # type: ignore[no-untyped-def]
    """A migration operation that installs the database-side wall for `table`."""
    from django.db import migrations

    def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
        install_triggers(schema_editor.connection, table)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)


def lift_wall(table: str):  # type: ignore[no-untyped-def]
    """A migration operation that removes `table`'s triggers before an operation that rebuilds it.

    SQLite rebuilds a table to alter a column or add a constraint, and the rebuild drops the
    table's triggers; put `protect_table(table)` after the change to restore them (PostgreSQL
    alters in place, and the pair leaves it as it was). tests/audit/test_append_only_after_migrate.py
    checks every append-only table after a fresh migrate.
    """
    from django.db import migrations

    def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
        remove_triggers(schema_editor.connection, table)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)


def install_triggers(connection, table: str) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        for statement in _trigger_statements(connection.vendor, table):
            cursor.execute(statement)  # no parameters: the % in the PL/pgSQL is literal


def remove_triggers(connection, table: str) -> None:  # type: ignore[no-untyped-def]
    """For the test suite's flush between tests and for `lift_wall` in migrations; nothing else calls it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


def append_only_tables() -> list[str]:
    from django.apps import apps

    return [m._meta.db_table for m in apps.get_models() if issubclass(m, AppendOnlyModel)]
