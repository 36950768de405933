"""Where a payment run's time goes, phase by phase, on PostgreSQL (a tool for the next round of speed work).

    uv run python benchmarks/profile_payments.py [--grants 1000000] [--workers 2]

The first call fills a template database (`<BENCH_DATABASE_URL>_tpl<grants>`: citizens, grants and
decisions as `bench_payments.py` makes them, vacuumed); every call clones it (a file copy, seconds),
migrates the clone to the current code and times one run for October 2025: the trial and the release,
with the wall time spent in each of the functions listed in PHASES (a function's time includes the
functions it calls). No profiler: cProfile inflates code that makes many small calls. The release's
workers (and the trial's and the file's, with --workers > 1) are separate processes, so inside them only the
total is seen.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import functools
import importlib
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

import bench_payments  # noqa: E402

PHASES = {
    "jobcenter.payments.compute": ["_versions_by_grant", "month_entitlements", "breakdown_blocks"],
    "jobcenter.benefits.calculation": ["columns_from_stored_facts", "calculate_month"],
    # Patched where they are called: each module imports what it calls by name.
    "jobcenter.payments.actions": ["compute_trial", "compute_in_processes", "write_lines"],
    "jobcenter.payments.workers": ["compute_trial", "copy_file"],
    "jobcenter.payments.release": ["write_file", "_pay_in_chunks"],
    "jobcenter.payments.payment_file": ["validate_pain001", "join_parts"],
}


def database(url: str, name: str) -> str:
    return f"{url.rpartition('/')[0]}/{name}"


def make_template(url: str, grants: int) -> None:
    """The filled, vacuumed database that each profile clones (made once, not timed)."""
    bench_payments.BENCH_URL = url
    bench_payments.fresh_database()
    from jobcenter.tenancy.models import Municipality

    municipality = Municipality.objects.create(code="9001", name=f"Profil {grants}")
    starter, _approver = bench_payments.run_users(municipality, "profile-{role}")
    bench_payments.fill(municipality, grants, starter.pk)
    from django.db import connections

    connections.close_all()


def clone(base_url: str, template: str, work: str) -> None:
    import psycopg

    with psycopg.connect(database(base_url, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{work}"')
        connection.execute(f'CREATE DATABASE "{work}" TEMPLATE "{template}"')


def timed(spent: dict[str, float], function: Callable[..., Any], label: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - started

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grants", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url = bench_payments.BENCH_URL
    template, work = f"{url.rpartition('/')[2]}_tpl{args.grants}", f"{url.rpartition('/')[2]}_profile"
    import psycopg

    with psycopg.connect(database(url, "postgres"), autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
    if not exists:
        started = time.perf_counter()
        # In its own process: Django there is set up on the template, here on the clone.
        filling = multiprocessing.get_context("fork").Process(
            target=make_template, args=(database(url, template), args.grants)
        )
        filling.start()
        filling.join()
        if filling.exitcode != 0:
            sys.exit(f"filling {template} failed")
        print(f"template {template} filled in {time.perf_counter() - started:.1f} s (not timed below)")
    clone(url, template, work)
    os.environ["DATABASE_URL"] = database(url, work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobcenter.settings")
    os.environ["JOBCENTER_LOG_LEVEL"] = "WARNING"
    os.environ["JOBCENTER_PAYMENT_RELEASE_WORKERS"] = str(args.workers)
    os.environ["JOBCENTER_PAYMENT_TRIAL_WORKERS"] = str(args.workers)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    spent: dict[str, float] = collections.defaultdict(float)
    for module_name, names in PHASES.items():
        module = importlib.import_module(module_name)
        for name in names:
            setattr(module, name, timed(spent, getattr(module, name), name))
    from jobcenter.payments import actions, release
    from jobcenter.tenancy.models import Municipality, User

    starter = User.objects.get(username="profile-benefits_officer")
    approver = User.objects.get(username="profile-team_lead")
    municipality = Municipality.objects.get(code="9001")
    print(f"{args.grants:,} grants, {args.workers} release workers, load {os.getloadavg()[0]:.1f}")
    started = time.perf_counter()
    run = actions.do_start_trial_run(starter, datetime.date(2025, 10, 1), municipality=municipality)
    print(f"trial {time.perf_counter() - started:.1f} s")
    for label, seconds in spent.items():
        print(f"  {label:<28} {seconds:7.1f} s")
    spent.clear()
    actions.do_approve_run(approver, run.pk)
    started = time.perf_counter()
    release.do_release_run(starter, run.pk)
    print(f"release {time.perf_counter() - started:.1f} s")
    for label, seconds in spent.items():
        print(f"  {label:<28} {seconds:7.1f} s")
    print(f"load after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
