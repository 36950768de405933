"""The citizen overview: a citizen in one place, each part for the roles that may see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jobcenter.audit.models import AuditAction, AuditEntry
from jobcenter.letters.models import Letter
from jobcenter.payments.models import Claim, Payment, PaymentRun
from jobcenter.tenancy.roles import Role
from tests.letters.test_letters import breakdown, specification  # noqa: F401  (fixtures: a letter)
from tests.payments.test_claims import consulted, overpaid


@pytest.fixture
def claim(odense_benefits_officer, odense_team_lead, odense_citizen) -> Claim:
    """A grant, four months paid (July to October 2025), a claim and its consultation letter."""
    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen)
    consulted(odense_benefits_officer, claim)
    return claim


@pytest.fixture
def everything(claim, specification, odense_case, odense_interview, odense_journal_entry) -> Claim:  # noqa: F811
    return claim


def everything_letter(citizen) -> Letter:
    """The newest of the citizen's letters (every decision and consultation has its own), which the overview lists."""
    return Letter.objects.filter(citizen=citizen).order_by("-created_at", "pk").first()


def overview(client, citizen) -> str:
    response = client.get(reverse("citizens:detail", args=[citizen.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_caseworker_sees_cases_interviews_the_grant_and_letters_but_no_payments(
    client_for, odense_caseworker, odense_citizen, odense_case, odense_interview, everything
):
    page = overview(client_for(odense_caseworker), odense_citizen)
    assert reverse("cases:detail", args=[odense_case.pk]) in page
    assert reverse("cases:interview-detail", args=[odense_interview.pk]) in page
    assert 'data-testid="count-cases">1<' in page and 'data-testid="count-interviews">1<' in page
    assert reverse("benefits:grant", args=[everything.grant_id]) in page  # the current decision, linked
    assert reverse("letters:detail", args=[everything_letter(odense_citizen).pk]) in page
    assert 'data-testid="letter-status"' in page  # with its delivery
    # The permission table gives caseworkers no payments.view: no payments, claims or statement.
    assert 'data-testid="citizen-payments"' not in page
    assert 'data-testid="count-claims"' not in page
    assert reverse("payments:statement", args=[odense_citizen.pk]) not in page
    assert reverse("payments:claim", args=[everything.pk]) not in page


def test_a_benefits_officer_sees_the_grant_payments_claims_and_statement(
    client_for, odense_benefits_officer, odense_citizen, everything
):
    page = overview(client_for(odense_benefits_officer), odense_citizen)
    assert 'data-testid="count-payments">4<' in page
    run = PaymentRun.objects.order_by("-month").first()
    assert reverse("payments:run", args=[run.pk]) in page
    assert reverse("payments:claim", args=[everything.pk]) in page
    assert reverse("payments:statement", args=[odense_citizen.pk]) in page
    assert reverse("benefits:grant", args=[everything.grant_id]) in page
    assert "Ændring, version 3" in page  # the current decision
    # Cases are there to read (cases.view), but not to open new ones (no cases.edit).
    assert 'data-testid="citizen-cases"' in page
    assert reverse("cases:open", args=[odense_citizen.pk]) not in page


def test_a_team_lead_sees_every_part(client_for, odense_team_lead, odense_citizen, everything):
    page = overview(client_for(odense_team_lead), odense_citizen)
    for testid in ("count-cases", "count-interviews", "count-grant", "count-payments", "count-claims", "count-letters"):
        assert f'data-testid="{testid}"' in page
    assert reverse("cases:open", args=[odense_citizen.pk]) in page  # cases.edit
    assert reverse("benefits:decide", args=[odense_citizen.pk]) in page


def test_the_support_superuser_sees_the_person_and_cases_but_no_grant_letters_or_payments(
    client_for, make_user, odense, odense_citizen, everything
):
    support = make_user(Role.SUPPORT_SUPERUSER, odense)
    page = overview(client_for(support), odense_citizen)
    assert 'data-testid="count-cases"' in page
    for testid in ("count-grant", "count-payments", "count-claims", "count-letters"):
        assert f'data-testid="{testid}"' not in page


def test_the_cpr_number_is_masked_until_shown_and_the_showing_is_audited(client_for, odense_caseworker, odense_citizen):
    client = client_for(odense_caseworker)
    page = overview(client, odense_citizen)
    assert "010190-****" in page and "0101901234" not in page and "010190-1234" not in page
    assert not AuditEntry.objects.filter(detail__cpr_shown=True).exists()

    url = reverse("citizens:show-cpr", args=[odense_citizen.pk])
    assert "0101901234" not in url
    response = client.post(url)
    assert response.status_code == 200
    assert "010190-1234" in response.content.decode()
    entry = AuditEntry.objects.get(detail__cpr_shown=True)
    assert (entry.user, entry.action, entry.object_id) == (odense_caseworker, AuditAction.VIEW, str(odense_citizen.pk))
    assert "0101901234" not in str(entry.__dict__) and "010190-1234" not in str(entry.__dict__)
    # Showing it once does not show it on the next visit.
    assert "010190-1234" not in overview(client, odense_citizen)


def test_the_full_cpr_number_cannot_be_fetched_with_get(client_for, odense_caseworker, odense_citizen):
    response = client_for(odense_caseworker).get(reverse("citizens:show-cpr", args=[odense_citizen.pk]))
    assert response.status_code == 405
    assert not AuditEntry.objects.filter(detail__cpr_shown=True).exists()


def test_the_other_municipalitys_citizen_is_not_found(client_for, aarhus_caseworker, odense_citizen, everything):
    client = client_for(aarhus_caseworker)
    assert client.get(reverse("citizens:detail", args=[odense_citizen.pk])).status_code == 404
    response = client.post(reverse("citizens:show-cpr", args=[odense_citizen.pk]))
    assert response.status_code == 404
    assert "010190" not in response.content.decode()
    assert not AuditEntry.objects.filter(detail__cpr_shown=True).exists()


def test_the_overview_reads_in_a_bounded_number_of_queries(
    client_for, odense_team_lead, odense_citizen, everything, django_assert_max_num_queries
):
    client = client_for(odense_team_lead)
    overview(client, odense_citizen)  # the session and the user are cached from here on
    assert Payment.objects.count() == 4
    with django_assert_max_num_queries(20):
        overview(client, odense_citizen)


def test_lists_name_the_citizen_with_the_masked_cpr_number_and_link_to_the_overview(
    client_for, odense_caseworker, odense_team_lead, odense_citizen, odense_case, everything
):
    link = f'href="{reverse("citizens:detail", args=[odense_citizen.pk])}"'
    worklist = client_for(odense_caseworker).get(reverse("cases:worklist")).content.decode()
    assert link in worklist and "010190-****" in worklist
    assert reverse("cases:detail", args=[odense_case.pk]) in worklist  # the case is still a click away
    lead = client_for(odense_team_lead)
    for url in (
        reverse("payments:claims"),
        reverse("benefits:grants"),
        reverse("payments:run", args=[PaymentRun.objects.order_by("-month").first().pk]),
    ):
        page = lead.get(url).content.decode()
        assert link in page and "010190-****" in page, url
    search = lead.post(reverse("citizens:search"), {"query": "Odensen"}).content.decode()
    assert link in search and "010190-****" in search


def test_an_auditor_sees_the_masked_cpr_number_in_a_list_but_no_link_they_may_not_follow(
    client_for, make_user, odense, odense_citizen, everything
):
    auditor = make_user(Role.AUDITOR, odense)
    page = client_for(auditor).get(reverse("payments:claims")).content.decode()
    assert "Karen Odensen" in page and "010190-****" in page
    assert reverse("citizens:detail", args=[odense_citizen.pk]) not in page


def test_the_statement_names_the_accounts_in_danish_never_by_their_id(
    client_for, odense_benefits_officer, odense_citizen, everything
):
    page = client_for(odense_benefits_officer).get(reverse("payments:statement", args=[odense_citizen.pk]))
    text = page.content.decode()
    assert "Udbetalt til dig" in text and "Tilbagebetalingskrav" in text
    assert "payable:citizen:" not in text and "receivable:claim:" not in text
    assert str(odense_citizen.pk) not in text.replace(reverse("citizens:detail", args=[odense_citizen.pk]), "")
