"""National reporting to DFDG: what is published where, what each report says, and what failures do."""

import datetime

from django.utils import timezone

from jobcenter.cases.actions import do_add_offer, do_change_offer_status, do_record_interview_outcome
from jobcenter.events.dispatcher import backoff, dispatch
from jobcenter.events.models import DeliveryStatus, EventDelivery, OutboxEvent
from jobcenter.integrations.dfdg import DfdgRejected, DfdgUnavailable, ReportKind
from jobcenter.integrations.dfdg.fake import FakeDfdgStore
from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.models import Payment
from jobcenter.payments.release import do_release_run
from tests.cases.interviews import summoned_interview
from tests.payments.helpers import OCTOBER_2025, citizens, grant


def accepted(kind):
    from jobcenter.integrations.dfdg.fake import FakeDfdgClient

    return [report for report in FakeDfdgClient.store.accepted.values() if report.kind == kind]


def test_a_held_interview_is_reported_with_the_citizen_and_the_idempotency_key(odense_caseworker, odense_case):
    odense_interview = summoned_interview(odense_case)
    do_record_interview_outcome(
        acting_user=odense_caseworker, interview=odense_interview, outcome="held", held_form="telefon"
    )
    event = OutboxEvent.objects.get(event_type="interview_held")
    assert "0101901234" not in str(event.payload)
    dispatch()
    (report,) = accepted(ReportKind.INTERVIEW_HELD)
    assert report.citizen_cpr == "0101901234"
    assert report.municipality_code == "0461"
    assert report.idempotency_key == f"{event.pk}:dfdg.interview_held"
    assert report.occurred_on == timezone.localtime(odense_interview.scheduled_at).date()
    assert report.details["form"] == "telefon"
    assert report.details["interviewId"] == str(odense_interview.pk)


def test_a_missed_interview_is_not_reported_as_held(odense_caseworker, odense_case):
    odense_interview = summoned_interview(odense_case)
    do_record_interview_outcome(acting_user=odense_caseworker, interview=odense_interview, outcome="no_show")
    dispatch()
    assert accepted(ReportKind.INTERVIEW_HELD) == []


def test_an_offer_is_reported_when_it_starts_not_when_it_is_planned(odense_caseworker, odense_case, odense_offer):
    dispatch()
    assert accepted(ReportKind.OFFER_STARTED) == []
    do_change_offer_status(acting_user=odense_caseworker, offer=odense_offer, status="active")
    do_change_offer_status(acting_user=odense_caseworker, offer=odense_offer, status="completed")
    direct = do_add_offer(
        acting_user=odense_caseworker,
        case=odense_case,
        kind="vejledning",
        provider="AOF",
        starts_on=odense_case.opened_on,
        ends_on=odense_case.opened_on + datetime.timedelta(days=30),
        status="active",
    )
    dispatch()
    reports = accepted(ReportKind.OFFER_STARTED)
    assert sorted(r.details["offerId"] for r in reports) == sorted([str(odense_offer.pk), str(direct.pk)])
    assert all(r.citizen_cpr == "0101901234" for r in reports)


def test_a_grant_decision_is_reported(odense_benefits_officer, odense_citizen):
    decision = grant(odense_benefits_officer, odense_citizen)
    dispatch()
    (report,) = accepted(ReportKind.GRANT_DECIDED)
    assert report.details["decisionId"] == str(decision.pk)
    assert report.details["decisionKind"] == "bevilling"
    assert report.details["effectiveFrom"] == "2025-10-01"
    assert report.citizen_cpr == "0101901234"


def test_a_released_run_is_one_event_reported_as_its_payments_in_pages(
    odense_benefits_officer, odense_team_lead, odense, settings
):
    settings.JOBCENTER_DFDG_PAYMENT_PAGE_SIZE = 2
    for person in citizens(odense, 5):
        grant(odense_benefits_officer, person)
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    do_approve_run(odense_team_lead, run.pk)
    do_release_run(odense_benefits_officer, run.pk)
    assert OutboxEvent.objects.filter(event_type="payment_run_released").count() == 1
    dispatch()
    assert OutboxEvent.objects.filter(event_type="payment_report_batch").count() == 3  # 5 payments, pages of 2
    reports = accepted(ReportKind.PAYMENT_RELEASED)
    payments = Payment.objects.filter(run=run)
    assert sorted(r.idempotency_key for r in reports) == sorted(f"payment:{p.pk}" for p in payments)
    assert {r.details["amountOre"] for r in reports} == {p.amount_ore for p in payments}
    # Each report adds up: paid = the month's help + corrections - what was kept back against a claim.
    assert all(
        d["amountOre"] == d["regularOre"] + d["correctionOre"] - d["offsetOre"] for d in (r.details for r in reports)
    )
    assert all(r.occurred_on == run.payment_date for r in reports)
    assert not EventDelivery.objects.exclude(status=DeliveryStatus.DONE).exists()


def test_dfdg_down_is_retried_with_backoff_and_delivered_once_it_is_back(
    odense_benefits_officer, odense_citizen, empty_fake_dfdg
):
    grant(odense_benefits_officer, odense_citizen)
    empty_fake_dfdg.set_unavailable(True)
    now = timezone.now()
    dispatch(now=now)
    delivery = EventDelivery.objects.get(handler="dfdg.grant_decided")
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == DfdgUnavailable.default_message
    empty_fake_dfdg.set_unavailable(False)
    dispatch(now=now + backoff(1))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DONE
    assert len(accepted(ReportKind.GRANT_DECIDED)) == 1


def test_a_report_dfdg_rejects_goes_to_the_dead_letter_list_with_the_services_reason(
    odense_benefits_officer, odense_citizen, monkeypatch
):
    def refuse(self, report):
        raise DfdgRejected("Det Fælles Datagrundlag afviste indberetningen: ukendt ydelsestype.")

    monkeypatch.setattr(FakeDfdgStore, "receive", refuse)
    grant(odense_benefits_officer, odense_citizen)
    dispatch()
    delivery = EventDelivery.objects.get(handler="dfdg.grant_decided")
    assert delivery.status == DeliveryStatus.DEAD
    assert delivery.attempts == 1
    assert delivery.last_error == "Det Fælles Datagrundlag afviste indberetningen: ukendt ydelsestype."


def test_the_task_worker_delivers_a_decision_to_dfdg_after_the_commit(transactional_db, odense_benefits_officer):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from jobcenter.events.tasks import TASK_PATH
    from jobcenter.tenancy.models import Municipality

    citizen = citizens(Municipality.objects.get(code="0461"), 1)[0]
    grant(odense_benefits_officer, citizen)  # its commit wakes the dispatcher
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count() == 1
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    assert DBTaskResult.objects.get(task_path=TASK_PATH).status == "SUCCESSFUL"
    assert len(accepted(ReportKind.GRANT_DECIDED)) == 1
    assert EventDelivery.objects.get(handler="dfdg.grant_decided").status == DeliveryStatus.DONE
