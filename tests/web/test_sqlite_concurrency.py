"""The embedded default (an SQLite file) takes the demo's load: issue 14, security review item 1."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.web.concurrent_caseworkers import CASEWORKERS, SUMMONSES_EACH

ROOT = Path(__file__).resolve().parents[2]


def test_four_caseworkers_sending_summonses_at_once_on_sqlite_all_succeed_and_every_letter_is_sent(tmp_path):
    # Its own process on its own SQLite file: the suite's SQLite database is in memory, where no
    # second process (the worker) could reach it and no file lock is ever contended.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'jobcenter.sqlite3'}"}
    completed = subprocess.run(
        [sys.executable, "-m", "tests.web.concurrent_caseworkers"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    landed = json.loads(completed.stdout.strip().splitlines()[-1])
    everyone = CASEWORKERS * SUMMONSES_EACH
    assert landed["responses"] == [302] * everyone, completed.stderr[-3000:]
    assert landed["summonses"] == landed["summons_journal_entries"] == landed["letters"] == everyone
    assert landed["letters_sent"] == everyone
    assert landed["letter_tasks"] == {"SUCCESSFUL": everyone}  # each delivered at its first attempt
    assert landed["failed_tasks"] == 0
    assert landed["worker_errors"] == 0
    assert "database is locked" not in completed.stderr
