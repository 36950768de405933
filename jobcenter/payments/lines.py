"""A trial's lines as stored: the columns of PaymentRunLine, and writing them (COPY on PostgreSQL)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection

from jobcenter.payments.compute import Line
from jobcenter.payments.ledger import bulk_insert, copy_rows, copy_text
from jobcenter.payments.models import PaymentRun, PaymentRunBreakdowns, PaymentRunLine

LINE_COLUMNS = [
    "run_id",
    "grant_id",
    "citizen_id",
    "days",
    "full_month_ore",
    "regular_ore",
    "correction_ore",
    "amount_ore",
    "claim_ore",
    "previous_ore",
    "outlier",
    "corrections",
    "offset_ore",
    "segments",
]


def line_values(run_id: uuid.UUID, line: Line) -> tuple[Any, ...]:
    """A trial line's values in LINE_COLUMNS' order."""
    return (
        run_id,
        line.grant_id,
        line.citizen_id,
        line.days,
        line.full_month_ore,
        line.regular_ore,
        line.correction_ore,
        line.amount_ore,
        line.claim_ore,
        line.previous_ore,
        line.outlier,
        line.corrections,
        line.offset_ore,
        line.segments,
    )


def line_copy_text(run_hex: str, line: Line) -> str:
    """A trial line in COPY's text format: the same text as `copy_text` value by value (a test
    compares them), formatted in one f-string, because a national trial writes a million lines."""
    previous = "\\N" if line.previous_ore is None else int(line.previous_ore)
    outlier = copy_text(line.outlier) if line.outlier else ""
    corrections = copy_text(line.corrections) if line.corrections else "[]"
    return (
        f"{run_hex}\t{line.grant_id.hex}\t{line.citizen_id.hex}\t{int(line.days)}\t{int(line.full_month_ore)}\t"
        f"{int(line.regular_ore)}\t{int(line.correction_ore)}\t{int(line.amount_ore)}\t{int(line.claim_ore)}\t"
        f"{previous}\t{outlier}\t{corrections}\t{int(line.offset_ore)}\t{line.segments}"
    )


def write_breakdowns(run: PaymentRun, share: int, blocks: list[tuple[int, bytes]]) -> None:
    """The trial's stored breakdowns (compute.Trial.breakdowns) of one share. On PostgreSQL by
    binary COPY (the blocks as they are: no hex text of tens of megabytes for a national run)."""
    if connection.vendor != "postgresql":
        PaymentRunBreakdowns.objects.bulk_create(
            [PaymentRunBreakdowns(run=run, share=share, first_row=first, data=data) for first, data in blocks],
            batch_size=50,
        )
        return
    table = PaymentRunBreakdowns._meta.db_table
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} (run_id, share, first_row, data) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(["uuid", "int2", "int4", "bytea"])
        for first, data in blocks:
            copy.write_row((run.pk, share, first, data))


def write_lines(run: PaymentRun, lines: list[Line]) -> None:
    if connection.vendor == "postgresql":
        run_hex = run.pk.hex
        copy_rows(PaymentRunLine, LINE_COLUMNS, (line_copy_text(run_hex, line) for line in lines))
    else:
        bulk_insert(PaymentRunLine, LINE_COLUMNS, (line_values(run.pk, line) for line in lines))
