"""The ledger: append-only double entry in integer øre.

Accounts (docs/payments.md):

* ``expense:kontanthjaelp`` the month's help, booked when it is paid;
* ``expense:kontanthjaelp:efterregulering`` corrections for earlier months (either sign);
* ``payable:citizen:<citizen id>`` what the municipality owes the citizen;
* ``bank:nemkonto`` money sent to the citizens' NemKonto;
* ``receivable:claim:<citizen id>`` an overpayment the citizen owes back.

A payment run posts **control-account totals per chunk**: one balanced
transaction per chunk of payments (expense, correction expense, bank), while
the ``Payment`` rows are the citizens' subsidiary ledger (the per-citizen
detail). Entries on a citizen's own accounts are written only where the
account keeps a balance (a claim); a plain payment's ``payable`` entries
cancel out within the transaction and are not written (``chunk_postings``).
``unreconciled_transactions`` checks that each chunk's control entries equal
the sums of its payments.

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
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Model, QuerySet, Sum
from django.utils import timezone

from jobcenter.payments.models import LedgerEntry, LedgerTransaction, Payment

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


def chunk_postings(payments: Iterable[tuple[uuid.UUID, int, int, int, int, int]]) -> list[Posting]:
    """One transaction's postings for many payments (citizen id, regular, correction, amount, claim,
    offset): the sum of every payment's `payment_postings`, per account and citizen, zero sums left out.

    So the control accounts (expense, correction expense, bank) get one entry each, and a citizen's
    own account gets an entry only where it keeps a balance (a claim booked, or an offset against
    one). A plain payment (no claim, no offset) is summed directly, without building its postings:
    its payable entries cancel out.
    """
    regular = correction = paid = 0
    totals: dict[tuple[str, uuid.UUID | None], int] = {}
    for citizen_id, regular_ore, correction_ore, amount_ore, claim_ore, offset_ore in payments:
        if claim_ore == 0 and offset_ore == 0 and amount_ore == regular_ore + correction_ore and amount_ore >= 0:
            regular += regular_ore
            correction += correction_ore
            paid += amount_ore
            continue
        for posting in payment_postings(citizen_id, regular_ore, correction_ore, amount_ore, claim_ore, offset_ore):
            key = (posting.account, posting.citizen_id)
            totals[key] = totals.get(key, 0) + posting.amount_ore
    for account, amount in ((EXPENSE, regular), (EXPENSE_CORRECTION, correction), (BANK, -paid)):
        totals[(account, None)] = totals.get((account, None), 0) + amount
    return [Posting(account, amount, citizen_id) for (account, citizen_id), amount in totals.items() if amount]


def check_balanced(postings: Sequence[Posting]) -> None:
    total = sum(posting.amount_ore for posting in postings)
    if total != 0:
        raise UnbalancedTransaction(f"the entries sum to {total} øre, not 0")


def bulk_insert(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows in one statement: COPY on PostgreSQL, one multi-row INSERT elsewhere.

    One statement matters: the ledger's balance trigger checks each statement's rows.
    """
    if connection.vendor == "postgresql":
        # COPY's text format, formatted here: psycopg's write_row is several times slower per row.
        copy_rows(model, columns, ("\t".join(map(copy_text, row)) for row in rows))
        return
    objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    model._default_manager.bulk_create(objects)


def copy_rows(model: type[Model], columns: Sequence[str], rows: Iterable[str]) -> None:
    """PostgreSQL only: COPY rows already formatted in COPY's text format (values by `copy_text`,
    joined by tabs), in one statement. For a caller that formats its rows faster than value by value."""
    # COPY is psycopg's own (Django's cursor passes it through): its errors are translated here,
    # so that a refused row is Django's IntegrityError as from any other write.
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.copy(_copy_statement(model, columns)) as copy,
    ):
        batch: list[str] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 10_000:
                copy.write("\n".join(batch) + "\n")
                batch.clear()
        if batch:
            copy.write("\n".join(batch) + "\n")


def copy_file(model: type[Model], columns: Sequence[str], path: Path) -> None:
    """PostgreSQL only: COPY a file of rows in COPY's text format, one per line, in one statement."""
    with (
        connection.wrap_database_errors,  # as in copy_rows
        connection.cursor() as cursor,
        cursor.copy(_copy_statement(model, columns)) as copy,
        path.open("rb") as source,
    ):
        while block := source.read(1 << 20):
            copy.write(block)


def _copy_statement(model: type[Model], columns: Sequence[str]) -> str:
    table = model._meta.db_table
    db_columns = ", ".join(str(model._meta.get_field(name).column) for name in columns)  # type: ignore[union-attr]
    return f"COPY {table} ({db_columns}) FROM STDIN"


