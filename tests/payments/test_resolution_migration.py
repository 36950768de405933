"""Moving the payment that settled a recalculation from benefits to payments keeps the data both ways."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jobcenter.benefits.actions import do_fetch_income
from jobcenter.benefits.models import RecalculationMark
from jobcenter.integrations.eindkomst.fake import FakeIncomeRegister
from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.models import Payment, RecalculationResolution
from jobcenter.payments.release import do_release_run
from tests.payments.helpers import OCTOBER_2025, grant

NOVEMBER_2025 = datetime.date(2025, 11, 1)
BEFORE = [("payments", "0011_line_segments_and_stored_breakdowns"), ("benefits", "0006_one_consultation_mechanism")]
AFTER = [("payments", "0012_recalculation_resolution"), ("benefits", "0007_resolution_moved_to_payments")]


def released(starter, approver, month):
    run = do_start_trial_run(starter, month)
    do_approve_run(approver, run.pk)
    return do_release_run(starter, run.pk)


@pytest.mark.django_db(transaction=True)
def test_a_settled_recalculation_keeps_its_payment_across_the_migration_and_back(
    odense_benefits_officer, odense_team_lead, odense_citizen, odense
):
    grant(odense_benefits_officer, odense_citizen)
    released(odense_benefits_officer, odense_team_lead, OCTOBER_2025)
    FakeIncomeRegister.feed(odense_citizen.cpr, OCTOBER_2025, 400_000)
    do_fetch_income(odense_benefits_officer, odense, OCTOBER_2025)
    november = released(odense_benefits_officer, odense_team_lead, NOVEMBER_2025)
    mark = RecalculationMark.objects.get()
    settled_by = Payment.objects.get(run=november).pk
    assert RecalculationResolution.objects.get(mark=mark).payment_id == settled_by

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_mark = executor.loader.project_state(BEFORE).apps.get_model("benefits", "RecalculationMark")
    assert old_mark.objects.get(pk=mark.pk).resolved_by_id == settled_by

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    assert RecalculationResolution.objects.get(mark=mark).payment_id == settled_by
