import datetime
import subprocess
import sys

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from stdnum.dk import cpr

from jobcenter.citizens.models import Citizen
from jobcenter.tenancy.actions import do_load_municipalities
from jobcenter.tenancy.models import User
from jobcenter.tenancy.roles import Role
from jobcenter.web.demo import (
    CITIZENS_PER_MUNICIPALITY,
    DEMO_CASES_PER_MUNICIPALITY,
    DEMO_GRANTS_PER_MUNICIPALITY,
    seed_demo,
)
from jobcenter.web.tasks import ping


def test_the_demo_has_one_user_per_role_in_odense_and_aarhus_and_valid_cpr_numbers(db):
    do_load_municipalities()
    made = seed_demo(today=datetime.date(2026, 11, 23))
    assert made["users"] == 2 * len(Role)
    for code in ("0461", "0751"):
        assert {u.role for u in User.objects.filter(municipalities__code=code)} == {r.value for r in Role}
        assert Citizen.objects.filter(municipality__code=code).count() > CITIZENS_PER_MUNICIPALITY * 0.95
    assert made["cases"] == 2 * DEMO_CASES_PER_MUNICIPALITY
    assert made["grants"] == 2 * DEMO_GRANTS_PER_MUNICIPALITY
    for citizen in Citizen.objects.all():
        assert cpr.is_valid(citizen.cpr)
        assert citizen.birth_date == cpr.get_birth_date(citizen.cpr)


def test_seeding_the_demo_again_changes_nothing(db):
    do_load_municipalities()
    seed_demo(today=datetime.date(2026, 11, 23))
    counts = (User.objects.count(), Citizen.objects.count())
    assert seed_demo(today=datetime.date(2026, 11, 23)) == {
        "users": 0,
        "citizens": 0,
        "cases": 0,
        "grants": 0,
        "inbox_events": 0,
    }
    assert (User.objects.count(), Citizen.objects.count()) == counts


def test_the_task_worker_runs_a_queued_task(transactional_db):
    result = ping.enqueue()
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == "SUCCESSFUL"
    assert stored.return_value == "pong"


def test_production_settings_refuse_to_start_without_a_secret_key():
    completed = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={"DJANGO_SETTINGS_MODULE": "jobcenter.settings", "JOBCENTER_ENV": "production", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode != 0
    assert "JOBCENTER_SECRET_KEY must be set" in completed.stderr


def test_the_demo_caseworker_has_a_worklist_with_overdue_and_planned_interviews_journal_plan_and_offers(db):
    from jobcenter.cases.models import Interview, JournalEntry, Offer, PlanVersion
    from jobcenter.cases.queries import Flag, worklist

    do_load_municipalities()
    today = datetime.date(2026, 11, 23)
    seed_demo(today=today)
    caseworker = User.objects.get(username="odense-sagsbehandler")
    result = worklist(caseworker, today=today)
    assert result.counts[Flag.OVERDUE] > 0
    assert result.counts[Flag.NO_NEXT_STEP] > 0
    assert Interview.objects.filter(case__municipality__code="0461", outcome="").exists()
    assert Interview.objects.filter(case__municipality__code="0461", outcome="held").exists()
    assert JournalEntry.objects.filter(municipality__code="0461").count() >= DEMO_CASES_PER_MUNICIPALITY
    assert PlanVersion.objects.filter(municipality__code="0461").exists()
    assert Offer.objects.filter(municipality__code="0461").exists()


def test_the_demo_benefits_officer_can_try_a_payment_run_for_a_month_with_known_rates(db):
    from jobcenter.payments.actions import do_start_trial_run

    do_load_municipalities()
    seed_demo(today=datetime.date(2026, 11, 23))
    officer = User.objects.get(username="odense-ydelse")
    run = do_start_trial_run(officer, datetime.date(2025, 10, 1))
    assert run.grant_count == DEMO_GRANTS_PER_MUNICIPALITY


def test_the_demo_benefits_officer_finds_a_stop_a_pause_and_a_sanction_task_in_the_inbox(db):
    """The demo's caseworker recorded a job start, an illness and a missed interview; once the
    worker's dispatcher has delivered the events, the benefits officer's inbox holds one of each."""
    from jobcenter.benefits.consequences import consequence_of
    from jobcenter.benefits.models import DecisionKind, Proposal, ProposalKind
    from jobcenter.events.dispatcher import dispatch

    do_load_municipalities()
    today = datetime.date(2026, 11, 23)
    made = seed_demo(today=today)
    assert made["inbox_events"] == 6  # three in Odense, three in Aarhus
    assert not Proposal.objects.exists()  # nothing before the dispatcher delivers
    dispatch()
    odense = Proposal.objects.filter(citizen__municipality__code="0461")
    assert sorted(odense.values_list("kind", flat=True)) == sorted(
        [ProposalKind.STOP, ProposalKind.PAUSE, ProposalKind.SANCTION]
    )
    stop = odense.get(kind=ProposalKind.STOP)
    assert stop.effective_from == datetime.date(2025, 12, 1)
    # December 2025's rates are known: the officer sees the computed consequence, not a refusal.
    consequence = consequence_of(stop.grant, kind=DecisionKind.STOP, effective_from=stop.effective_from)
    assert not consequence.refused and consequence.months[0].month == datetime.date(2025, 12, 1)


def test_a_worker_that_runs_a_task_keeps_the_watch_for_dead_workers_queued(transactional_db, monkeypatch):
    from jobcenter.events import background

    monkeypatch.setattr(background, "_last_watch_check", 0.0)  # a freshly started worker
    ping.enqueue()
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    (watch,) = DBTaskResult.objects.filter(task_path=background.WATCH_PATH)
    assert watch.status == "READY"  # in a minute: it recovers tasks a killed worker left running
