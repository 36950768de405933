"""Fault test: a release stopped at random points, several times, ends with every grant paid once."""

from __future__ import annotations

import random
import uuid

import pytest
from django.db import connection

from jobcenter.audit.models import AuditEntry
from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.ledger import unbalanced_transactions, unreconciled_transactions
from jobcenter.payments.models import LedgerEntry, LedgerTransaction, Payment, PaymentRun, RunStatus
from jobcenter.payments.refusals import ReleaseInterrupted
from jobcenter.payments.release import do_release_run
from jobcenter.tenancy.models import User
from tests.payments.helpers import FULL_MONTH_2025_ORE, OCTOBER_2025, approved_run, citizens, grant


class Crash(Exception):
    """Stands for the worker being killed."""


def release_with_crashes(
    officer: User,
    run_id: uuid.UUID,
    rng: random.Random,
    *,
    last_chunk: int,
    stopped: type[Exception],
    workers: int = 1,
) -> int:
    """Release again and again, each attempt stopped at a random chunk (1 to `last_chunk`), inside
    the chunk's transaction or just after its commit, until an attempt finishes or 20 have been
    made. After every stop, what was committed balances and pays nobody twice. Returns the stops."""
    stops = 0
    for _attempt in range(20):
        where = rng.choice(["inside", "after"])
        at = rng.randint(1, last_chunk)

        def stop(chunk: int, place: str, where: str = where, at: int = at) -> None:
            if place == where and chunk == at:
                raise Crash(f"stopped {where} chunk {chunk}")

        try:
            do_release_run(
                officer,
                run_id,
                chunk_size=2,
                workers=workers,
                inside_chunk=lambda chunk: stop(chunk, "inside"),
                after_chunk=lambda chunk: stop(chunk, "after"),
            )
        except stopped:
            stops += 1
            assert unbalanced_transactions() == [] and unreconciled_transactions() == []
            assert Payment.objects.count() == len(set(Payment.objects.values_list("grant_id", flat=True)))
            continue
        break
    return stops


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_release_interrupted_at_random_points_resumes_and_pays_every_grant_exactly_once(
    seed, odense_benefits_officer, odense_team_lead, odense
):
    people = citizens(odense, 13)
    run = approved_run(odense_benefits_officer, odense_team_lead, people)
    # 13 grants in chunks of 2: seven chunks.
    crashes = release_with_crashes(odense_benefits_officer, run.pk, random.Random(seed), last_chunk=7, stopped=Crash)
    assert crashes >= 1
    run = PaymentRun.objects.get(pk=run.pk)
    if run.status != RunStatus.RELEASED:  # the last attempts may all have crashed: finish it
        run = do_release_run(odense_benefits_officer, run.pk, chunk_size=2)
    assert run.status == RunStatus.RELEASED
    assert sorted(Payment.objects.values_list("grant_id", flat=True)) == sorted(person.grant.pk for person in people)
    assert Payment.objects.count() == 13
    # One ledger transaction per committed chunk, each carrying its payments: none left without payments.
    chunk_transactions = set(Payment.objects.values_list("transaction_id", flat=True))
    assert set(LedgerTransaction.objects.values_list("id", flat=True)) == chunk_transactions
    assert len(chunk_transactions) >= 7  # at most 2 payments per chunk
    assert unbalanced_transactions() == [] and unreconciled_transactions() == []
    assert sum(LedgerEntry.objects.filter(account="bank:nemkonto").values_list("amount_ore", flat=True)) == (
        -13 * FULL_MONTH_2025_ORE
    )
    assert run.progress_done == 13


@pytest.mark.django_db(transaction=True)
def test_two_releases_of_the_same_run_pay_once(odense_benefits_officer, odense_team_lead, odense):
    for person in citizens(odense, 4):
        grant(odense_benefits_officer, person)
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    do_approve_run(odense_team_lead, run.pk)
    # The first release dies after its first chunk; a second person's release finishes; a third finds it done.
    with pytest.raises(Crash):
        do_release_run(odense_benefits_officer, run.pk, chunk_size=1, after_chunk=lambda chunk: _crash())
    do_release_run(odense_team_lead, run.pk, chunk_size=1)
    do_release_run(odense_benefits_officer, run.pk, chunk_size=1)
    assert Payment.objects.count() == 4 and unbalanced_transactions() == []


def _crash() -> None:
    raise Crash


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel release runs on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("seed", [4, 5])
def test_a_parallel_release_whose_workers_die_at_random_points_resumes_and_pays_every_grant_exactly_once(
    seed, odense_benefits_officer, odense_team_lead, odense
):
    people = citizens(odense, 13)
    run = approved_run(odense_benefits_officer, odense_team_lead, people)
    # Two worker processes, chunks of 2 (shares of 7 and 6 lines): a worker that reaches the chosen chunk
    # of an attempt dies there; the release then says it was interrupted.
    interrupted = release_with_crashes(
        odense_benefits_officer, run.pk, random.Random(seed), last_chunk=4, stopped=ReleaseInterrupted, workers=2
    )
    assert interrupted >= 1
    run = PaymentRun.objects.get(pk=run.pk)
    if run.status != RunStatus.RELEASED:
        run = do_release_run(odense_benefits_officer, run.pk, chunk_size=2, workers=2)
    assert run.status == RunStatus.RELEASED and run.progress_done == 13
    assert sorted(Payment.objects.values_list("grant_id", flat=True)) == sorted(person.grant.pk for person in people)
    # Both worker processes paid chunks (each chunk's audit record names its share).
    chunks = AuditEntry.objects.filter(object_type="payments.payment").values_list("detail", flat=True)
    assert {chunk["share"] for chunk in chunks} == {0, 1}
    chunk_transactions = set(Payment.objects.values_list("transaction_id", flat=True))
    assert set(LedgerTransaction.objects.values_list("id", flat=True)) == chunk_transactions
    assert unbalanced_transactions() == [] and unreconciled_transactions() == []
    assert sum(LedgerEntry.objects.filter(account="bank:nemkonto").values_list("amount_ore", flat=True)) == (
        -13 * FULL_MONTH_2025_ORE
    )
