"""Claims on the pages and in the API: the list, a claim's page, the decision, the statement, the run page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jobcenter.letters.models import Letter, LetterKind
from jobcenter.payments.models import Claim, ClaimStatus, PaymentRunLine
from tests.payments.test_claims import NOVEMBER, consulted, overpaid, release


@pytest.fixture
def claim(odense_benefits_officer, odense_team_lead, odense_citizen) -> Claim:
    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen)
    consulted(odense_benefits_officer, claim)
    return claim


def test_the_claims_list_shows_open_claims_and_filters_by_status(client_for, odense_benefits_officer, claim):
    client = client_for(odense_benefits_officer)
    page = client.get(reverse("payments:claims")).content.decode()
    assert "Karen Odensen" in page and "Afventer afgørelse" in page
    settled = client.get(reverse("payments:claims") + "?status=settled").content.decode()
    assert "Karen Odensen" not in settled and "Ingen krav." in settled


def test_the_claim_page_shows_where_it_comes_from(client_for, odense_benefits_officer, claim):
    page = client_for(odense_benefits_officer).get(reverse("payments:claim", args=[claim.pk])).content.decode()
    assert "2025-07" in page and "2025-08" in page  # the months
    assert "Afgørelse (Ændring) v2" in page  # the reason, from the correction records
    assert "Intet modregnes, før kravet er afgjort." in page
    assert 'data-testid="claim-decide-form"' in page


def test_deciding_on_the_page_sends_the_letter(client_for, odense_benefits_officer, claim):
    response = client_for(odense_benefits_officer).post(
        reverse("payments:claim-decide", args=[claim.pk]),
        {
            "justification": "For meget udbetalt.",
            "legal_basis": "Til juridisk gennemgang",
            "offset_per_month": "1500,50",
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DECIDED and claim.offset_per_month_ore == 150_050
    assert claim.letter is not None and claim.letter.kind == LetterKind.CLAIM
    page = client_for(odense_benefits_officer).get(reverse("payments:claim", args=[claim.pk])).content.decode()
    assert reverse("letters:detail", args=[claim.letter_id]) in page
    assert 'data-testid="claim-decide-form"' not in page  # decided once


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"justification": "x", "legal_basis": "y", "offset_per_month": "0"}, "større end 0 kr."),
        ({"justification": "x", "legal_basis": "y", "offset_per_month": "99999999"}, "større end kravet"),
        ({"justification": "", "legal_basis": "y", "offset_per_month": "100"}, "Skriv en begrundelse"),
        ({"justification": "x", "legal_basis": "", "offset_per_month": "100"}, "Angiv lovgrundlaget"),
    ],
)
def test_bad_decisions_on_the_page_say_why_and_write_nothing(client_for, odense_benefits_officer, claim, body, message):
    response = client_for(odense_benefits_officer).post(reverse("payments:claim-decide", args=[claim.pk]), body)
    assert response.status_code == 422
    assert message in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING and claim.letter is None
    assert not Letter.objects.filter(kind=LetterKind.CLAIM).exists()


def test_the_api_decides_and_refuses_a_second_decision(client_for, odense_benefits_officer, claim):
    client = client_for(odense_benefits_officer)
    url = reverse("api:payments-claim-decide", kwargs={"claim_id": claim.pk})
    body = {"justification": "For meget udbetalt.", "legal_basis": "Til gennemgang", "offset_per_month_ore": 100_000}
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 200 and first.json()["status"] == "decided"
    assert [c["month"] for c in first.json()["corrections"]] == ["2025-07", "2025-08", "2025-09"]
    second = client.post(url, body, content_type="application/json")
    assert second.status_code == 422 and "allerede afgjort" in second.json()["detail"]
    assert Letter.objects.filter(kind=LetterKind.CLAIM).count() == 1


def test_the_statement_and_the_run_page_show_the_offsets(
    client_for, odense_benefits_officer, odense_team_lead, odense_citizen, claim
):
    client = client_for(odense_benefits_officer)
    client.post(
        reverse("payments:claim-decide", args=[claim.pk]),
        {"justification": "For meget udbetalt.", "legal_basis": "Til gennemgang", "offset_per_month": "2000"},
    )
    run = release(odense_benefits_officer, odense_team_lead, NOVEMBER)
    line = PaymentRunLine.objects.get(run=run)
    assert line.offset_ore == 200_000
    run_page = client.get(reverse("payments:run", args=[run.pk])).content.decode()
    assert 'data-testid="line-offset"' in run_page and "2.000,00" in run_page
    statement = client.get(reverse("payments:statement", args=[odense_citizen.pk])).content.decode()
    assert "Tilbagebetalingskrav" in statement and "Modregning i tilbagebetalingskrav" in statement
    assert "2025-11: 2.000,00" in statement.replace("\xa0", " ")
    api = client.get(reverse("api:payments-statement", kwargs={"citizen_id": odense_citizen.pk})).json()
    assert [line["kind"] for line in api if line["account"].startswith("receivable:claim:")] == [
        "Tilbagebetalingskrav",
        "Modregning i tilbagebetalingskrav",
    ]
