"""Benchmark: a monthly payment run end to end on PostgreSQL (compute, ledger, file).

    uv run python benchmarks/bench_payments.py [--grants 100000 1000000] [--sample 200]

Needs PostgreSQL: BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:54329/jobcenter_payments_bench). The database is
dropped and created afresh, migrated, and filled with synthetic citizens, grants
and decisions by COPY and vacuumed (not timed). Then, for each size, one fictitious
municipality's run for October 2025 (rates in the package) is timed:

1. trial: every grant in ONE call to the rules, lines written (COPY);
2. approval by a second person;
3. release: the pain.001 file written and validated against the XSD, payments,
   ledger transactions and entries written in chunks (COPY), the file handed
   to the fake NemKonto;

beside the naive baseline: the same work one grant at a time through the ORM
(fetch the grant and decision, compute one household, save the payment,
transaction and entries, one XML element each) for a sample, extrapolated.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:54329/jobcenter_payments_bench")
MONTH = datetime.date(2025, 10, 1)


def fresh_database() -> None:
    import psycopg

    base, _, name = BENCH_URL.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobcenter.settings")
    os.environ["JOBCENTER_LOG_LEVEL"] = "WARNING"
    # Two processes compute the trial and pay the release's chunks (two cores); set the two to 1 for one.
    os.environ.setdefault("JOBCENTER_PAYMENT_RELEASE_WORKERS", "2")
    os.environ.setdefault("JOBCENTER_PAYMENT_TRIAL_WORKERS", "2")
    scratch = Path(tempfile.mkdtemp(prefix="bench-payments-"))
    os.environ["JOBCENTER_NEMKONTO_OUTBOX"] = str(scratch / "nemkonto")
    os.environ["JOBCENTER_PAYMENT_FILES_DIR"] = str(scratch / "files")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def synthetic_facts(rng: np.random.Generator, count: int) -> list[str]:
    """Households as decisions store them (validated HouseholdInput JSON): 80 % singles, 20 % couples,
    some children, some income. 500 distinct households, reused."""
    from jobcenter.benefits.calculation import validated_facts

    templates = []
    for number in range(500):
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=int(rng.integers(0, 365 * 35)))
        adult = {
            "id": "a1",
            "birth_date": str(birth),
            "applies_for_help": True,
            "lives_with_parents": False,
            "is_aktivitetsparat": bool(rng.random() < 0.4),
            "meets_residence_and_employment_requirement": bool(rng.random() < 0.9),
            "has_full_time_work_2_5_of_last_10_years": True,
            "months_on_help": int(rng.integers(1, 36)),
            "transitional_supplement_entitled": False,
            "work_income_ore": int(rng.integers(0, 800_000)) if rng.random() < 0.3 else 0,
        }
        household: dict[str, object] = {"id": f"t{number}", "adults": [adult], "children": []}
        if rng.random() < 0.2:
            household["relationship"] = "cohabiting"
            household["adults"] = [adult, {"id": "a2", "birth_date": "1975-05-05", "applies_for_help": False}]
        if rng.random() < 0.3:
            household["children"] = [{"id": "c1", "birth_date": "2016-03-01", "parent_ids": ["a1"]}]
        templates.append(json.dumps(validated_facts(household)))
    return [templates[i % len(templates)] for i in range(count)]


def fill(municipality, grants: int, officer_id: uuid.UUID) -> int:  # type: ignore[no-untyped-def]
    """Citizens, grants and one bevilling each, by COPY. Returns the municipality's id."""
    from django.db import connection
    from django.utils import timezone

    rng = np.random.default_rng(int(municipality.code))
    facts = synthetic_facts(rng, grants)
    now = timezone.now()
    citizen_ids = [uuid.uuid4() for _ in range(grants)]
    grant_ids = [uuid.uuid4() for _ in range(grants)]
    decision_ids = [uuid.uuid4() for _ in range(grants)]
    with connection.cursor() as cursor:
        with cursor.copy(
            "COPY citizens_citizen (id, municipality_id, cpr, first_name, last_name, birth_date, street, postcode, city,"
            " created_at) FROM STDIN"
        ) as copy:
            for number, citizen_id in enumerate(citizen_ids):
                copy.write_row(
                    (
                        citizen_id,
                        municipality.pk,
                        f"0101{number:06d}",
                        "Borger",
                        f"Nr{number}",
                        "1980-01-01",
                        "",
                        "",
                        "",
                        now,
                    )
                )
        with cursor.copy(
            "COPY benefits_grant (id, municipality_id, citizen_id, effective_from, has_nemkonto, created_at) FROM STDIN"
        ) as copy:
            for grant_id, citizen_id in zip(grant_ids, citizen_ids, strict=True):
                copy.write_row((grant_id, municipality.pk, citizen_id, "2025-01-01", True, now))
        with cursor.copy(
            "COPY benefits_decision (id, grant_id, version, kind, effective_from, facts, justification,"
            " consultation_exemption, decided_by_id, created_at) FROM STDIN"
        ) as copy:
            for decision_id, grant_id, household in zip(decision_ids, grant_ids, facts, strict=True):
                copy.write_row(
                    (decision_id, grant_id, 1, "bevilling", "2025-01-01", household, "Bevilget", "", officer_id, now)
                )
        cursor.execute(
            "UPDATE benefits_grant g SET latest_decision_id = d.id FROM benefits_decision d"
            " WHERE d.grant_id = g.id AND g.municipality_id = %s",
            [municipality.pk],
        )
    # A settled database, as production's is: freshly copied rows would otherwise be vacuumed by
    # autovacuum, and have their hint bits set by the first reader, during the timed run.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) citizens_citizen, benefits_grant, benefits_decision")
    return municipality.pk


