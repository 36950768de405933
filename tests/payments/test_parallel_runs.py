"""A trial and a payment file made by several processes (PostgreSQL): the same result as one process,
the same refusals, and nothing written when a process dies."""

from __future__ import annotations

import datetime
import os
import uuid
from dataclasses import fields
from pathlib import Path

import pytest
import xmlschema
from django.db import connection
from lxml import etree

from jobcenter.benefits.entitlement import BREAKDOWN_BLOCK, breakdowns_from_store
from jobcenter.payments import payment_file, workers
from jobcenter.payments.actions import do_start_trial_run
from jobcenter.payments.compute import TrialTotals, citizen_share
from jobcenter.payments.lines import LINE_COLUMNS
from jobcenter.payments.models import Payment, PaymentRun, PaymentRunBreakdowns, PaymentRunLine, RunStatus
from jobcenter.payments.pain001 import NAMESPACE, XSD, validate_pain001
from jobcenter.payments.refusals import PaymentRunRefused
from jobcenter.payments.release import do_release_run
from tests.payments.helpers import OCTOBER_2025, approved_run, citizens, grant

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs are split over processes on PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]

# The segments' place in the stored breakdowns (share, row) depends on the shares; what they say does not.
LINE_FACTS = [column for column in LINE_COLUMNS if column not in ("run_id", "segments")]
RUN_TOTALS = [total.name for total in fields(TrialTotals)]


def test_the_shares_of_citizen_ids_are_disjoint_and_cover_every_id():
    ids = [uuid.UUID(int=0), uuid.UUID(int=(1 << 127) - 1), uuid.UUID(int=1 << 127), uuid.UUID(int=(1 << 128) - 1)]
    ids += [uuid.uuid4() for _ in range(200)]
    for shares in (1, 2, 3):
        owners = []
        for citizen in ids:
            inside = [
                share
                for share in range(shares)
                if all(
                    citizen >= bound if name.endswith("gte") else citizen < bound
                    for name, bound in citizen_share(share, shares).items()
                )
            ]
            owners.append(inside)
        assert all(len(inside) == 1 for inside in owners)


def test_a_trial_computed_by_two_processes_stores_the_same_lines_and_totals_as_one(
    odense_benefits_officer, odense, settings
):
    people = citizens(odense, 20)
    for number, person in enumerate(people):
        start = datetime.date(2025, 10, 1 + number)  # partial months of every length
        grant(odense_benefits_officer, person, effective_from=start)
    settings.JOBCENTER_PAYMENT_TRIAL_WORKERS = 1
    alone = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    settings.JOBCENTER_PAYMENT_TRIAL_WORKERS = 2
    shared = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    assert PaymentRun.objects.get(pk=alone.pk).status == RunStatus.SUPERSEDED
    assert shared.status == RunStatus.TRIAL

    def lines(run):
        return sorted(PaymentRunLine.objects.filter(run=run).values_list(*LINE_FACTS))

    assert len(lines(shared)) == 20 and lines(shared) == lines(alone)

    def segments(run):
        """Per grant its segments as the letter prints them: days, amounts and the stored breakdown."""
        blocks = {
            (share, first): breakdowns_from_store(data)
            for share, first, data in PaymentRunBreakdowns.objects.filter(run=run).values_list(
                "share", "first_row", "data"
            )
        }
        return {
            grant_id: [
                (
                    *segment[:4],
                    blocks[(segment[4], segment[5] - segment[5] % BREAKDOWN_BLOCK)][segment[5] % BREAKDOWN_BLOCK],
                )
                for segment in stored
            ]
            for grant_id, stored in PaymentRunLine.objects.filter(run=run).values_list("grant_id", "segments")
        }

    assert segments(shared) == segments(alone)
    assert PaymentRunBreakdowns.objects.filter(run=shared).values("share").distinct().count() == 2
    assert [getattr(shared, name) for name in RUN_TOTALS] == [getattr(alone, name) for name in RUN_TOTALS]
    # Both processes had citizens to compute (20 random ids all in one half: 1 in 500,000).
    halves = {person.pk >= uuid.UUID(int=1 << 127) for person in people}
    assert halves == {False, True}


def test_a_parallel_trial_for_a_month_without_approved_rates_is_refused_and_writes_nothing(
    odense_benefits_officer, odense, settings
):
    settings.JOBCENTER_PAYMENT_TRIAL_WORKERS = 2
    for person in citizens(odense, 4):
        grant(odense_benefits_officer, person, effective_from=datetime.date(2026, 1, 1))
    with pytest.raises(PaymentRunRefused, match="er ikke kendt og godkendt for 2026-03") as refused:
        do_start_trial_run(odense_benefits_officer, datetime.date(2026, 3, 1))
    assert refused.value.problems
    assert not PaymentRun.objects.exists() and not PaymentRunLine.objects.exists()


