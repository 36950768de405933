"""Benchmark: how many payment specification letters per second one worker makes.

    uv run python benchmarks/bench_specification_letters.py [--letters 200] [--chunk 100]

A fresh SQLite database in a temporary folder is migrated and filled with one
municipality, its benefits officer and team lead, and N citizens with a grant
each (not timed); a run for October 2025 is computed, approved and released
(not timed). Then `payments.tasks.issue_specifications` is run chunk after
chunk, as one worker would, until every payment has its letter (timed): the
breakdown per household (one call to the rules per chunk), the PDF/A
rendering, and the letter, its delivery row, its audit record and its
`PaymentSpecification` written in one transaction each. Beside it, the
rendering of one letter alone, to show where the time goes. Delivery through
Digital Post is a separate task and is not timed here.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MONTH = datetime.date(2025, 10, 1)


def setup(scratch: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobcenter.settings")
    os.environ["JOBCENTER_LOG_LEVEL"] = "WARNING"
    os.environ["JOBCENTER_NEMKONTO_OUTBOX"] = str(scratch / "nemkonto")
    os.environ["JOBCENTER_PAYMENT_FILES_DIR"] = str(scratch / "files")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(count: int) -> str:
    from jobcenter.benefits.actions import do_record_decision
    from jobcenter.citizens.actions import do_register_citizen
    from jobcenter.payments.actions import do_approve_run, do_start_trial_run
    from jobcenter.payments.release import do_release_run
    from jobcenter.tenancy.actions import do_create_user
    from jobcenter.tenancy.models import Municipality
    from jobcenter.tenancy.roles import Role

    place = Municipality.objects.get_or_create(code="0461", defaults={"name": "Odense"})[0]
    officer, lead = (
        do_create_user(
            acting_user=None,
            username=name,
            role=role,
            municipalities=[place],
            password="bench-password-1234",
            first_name="Bench",
            last_name=role.label,
        )
        for name, role in (("bench-ydelse", Role.BENEFITS_OFFICER), ("bench-teamleder", Role.TEAM_LEAD))
    )
    # A single adult of 45 (the tests' household): 13.590 kr. for October 2025.
    household = {
        "id": "h1",
        "adults": [
            {
                "id": "a1",
                "birth_date": "1980-01-01",
                "applies_for_help": True,
                "lives_with_parents": False,
                "is_aktivitetsparat": False,
                "meets_residence_and_employment_requirement": True,
                "months_on_help": 5,
            }
        ],
    }
    for number in range(count):
        citizen = do_register_citizen(
            acting_user=None,
            municipality=place,
            cpr=f"{1 + number % 28:02d}{1 + (number // 28) % 12:02d}{80 + number // 336:02d}{number % 10}123",
            first_name=f"Borger{number}",
            last_name="Testesen",
        )
        do_record_decision(
            officer,
            citizen.pk,
            kind="bevilling",
            effective_from=MONTH,
            effective_to=None,
            facts=household,
            justification="Opfylder betingelserne for kontanthjælp (LAS § 11).",
            has_nemkonto=True,
        )
    run = do_start_trial_run(officer, MONTH)
    do_approve_run(lead, run.pk)
    return str(do_release_run(officer, run.pk).pk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--chunk", type=int, default=100)
    arguments = parser.parse_args()
    setup(Path(tempfile.mkdtemp(prefix="bench-letters-")))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, SQLite")
    run_id = fill(arguments.letters)

    from jobcenter.letters.models import Letter
    from jobcenter.payments.tasks import issue_specifications

    started = time.perf_counter()
    chunks = 0
    while issue_specifications.call(run_id, arguments.chunk) != "done":
        chunks += 1
    elapsed = time.perf_counter() - started
    made = Letter.objects.count()
    print(f"letters: {made} in {chunks} chunks of {arguments.chunk}: {elapsed:.1f} s, {made / elapsed:.1f} letters/s")

    from jobcenter.letters.rendering import render_letter_pdf

    letter = Letter.objects.first()
    assert letter is not None
    started = time.perf_counter()
    for _ in range(10):
        render_letter_pdf("letters/base_letter.html", {"title": letter.title, "municipality": letter.municipality})
    print(f"rendering an empty letter alone: {(time.perf_counter() - started) / 10 * 1000:.0f} ms")


if __name__ == "__main__":
    main()
