"""The monthly run: trial, approval by a second person, release; exactly once."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from lxml import etree

from jobcenter.benefits.actions import do_fetch_income, do_record_decision
from jobcenter.benefits.models import RecalculationMark
from jobcenter.integrations.eindkomst.fake import FakeIncomeRegister
from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.ledger import (
    BANK,
    EXPENSE,
    Posting,
    bulk_insert,
    unbalanced_transactions,
    unreconciled_transactions,
    write_transactions,
)
from jobcenter.payments.models import LedgerEntry, LedgerTransaction, Payment, PaymentRun, PaymentRunLine, RunStatus
from jobcenter.payments.pain001 import NAMESPACE
from jobcenter.payments.queries import citizen_statement
from jobcenter.payments.refusals import PaymentRunRefused
from jobcenter.payments.release import PAYMENT_COLUMNS, do_release_run
from tests.payments.helpers import FULL_MONTH_2025_ORE, OCTOBER_2025, citizens, facts, grant

NOVEMBER_2025 = datetime.date(2025, 11, 1)


def released(starter, approver, month=OCTOBER_2025):
    run = do_start_trial_run(starter, month)
    do_approve_run(approver, run.pk)
    return do_release_run(starter, run.pk)


def test_a_trial_computes_every_grant_and_writes_no_payment(odense_benefits_officer, odense):
    people = citizens(odense, 3)
    for person in people:
        grant(odense_benefits_officer, person)
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    assert run.status == RunStatus.TRIAL
    assert run.grant_count == 3 and run.payment_count == 3
    assert run.total_ore == 3 * FULL_MONTH_2025_ORE
    assert run.payment_date == datetime.date(2025, 10, 31)  # a Friday, a bank day
    assert not Payment.objects.exists() and not LedgerEntry.objects.exists()


def test_a_partial_month_is_prorated_by_calendar_days(odense_benefits_officer, odense_citizen):
    grant(odense_benefits_officer, odense_citizen, effective_from=datetime.date(2025, 10, 17))
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    line = PaymentRunLine.objects.get(run=run)
    assert line.days == 15
    # 1.359.000 øre x 15 / 31 = 657.580,645... -> 657.581 øre (half away from zero)
    assert line.regular_ore == 657_581
    assert line.full_month_ore == FULL_MONTH_2025_ORE


def test_a_month_without_approved_rates_is_refused_and_nothing_is_written(odense_benefits_officer, odense_citizen):
    grant(odense_benefits_officer, odense_citizen, effective_from=datetime.date(2026, 1, 1))
    with pytest.raises(PaymentRunRefused, match="er ikke kendt og godkendt for 2026-03") as refused:
        do_start_trial_run(odense_benefits_officer, datetime.date(2026, 3, 1))
    assert refused.value.problems
    assert not PaymentRun.objects.exists()


def test_a_grant_to_be_paid_without_nemkonto_refuses_the_run(odense_benefits_officer, odense):
    first, second = citizens(odense, 2)
    grant(odense_benefits_officer, first)
    grant(odense_benefits_officer, second, has_nemkonto=False)
    with pytest.raises(PaymentRunRefused, match="ingen NemKonto") as refused:
        do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    assert str(second.pk) in refused.value.problems[0]
    assert not PaymentRun.objects.exists()


def test_the_person_who_started_the_run_cannot_approve_it(odense_benefits_officer, odense_citizen):
    grant(odense_benefits_officer, odense_citizen)
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    with pytest.raises(PaymentRunRefused, match="En anden person skal godkende"):
        do_approve_run(odense_benefits_officer, run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.TRIAL and run.approved_by is None


def test_the_database_refuses_an_approval_by_the_starter(odense_benefits_officer, odense_citizen):
    grant(odense_benefits_officer, odense_citizen)
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRun.objects.filter(pk=run.pk).update(
            status="approved", approved_by=odense_benefits_officer, approved_at=run.started_at
        )


def test_a_run_cannot_be_released_before_approval(odense_benefits_officer, odense_citizen):
    grant(odense_benefits_officer, odense_citizen)
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    with pytest.raises(PaymentRunRefused, match="skal først godkendes"):
        do_release_run(odense_benefits_officer, run.pk)
    assert not Payment.objects.exists()


def test_release_pays_each_grant_once_writes_a_balanced_ledger_and_a_valid_file(
    odense_benefits_officer, odense_team_lead, odense, settings
):
    people = citizens(odense, 5)
    for person in people:
        grant(odense_benefits_officer, person)
    run = released(odense_benefits_officer, odense_team_lead)
    assert run.status == RunStatus.RELEASED and run.progress_done == 5
    assert Payment.objects.filter(run=run).count() == 5
    assert unbalanced_transactions() == []
    bank = sum(LedgerEntry.objects.filter(account="bank:nemkonto").values_list("amount_ore", flat=True))
    assert bank == -5 * FULL_MONTH_2025_ORE
    # Released again: nothing more is paid.
    do_release_run(odense_team_lead, run.pk)
    assert Payment.objects.count() == 5
    # The file went to (fake) NemKonto, with amounts in kroner with exactly two decimals.
    from pathlib import Path

    sent = Path(settings.JOBCENTER_NEMKONTO_OUTBOX) / run.file_name
    document = etree.parse(str(sent))
    amounts = document.findall(f".//{{{NAMESPACE}}}InstdAmt")
    assert [a.text for a in amounts] == ["13590.00"] * 5
    assert document.findtext(f".//{{{NAMESPACE}}}CtrlSum") == "67950.00"
    assert document.findtext(f".//{{{NAMESPACE}}}ReqdExctnDt") == "2025-10-31"


def test_a_new_trial_is_refused_for_a_month_already_released(odense_benefits_officer, odense_team_lead, odense_citizen):
    grant(odense_benefits_officer, odense_citizen)
    released(odense_benefits_officer, odense_team_lead)
    with pytest.raises(PaymentRunRefused, match="allerede udbetalt"):
        do_start_trial_run(odense_benefits_officer, OCTOBER_2025)


def test_late_income_is_corrected_in_the_next_run(odense_benefits_officer, odense_team_lead, odense_citizen, odense):
    grant(odense_benefits_officer, odense_citizen)
    released(odense_benefits_officer, odense_team_lead)
    # October's income arrives after October was paid: 4.000 kr. of work income.
    FakeIncomeRegister.feed(odense_citizen.cpr, OCTOBER_2025, 400_000)
    assert do_fetch_income(odense_benefits_officer, odense, OCTOBER_2025)["recalculate"] == 1
    run = do_start_trial_run(odense_benefits_officer, NOVEMBER_2025)
    line = PaymentRunLine.objects.get(run=run)
    correction = line.corrections[0]
    assert correction["month"] == "2025-10"
    assert correction["paid_ore"] == FULL_MONTH_2025_ORE
    assert correction["difference_ore"] < 0  # income reduces October's help
    assert line.amount_ore == FULL_MONTH_2025_ORE + correction["difference_ore"]
    assert "Indkomst for 2025-10" in correction["reason"]
    do_approve_run(odense_team_lead, run.pk)
    do_release_run(odense_benefits_officer, run.pk)
    assert not RecalculationMark.objects.filter(resolution__isnull=True).exists()
    # The next run has nothing more to correct for October.
    third = do_start_trial_run(odense_benefits_officer, datetime.date(2025, 12, 1))
    assert PaymentRunLine.objects.get(run=third).corrections == []
    assert unbalanced_transactions() == []


def test_a_retroactive_decision_becomes_a_correction_and_an_overpayment_a_claim(
    odense_benefits_officer, odense_team_lead, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    released(odense_benefits_officer, odense_team_lead)
    do_record_decision(
        odense_benefits_officer,
        odense_citizen.pk,
        kind="aendring",
        effective_from=OCTOBER_2025,
        effective_to=datetime.date(2025, 10, 31),
        facts=facts(other_income_ore=5_000_000),  # other income deducted krone for krone: no help
        justification="Borgeren havde en formue, der var udbetalt i oktober.",
    )
    run = do_start_trial_run(odense_benefits_officer, NOVEMBER_2025)
    line = PaymentRunLine.objects.get(run=run)
    # Nothing is granted from November (the change ended on 31 October), October is clawed back.
    assert line.regular_ore == 0
    assert line.correction_ore == -FULL_MONTH_2025_ORE
    assert line.amount_ore == 0 and line.claim_ore == FULL_MONTH_2025_ORE
    assert "Tilbagebetalingskrav" in line.outlier
    do_approve_run(odense_team_lead, run.pk)
    do_release_run(odense_benefits_officer, run.pk)
    claim = LedgerEntry.objects.get(account=f"receivable:claim:{odense_citizen.pk}")
    assert claim.amount_ore == FULL_MONTH_2025_ORE
    assert unbalanced_transactions() == []


def test_a_decision_made_while_the_months_run_waits_for_release_is_corrected_in_the_next_run(
    odense_benefits_officer, odense_team_lead, odense_citizen
):
    """October's run is approved (its figures fixed) when a decision changes October: the run pays
    what was approved, and November's run corrects October."""
    grant(odense_benefits_officer, odense_citizen)
    october = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    do_approve_run(odense_team_lead, october.pk)
    do_record_decision(
        odense_benefits_officer,
        odense_citizen.pk,
        kind="aendring",
        effective_from=OCTOBER_2025,
        effective_to=datetime.date(2025, 10, 31),
        facts=facts(other_income_ore=5_000_000),  # no help in October after all
        justification="Borgeren havde en indtægt i oktober.",
    )
    assert list(RecalculationMark.objects.values_list("month", flat=True)) == [OCTOBER_2025]
    do_release_run(odense_benefits_officer, october.pk)
    assert Payment.objects.get(month=OCTOBER_2025).amount_ore == FULL_MONTH_2025_ORE  # as approved
    november = PaymentRunLine.objects.get(run=do_start_trial_run(odense_benefits_officer, NOVEMBER_2025))
    assert november.correction_ore == -FULL_MONTH_2025_ORE and november.claim_ore == FULL_MONTH_2025_ORE


