"""The auditor's search: by CPR number (POST), by name, by case and by user; all activity on a citizen."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction, AuditEntry
from jobcenter.cases.actions import do_open_case
from jobcenter.citizens.actions import do_register_citizen
from jobcenter.letters.models import Letter
from jobcenter.payments.models import Payment
from jobcenter.tenancy.roles import Role
from tests.citizens.test_overview import claim  # noqa: F401  (fixture)
from tests.conftest import TARGET_GROUP
from tests.letters.test_letters import breakdown, specification  # noqa: F401  (fixtures: a letter)

SEARCH = reverse("audit:search")


def newest_letter(citizen) -> Letter:
    """Every decision and consultation has its letter, so a citizen with a claim has several."""
    return Letter.objects.filter(citizen=citizen).order_by("-created_at", "pk").first()


@pytest.fixture
def auditor(make_user, odense):
    return make_user(Role.AUDITOR, odense)


@pytest.fixture
def activity(
    client_for,
    odense_caseworker,
    odense_benefits_officer,
    odense_citizen,
    odense_case,
    odense_interview,
    odense_journal_entry,
    claim,  # noqa: F811
    specification,  # noqa: F811
):
    """Karen Odensen's matter as the staff saw it: every kind of object opened once."""
    caseworker = client_for(odense_caseworker)
    caseworker.get(reverse("citizens:detail", args=[odense_citizen.pk]))
    caseworker.get(reverse("cases:detail", args=[odense_case.pk]))
    caseworker.get(reverse("cases:interview-detail", args=[odense_interview.pk]))
    record(odense_caseworker, AuditAction.VIEW, obj=odense_journal_entry)
    officer = client_for(odense_benefits_officer)
    officer.get(reverse("benefits:grant", args=[claim.grant_id]))
    officer.get(reverse("payments:claim", args=[claim.pk]))
    officer.get(reverse("letters:detail", args=[newest_letter(odense_citizen).pk]))
    record(odense_benefits_officer, AuditAction.VIEW, obj=Payment.objects.filter(grant=claim.grant).first())
    return claim


@pytest.fixture
def someone_else(odense, odense_caseworker, client_for):
    """Another Odense citizen, whose case the caseworker opened too."""
    other = do_register_citizen(
        acting_user=None, municipality=odense, cpr="0303803456", first_name="Ole", last_name="Andersen"
    )
    case = do_open_case(
        acting_user=None,
        citizen=other,
        target_group_code=TARGET_GROUP,
        opened_on=timezone.localdate(),
        caseworker=odense_caseworker,
    )
    client_for(odense_caseworker).get(reverse("cases:detail", args=[case.pk]))
    return other, case


def object_types(page: str) -> set[str]:
    return {
        name
        for name in ("borger", "sag", "jobsamtale", "journalnotat", "bevilling", "brev")
        if f"<td>{name}<br>" in page
    }


