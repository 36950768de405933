"""The ledger: append-only double entry in integer øre.

Accounts (docs/payments.md):

* ``expense:kontanthjaelp`` the month's help, booked when it is paid;
* ``expense:kontanthjaelp:efterregulering`` corrections for earlier months (either sign);
* ``payable:citizen:<citizen id>`` what the municipality owes the citizen;
* ``bank:nemkonto`` money sent to the citizens' NemKonto;
* ``receivable:claim:<citizen id>`` an overpayment the citizen owes back.

A transaction's entries sum to zero (debit positive, credit negative). The
writing functions check it before anything is written; on PostgreSQL a
statement trigger checks it again in the database after every insert into the
entries table, so that no code path (nor raw SQL) can leave an unbalanced
transaction. SQLite has no statement-level triggers and a row trigger would
see a transaction half-inserted, so there the check is the application's and
the test suite's (tests/payments/test_ledger.py sums every transaction).
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Model, Sum
from django.utils import timezone

from jobcenter.payments.models import LedgerEntry, LedgerTransaction

EXPENSE = "expense:kontanthjaelp"
EXPENSE_CORRECTION = "expense:kontanthjaelp:efterregulering"
BANK = "bank:nemkonto"


def payable(citizen_id: uuid.UUID | str) -> str:
    return f"payable:citizen:{citizen_id}"


def claim(citizen_id: uuid.UUID | str) -> str:
    return f"receivable:claim:{citizen_id}"


class UnbalancedTransaction(ValueError):
    pass


class Posting(NamedTuple):
    account: str
    amount_ore: int
    citizen_id: uuid.UUID | None = None


def payment_postings(
    citizen_id: uuid.UUID,
    regular_ore: int,
    correction_ore: int,
    amount_ore: int,
    claim_ore: int,
    offset_ore: int = 0,
) -> list[Posting]:
    """The entries of one payment: the help is booked as owed to the citizen, then
    paid to NemKonto; a net overpayment becomes a claim instead; an offset (modregning)
    settles part of what is owed against the citizen's claim. Zero lines are left out."""
    net = regular_ore + correction_ore
    if (
        amount_ore + offset_ore - claim_ore != net
        or min(amount_ore, claim_ore, offset_ore) < 0
        or ((amount_ore or offset_ore) and claim_ore)
    ):
        raise UnbalancedTransaction(f"payment does not add up: {regular_ore} + {correction_ore} != {amount_ore}")
    owed = payable(citizen_id)
    postings = [
        Posting(EXPENSE, regular_ore),
        Posting(EXPENSE_CORRECTION, correction_ore),
        Posting(owed, -net, citizen_id),
        Posting(owed, amount_ore, citizen_id),
        Posting(BANK, -amount_ore),
        Posting(owed, -claim_ore, citizen_id),
        Posting(claim(citizen_id), claim_ore, citizen_id),
        Posting(owed, offset_ore, citizen_id),
        Posting(claim(citizen_id), -offset_ore, citizen_id),
    ]
    return [posting for posting in postings if posting.amount_ore]


def check_balanced(postings: Sequence[Posting]) -> None:
    total = sum(posting.amount_ore for posting in postings)
    if total != 0:
        raise UnbalancedTransaction(f"the entries sum to {total} øre, not 0")


def bulk_insert(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows in one statement: COPY on PostgreSQL, one multi-row INSERT elsewhere.

    One statement matters: the ledger's balance trigger checks each statement's rows.
    """
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        db_columns = ", ".join(str(model._meta.get_field(name).column) for name in columns)  # type: ignore[union-attr]
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({db_columns}) FROM STDIN") as copy:
            # COPY's text format, formatted here: psycopg's write_row is several times slower per row.
            batch: list[str] = []
            for row in rows:
                batch.append("\t".join(map(_copy_text, row)))
                if len(batch) >= 10_000:
                    copy.write("\n".join(batch) + "\n")
                    batch.clear()
            if batch:
                copy.write("\n".join(batch) + "\n")
        return
    objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    model._default_manager.bulk_create(objects)


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.date):  # dates and (aware) datetimes
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_transactions(
    *,
    municipality_id: int,
    run_id: uuid.UUID | None,
    booked_on: datetime.date,
    transactions: Sequence[tuple[uuid.UUID, str, Sequence[Posting]]],
) -> None:
    """Write balanced transactions (id, description, postings). Call inside the caller's atomic block."""
    for _transaction_id, _description, postings in transactions:
        check_balanced(postings)
    now = timezone.now()
    bulk_insert(
        LedgerTransaction,
        ["id", "municipality_id", "run_id", "description", "booked_on", "created_at"],
        ((tid, municipality_id, run_id, description, booked_on, now) for tid, description, _ in transactions),
    )
    bulk_insert(
        LedgerEntry,
        ["transaction_id", "account", "citizen_id", "amount_ore"],
        (
            (tid, posting.account, posting.citizen_id, posting.amount_ore)
            for tid, _, postings in transactions
            for posting in postings
        ),
    )


def unbalanced_transactions() -> list[uuid.UUID]:
    """Every transaction whose entries do not sum to zero (there should be none)."""
    rows = (
        LedgerEntry.objects.values("transaction_id")
        .annotate(total=Sum("amount_ore"))
        .exclude(total=0)
        .values_list("transaction_id", flat=True)
    )
    return list(rows)


_PG_BALANCE_CHECK = [
    """
    CREATE OR REPLACE FUNCTION jobcenter_ledger_balanced() RETURNS trigger AS $$
    DECLARE unbalanced uuid;
    BEGIN
        -- One index lookup per transaction the statement touched (the planner cannot size the
        -- transition table, and a join here turned into a scan of the whole ledger per statement).
        SELECT t.transaction_id INTO unbalanced
          FROM (SELECT DISTINCT transaction_id FROM new_entries) t
         WHERE (SELECT sum(e.amount_ore) FROM payments_ledgerentry e WHERE e.transaction_id = t.transaction_id) <> 0
         LIMIT 1;
        IF unbalanced IS NOT NULL THEN
            RAISE EXCEPTION 'ledger transaction % does not balance', unbalanced USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER payments_ledgerentry_balanced AFTER INSERT ON payments_ledgerentry
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION jobcenter_ledger_balanced();
    """,
]


def install_balance_check(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return  # see the module's docstring
    with schema_editor.connection.cursor() as cursor:
        for statement in _PG_BALANCE_CHECK:
            cursor.execute(statement)


def replace_balance_function(apps: Any, schema_editor: Any) -> None:
    """The check's function as it is now (CREATE OR REPLACE), for databases migrated before."""
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(_PG_BALANCE_CHECK[0])