def run_users(municipality, username: str):  # type: ignore[no-untyped-def]
    """The benefits officer who starts the run and the team lead who approves it (`username` has {role})."""
    from jobcenter.tenancy.actions import do_create_user
    from jobcenter.tenancy.roles import Role

    return tuple(
        do_create_user(
            acting_user=None,
            username=username.format(role=role.value),
            role=role,
            municipalities=[municipality],
            password="bench-password-123",
            first_name="Bench",
            last_name=role.value,
        )
        for role in (Role.BENEFITS_OFFICER, Role.TEAM_LEAD)
    )


def naive_per_grant(officer, municipality_id: int, sample: int) -> float:
    """Seconds per grant: one grant at a time through the ORM, as a straightforward loop would."""
    from django.db import transaction
    from django.utils import timezone

    from jobcenter.benefits.calculation import calculate
    from jobcenter.benefits.models import Grant
    from jobcenter.payments.ledger import payment_postings
    from jobcenter.payments.models import LedgerEntry, LedgerTransaction, Payment, PaymentRun
    from jobcenter.payments.pain001 import kroner

    run = PaymentRun.objects.create(
        municipality_id=municipality_id,
        month=datetime.date(2025, 9, 1),
        status="trial",
        payment_date=datetime.date(2025, 9, 30),
        started_by=officer,
    )
    ids = list(Grant.objects.filter(municipality_id=municipality_id).values_list("id", flat=True)[:sample])
    elements = []
    started = time.perf_counter()
    for grant_id in ids:
        with transaction.atomic():
            grant = Grant.objects.select_related("latest_decision", "citizen").get(pk=grant_id)
            household = {k: v for k, v in grant.latest_decision.facts.items()}
            amount = calculate([household], "2025-09")[0].total_ore
            ledger = LedgerTransaction.objects.create(
                municipality_id=municipality_id, run=run, description="naiv", booked_on=run.payment_date
            )
            # One INSERT per transaction's entries: the balance trigger checks each statement.
            LedgerEntry.objects.bulk_create(
                [
                    LedgerEntry(
                        transaction=ledger,
                        account=posting.account,
                        citizen_id=posting.citizen_id,
                        amount_ore=posting.amount_ore,
                    )
                    for posting in payment_postings(grant.citizen_id, amount, 0, amount, 0)
                ]
            )
            Payment.objects.create(
                run=run,
                grant=grant,
                month=run.month,
                regular_ore=amount,
                correction_ore=0,
                amount_ore=amount,
                claim_ore=0,
                transaction=ledger,
            )
            elements.append(
                f"<CdtTrfTxInf><InstdAmt>{kroner(amount)}</InstdAmt><Nm>{grant.citizen.full_name}</Nm></CdtTrfTxInf>"
            )
    elapsed = time.perf_counter() - started
    _ = timezone.now()
    return elapsed / len(ids)


