"""The trial's lines are written by COPY with a formatter of their own (speed); it must write
exactly the text that the general formatter writes value by value."""

from __future__ import annotations

import uuid

import numpy as np

from jobcenter.payments.compute import Line
from jobcenter.payments.ledger import copy_text
from jobcenter.payments.lines import LINE_COLUMNS, line_copy_text, line_values


def a_line(**changes):
    values = {
        "grant_id": uuid.uuid4(),
        "citizen_id": uuid.uuid4(),
        "days": 31,
        "full_month_ore": 1_234_567,
        "regular_ore": 1_234_567,
        "correction_ore": 0,
        "amount_ore": 1_234_567,
        "claim_ore": 0,
        "previous_ore": None,
        "outlier": "",
        "corrections": [],
        "offset_ore": 0,
    }
    return Line(**{**values, **changes})


LINES = [
    a_line(),
    a_line(previous_ore=1_200_000, outlier="Første udbetaling"),
    a_line(previous_ore=0, days=0, full_month_ore=0, regular_ore=0, amount_ore=0),
    a_line(
        correction_ore=-2_000_000,
        amount_ore=0,
        claim_ore=765_433,
        outlier="Tilbagebetalingskrav: efterreguleringen overstiger månedens hjælp; Efterregulering af tidligere måneder",
        corrections=[
            {
                "month": "2025-09",
                "should_ore": 0,
                "paid_ore": 2_000_000,
                "difference_ore": -2_000_000,
                "reason": 'Ændret afgørelse: "formue"\tfra\\til\nny linje\r',
                "marks": [1, 2],
            }
        ],
    ),
    a_line(outlier="tab\there, backslash \\ and\nnewline\r", offset_ore=50_000, amount_ore=1_184_567),
    # numpy integers (the rules' arrays) are written as plain integers
    a_line(days=np.int64(15), full_month_ore=np.int64(1_000_000), regular_ore=np.int64(483_871)),
    a_line(previous_ore=np.int64(-5), regular_ore=-1, amount_ore=0, claim_ore=1),
    # a month in two segments (a change on the 17th), each with where its breakdown is stored
    a_line(segments=[[1, 16, 1_359_000, 701_419, 0, 0], [2, 15, 1_200_000, 580_645, 1, 1999]]),
]


def test_a_lines_copy_text_is_the_general_formatters_text_for_every_shape_of_line():
    run_id = uuid.uuid4()
    for line in LINES:
        expected = "\t".join(map(copy_text, line_values(run_id, line)))
        assert line_copy_text(run_id.hex, line) == expected
        assert len(expected.split("\t")) == len(LINE_COLUMNS)
