"""Every decision has its letter, and every partshøring its letter (issue 13; docs/letters.md).

Each kind of decision — a grant, a change, a reduction, a stop, a sanction, a claim and a waiver —
and each partshøring leaves exactly one letter, issued in the action's own transaction, whose PDF
says the decision, the amount, the reasons and (for a decision) how to appeal.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pypdf
import pytest
from django.utils import timezone

from jobcenter.benefits.actions import (
    DecisionRefused,
    do_record_consultation_reply,
    do_record_decision,
    do_record_sanction,
    do_start_consultation,
)
from jobcenter.benefits.models import Consultation, Decision
from jobcenter.letters.models import Letter, LetterKind
from jobcenter.payments.claims import do_decide_claim, do_start_claim_consultation, do_waive_claim
from jobcenter.payments.models import Claim
from tests.payments.helpers import facts, grant
from tests.payments.test_claims import consulted, overpaid

OCTOBER_2025 = datetime.date(2025, 10, 1)
NOVEMBER_2025 = datetime.date(2025, 11, 1)
APPEAL = "Sådan klager du"


def pdf_text(letter: Letter) -> str:
    reader = pypdf.PdfReader(io.BytesIO(bytes(letter.pdf)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _consulted_about(officer: Any, grant_id: Any, kind: str) -> Consultation:
    today = timezone.localdate()
    consultation = do_start_consultation(
        officer, grant_id, intended_kind=kind, subject="Vi har fået oplysninger om din indtægt.", deadline=today
    )
    do_record_consultation_reply(officer, consultation.pk, received_on=today, summary="Borgeren bekræfter indtægten.")
    return consultation


def a_grant(officer: Any, citizen: Any, lead: Any) -> tuple[str, Any]:
    decision = grant(officer, citizen)
    return "benefits.decision", decision


def a_change(officer: Any, citizen: Any, lead: Any) -> tuple[str, Any]:
    grant(officer, citizen)
    return "benefits.decision", do_record_decision(
        officer,
        citizen.pk,
        kind="aendring",
        effective_from=NOVEMBER_2025,
        facts=facts(is_aktivitetsparat=True),
        justification="Du er visiteret som aktivitetsparat.",
    )


def a_reduction(officer: Any, citizen: Any, lead: Any) -> tuple[str, Any]:
    first = grant(officer, citizen)
    consultation = _consulted_about(officer, first.grant_id, "nedsaettelse")
    return "benefits.decision", do_record_decision(
        officer,
        citizen.pk,
        kind="nedsaettelse",
        effective_from=NOVEMBER_2025,
        facts=facts(work_income_ore=800_000, work_hours="60"),
        justification="Du har arbejdsindtægt, som trækkes fra hjælpen.",
        consultation_id=consultation.pk,
    )


def a_stop(officer: Any, citizen: Any, lead: Any) -> tuple[str, Any]:
    first = grant(officer, citizen)
    consultation = _consulted_about(officer, first.grant_id, "standsning")
    return "benefits.decision", do_record_decision(
        officer,
        citizen.pk,
        kind="standsning",
        effective_from=NOVEMBER_2025,
        justification="Du er begyndt i fuldtidsarbejde og kan forsørge dig selv.",
        legal_basis="Lov om aktiv socialpolitik § 11.",
        consultation_id=consultation.pk,
    )


def a_sanction(officer: Any, citizen: Any, lead: Any) -> tuple[str, Any]:
    today = timezone.localdate()  # 20 November 2025 (the test's clock): LAS § 35's 3 months hold
    first = grant(officer, citizen)
    consultation = _consulted_about(officer, first.grant_id, "sanktion")
    return "benefits.decision", do_record_sanction(
        officer,
        citizen.pk,
        missed_on=today - datetime.timedelta(days=3),
        contact_on=today - datetime.timedelta(days=1),
        justification="Du udeblev fra en jobsamtale, som du var indkaldt til.",
        guidance_given=True,
        consultation_id=consultation.pk,
    )


def a_claim(officer: Any, citizen: Any, lead: Any) -> tuple[str, Any]:
    claim = overpaid(officer, lead, citizen)
    consulted(officer, claim)
    return "payments.claim", do_decide_claim(
        officer,
        claim.pk,
        justification="Du har fået hjælp for måneder, hvor du havde indtægter, som ikke var oplyst.",
        legal_basis="Angivet af sagsbehandleren.",
        offset_per_month_ore=500_000,
    )


def a_waiver(officer: Any, citizen: Any, lead: Any) -> tuple[str, Any]:
    claim = overpaid(officer, lead, citizen)
    return "payments.claim", do_waive_claim(officer, claim.pk, reason="Fejlen var kommunens, og beløbet er brugt.")


DECISIONS: dict[str, tuple[Callable[..., tuple[str, Any]], list[str]]] = {
    # what the letter must say besides the reasons and klagevejledning
    "bevilling": (a_grant, ["Du får kontanthjælp fra den 1. oktober 2025", "13.590,00 kr.", "LAS §§ 16-20"]),
    "ændring": (a_change, ["ændres fra den 1. november 2025", "Visiteret aktivitetsparat"]),
    "nedsættelse": (a_reduction, ["nedsættes fra den 1. november 2025", "8.000,00 kr.", "Partshøring"]),
    "standsning": (a_stop, ["standses fra den 1. november 2025", "§ 11", "Vi modtog dit svar"]),
    # November 2025: 28 of 30 days of 13.590 kr.
    "sanktion": (a_sanction, ["Vi trækker din kontanthjælp for 2 dage", "§ 37", "12.684,00 kr."]),
    "tilbagebetalingskrav": (a_claim, ["skal betale beløbet tilbage", "5.000,00"]),
    "eftergivelse": (a_waiver, ["eftergive beløbet"]),
}


@pytest.mark.parametrize("kind", DECISIONS)
def test_every_kind_of_decision_leaves_exactly_one_letter_with_amount_reasons_and_klagevejledning(
    kind, odense_benefits_officer, odense_team_lead, odense_citizen, monkeypatch
):
    make, expected = DECISIONS[kind]
    if kind == "sanktion":  # a sanction is decided within 3 months of the missed interview, in a month with rates
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2025, 11, 20))
    subject_type, decided = make(odense_benefits_officer, odense_citizen, odense_team_lead)
    letters = Letter.objects.filter(subject_type=subject_type, subject_id=str(decided.pk))
    assert letters.count() == 1
    letter = letters.get()
    assert letter.kind in {LetterKind.DECISION, LetterKind.CLAIM} and letter.citizen == odense_citizen
    assert letter.deliveries.filter(status="queued").exists()  # on its way through Digital Post or paper
    text = pdf_text(letter)
    reasons = (
        decided.justification if isinstance(decided, Decision) else (decided.justification or decided.waiver_reason)
    )
    assert " ".join(reasons.split()) in text
    assert APPEAL in text and "4 uger" in text
    assert "kr." in text  # an amount
    for words in expected:
        assert words in text, words
    # Every decision (not a claim, which has its own letter) also says the facts it rests on and the rules.
    if isinstance(decided, Decision):
        assert "Lovgrundlag" in text
        if decided.facts:
            assert "De oplysninger, afgørelsen bygger på" in text and "Fødselsdato" in text


CONSULTATIONS = ["nedsaettelse", "standsning", "sanktion", "tilbagebetaling"]


@pytest.mark.parametrize("kind", CONSULTATIONS)
def test_every_partshoering_sends_exactly_one_letter_with_the_information_the_deadline_and_what_follows(
    kind, odense_benefits_officer, odense_team_lead, odense_citizen
):
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    if kind == "tilbagebetaling":
        claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen)
        do_start_claim_consultation(
            odense_benefits_officer,
            claim.pk,
            subject="Du har fået for meget udbetalt for juli og august.",
            deadline=deadline,
        )
        consultation = Claim.objects.get(pk=claim.pk).consultation
        assert consultation is not None and consultation.grant_id == claim.grant_id
    else:
        first = grant(odense_benefits_officer, odense_citizen)
        consultation = do_start_consultation(
            odense_benefits_officer,
            first.grant_id,
            intended_kind=kind,
            subject="Du har fået for meget udbetalt for juli og august.",
            deadline=deadline,
        )
    letters = Letter.objects.filter(subject_type="benefits.consultation", subject_id=str(consultation.pk))
    assert letters.count() == 1
    letter = letters.get()
    assert letter.kind == LetterKind.CONSULTATION and letter.title.startswith("Partshøring")
    text = pdf_text(letter)
    assert "for meget udbetalt for juli og august" in text  # the information
    assert f"{deadline.day}." in text and str(deadline.year) in text  # the deadline
    assert "Hvad sker der bagefter" in text and "forvaltningslovens § 19" in text
    assert APPEAL not in text  # not a decision
    if kind == "tilbagebetaling":
        assert "Beløb" in text


def test_a_decision_whose_letter_cannot_be_made_is_not_recorded(odense_benefits_officer, odense_citizen, monkeypatch):
    from jobcenter.benefits import actions
    from jobcenter.letters.actions import LetterRefused

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise LetterRefused("Brevet kan ikke dannes.")

    monkeypatch.setattr(actions, "do_issue_decision_letter", refuse)
    with pytest.raises(DecisionRefused, match="Brevet kan ikke dannes"):
        grant(odense_benefits_officer, odense_citizen)
    assert not Decision.objects.exists() and not Letter.objects.exists()


def test_a_consultation_whose_letter_cannot_be_made_is_not_recorded(
    odense_benefits_officer, odense_citizen, monkeypatch
):
    from jobcenter.benefits import actions
    from jobcenter.letters.actions import LetterRefused

    first = grant(odense_benefits_officer, odense_citizen)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise LetterRefused("Brevet kan ikke dannes.")

    monkeypatch.setattr(actions, "do_issue_consultation_letter", refuse)
    with pytest.raises(DecisionRefused, match="Brevet kan ikke dannes"):
        do_start_consultation(
            odense_benefits_officer,
            first.grant_id,
            intended_kind="standsning",
            subject="Påtænkt standsning.",
            deadline=timezone.localdate() + datetime.timedelta(days=14),
        )
    assert not Consultation.objects.exists()
    assert not Letter.objects.filter(kind=LetterKind.CONSULTATION).exists()


def test_a_grant_in_a_month_without_approved_rates_still_has_its_letter_saying_the_amount_is_not_known_yet(
    odense_benefits_officer, odense_citizen
):
    decision = grant(odense_benefits_officer, odense_citizen, effective_from=datetime.date(2026, 1, 1))
    text = pdf_text(Letter.objects.get(subject_id=str(decision.pk)))
    assert "Beløbet kan ikke beregnes endnu" in text
    assert "Hjælpens størrelse: Lov om aktiv socialpolitik §§ 16-20" in text and APPEAL in text