def timed_run(starter, approver, municipality_id: int) -> dict[str, float]:
    from jobcenter.payments.actions import do_approve_run, do_start_trial_run
    from jobcenter.payments.ledger import unbalanced_transactions, unreconciled_transactions
    from jobcenter.payments.models import Payment
    from jobcenter.payments.release import do_release_run
    from jobcenter.tenancy.models import Municipality

    municipality = Municipality.objects.get(pk=municipality_id)
    times: dict[str, float] = {}
    phase_started: dict[str, float] = {}  # when the release's progress first named each phase

    def note(phase: str, done: int, total: int) -> None:
        phase_started.setdefault(phase, time.perf_counter())

    started = time.perf_counter()
    run = do_start_trial_run(starter, MONTH, municipality=municipality)
    times["trial (compute + lines)"] = time.perf_counter() - started
    do_approve_run(approver, run.pk)
    mark = time.perf_counter()
    run = do_release_run(starter, run.pk, progress=note)
    times["release (file + ledger + payments)"] = time.perf_counter() - mark
    if "betalingsfil" in phase_started and "udbetaler" in phase_started:
        times["  of which the payment file"] = phase_started["udbetaler"] - phase_started["betalingsfil"]
        times["  of which payments and ledger"] = phase_started["udbetalt"] - phase_started["udbetaler"]
    times["end to end"] = time.perf_counter() - started
    assert run.status == "released"
    assert Payment.objects.filter(run=run).count() == run.grant_count
    times["_total_kr"] = run.total_ore / 100
    times["_grants"] = run.grant_count
    started = time.perf_counter()
    times["_unbalanced"] = len(unbalanced_transactions())
    times["_unreconciled"] = len(unreconciled_transactions())
    times["_check_s"] = time.perf_counter() - started
    return times


def server_settings() -> str:
    """The PostgreSQL settings that matter for the run, as the server has them (stated, not changed)."""
    from django.db import connection

    names = ["server_version", "shared_buffers", "fsync", "synchronous_commit", "max_wal_size", "work_mem"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)", [names])
        found = dict(cursor.fetchall())
    return ", ".join(f"{name}={found.get(name, '?')}" for name in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grants", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    fresh_database()
    from jobcenter.tenancy.models import Municipality

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    )
    print(f"Database: PostgreSQL ({BENCH_URL.rsplit('@', 1)[-1]}); month {MONTH:%Y-%m}")
    workers = (os.environ["JOBCENTER_PAYMENT_TRIAL_WORKERS"], os.environ["JOBCENTER_PAYMENT_RELEASE_WORKERS"])
    print(f"Settings: {server_settings()}; trial workers {workers[0]}, release workers {workers[1]}")
    print(f"Load average at start: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    for index, size in enumerate(args.grants):
        municipality = Municipality.objects.create(code=f"{9001 + index}", name=f"Benchmark {size}")
        starter, approver = run_users(municipality, f"bench-{{role}}-{size}")
        started = time.perf_counter()
        municipality_id = fill(municipality, size, starter.pk)
        print(f"\n{size:,} grants: set-up (COPY and VACUUM, not timed) {time.perf_counter() - started:.1f} s")
        times = timed_run(starter, approver, municipality_id)
        print(f"  load average after the run: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
        for label, seconds in times.items():
            if not label.startswith("_"):
                print(f"  {label:<38} {seconds:8.1f} s")
        print(
            f"  paid {int(times['_grants']):,} grants, {times['_total_kr']:,.2f} kr.; unbalanced transactions: "
            f"{int(times['_unbalanced'])}, chunks not reconciling with their payments: {int(times['_unreconciled'])} "
            f"(both checked in {times['_check_s']:.1f} s)"
        )
        per_grant = naive_per_grant(starter, municipality_id, args.sample)
        print(
            f"  naive ORM loop, one grant at a time: {per_grant * 1000:.1f} ms per grant (sample {args.sample}); "
            f"extrapolated {per_grant * size:,.0f} s ({per_grant * size / 3600:.1f} h); "
            f"speed-up {per_grant * size / times['end to end']:,.0f}x"
        )


if __name__ == "__main__":
    main()