def test_difference_from_last_month_is_shown(odense_benefits_officer, odense_team_lead, odense_citizen):
    grant(odense_benefits_officer, odense_citizen)
    released(odense_benefits_officer, odense_team_lead)
    run = do_start_trial_run(odense_benefits_officer, NOVEMBER_2025)
    line = PaymentRunLine.objects.get(run=run)
    assert line.previous_ore == FULL_MONTH_2025_ORE and line.outlier == ""


def test_a_chunk_is_one_ledger_transaction_whose_control_entries_equal_its_payments(
    odense_benefits_officer, odense_team_lead, odense
):
    for person in citizens(odense, 5):
        grant(odense_benefits_officer, person)
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    do_approve_run(odense_team_lead, run.pk)
    do_release_run(odense_benefits_officer, run.pk, chunk_size=2)
    # 5 payments in chunks of 2: three transactions, each expense + bank, no entries per citizen.
    transactions = LedgerTransaction.objects.filter(run=run)
    assert transactions.count() == 3
    assert sorted(t.payments.count() for t in transactions) == [1, 2, 2]
    for chunk in transactions:
        assert sorted((e.account, e.amount_ore) for e in chunk.entries.all()) == [
            (BANK, -chunk.payments.count() * FULL_MONTH_2025_ORE),
            (EXPENSE, chunk.payments.count() * FULL_MONTH_2025_ORE),
        ]
    assert not LedgerEntry.objects.filter(citizen_id__isnull=False).exists()
    assert unbalanced_transactions() == [] and unreconciled_transactions() == []


