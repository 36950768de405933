"""The ledger: double entry, append-only, balanced, in øre."""

from __future__ import annotations

import datetime
import random
import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from jobcenter.audit.append_only import AppendOnlyError
from jobcenter.payments.ledger import (
    BANK,
    EXPENSE,
    Posting,
    UnbalancedTransaction,
    chunk_postings,
    payment_postings,
    unbalanced_transactions,
    write_transactions,
)
from jobcenter.payments.models import LedgerEntry, LedgerTransaction


def test_a_payment_books_the_help_as_owed_then_paid():
    citizen = uuid.uuid4()
    postings = payment_postings(citizen, 100_000, -20_000, 80_000, 0)
    assert sum(p.amount_ore for p in postings) == 0
    assert Posting(BANK, -80_000) in postings and Posting(EXPENSE, 100_000) in postings


def test_an_overpayment_becomes_a_claim_on_the_citizen():
    citizen = uuid.uuid4()
    postings = payment_postings(citizen, 0, -50_000, 0, 50_000)
    assert Posting(f"receivable:claim:{citizen}", 50_000, citizen) in postings
    assert sum(p.amount_ore for p in postings) == 0


def test_an_unbalanced_transaction_is_refused_before_anything_is_written(odense):
    with pytest.raises(UnbalancedTransaction):
        write_transactions(
            municipality_id=odense.pk,
            run_id=None,
            booked_on=datetime.date(2025, 10, 31),
            transactions=[(uuid.uuid4(), "skæv", [Posting(EXPENSE, 100), Posting(BANK, -99)])],
        )
    assert not LedgerTransaction.objects.exists()


def test_entries_can_never_be_changed_or_deleted(odense):
    write_transactions(
        municipality_id=odense.pk,
        run_id=None,
        booked_on=datetime.date(2025, 10, 31),
        transactions=[(uuid.uuid4(), "ok", [Posting(EXPENSE, 100), Posting(BANK, -100)])],
    )
    assert unbalanced_transactions() == []
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(account=BANK).update(amount_ore=-1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM payments_ledgerentry")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the balance trigger exists on PostgreSQL only")
def test_postgresql_refuses_an_unbalanced_transaction_even_from_raw_sql(odense):
    transaction_id = uuid.uuid4()
    write_transactions(
        municipality_id=odense.pk,
        run_id=None,
        booked_on=datetime.date(2025, 10, 31),
        transactions=[(transaction_id, "ok", [Posting(EXPENSE, 100), Posting(BANK, -100)])],
    )
    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO payments_ledgerentry (transaction_id, account, amount_ore) VALUES (%s, %s, %s)",
            [transaction_id, EXPENSE, 1],
        )
    assert unbalanced_transactions() == []


def test_a_chunk_posts_the_sum_of_its_payments_postings_and_keeps_the_citizens_claims_and_offsets():
    rng = random.Random(7)
    payments = []
    for _ in range(200):
        regular, correction = rng.choice([0, 1_359_000, 657_581]), rng.choice([0, 0, 0, -40_000, 25_000, -2_000_000])
        net = regular + correction
        # Some positive payments offset part of a decided claim (modregning): paid net - offset.
        offset = rng.choice([0, 0, 50_000]) if net > 50_000 else 0
        payments.append((uuid.uuid4(), regular, correction, max(net, 0) - offset, max(-net, 0), offset))
    expected: dict[tuple[str, uuid.UUID | None], int] = {}
    for payment in payments:
        for posting in payment_postings(*payment):
            key = (posting.account, posting.citizen_id)
            expected[key] = expected.get(key, 0) + posting.amount_ore
    postings = chunk_postings(payments)
    assert {(p.account, p.citizen_id): p.amount_ore for p in postings} == {k: v for k, v in expected.items() if v}
    assert sum(p.amount_ore for p in postings) == 0
    # The control accounts once each; a citizen's own account only where it keeps a balance
    # (a claim booked: debit; an offset against one: credit).
    citizens = [p for p in postings if p.citizen_id is not None]
    assert citizens and all(p.account == f"receivable:claim:{p.citizen_id}" for p in citizens)
    assert sum(1 for p in citizens if p.amount_ore > 0) == sum(1 for payment in payments if payment[4])
    assert sum(1 for p in citizens if p.amount_ore < 0) == sum(1 for payment in payments if payment[5])
    assert sum(1 for payment in payments if payment[5]) > 0
    assert len(postings) == len(citizens) + 3


def test_a_payment_that_does_not_add_up_is_refused_in_a_chunk_too():
    with pytest.raises(UnbalancedTransaction):
        chunk_postings([(uuid.uuid4(), 100_000, 0, 90_000, 0, 0)])
