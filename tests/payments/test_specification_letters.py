"""A released run issues one specification letter per payment, printed from the figures that paid."""

from __future__ import annotations

import datetime
import io

import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobcenter.benefits.actions import do_fetch_income, do_record_decision
from jobcenter.benefits.calculation import calculate
from jobcenter.benefits.models import IncomeReport
from jobcenter.integrations.eindkomst.fake import FakeIncomeRegister
from jobcenter.letters.models import Letter, LetterKind
from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.models import Payment, PaymentRunLine, PaymentSpecification, RunStatus
from jobcenter.payments.release import do_release_run
from jobcenter.payments.specifications import specification_progress
from jobcenter.payments.tasks import issue_specifications
from jobcenter.rules import format_kroner
from tests.payments.helpers import FULL_MONTH_2025_ORE, OCTOBER_2025, citizens, facts, grant

NOVEMBER_2025 = datetime.date(2025, 11, 1)
TASK = "jobcenter.payments.tasks.issue_specifications"


def released(starter, approver, month=OCTOBER_2025):
    run = do_start_trial_run(starter, month)
    do_approve_run(approver, run.pk)
    return do_release_run(starter, run.pk)


def words(letter: Letter) -> str:
    reader = pypdf.PdfReader(io.BytesIO(bytes(letter.pdf)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_releasing_a_run_queues_the_letters_after_commit_and_the_task_prints_what_was_paid(
    odense_benefits_officer, odense_team_lead, odense_citizen, django_capture_on_commit_callbacks
):
    grant(odense_benefits_officer, odense_citizen)
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    do_approve_run(odense_team_lead, run.pk)
    with django_capture_on_commit_callbacks(execute=True):
        run = do_release_run(odense_benefits_officer, run.pk)
    assert not Letter.objects.filter(
        kind=LetterKind.PAYMENT_SPECIFICATION
    ).exists()  # the release itself makes no letter
    (queued,) = DBTaskResult.objects.filter(task_path=TASK)
    assert queued.args_kwargs["args"] == [str(run.pk)]

    assert issue_specifications.call(str(run.pk)) == "1 issued, 0 refused"
    payment = Payment.objects.get()
    letter = PaymentSpecification.objects.get(payment=payment).letter
    assert letter.kind == LetterKind.PAYMENT_SPECIFICATION
    assert letter.citizen == odense_citizen
    assert (letter.subject_type, letter.subject_id) == ("payments.payment", str(payment.pk))
    assert letter.created_by == odense_benefits_officer
    text = words(letter)
    assert f"Du får udbetalt {format_kroner(payment.amount_ore)} i kontanthjælp for oktober 2025" in text
    assert f"Hjælp for en hel måned {format_kroner(FULL_MONTH_2025_ORE)}" in text
    assert f"Til udbetaling {format_kroner(payment.amount_ore)}" in text
    assert "31. oktober 2025" in text
    (person,) = calculate([facts()], "2025-10")[0].persons  # the rules' own breakdown of the household
    for line in person.lines:
        assert format_kroner(line.amount_ore) in text
        assert line.reference.split(",")[0] in text
    assert "Sådan klager du" in text


def test_a_partial_month_shows_the_days_and_the_proration(odense_benefits_officer, odense_team_lead, odense_citizen):
    grant(odense_benefits_officer, odense_citizen, effective_from=datetime.date(2025, 10, 17))
    run = released(odense_benefits_officer, odense_team_lead)
    issue_specifications.call(str(run.pk))
    text = words(PaymentSpecification.objects.get().letter)
    assert "Hjælp for 15 af månedens 31 dage: 13.590,00 kr. × 15 / 31 6.575,81 kr." in text
    assert "Til udbetaling 6.575,81 kr." in text


def test_a_correction_is_explained_with_its_month_and_reason(
    odense_benefits_officer, odense_team_lead, odense_citizen, odense
):
    grant(odense_benefits_officer, odense_citizen)
    released(odense_benefits_officer, odense_team_lead)
    FakeIncomeRegister.feed(odense_citizen.cpr, OCTOBER_2025, 400_000)
    do_fetch_income(odense_benefits_officer, odense, OCTOBER_2025)
    run = released(odense_benefits_officer, odense_team_lead, NOVEMBER_2025)
    issue_specifications.call(str(run.pk))
    payment = Payment.objects.get(run=run)
    text = words(PaymentSpecification.objects.get(payment=payment).letter)
    assert "Efterregulering for oktober 2025" in text
    assert "Årsag: Indkomst for 2025-10" in text
    assert format_kroner(payment.correction_ore) in text
    assert f"Til udbetaling {format_kroner(payment.amount_ore)}" in text


def test_a_claim_without_a_payment_still_gets_a_letter(odense_benefits_officer, odense_team_lead, odense_citizen):
    grant(odense_benefits_officer, odense_citizen)
    released(odense_benefits_officer, odense_team_lead)
    do_record_decision(
        odense_benefits_officer,
        odense_citizen.pk,
        kind="aendring",
        effective_from=OCTOBER_2025,
        effective_to=datetime.date(2025, 10, 31),
        facts=facts(other_income_ore=5_000_000),
        justification="Borgeren havde en formue, der var udbetalt i oktober.",
    )
    run = released(odense_benefits_officer, odense_team_lead, NOVEMBER_2025)
    assert issue_specifications.call(str(run.pk)) == "1 issued, 0 refused"
    text = words(PaymentSpecification.objects.get(run=run).letter)
    assert "Du får ikke udbetalt kontanthjælp for november 2025" in text
    assert f"For meget udbetalt (tilbagebetalingskrav) {format_kroner(FULL_MONTH_2025_ORE)}" in text
    assert "Ingen dage med ret til hjælp i november 2025" in text


def test_income_that_arrives_after_the_run_does_not_change_the_letter_it_prints_what_was_paid(
    odense_benefits_officer, odense_team_lead, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    run = released(odense_benefits_officer, odense_team_lead)
    # Income for October arrives after the run paid: the letter still says what the run paid and why
    # (the next run corrects October and explains it in its own letter).
    IncomeReport.objects.create(citizen=odense_citizen, month=OCTOBER_2025, work_income_ore=400_000)
    assert issue_specifications.call(str(run.pk)) == "1 issued, 0 refused"
    text = words(PaymentSpecification.objects.get().letter)
    assert f"Hjælp for en hel måned {format_kroner(FULL_MONTH_2025_ORE)}" in text
    assert f"Til udbetaling {format_kroner(FULL_MONTH_2025_ORE)}" in text


def test_the_letter_is_printed_from_what_the_run_stored_without_running_the_rules_again(
    odense_benefits_officer, odense_team_lead, odense_citizen, monkeypatch
):
    grant(odense_benefits_officer, odense_citizen, effective_from=datetime.date(2025, 10, 17))
    run = released(odense_benefits_officer, odense_team_lead)

    def no_rules(*args, **kwargs):
        raise AssertionError("the letter ran the rules again")

    monkeypatch.setattr("jobcenter.benefits.calculation.calculate_month", no_rules)
    assert issue_specifications.call(str(run.pk)) == "1 issued, 0 refused"
    text = words(PaymentSpecification.objects.get().letter)
    assert "Hjælp for 15 af månedens 31 dage: 13.590,00 kr. × 15 / 31 6.575,81 kr." in text


def test_a_line_whose_stored_breakdown_does_not_give_what_was_paid_is_refused_loudly_and_no_letter_is_made(
    odense_benefits_officer, odense_team_lead, odense_citizen, client_for, caplog
):
    grant(odense_benefits_officer, odense_citizen)
    run = released(odense_benefits_officer, odense_team_lead)
    # The stored segment says another full month than the stored breakdown gives.
    line = PaymentRunLine.objects.get(run=run)
    line.segments = [[*line.segments[0][:2], line.segments[0][2] + 100, *line.segments[0][3:]]]
    line.save(update_fields=["segments"])
    assert issue_specifications.call(str(run.pk)) == "0 issued, 1 refused"
    specification = PaymentSpecification.objects.get()
    assert specification.letter is None
    assert "for en hel måned" in specification.refused
    assert not Letter.objects.filter(kind=LetterKind.PAYMENT_SPECIFICATION).exists()
    assert "payment specification refused" in caplog.text
    assert odense_citizen.cpr not in caplog.text
    page = client_for(odense_benefits_officer).get(reverse("payments:run", args=[run.pk])).content.decode()
    assert "Specifikationer: 0 af 1 dannet" in page
    assert "1 afvist, fordi beregningen ikke gav det udbetalte beløb" in page
    assert 'data-testid="specification-refusals"' in page
    assert specification.refused in page and str(specification.payment.grant_id) in page
    # Run again (a retry, a second worker): the refusal stands, and no letter appears.
    assert issue_specifications.call(str(run.pk)) == "done"
    assert not Letter.objects.filter(kind=LetterKind.PAYMENT_SPECIFICATION).exists()


def test_the_task_works_in_chunks_queues_the_next_and_never_makes_a_second_letter(
    odense_benefits_officer, odense_team_lead, odense, client_for
):
    for person in citizens(odense, 3):
        grant(odense_benefits_officer, person)
    run = released(odense_benefits_officer, odense_team_lead)
    DBTaskResult.objects.all().delete()
    assert issue_specifications.call(str(run.pk), 2) == "2 issued, 0 refused"
    (following,) = DBTaskResult.objects.filter(task_path=TASK)
    assert following.args_kwargs["args"] == [str(run.pk), 2]
    page = client_for(odense_benefits_officer).get(reverse("payments:run-progress", args=[run.pk])).content.decode()
    assert "Specifikationer: 2 af 3 dannet" in page
    assert "hx-get" in page  # the page keeps polling until every letter is made
    # As if the worker died after that chunk: running the task again finishes the rest.
    assert issue_specifications.call(str(run.pk), 2) == "1 issued, 0 refused"
    assert issue_specifications.call(str(run.pk), 2) == "done"
    assert Letter.objects.filter(kind=LetterKind.PAYMENT_SPECIFICATION).count() == 3
    assert specification_progress(run) == {"issued": 3, "refused": 0, "total": 3}
    page = client_for(odense_benefits_officer).get(reverse("payments:run-progress", args=[run.pk])).content.decode()
    assert "Specifikationer: 3 af 3 dannet" in page
    assert "hx-get" not in page
    # The database, too, allows one specification per payment.
    specification = PaymentSpecification.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentSpecification.objects.create(
            payment=specification.payment, run=run, letter=None, refused="en anden arbejder var hurtigere"
        )


def test_a_run_not_released_gets_no_letters(odense_benefits_officer, odense_citizen):
    grant(odense_benefits_officer, odense_citizen)
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    assert issue_specifications.call(str(run.pk)) == "not released"
    assert run.status == RunStatus.TRIAL
    assert not Letter.objects.filter(kind=LetterKind.PAYMENT_SPECIFICATION).exists()


def test_the_command_requeues_the_missing_letters_and_shows_their_progress(
    odense_benefits_officer, odense_team_lead, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    run = released(odense_benefits_officer, odense_team_lead)
    DBTaskResult.objects.all().delete()  # as if the worker crashed and the queue was lost
    out = io.StringIO()
    call_command("payments", "letters", str(run.pk), "--user", "odense-ydelse", stdout=out)
    (queued,) = DBTaskResult.objects.filter(task_path=TASK)
    assert issue_specifications.call(*queued.args_kwargs["args"]) == "1 issued, 0 refused"
    out = io.StringIO()
    call_command("payments", "show", str(run.pk), "--user", "odense-ydelse", stdout=out)
    assert "Specifikationer: 1 af 1 dannet, 0 afvist" in out.getvalue()


def test_the_command_refuses_letters_for_a_run_not_paid(odense_benefits_officer, odense_citizen):
    grant(odense_benefits_officer, odense_citizen)
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    with pytest.raises(CommandError, match="ikke udbetalt"):
        call_command("payments", "letters", str(run.pk), "--user", "odense-ydelse", stdout=io.StringIO())
    assert not DBTaskResult.objects.exists()