def fetch_batches(rows: QuerySet[Any, tuple[Any, ...]], size: int = 20_000) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of a values_list query in batches, for a run's bulk reads.

    On PostgreSQL straight from a server-side cursor: psycopg already returns UUIDs and dates,
    and the ORM's per-row machinery cost as much as the fetch itself for a million decisions. Call inside a transaction, so the cursor needs no
    WITH HOLD copy of the whole result (PostgreSQL copies it at the commit that ends the DECLARE)."""
    if connection.vendor != "postgresql":
        batch = []
        for row in rows.iterator(chunk_size=size):
            batch.append(row)
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            yield batch
        return
    sql, params = rows.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(size):
            yield batch


def copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format (the common types first: this runs per value)."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is uuid.UUID:
        return value.hex  # type: ignore[no-any-return]
    if kind is str:
        return _escaped(value) if _NEEDS_ESCAPE.search(value) else value  # type: ignore[arg-type]
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, int | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.date):  # dates and (aware) datetimes
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False) if value else ("[]" if isinstance(value, list) else "{}")
    return _escaped(str(value))


_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


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


def unreconciled_transactions() -> list[uuid.UUID]:
    """Every transaction carrying payments whose control entries differ from its payments' sums:
    the bank credit must equal the amounts paid, the expense the month's help, the correction
    expense the corrections (there should be none)."""
    payments = {
        row["transaction_id"]: (row["regular"], row["correction"], -row["paid"])
        for row in Payment.objects.values("transaction_id").annotate(
            regular=Sum("regular_ore"), correction=Sum("correction_ore"), paid=Sum("amount_ore")
        )
    }
    booked: dict[uuid.UUID, dict[str, int]] = {transaction_id: {} for transaction_id in payments}
    for transaction_id, account, total in (
        LedgerEntry.objects.filter(
            account__in=[EXPENSE, EXPENSE_CORRECTION, BANK],
            transaction_id__in=Payment.objects.values("transaction_id"),
        )
        .values("transaction_id", "account")
        .annotate(total=Sum("amount_ore"))
        .values_list("transaction_id", "account", "total")
    ):
        booked[transaction_id][account] = total
    return [
        transaction_id
        for transaction_id, expected in payments.items()
        if tuple(booked[transaction_id].get(account, 0) for account in (EXPENSE, EXPENSE_CORRECTION, BANK)) != expected
    ]


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
    _execute_on_postgresql(schema_editor, _PG_BALANCE_CHECK)  # on SQLite: see the module's docstring


def _execute_on_postgresql(schema_editor: Any, statements: Sequence[str]) -> None:
    """A migration's statements for PostgreSQL's triggers; nothing on SQLite (no statement triggers)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def replace_balance_function(apps: Any, schema_editor: Any) -> None:
    """The check's function as it is now (CREATE OR REPLACE), for databases migrated before."""
    _execute_on_postgresql(schema_editor, _PG_BALANCE_CHECK[:1])


PG_PAYMENT_REFERENCES_CHECK = [
    """
    CREATE OR REPLACE FUNCTION jobcenter_payment_references_exist() RETURNS trigger AS $$
    BEGIN
        -- Once per distinct (run, transaction) of the statement: a chunk's payments share both.
        IF EXISTS (
            SELECT 1 FROM (SELECT DISTINCT run_id, transaction_id FROM new_payments) p
             WHERE NOT EXISTS (SELECT 1 FROM payments_paymentrun r WHERE r.id = p.run_id)
                OR NOT EXISTS (SELECT 1 FROM payments_ledgertransaction t WHERE t.id = p.transaction_id)
        ) THEN
            RAISE EXCEPTION 'a payment refers to a run or a ledger transaction that does not exist'
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER payments_payment_references_exist AFTER INSERT ON payments_payment
    REFERENCING NEW TABLE AS new_payments
    FOR EACH STATEMENT EXECUTE FUNCTION jobcenter_payment_references_exist();
    """,
]


def install_payment_references_check(apps: Any, schema_editor: Any) -> None:
    """PostgreSQL only. SQLite has no statement triggers: there, as for the balance check, the check
    is the application's and the tests' (a payment without its transaction is unreconciled)."""
    _execute_on_postgresql(schema_editor, PG_PAYMENT_REFERENCES_CHECK)


def remove_payment_references_check(apps: Any, schema_editor: Any) -> None:
    _execute_on_postgresql(
        schema_editor,
        [
            "DROP TRIGGER IF EXISTS payments_payment_references_exist ON payments_payment",
            "DROP FUNCTION IF EXISTS jobcenter_payment_references_exist()",
        ],
    )