def test_an_auditor_sees_all_activity_on_a_citizen_found_by_cpr_number(
    client_for, auditor, activity, odense_citizen, odense_case, odense_interview, odense_journal_entry, someone_else
):
    response = client_for(auditor).post(SEARCH, {"cpr": "010190-1234"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="audit-subject"' in page and "Karen Odensen" in page
    for obj in (odense_citizen, odense_case, odense_interview, odense_journal_entry, activity.grant, activity):
        assert str(obj.pk) in page, obj
    assert str(newest_letter(odense_citizen).pk) in page
    assert str(Payment.objects.filter(grant=activity.grant).first().pk) in page
    assert str(someone_else[1].pk) not in page  # another citizen's case
    # The CPR number is not echoed on the page, and not kept in the search's own record.
    assert "0101901234" not in page and "010190-1234" not in page
    searches = AuditEntry.objects.filter(user=auditor, action=AuditAction.SEARCH)
    assert searches.filter(object_type="audit.auditentry", detail__subject=f"citizen:{odense_citizen.pk}").exists()
    for entry in searches:
        assert "0101901234" not in str(entry.__dict__) and "010190-1234" not in str(entry.__dict__)


def test_the_cpr_search_is_a_post_and_a_cpr_number_in_a_url_is_ignored(client_for, auditor, activity):
    client = client_for(auditor)
    form_page = client.get(SEARCH).content.decode()
    assert '<form method="post"' in form_page and 'name="cpr"' in form_page
    response = client.get(SEARCH, {"cpr": "0101901234"})
    page = response.content.decode()
    assert 'data-testid="audit-subject"' not in page and "0101901234" not in page
    for entry in AuditEntry.objects.filter(user=auditor):
        assert "0101901234" not in str(entry.__dict__)


def test_an_invalid_cpr_number_says_so_in_danish_and_searches_nothing(client_for, auditor, activity):
    response = client_for(auditor).post(SEARCH, {"cpr": "320190-1234"})
    page = response.content.decode()
    assert "Ugyldigt CPR-nummer" in page and "3201901234" not in page and "320190-1234" not in page
    assert not AuditEntry.objects.filter(user=auditor, object_type="audit.auditentry").exists()


def test_the_other_municipalitys_citizen_is_not_found(client_for, make_user, aarhus, activity):
    aarhus_auditor = make_user(Role.AUDITOR, aarhus)
    page = client_for(aarhus_auditor).post(SEARCH, {"cpr": "010190-1234"}).content.decode()
    assert "Ingen borger i kommunen passer på søgningen." in page
    assert "Karen Odensen" not in page


def test_an_auditor_finds_a_citizen_by_name(client_for, auditor, activity, odense_case):
    page = client_for(auditor).post(SEARCH, {"name": "karen odens"}).content.decode()
    assert 'data-testid="audit-subject"' in page and str(odense_case.pk) in page


def test_two_citizens_of_the_same_name_are_told_apart_and_one_is_chosen(client_for, auditor, odense, odense_caseworker):
    first = do_register_citizen(
        acting_user=None, municipality=odense, cpr="0101801111", first_name="Jens", last_name="Ali"
    )
    second = do_register_citizen(
        acting_user=None, municipality=odense, cpr="0202902222", first_name="Jens", last_name="Ali"
    )
    record(odense_caseworker, AuditAction.VIEW, obj=second)
    client = client_for(auditor)
    page = client.post(SEARCH, {"name": "Jens Ali"}).content.decode()
    assert 'data-testid="audit-citizen-choices"' in page
    assert "010180-****" in page and "020290-****" in page
    assert 'data-testid="audit-results"' not in page
    chosen = client.post(SEARCH, {"citizen": str(second.pk)}).content.decode()
    assert "020290-****" in chosen and "010180-****" not in chosen
    assert "2 hændelser" in chosen and "odense-sagsbehandler" in chosen  # registered, and seen once
    assert str(second.pk) in chosen and str(first.pk) not in chosen


def test_an_auditor_sees_all_activity_on_a_case(
    client_for, auditor, activity, odense_case, odense_interview, someone_else
):
    page = client_for(auditor).post(SEARCH, {"case": str(odense_case.pk)}).content.decode()
    assert 'data-testid="audit-subject"' in page
    assert str(odense_case.pk) in page and str(odense_interview.pk) in page
    assert str(activity.grant_id) not in page  # the grant is the citizen's, not the case's
    assert str(someone_else[1].pk) not in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"case": "sag 12"}, "Skriv sagens id"),
        ({"case": "00000000-0000-0000-0000-000000000000"}, "Kommunen har ingen sag med det id."),
        ({"name": "K"}, "Skriv mindst to bogstaver af navnet."),
        ({"cpr": "010190-1234", "name": "Karen"}, "Søg på én borger eller én sag ad gangen"),
    ],
)
def test_a_bad_search_says_why_in_danish_and_searches_nothing(client_for, auditor, activity, body, message):
    page = client_for(auditor).post(SEARCH, body).content.decode()
    assert message in page
    assert 'data-testid="audit-results"' not in page
    assert not AuditEntry.objects.filter(user=auditor, object_type="audit.auditentry").exists()


def test_an_auditor_searches_by_user_with_a_post(client_for, auditor, activity):
    page = client_for(auditor).post(SEARCH, {"username": "odense-ydelse"}).content.decode()
    assert "odense-ydelse" in page and "odense-sagsbehandler" not in page
    assert "Ydelsesmedarbejder" in page and ">benefits_officer<" not in page  # the role in Danish


def test_a_user_filter_narrows_the_activity_on_a_citizen(client_for, auditor, activity, odense_case):
    page = client_for(auditor).post(SEARCH, {"cpr": "0101901234", "username": "odense-ydelse"}).content.decode()
    assert str(activity.grant_id) in page and str(odense_case.pk) not in page
