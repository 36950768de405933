"""The run's bulk helpers: batches read from a cursor, and the cycle collector paused and restored."""

from __future__ import annotations

import gc

import pytest
from django.db import transaction

from jobcenter.citizens.models import Citizen
from jobcenter.payments.compute import without_cyclic_gc
from jobcenter.payments.ledger import fetch_batches
from jobcenter.payments.pain001 import _text
from tests.payments.helpers import citizens


@pytest.mark.django_db
def test_fetch_batches_yields_every_row_once_in_batches_of_the_given_size(odense):
    people = citizens(odense, 5)
    rows = Citizen.objects.filter(municipality=odense).order_by("cpr").values_list("id", "cpr")
    with transaction.atomic():
        batches = list(fetch_batches(rows, size=2))
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert [row for batch in batches for row in batch] == list(rows)
    assert {row[0] for batch in batches for row in batch} == {person.pk for person in people}


def test_the_cycle_collector_is_paused_inside_and_restored_after_even_on_error():
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), without_cyclic_gc():
        assert not gc.isenabled()
        1 / 0  # noqa: B018
    assert gc.isenabled()
    gc.disable()
    try:
        with without_cyclic_gc():
            pass
        assert not gc.isenabled()  # a caller's own pause is left as it was
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("value", "written"),
    [("Karen Ødegård", "Karen Ødegård"), ("A & B <c>", "A &amp; B &lt;c&gt;"), ("x" * 50, "x" * 35)],
)
def test_payment_file_text_is_escaped_only_where_needed_and_cut_to_its_length(value, written):
    assert _text(value, 35) == written
