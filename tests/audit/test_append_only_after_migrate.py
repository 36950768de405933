"""The append-only wall survives every migration: right after `migrate` on a fresh database, each
append-only table has its triggers.

SQLite rebuilds a table to alter a column, and the rebuild drops the table's triggers; a migration
that alters an append-only table must lift the wall and put it back (benefits 0005, payments 0006).
The test suite's own database cannot show a lost trigger (its teardown reinstalls them), so this
migrates a database of its own, in a separate process, as `make demo` does.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from jobcenter.audit.append_only import append_only_tables


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL alters tables in place; its triggers stay")
def test_every_append_only_table_has_its_triggers_after_migrating_a_fresh_sqlite_database(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite3"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        env=environment,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    with sqlite3.connect(database) as fresh:
        triggers = {name for (name,) in fresh.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = [
        f"{table}_{guard}"
        for table in append_only_tables()
        for guard in ("no_update", "no_delete")
        if f"{table}_{guard}" not in triggers
    ]
    assert missing == []
