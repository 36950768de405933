"""Grants come from decisions; a change is a new version; reductions and stops wait for partshøring."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, transaction
from django.http import Http404
from django.utils import timezone

from jobcenter.audit.append_only import AppendOnlyError
from jobcenter.audit.models import AuditEntry
from jobcenter.benefits.actions import (
    DecisionRefused,
    do_record_consultation_reply,
    do_record_decision,
    do_start_consultation,
)
from jobcenter.benefits.models import Decision, Grant
from jobcenter.benefits.queries import access_grant
from tests.payments.helpers import facts, grant


def test_the_first_bevilling_creates_the_grant_with_version_1(odense_benefits_officer, odense_citizen):
    decision = grant(odense_benefits_officer, odense_citizen)
    g = Grant.objects.get(citizen=odense_citizen)
    assert g.latest_decision == decision
    assert decision.version == 1 and decision.previous is None
    assert decision.facts["adults"][0]["is_pregnant_past_week_12"] is False  # defaults stored with the facts
    assert g.has_nemkonto is True
    assert AuditEntry.objects.filter(object_id=str(decision.pk), action="create").exists()


def test_a_change_is_a_new_version_and_history_stays(odense_benefits_officer, odense_citizen):
    first = grant(odense_benefits_officer, odense_citizen)
    second = do_record_decision(
        odense_benefits_officer,
        odense_citizen.pk,
        kind="aendring",
        effective_from=datetime.date(2025, 11, 1),
        facts=facts(work_income_ore=100_000),
        justification="Borgeren har fået arbejde ved siden af.",
    )
    assert second.version == 2 and second.previous == first
    assert list(Decision.objects.filter(grant=first.grant).values_list("version", flat=True)) == [1, 2]
    assert Grant.objects.get(pk=first.grant_id).latest_decision == second


def test_a_decision_version_can_never_be_changed_or_deleted(odense_benefits_officer, odense_citizen):
    decision = grant(odense_benefits_officer, odense_citizen)
    with pytest.raises(AppendOnlyError):
        decision.save()
    with pytest.raises(AppendOnlyError):
        Decision.objects.filter(pk=decision.pk).update(justification="x")
    with pytest.raises(DatabaseError), transaction.atomic():  # the database refuses too
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("UPDATE benefits_decision SET justification = 'x'")


def test_a_decision_without_justification_or_with_bad_facts_is_refused_and_nothing_written(
    odense_benefits_officer, odense_citizen
):
    with pytest.raises(DecisionRefused, match="begrundelse"):
        do_record_decision(
            odense_benefits_officer,
            odense_citizen.pk,
            kind="bevilling",
            effective_from=datetime.date(2025, 10, 1),
            facts=facts(),
            justification=" ",
        )
    with pytest.raises(DecisionRefused) as refused:
        do_record_decision(
            odense_benefits_officer,
            odense_citizen.pk,
            kind="bevilling",
            effective_from=datetime.date(2025, 10, 1),
            facts={"id": "h", "adults": [{"id": "a1"}]},
            justification="Godt begrundet.",
        )
    assert any("birth_date" in problem for problem in refused.value.problems)
    assert not Grant.objects.exists() and not Decision.objects.exists()


def test_a_reduction_needs_partshoering_first(odense_benefits_officer, odense_citizen):
    first = grant(odense_benefits_officer, odense_citizen)
    with pytest.raises(DecisionRefused, match="partshøring"):
        do_record_decision(
            odense_benefits_officer,
            odense_citizen.pk,
            kind="nedsaettelse",
            effective_from=datetime.date(2025, 11, 1),
            facts=facts(other_income_ore=200_000),
            justification="Anden indkomst.",
        )
    assert Decision.objects.filter(grant=first.grant).count() == 1


def test_a_stop_is_refused_before_the_consultation_deadline_and_allowed_after_the_reply(
    odense_benefits_officer, odense_citizen
):
    first = grant(odense_benefits_officer, odense_citizen)
    today = timezone.localdate()
    consultation = do_start_consultation(
        odense_benefits_officer,
        first.grant_id,
        intended_kind="standsning",
        subject="Vi påtænker at standse hjælpen, fordi du er startet i fuldtidsarbejde.",
        sent_on=today,
        deadline=today + datetime.timedelta(days=14),
    )
    stop = {
        "kind": "standsning",
        "effective_from": datetime.date(2025, 12, 1),
        "justification": "Fuldtidsarbejde.",
        "legal_basis": "Lov om aktiv socialpolitik § 11.",
        "consultation_id": consultation.pk,
    }
    with pytest.raises(DecisionRefused, match="fristen for borgerens svar"):
        do_record_decision(odense_benefits_officer, odense_citizen.pk, **stop)
    do_record_consultation_reply(
        odense_benefits_officer, consultation.pk, received_on=today, summary="Borgeren bekræfter arbejdet."
    )
    decision = do_record_decision(odense_benefits_officer, odense_citizen.pk, **stop)
    g = Grant.objects.get(pk=first.grant_id)
    assert decision.version == 2 and decision.facts is None
    assert g.effective_to == datetime.date(2025, 11, 30)


def test_a_stop_is_allowed_once_the_deadline_has_passed_without_reply(odense_benefits_officer, odense_citizen):
    first = grant(odense_benefits_officer, odense_citizen)
    today = timezone.localdate()
    consultation = do_start_consultation(
        odense_benefits_officer,
        first.grant_id,
        intended_kind="standsning",
        subject="Påtænkt standsning.",
        sent_on=today - datetime.timedelta(days=20),
        deadline=today - datetime.timedelta(days=1),
    )
    decision = do_record_decision(
        odense_benefits_officer,
        odense_citizen.pk,
        kind="standsning",
        effective_from=datetime.date(2025, 12, 1),
        justification="Intet svar inden fristen.",
        legal_basis="Lov om aktiv socialpolitik § 11.",
        consultation_id=consultation.pk,
    )
    assert decision.consultation == consultation


def test_another_municipality_cannot_see_or_decide_on_the_grant(
    odense_benefits_officer, odense_citizen, make_user, aarhus
):
    from jobcenter.tenancy.roles import Role

    first = grant(odense_benefits_officer, odense_citizen)
    aarhus_officer = make_user(Role.BENEFITS_OFFICER, aarhus, username="aarhus-ydelse")
    with pytest.raises(Http404):
        access_grant(aarhus_officer, first.grant_id)
    with pytest.raises(Http404):
        grant(aarhus_officer, odense_citizen)
