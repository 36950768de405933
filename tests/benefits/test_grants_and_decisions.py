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


# --- The decision form (issue 13): labelled facts, the amount before and after, the letter previewed -------------

from django.urls import reverse  # noqa: E402

from jobcenter.letters.models import Letter, LetterKind  # noqa: E402


def decision_form(**fields: str) -> dict[str, str]:
    """What the decision page posts for a single adult of 45 (born 1 January 1980), as a person fills it in."""
    data = {
        "kind": "bevilling",
        "effective_from": "2025-10-01",
        "effective_to": "",
        "consultation": "",
        "has_nemkonto": "on",
        "justification": "Du opfylder betingelserne for kontanthjælp.",
        "legal_basis": "",
        "a1-birth_date": "1980-01-01",
        "a1-applies_for_help": "on",
        "a1-lives_with_parents": "nej",
        "a1-is_aktivitetsparat": "nej",
        "a1-meets_residence_and_employment_requirement": "ja",
        "a1-months_on_help": "5",
        "children-TOTAL_FORMS": "4",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "4",
        "children-MAX_NUM_FORMS": "10",
        **{f"children-{n}-parents": "a1" for n in range(4)},
        "handling": "gem",
    }
    data.update(fields)
    return data


def test_the_decision_form_asks_for_the_households_facts_as_labelled_danish_fields(
    client_for, odense_benefits_officer, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    page = client_for(odense_benefits_officer).get(reverse("benefits:decide", args=[odense_citizen.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'name="facts"' not in text and "Husstandens oplysninger (JSON)" not in text
    for label in ("Fødselsdato", "Visiteret aktivitetsparat", "Arbejdsindtægt i måneden (kr.)", "Lovgrundlag"):
        assert label in text
    # The latest decision's facts fill the fields; the NemKonto checkbox sits beside its label.
    assert 'value="1980-01-01"' in text
    assert '<input type="checkbox" name="has_nemkonto" class="form-checkbox" id="id_has_nemkonto" checked>' in text
    assert '<label class="form-label" for="id_has_nemkonto">Borgeren har NemKonto</label>' in text


def test_the_preview_shows_the_amount_before_and_after_and_the_letter_and_writes_nothing(
    client_for, odense_benefits_officer, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    decisions, letters = Decision.objects.count(), Letter.objects.count()
    page = client_for(odense_benefits_officer).post(
        reverse("benefits:decide", args=[odense_citizen.pk]),
        decision_form(
            kind="aendring",
            effective_from="2025-11-01",
            **{"a1-work_income_kroner": "4000", "a1-work_hours": "30"},
            handling="forhaandsvis",
            justification="Du har fået arbejde ved siden af hjælpen.",
        ),
    )
    text = page.content.decode()
    assert page.status_code == 200, text[text.find('data-testid="refused"') :][:600]
    assert 'data-testid="decision-preview"' in text
    assert "november 2025" in text and "13.590,00 kr." in text  # before: the full month
    assert "Du har fået arbejde ved siden af hjælpen." in text  # the letter's reasons, in the draft
    assert "UDKAST" in text and "Sådan klager du" in text
    assert Decision.objects.count() == decisions and Letter.objects.count() == letters


def test_saving_records_the_decision_and_sends_its_letter(client_for, odense_benefits_officer, odense_citizen):
    page = client_for(odense_benefits_officer).post(
        reverse("benefits:decide", args=[odense_citizen.pk]), decision_form()
    )
    assert page.status_code == 302
    decision = Decision.objects.get()
    assert decision.kind == "bevilling" and decision.facts["adults"][0]["birth_date"] == "1980-01-01"
    assert Grant.objects.get().has_nemkonto is True
    letter = Letter.objects.get(subject_id=str(decision.pk))
    assert letter.kind == LetterKind.DECISION and "1. oktober 2025" in letter.summary_text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"a1-birth_date": ""}, "Husstandens oplysninger er ikke udfyldt korrekt"),
        ({"kind": "aendring", "effective_from": "2025-09-01"}, "før bevillingen begyndte (01-10-2025)"),
        (
            {"kind": "aendring", "effective_from": "2025-11-01", "effective_to": "2025-10-31"},
            "Slutdatoen ligger før startdatoen",
        ),
        (
            {"kind": "standsning", "effective_from": "2025-11-01", "legal_basis": "LAS § 11", "a1-birth_date": ""},
            "kræver partshøring",
        ),
        ({"kind": "standsning", "effective_from": "2025-11-01"}, "Skriv lovgrundlaget for standsningen"),
        ({"justification": ""}, "Skriv en begrundelse for afgørelsen"),
        ({"effective_from": ""}, "Skriv datoen, afgørelsen gælder fra"),
    ],
)
@pytest.mark.parametrize("handling", ["forhaandsvis", "gem"])
def test_a_bad_decision_on_the_page_says_why_in_danish_and_writes_nothing(
    client_for, odense_benefits_officer, odense_citizen, fields, message, handling
):
    grant(odense_benefits_officer, odense_citizen)
    decisions, letters = Decision.objects.count(), Letter.objects.count()
    page = client_for(odense_benefits_officer).post(
        reverse("benefits:decide", args=[odense_citizen.pk]), decision_form(**fields, handling=handling)
    )
    assert page.status_code == 422
    assert message in page.content.decode()
    assert 'data-testid="decision-preview"' not in page.content.decode()
    assert Decision.objects.count() == decisions and Letter.objects.count() == letters
