"""The team's day: the team lead assigns cases (one or many); closing asks first, takes a reason that goes to
the journal, and can be undone by reopening; a summons is previewed before it is sent."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from jobcenter.audit.models import AuditEntry
from jobcenter.cases.actions import do_assign_cases, do_close_case_with_reason, do_open_case, do_reopen_case
from jobcenter.cases.models import Case, CaseStatus, JournalEntry, Summons
from jobcenter.citizens.actions import do_register_citizen
from jobcenter.letters.models import Letter
from jobcenter.tenancy.roles import Role
from tests.conftest import TARGET_GROUP


def another_case(municipality, caseworker, cpr="0202902345", name="Ole"):
    citizen = do_register_citizen(
        acting_user=None, municipality=municipality, cpr=cpr, first_name=name, last_name="Andersen"
    )
    return do_open_case(
        acting_user=None,
        citizen=citizen,
        target_group_code=TARGET_GROUP,
        opened_on=timezone.localdate() - datetime.timedelta(days=10),
        caseworker=caseworker,
    )


# --- Assignment -------------------------------------------------------------------------------------------


def test_a_team_lead_assigns_one_case_and_the_audit_log_names_both_caseworkers(
    odense_team_lead, odense_caseworker, odense_case, make_user, odense
):
    colleague = make_user(Role.CASEWORKER, odense, username="kollega")
    do_assign_cases(acting_user=odense_team_lead, case_ids=[odense_case.pk], caseworker=colleague)
    odense_case.refresh_from_db()
    assert odense_case.caseworker == colleague
    event = AuditEntry.objects.filter(object_type="cases.case", object_id=str(odense_case.pk), action="update").first()
    assert event.detail == {"caseworker": str(colleague.pk), "previous_caseworker": str(odense_caseworker.pk)}


def test_a_team_lead_assigns_many_cases_from_the_team_overview(
    client_for, odense_team_lead, odense_caseworker, odense_case, make_user, odense
):
    colleague = make_user(Role.CASEWORKER, odense, username="kollega")
    second = another_case(odense, None)
    client = client_for(odense_team_lead)
    response = client.post(
        reverse("cases:assign"), {"caseworker": str(colleague.pk), "cases": [str(odense_case.pk), str(second.pk)]}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("cases:team-overview"))
    assert set(Case.objects.values_list("caseworker", flat=True)) == {colleague.pk}
    page = client.get(response["Location"]).content.decode()
    assert "2 sager er givet til" in page


def test_a_caseworker_may_not_assign_cases(client_for, odense_caseworker, odense_case, make_user, odense):
    colleague = make_user(Role.CASEWORKER, odense, username="kollega")
    response = client_for(odense_caseworker).post(
        reverse("cases:assign"), {"caseworker": str(colleague.pk), "cases": [str(odense_case.pk)]}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        do_assign_cases(acting_user=odense_caseworker, case_ids=[odense_case.pk], caseworker=colleague)
    odense_case.refresh_from_db()
    assert odense_case.caseworker == odense_caseworker


def test_an_assignment_naming_a_case_of_another_municipality_changes_nothing(
    client_for, odense_team_lead, odense_caseworker, odense_case, make_user, odense, aarhus, aarhus_caseworker
):
    colleague = make_user(Role.CASEWORKER, odense, username="kollega")
    aarhus_case = another_case(aarhus, aarhus_caseworker)
    response = client_for(odense_team_lead).post(
        reverse("cases:assign"),
        {"caseworker": str(colleague.pk), "cases": [str(odense_case.pk), str(aarhus_case.pk)]},
        follow=True,
    )
    assert "En eller flere af de valgte sager findes ikke. Intet er ændret." in response.content.decode()
    assert "Andersen" not in response.content.decode()
    odense_case.refresh_from_db()
    aarhus_case.refresh_from_db()
    assert odense_case.caseworker == odense_caseworker
    assert aarhus_case.caseworker == aarhus_caseworker


def test_a_team_lead_of_aarhus_cannot_take_an_odense_case(make_user, aarhus, odense_case, odense_caseworker):
    aarhus_lead = make_user(Role.TEAM_LEAD, aarhus, username="aarhus-teamleder")
    aarhus_worker = make_user(Role.CASEWORKER, aarhus, username="aarhus-kollega")
    with pytest.raises(ValidationError, match="findes ikke"):
        do_assign_cases(acting_user=aarhus_lead, case_ids=[odense_case.pk], caseworker=aarhus_worker)
    odense_case.refresh_from_db()
    assert odense_case.caseworker == odense_caseworker


def test_a_case_cannot_be_given_to_a_caseworker_of_another_municipality_or_another_role(
    odense_team_lead, odense_case, aarhus_caseworker, odense_benefits_officer, odense_caseworker
):
    for stranger in (aarhus_caseworker, odense_benefits_officer):
        with pytest.raises(ValidationError, match="Vælg en sagsbehandler i kommunen"):
            do_assign_cases(acting_user=odense_team_lead, case_ids=[odense_case.pk], caseworker=stranger)
    odense_case.refresh_from_db()
    assert odense_case.caseworker == odense_caseworker


def test_an_assignment_without_cases_or_caseworker_says_so_in_danish(client_for, odense_team_lead, odense_case):
    client = client_for(odense_team_lead)
    no_cases = client.post(
        reverse("cases:assign"), {"caseworker": str(odense_team_lead.pk)}, follow=True
    ).content.decode()
    assert "Vælg mindst én sag." in no_cases
    no_worker = client.post(reverse("cases:assign"), {"cases": [str(odense_case.pk)]}, follow=True).content.decode()
    assert "Vælg den sagsbehandler, der skal have sagerne." in no_worker


def test_the_team_overview_offers_assignment_to_the_team_lead_only(
    client_for, odense_team_lead, odense_caseworker, odense_case
):
    page = client_for(odense_team_lead).get(reverse("cases:team-overview")).content.decode()
    assert 'data-testid="assign-form"' in page and f'value="{odense_case.pk}"' in page
    assert (
        'data-testid="assign-form"' not in client_for(odense_caseworker).get(reverse("cases:worklist")).content.decode()
    )


# --- Closing with a reason, reopening ------------------------------------------------------------------------


def test_closing_asks_first_and_the_question_changes_nothing(client_for, odense_caseworker, odense_case):
    response = client_for(odense_caseworker).get(reverse("cases:close", args=[odense_case.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="close-consequences"' in page
    assert "lukkes pr." in page and "Sagen kan genåbnes" in page
    odense_case.refresh_from_db()
    assert odense_case.status == CaseStatus.OPEN
    assert not JournalEntry.objects.filter(case=odense_case).exists()


def test_the_close_question_names_the_planned_interviews(client_for, odense_caseworker, odense_interview):
    page = client_for(odense_caseworker).get(reverse("cases:close", args=[odense_interview.case_id])).content.decode()
    assert 'data-testid="close-planned"' in page
    assert "1 planlagt jobsamtale er ikke registreret" in page


def test_closing_without_a_reason_is_refused_in_danish_and_nothing_is_written(
    client_for, odense_caseworker, odense_case
):
    response = client_for(odense_caseworker).post(reverse("cases:close", args=[odense_case.pk]), {"reason": "  "})
    assert response.status_code == 422
    assert "Skriv en begrundelse for at lukke sagen." in response.content.decode()
    odense_case.refresh_from_db()
    assert odense_case.status == CaseStatus.OPEN
    assert not JournalEntry.objects.filter(case=odense_case).exists()


def test_a_case_closed_with_a_reason_has_it_in_the_journal_and_can_be_reopened(
    client_for, odense_caseworker, odense_case
):
    client = client_for(odense_caseworker)
    response = client.post(reverse("cases:close", args=[odense_case.pk]), {"reason": "Borgeren er flyttet."})
    assert response.status_code == 302
    odense_case.refresh_from_db()
    assert odense_case.status == CaseStatus.CLOSED and odense_case.closed_on == timezone.localdate()
    closing = JournalEntry.objects.get(case=odense_case)
    assert closing.title.startswith("Sagen er lukket pr.") and "Borgeren er flyttet." in closing.text
    page = client.get(reverse("cases:detail", args=[odense_case.pk])).content.decode()
    assert 'data-testid="reopen-form"' in page and "Borgeren er flyttet." in page

    refused = client.post(reverse("cases:reopen", args=[odense_case.pk]), {"reason": ""}, follow=True)
    assert "Skriv en begrundelse for at genåbne sagen." in refused.content.decode()
    odense_case.refresh_from_db()
    assert odense_case.status == CaseStatus.CLOSED

    client.post(reverse("cases:reopen", args=[odense_case.pk]), {"reason": "Flyttede tilbage."})
    odense_case.refresh_from_db()
    assert odense_case.status == CaseStatus.OPEN and odense_case.closed_on is None
    reopening = JournalEntry.objects.filter(case=odense_case).order_by("created_at").last()
    assert reopening.title == "Sagen er genåbnet" and "Flyttede tilbage." in reopening.text
    assert JournalEntry.objects.filter(case=odense_case).count() == 2  # the closing stays in the journal
    actions = AuditEntry.objects.filter(object_id=str(odense_case.pk), action="update").values_list("detail", flat=True)
    assert any(d.get("reopened") for d in actions) and any("closed_on" in d for d in actions)


def test_a_case_is_not_reopened_beside_another_open_case_in_the_same_target_group(odense_caseworker, odense_case):
    do_close_case_with_reason(
        acting_user=odense_caseworker, case=odense_case, closed_on=timezone.localdate(), reason="Fejl"
    )
    newer = do_open_case(
        acting_user=None,
        citizen=odense_case.citizen,
        target_group_code=TARGET_GROUP,
        opened_on=timezone.localdate(),
        caseworker=odense_caseworker,
    )
    with pytest.raises(ValidationError, match="allerede en åben sag"):
        do_reopen_case(acting_user=odense_caseworker, case=odense_case, reason="Igen")
    odense_case.refresh_from_db()
    assert odense_case.status == CaseStatus.CLOSED and newer.status == CaseStatus.OPEN


def test_a_caseworker_of_aarhus_can_neither_close_nor_reopen_an_odense_case(client_for, aarhus_caseworker, odense_case):
    client = client_for(aarhus_caseworker)
    assert client.get(reverse("cases:close", args=[odense_case.pk])).status_code == 404
    assert client.post(reverse("cases:close", args=[odense_case.pk]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("cases:reopen", args=[odense_case.pk]), {"reason": "x"}).status_code == 404
    odense_case.refresh_from_db()
    assert odense_case.status == CaseStatus.OPEN


# --- The summons: previewed, sent only when confirmed ---------------------------------------------------------


def test_the_summons_page_previews_the_letter_and_sends_nothing(client_for, odense_caseworker, odense_interview):
    response = client_for(odense_caseworker).get(reverse("cases:interview-summons", args=[odense_interview.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="summons-preview"' in page
    assert "Indkaldelse til jobsamtale" in page and "Du er indkaldt til en jobsamtale" in page
    assert "Et sendt brev kan ikke trækkes tilbage" in page
    assert not Summons.objects.exists() and not Letter.objects.exists()


def test_the_summons_preview_is_the_letter_rendered_by_the_letters_app_and_is_not_archived(
    client_for, odense_caseworker, odense_interview
):
    response = client_for(odense_caseworker).get(reverse("cases:summons-preview", args=[odense_interview.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert odense_interview.case.citizen.cpr not in response["Content-Disposition"]
    assert not Letter.objects.exists() and not Summons.objects.exists()


def test_the_summons_is_sent_when_confirmed(client_for, odense_caseworker, odense_interview):
    response = client_for(odense_caseworker).post(reverse("cases:interview-summons", args=[odense_interview.pk]))
    assert response.status_code == 302
    assert Summons.objects.filter(interview=odense_interview).count() == 1


def test_the_interview_page_links_to_the_confirmation_instead_of_sending(
    client_for, odense_caseworker, odense_interview
):
    page = client_for(odense_caseworker).get(reverse("cases:interview-detail", args=[odense_interview.pk]))
    text = page.content.decode()
    assert f'href="{reverse("cases:interview-summons", args=[odense_interview.pk])}"' in text
    assert f'action="{reverse("cases:interview-summons", args=[odense_interview.pk])}"' not in text