def test_a_parallel_trial_with_grants_to_pay_without_nemkonto_is_refused_and_writes_nothing(
    odense_benefits_officer, odense, settings
):
    settings.JOBCENTER_PAYMENT_TRIAL_WORKERS = 2
    people = citizens(odense, 6)
    for number, person in enumerate(people):
        grant(odense_benefits_officer, person, has_nemkonto=number % 2 == 0)
    with pytest.raises(
        PaymentRunRefused, match="3 borger\\(e\\) skal have udbetalt, men har ingen NemKonto"
    ) as refused:
        do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    without = {str(person.pk) for number, person in enumerate(people) if number % 2}
    assert {problem.removeprefix("borger ") for problem in refused.value.problems} == without
    assert not PaymentRun.objects.exists() and not PaymentRunLine.objects.exists()


def test_a_parallel_trial_whose_process_dies_says_so_and_writes_nothing(
    odense_benefits_officer, odense, settings, monkeypatch
):
    settings.JOBCENTER_PAYMENT_TRIAL_WORKERS = 2
    for person in citizens(odense, 4):
        grant(odense_benefits_officer, person)
    computed = workers.compute_trial

    def dies_in_the_second_share(municipality_id, month, progress=None, share=0, shares=1):
        if share == 1:
            os._exit(1)  # as if the process were killed
        return computed(municipality_id, month, progress, share, shares)

    monkeypatch.setattr(workers, "compute_trial", dies_in_the_second_share)
    with pytest.raises(PaymentRunRefused, match=r"Prøvekørslen blev afbrudt under beregningen\. Intet er gemt"):
        do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    assert not PaymentRun.objects.exists() and not PaymentRunLine.objects.exists()
    monkeypatch.setattr(workers, "compute_trial", computed)
    assert do_start_trial_run(odense_benefits_officer, OCTOBER_2025).grant_count == 4


def test_a_payment_file_written_by_two_processes_is_one_valid_file_with_every_transfer_in_line_order(
    odense_benefits_officer, odense_team_lead, odense, settings
):
    run = approved_run(odense_benefits_officer, odense_team_lead, citizens(odense, 7))
    run = do_release_run(odense_benefits_officer, run.pk, workers=2)
    assert run.status == RunStatus.RELEASED
    sent = Path(settings.JOBCENTER_NEMKONTO_OUTBOX) / run.file_name
    validate_pain001(sent)  # the joined file as a whole
    assert xmlschema.XMLSchema(str(XSD)).is_valid(str(sent))
    document = etree.parse(str(sent))
    ids = [element.text for element in document.iter(f"{{{NAMESPACE}}}EndToEndId")]
    in_line_order = PaymentRunLine.objects.filter(run=run).order_by("id").values_list("grant_id", flat=True)
    assert ids == [payment_file.end_to_end_id(grant_id, run.month) for grant_id in in_line_order]
    assert document.findtext(f".//{{{NAMESPACE}}}NbOfTxs") == "7"
    assert not list(Path(settings.JOBCENTER_PAYMENT_FILES_DIR).glob("jobcenter-file-*"))  # the parts are gone


def test_a_transfer_that_fails_the_xsd_in_the_second_part_refuses_the_release_and_nothing_is_paid(
    odense_benefits_officer, odense_team_lead, odense, settings, monkeypatch
):
    run = approved_run(odense_benefits_officer, odense_team_lead, citizens(odense, 7))
    last = PaymentRunLine.objects.filter(run=run).order_by("id").last()
    numbered = payment_file.end_to_end_id

    def empty_for_the_last_line(grant_id, month):
        return "" if grant_id == last.grant_id else numbered(grant_id, month)  # EndToEndId needs 1-35 characters

    monkeypatch.setattr(payment_file, "end_to_end_id", empty_for_the_last_line)
    with pytest.raises(PaymentRunRefused, match="Betalingsfilen blev afvist, og intet er udbetalt") as refused:
        do_release_run(odense_benefits_officer, run.pk, workers=2)
    assert "EndToEndId" in refused.value.problems[0]
    assert not Payment.objects.exists()
    assert PaymentRun.objects.get(pk=run.pk).status == RunStatus.APPROVED
    assert not list(Path(settings.JOBCENTER_PAYMENT_FILES_DIR).glob("*.xml"))


def test_a_payment_file_whose_second_process_dies_says_so_and_nothing_is_paid(
    odense_benefits_officer, odense_team_lead, odense, settings, monkeypatch
):
    run = approved_run(odense_benefits_officer, odense_team_lead, citizens(odense, 7))
    first_line = PaymentRunLine.objects.filter(run=run).order_by("id").first().pk
    written = payment_file._write_file_part

    def dies_in_the_second_part(run, header, path, ids=None):
        if ids is not None and ids[0] != first_line:
            os._exit(1)  # as if the process were killed
        return written(run, header, path, ids)

    monkeypatch.setattr(payment_file, "_write_file_part", dies_in_the_second_part)
    with pytest.raises(PaymentRunRefused, match=r"Betalingsfilen blev ikke skrevet færdig\. Intet er udbetalt"):
        do_release_run(odense_benefits_officer, run.pk, workers=2)
    assert not Payment.objects.exists()
    assert PaymentRun.objects.get(pk=run.pk).status == RunStatus.APPROVED
    monkeypatch.setattr(payment_file, "_write_file_part", written)
    assert do_release_run(odense_benefits_officer, run.pk, workers=2).status == RunStatus.RELEASED
    assert Payment.objects.count() == 7