def test_the_reconciliation_finds_a_chunk_whose_bank_credit_differs_from_its_payments(
    odense_benefits_officer, odense_team_lead, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    run = released(odense_benefits_officer, odense_team_lead)
    assert unreconciled_transactions() == []
    # A balanced transaction (so the balance check lets it through) that pays out less than its payment says.
    wrong = uuid.uuid4()
    write_transactions(
        municipality_id=run.municipality_id,
        run_id=run.pk,
        booked_on=run.payment_date,
        transactions=[(wrong, "forkert", [Posting(EXPENSE, 100), Posting(BANK, -100)])],
    )
    bulk_insert(
        Payment,
        PAYMENT_COLUMNS,
        [(uuid.uuid4(), run.pk, odense_citizen.grant.pk, NOVEMBER_2025, 100, 0, 200, 0, wrong, timezone.now())],
    )
    assert unbalanced_transactions() == []
    assert unreconciled_transactions() == [wrong]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the statement trigger exists on PostgreSQL only")
@pytest.mark.parametrize("missing", ["run", "transaction"])
def test_postgresql_refuses_a_payment_whose_run_or_ledger_transaction_does_not_exist(
    missing, odense_benefits_officer, odense_team_lead, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    run = released(odense_benefits_officer, odense_team_lead)
    booked = Payment.objects.get(run=run).transaction_id
    run_id, transaction_id = (uuid.uuid4(), booked) if missing == "run" else (run.pk, uuid.uuid4())
    row = (uuid.uuid4(), run_id, odense_citizen.grant.pk, NOVEMBER_2025, 0, 0, 0, 0, transaction_id, timezone.now())
    refused = pytest.raises(IntegrityError, match="refers to a run or a ledger transaction that does not exist")
    with refused, transaction.atomic():
        bulk_insert(Payment, PAYMENT_COLUMNS, [row])
    assert Payment.objects.count() == 1


def test_every_payment_refers_to_its_run_and_its_chunks_ledger_transaction(
    odense_benefits_officer, odense_team_lead, odense
):
    for person in citizens(odense, 3):
        grant(odense_benefits_officer, person)
    run = released(odense_benefits_officer, odense_team_lead)
    payments = Payment.objects.filter(run=run)
    assert payments.count() == 3
    assert not payments.exclude(transaction__in=LedgerTransaction.objects.filter(run=run)).exists()


def test_the_statement_shows_every_payment_correction_and_claim_with_the_balance(
    odense_benefits_officer, odense_team_lead, odense_citizen
):
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
    released(odense_benefits_officer, odense_team_lead, NOVEMBER_2025)
    _citizen, lines = citizen_statement(odense_benefits_officer, odense_citizen.pk)
    owed, claim = f"payable:citizen:{odense_citizen.pk}", f"receivable:claim:{odense_citizen.pk}"
    assert [(line.description.split(":")[0], line.account, line.amount_ore) for line in lines] == [
        ("Kontanthjælp 2025-10", owed, -FULL_MONTH_2025_ORE),  # October's help owed ...
        ("Kontanthjælp 2025-10", owed, FULL_MONTH_2025_ORE),  # ... and paid to NemKonto
        ("Efterregulering 2025-10", owed, FULL_MONTH_2025_ORE),  # October clawed back in November's run ...
        ("Kontanthjælp 2025-11", owed, -FULL_MONTH_2025_ORE),  # ... moved to a claim
        ("Kontanthjælp 2025-11", claim, FULL_MONTH_2025_ORE),  # the claim in the general ledger
    ]
    assert "udbetalt til NemKonto" in lines[1].description and "tilbagebetalingskrav" in lines[3].description
    assert [line.balance_ore for line in lines] == [
        -FULL_MONTH_2025_ORE,
        0,
        FULL_MONTH_2025_ORE,
        0,
        FULL_MONTH_2025_ORE,
    ]
