"""Claims (tilbagebetalingskrav): booked by a release, decided with a letter, offset against later payments."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone
from pypdf import PdfReader

from jobcenter.benefits.actions import do_record_decision
from jobcenter.letters.models import Letter, LetterKind
from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.claims import (
    ClaimRefused,
    do_decide_claim,
    do_record_claim_consultation_reply,
    do_start_claim_consultation,
    do_waive_claim,
    open_claims,
)
from jobcenter.payments.ledger import unbalanced_transactions
from jobcenter.payments.models import (
    Claim,
    ClaimOffset,
    ClaimStatus,
    LedgerEntry,
    Payment,
    PaymentRun,
    PaymentRunLine,
)
from jobcenter.payments.queries import citizen_statement
from jobcenter.payments.refusals import PaymentRunRefused
from jobcenter.payments.release import do_release_run
from tests.payments.helpers import facts, grant

JULY, AUGUST, SEPTEMBER = datetime.date(2025, 7, 1), datetime.date(2025, 8, 1), datetime.date(2025, 9, 1)
OCTOBER, NOVEMBER, DECEMBER = datetime.date(2025, 10, 1), datetime.date(2025, 11, 1), datetime.date(2025, 12, 1)


def release(starter, approver, month):
    run = do_start_trial_run(starter, month)
    do_approve_run(approver, run.pk)
    return do_release_run(starter, run.pk)


def overpaid(officer, lead, citizen, *, through: datetime.date = datetime.date(2025, 8, 31)) -> Claim:
    """July to September paid, then July to `through` found not to have been due (other income):
    October's run books a claim of what those months paid, less October's help."""
    grant(officer, citizen, effective_from=JULY)
    for month in (JULY, AUGUST, SEPTEMBER):
        release(officer, lead, month)
    do_record_decision(
        officer,
        citizen.pk,
        kind="aendring",
        effective_from=JULY,
        effective_to=through,
        facts=facts(other_income_ore=5_000_000),  # deducted krone for krone: no help
        justification="Borgeren havde indtægter fra juli til september, som ikke var oplyst.",
    )
    do_record_decision(
        officer,
        citizen.pk,
        kind="aendring",
        effective_from=through + datetime.timedelta(days=1),
        facts=facts(),
        justification="Hjælpen fortsætter uændret.",
    )
    release(officer, lead, OCTOBER)
    return Claim.objects.get(citizen=citizen)


def consulted(officer, claim: Claim) -> None:
    today = timezone.localdate()
    do_start_claim_consultation(
        officer,
        claim.pk,
        subject="Påtænkt krav om tilbagebetaling af for meget udbetalt hjælp for juli-september 2025.",
        sent_on=today - datetime.timedelta(days=20),
        deadline=today - datetime.timedelta(days=6),
    )


def paid_in(month) -> dict:
    return {p.month: p for p in Payment.objects.filter(month=month)}


def test_a_release_with_an_overpayment_creates_a_claim_awaiting_its_decision(
    odense_benefits_officer, odense_team_lead, odense_citizen
):
    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen)
    october = Payment.objects.get(month=OCTOBER)
    july = Payment.objects.get(month=JULY)
    august = Payment.objects.get(month=AUGUST)
    september = Payment.objects.get(month=SEPTEMBER)
    assert claim.status == ClaimStatus.AWAITING
    assert claim.origin_payment == october and claim.run == october.run
    assert claim.grant == october.grant and claim.municipality == odense_citizen.municipality
    # What July and August paid, less October's help, which the run kept back.
    assert claim.amount_ore == july.amount_ore + august.amount_ore - october.regular_ore == october.claim_ore
    months = {c.for_month: c.difference_ore for c in october.corrections.all()}
    assert months == {JULY: -july.amount_ore, AUGUST: -august.amount_ore, SEPTEMBER: 0}
    assert september.amount_ore > 0
    receivable = LedgerEntry.objects.get(account=f"receivable:claim:{odense_citizen.pk}")
    assert receivable.amount_ore == claim.amount_ore
    assert claim.balance_ore == claim.amount_ore and claim.offset_total_ore == 0


def test_nothing_is_offset_while_a_claim_awaits_its_decision(odense_benefits_officer, odense_team_lead, odense_citizen):
    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen)
    run = release(odense_benefits_officer, odense_team_lead, NOVEMBER)
    line = PaymentRunLine.objects.get(run=run)
    assert line.offset_ore == 0 and line.amount_ore == line.regular_ore > 0
    assert run.offset_total_ore == 0
    assert not ClaimOffset.objects.exists()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING and claim.balance_ore == claim.amount_ore


def test_a_decision_with_its_letter_after_partshoering(odense_benefits_officer, odense_team_lead, odense_citizen):
    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen)
    consulted(odense_benefits_officer, claim)
    claim = do_decide_claim(
        odense_benefits_officer,
        claim.pk,
        justification="Du burde have vidst, at indtægterne skulle oplyses.",
        legal_basis="Angivet af sagsbehandleren (retsgrundlag til juridisk gennemgang)",
        offset_per_month_ore=700_000,
    )
    assert claim.status == ClaimStatus.DECIDED and claim.decided_by == odense_benefits_officer
    letter = Letter.objects.get(pk=claim.letter_id)
    assert letter.kind == LetterKind.CLAIM and letter.citizen == odense_citizen
    assert letter.subject_type == "payments.claim" and letter.subject_id == str(claim.pk)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(_bytes(letter.pdf)).pages).split())
    kroner = f"{claim.amount_ore // 100:,}".replace(",", ".")
    assert kroner in text  # the amount
    for month in ("juli 2025", "august 2025"):  # the months it comes from
        assert month in text
    assert "7.000,00" in text  # collected by offset per month
    assert "Angivet af sagsbehandleren" in text  # the legal basis as decided
    assert "Sådan klager du" in text  # how to appeal


def _bytes(pdf):
    import io

    return io.BytesIO(bytes(pdf))


def test_offsets_over_several_months_until_the_claim_is_settled(
    odense_benefits_officer, odense_team_lead, odense_citizen
):
    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen)
    consulted(odense_benefits_officer, claim)
    per_month = claim.amount_ore // 2 + 1  # two months: a full offset, then the rest
    do_decide_claim(
        odense_benefits_officer,
        claim.pk,
        justification="For meget udbetalt.",
        legal_basis="Til juridisk gennemgang",
        offset_per_month_ore=per_month,
    )
    balances = []
    for month in (NOVEMBER, DECEMBER):
        run = release(odense_benefits_officer, odense_team_lead, month)
        line = PaymentRunLine.objects.get(run=run)
        payment = Payment.objects.get(month=month)
        net = line.regular_ore + line.correction_ore
        assert payment.amount_ore == line.amount_ore == net - line.offset_ore
        assert ClaimOffset.objects.get(payment=payment).amount_ore == line.offset_ore
        claim.refresh_from_db()
        balances.append((line.offset_ore, claim.balance_ore, claim.status))
        assert unbalanced_transactions() == []
    assert balances == [
        (per_month, claim.amount_ore - per_month, ClaimStatus.DECIDED),
        (claim.amount_ore - per_month, 0, ClaimStatus.SETTLED),
    ]
    # The receivable is back at zero, and the statement shows every step.
    receivable = LedgerEntry.objects.filter(account=f"receivable:claim:{odense_citizen.pk}")
    assert sum(e.amount_ore for e in receivable) == 0
    _citizen, lines = citizen_statement(odense_benefits_officer, odense_citizen.pk)
    claim_lines = [line.amount_ore for line in lines if line.account.startswith("receivable:claim:")]
    assert claim_lines == [claim.amount_ore, -per_month, -(claim.amount_ore - per_month)]
    # A settled claim takes nothing more.
    assert open_claims(odense_citizen.municipality_id) == {}


def test_a_payment_with_an_offset_gets_a_specification_letter_that_shows_the_offset(
    odense_benefits_officer, odense_team_lead, odense_citizen
):
    """The specification adds up with the offset: help + corrections - offset = paid. A month kept
    back in full against the claim (paid 0) is explained to the citizen too."""
    from jobcenter.payments.models import PaymentSpecification
    from jobcenter.payments.tasks import issue_specifications
    from jobcenter.rules import format_kroner

    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen)
    consulted(odense_benefits_officer, claim)
    do_decide_claim(
        odense_benefits_officer,
        claim.pk,
        justification="For meget udbetalt.",
        legal_basis="Til juridisk gennemgang",
        offset_per_month_ore=100_000,
    )
    partly = release(odense_benefits_officer, odense_team_lead, NOVEMBER)
    assert issue_specifications.call(str(partly.pk)) == "1 issued, 0 refused"
    payment = Payment.objects.get(month=NOVEMBER)
    letter = PaymentSpecification.objects.get(payment=payment).letter
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(_bytes(letter.pdf)).pages).split())
    assert payment.amount_ore == payment.regular_ore - 100_000
    assert f"Modregnet i dit tilbagebetalingskrav -{format_kroner(100_000)}" in text
    assert f"Til udbetaling {format_kroner(payment.amount_ore)}" in text


def test_a_month_kept_back_in_full_against_a_claim_is_explained_in_its_letter(
    odense_benefits_officer, odense_team_lead, odense_citizen
):
    from jobcenter.payments.models import PaymentSpecification
    from jobcenter.payments.tasks import issue_specifications
    from jobcenter.rules import format_kroner

    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen, through=datetime.date(2025, 9, 30))
    consulted(odense_benefits_officer, claim)
    do_decide_claim(
        odense_benefits_officer,
        claim.pk,
        justification="For meget udbetalt.",
        legal_basis="Til juridisk gennemgang",
        offset_per_month_ore=claim.amount_ore,
    )
    run = release(odense_benefits_officer, odense_team_lead, NOVEMBER)
    payment = Payment.objects.get(month=NOVEMBER)
    assert payment.amount_ore == 0 and ClaimOffset.objects.get(payment=payment).amount_ore == payment.regular_ore
    assert issue_specifications.call(str(run.pk)) == "1 issued, 0 refused"
    letter = PaymentSpecification.objects.get(payment=payment).letter
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(_bytes(letter.pdf)).pages).split())
    assert "Du får ikke udbetalt kontanthjælp for november 2025" in text
    assert f"hele beløbet, {format_kroner(payment.regular_ore)}, er modregnet i dit tilbagebetalingskrav" in text


def test_the_offset_is_at_most_the_months_net_payment(odense_benefits_officer, odense_team_lead, odense_citizen):
    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen, through=datetime.date(2025, 9, 30))
    consulted(odense_benefits_officer, claim)
    do_decide_claim(
        odense_benefits_officer,
        claim.pk,
        justification="For meget udbetalt.",
        legal_basis="Til juridisk gennemgang",
        offset_per_month_ore=claim.amount_ore,
    )
    run = do_start_trial_run(odense_benefits_officer, NOVEMBER)
    line = PaymentRunLine.objects.get(run=run)
    assert line.regular_ore < claim.amount_ore
    assert line.offset_ore == line.regular_ore and line.amount_ore == 0
    assert run.payment_count == 0 and run.offset_total_ore == line.regular_ore


def test_a_released_run_released_again_offsets_nothing_twice(odense_benefits_officer, odense_team_lead, odense_citizen):
    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen)
    consulted(odense_benefits_officer, claim)
    do_decide_claim(odense_benefits_officer, claim.pk, justification="x", legal_basis="y", offset_per_month_ore=100_000)
    run = release(odense_benefits_officer, odense_team_lead, NOVEMBER)
    do_release_run(odense_benefits_officer, run.pk)
    do_release_run(odense_team_lead, run.pk)
    claim.refresh_from_db()
    assert ClaimOffset.objects.count() == 1 and claim.offset_total_ore == 100_000
    # The database refuses a second offset of the same claim by the same payment.
    payment = Payment.objects.get(month=NOVEMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimOffset.objects.create(claim=claim, payment=payment, amount_ore=1)


def test_waiving_a_claim_collects_nothing_and_sends_a_letter(odense_benefits_officer, odense_team_lead, odense_citizen):
    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen)
    claim = do_waive_claim(odense_benefits_officer, claim.pk, reason="Borgeren var i god tro.")
    assert claim.status == ClaimStatus.WAIVED and claim.letter.kind == LetterKind.CLAIM
    run = do_start_trial_run(odense_benefits_officer, NOVEMBER)
    assert PaymentRunLine.objects.get(run=run).offset_ore == 0


# --- Bad input: a clear Danish error, nothing written -------------------------------------------


@pytest.fixture
def awaiting(odense_benefits_officer, odense_team_lead, odense_citizen) -> Claim:
    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen)
    consulted(odense_benefits_officer, claim)
    return claim


def _unchanged(claim: Claim) -> None:
    fresh = Claim.objects.get(pk=claim.pk)
    assert fresh.status == ClaimStatus.AWAITING and fresh.decided_by is None and fresh.letter is None
    assert not Letter.objects.filter(kind=LetterKind.CLAIM).exists()


def test_deciding_a_claim_twice_is_refused(odense_benefits_officer, awaiting):
    do_decide_claim(odense_benefits_officer, awaiting.pk, justification="x", legal_basis="y", offset_per_month_ore=1)
    with pytest.raises(ClaimRefused, match="allerede afgjort"):
        do_decide_claim(
            odense_benefits_officer, awaiting.pk, justification="z", legal_basis="y", offset_per_month_ore=2
        )
    with pytest.raises(ClaimRefused, match="allerede afgjort"):
        do_waive_claim(odense_benefits_officer, awaiting.pk, reason="Alligevel")
    fresh = Claim.objects.get(pk=awaiting.pk)
    assert fresh.justification == "x" and fresh.offset_per_month_ore == 1
    assert Letter.objects.filter(kind=LetterKind.CLAIM).count() == 1


@pytest.mark.parametrize("offset", [0, -100])
def test_an_offset_of_zero_or_less_is_refused(odense_benefits_officer, awaiting, offset):
    with pytest.raises(ClaimRefused, match="større end 0 kr"):
        do_decide_claim(
            odense_benefits_officer, awaiting.pk, justification="x", legal_basis="y", offset_per_month_ore=offset
        )
    _unchanged(awaiting)


def test_an_offset_larger_than_the_claim_is_refused(odense_benefits_officer, awaiting):
    with pytest.raises(ClaimRefused, match="større end kravet"):
        do_decide_claim(
            odense_benefits_officer,
            awaiting.pk,
            justification="x",
            legal_basis="y",
            offset_per_month_ore=awaiting.amount_ore + 1,
        )
    _unchanged(awaiting)


@pytest.mark.parametrize(
    ("justification", "legal_basis", "message"),
    [(" ", "y", "begrundelse"), ("x", "  ", "lovgrundlaget")],
)
def test_a_decision_without_justification_or_legal_basis_is_refused(
    odense_benefits_officer, awaiting, justification, legal_basis, message
):
    with pytest.raises(ClaimRefused, match=message):
        do_decide_claim(
            odense_benefits_officer,
            awaiting.pk,
            justification=justification,
            legal_basis=legal_basis,
            offset_per_month_ore=100,
        )
    _unchanged(awaiting)


def test_a_waiver_without_a_reason_is_refused(odense_benefits_officer, awaiting):
    with pytest.raises(ClaimRefused, match="begrundelse for eftergivelsen"):
        do_waive_claim(odense_benefits_officer, awaiting.pk, reason=" ")
    _unchanged(awaiting)


def test_another_municipalitys_claim_is_not_found(awaiting, make_user, aarhus):
    from jobcenter.tenancy.roles import Role

    aarhus_officer = make_user(Role.BENEFITS_OFFICER, aarhus, username="aarhus-ydelse")
    with pytest.raises(Http404):
        do_decide_claim(aarhus_officer, awaiting.pk, justification="x", legal_basis="y", offset_per_month_ore=100)
    with pytest.raises(Http404):
        do_waive_claim(aarhus_officer, awaiting.pk, reason="x")
    _unchanged(awaiting)


def test_a_decision_before_partshoering_is_refused(odense_benefits_officer, odense_team_lead, odense_citizen):
    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen)
    with pytest.raises(ClaimRefused, match="kræver partshøring først"):
        do_decide_claim(odense_benefits_officer, claim.pk, justification="x", legal_basis="y", offset_per_month_ore=1)
    today = timezone.localdate()
    do_start_claim_consultation(
        odense_benefits_officer, claim.pk, subject="Påtænkt krav", sent_on=today, deadline=today
    )
    with pytest.raises(ClaimRefused, match="fristen for borgerens svar"):
        do_decide_claim(odense_benefits_officer, claim.pk, justification="x", legal_basis="y", offset_per_month_ore=1)
    _unchanged(claim)
    # Once the citizen has answered, the decision can be made.
    do_record_claim_consultation_reply(odense_benefits_officer, claim.pk, received_on=today, summary="Uenig.")
    decided = do_decide_claim(
        odense_benefits_officer, claim.pk, justification="x", legal_basis="y", offset_per_month_ore=1
    )
    assert decided.status == ClaimStatus.DECIDED


def test_the_database_refuses_collecting_an_undecided_claim(awaiting):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=awaiting.pk).update(offset_total_ore=1)


def test_the_database_refuses_collecting_more_than_the_claim(odense_benefits_officer, awaiting):
    do_decide_claim(odense_benefits_officer, awaiting.pk, justification="x", legal_basis="y", offset_per_month_ore=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=awaiting.pk).update(offset_total_ore=awaiting.amount_ore + 1)


def test_a_run_whose_offsets_no_longer_fit_is_not_approved(odense_benefits_officer, odense_team_lead, awaiting):
    do_decide_claim(
        odense_benefits_officer, awaiting.pk, justification="x", legal_basis="y", offset_per_month_ore=100_000
    )
    november = do_start_trial_run(odense_benefits_officer, NOVEMBER)
    # Meanwhile the claim's balance drops below what the trial offsets.
    Claim.objects.filter(pk=awaiting.pk).update(offset_total_ore=awaiting.amount_ore - 50_000)
    with pytest.raises(PaymentRunRefused, match="modregner mere"):
        do_approve_run(odense_team_lead, november.pk)
    november.refresh_from_db()
    assert november.status == "trial"


# --- Exactly once, with crashes ---------------------------------------------------------------


class Crash(Exception):
    """Stands for the worker being killed."""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("seed", [1, 2])
def test_a_release_interrupted_at_random_points_offsets_every_claim_at_most_once(
    seed, odense_benefits_officer, odense_team_lead, odense
):
    import random

    from tests.payments.helpers import citizens

    people = citizens(odense, 5)
    for person in people:
        grant(odense_benefits_officer, person, effective_from=JULY)
    for month in (JULY, AUGUST, SEPTEMBER):
        release(odense_benefits_officer, odense_team_lead, month)
    for person in people:
        do_record_decision(
            odense_benefits_officer,
            person.pk,
            kind="aendring",
            effective_from=JULY,
            effective_to=datetime.date(2025, 8, 31),
            facts=facts(other_income_ore=5_000_000),
            justification="Indtægter, der ikke var oplyst.",
        )
        do_record_decision(
            odense_benefits_officer,
            person.pk,
            kind="aendring",
            effective_from=SEPTEMBER,
            facts=facts(),
            justification="Uændret.",
        )
    release(odense_benefits_officer, odense_team_lead, OCTOBER)
    claims = list(Claim.objects.all())
    assert len(claims) == 5
    for claim in claims:
        consulted(odense_benefits_officer, claim)
        do_decide_claim(
            odense_benefits_officer, claim.pk, justification="x", legal_basis="y", offset_per_month_ore=400_000
        )
    run = do_start_trial_run(odense_benefits_officer, NOVEMBER)
    do_approve_run(odense_team_lead, run.pk)
    rng = random.Random(seed)
    crashes = 0
    for _attempt in range(12):
        where, at = rng.choice(["inside", "after"]), rng.randint(1, 3)

        def stop(chunk: int, place: str, where: str = where, at: int = at) -> None:
            if place == where and chunk == at:
                raise Crash

        try:
            do_release_run(
                odense_benefits_officer,
                run.pk,
                chunk_size=2,
                inside_chunk=lambda chunk: stop(chunk, "inside"),
                after_chunk=lambda chunk: stop(chunk, "after"),
            )
        except Crash:
            crashes += 1
            _every_claim_offset_at_most_once()
            continue
        break
    assert crashes >= 1
    do_release_run(odense_benefits_officer, run.pk, chunk_size=2)  # finishes, or finds it done
    _every_claim_offset_at_most_once()
    assert ClaimOffset.objects.count() == 5
    for claim in Claim.objects.all():
        assert claim.offset_total_ore == 400_000 and claim.status == ClaimStatus.DECIDED
    for payment in Payment.objects.filter(month=NOVEMBER):
        assert payment.amount_ore == payment.regular_ore - 400_000


def _every_claim_offset_at_most_once() -> None:
    assert unbalanced_transactions() == []
    for claim in Claim.objects.all():
        offsets = list(ClaimOffset.objects.filter(claim=claim))
        assert len(offsets) <= 1
        assert claim.offset_total_ore == sum(offset.amount_ore for offset in offsets)
        receivable = LedgerEntry.objects.filter(account=f"receivable:claim:{claim.citizen_id}")
        assert sum(entry.amount_ore for entry in receivable) == claim.amount_ore - claim.offset_total_ore


def test_the_database_refuses_rewriting_a_decision(odense_benefits_officer, awaiting):
    do_decide_claim(odense_benefits_officer, awaiting.pk, justification="x", legal_basis="y", offset_per_month_ore=1)
    claims = Claim.objects.filter(pk=awaiting.pk)
    for change in (
        {"justification": "Noget andet"},
        {"offset_per_month_ore": 2},
        {"status": ClaimStatus.AWAITING, "decided_by": None, "decided_at": None},
        {"status": ClaimStatus.WAIVED, "waiver_reason": "Alligevel"},
        {"amount_ore": awaiting.amount_ore + 1},
    ):
        with pytest.raises(Exception, match="decision is made once"), transaction.atomic():
            claims.update(**change)
    claims.update(offset_total_ore=1)  # collecting moves forward
    with pytest.raises(Exception, match="decision is made once"), transaction.atomic():
        claims.update(offset_total_ore=0)
    fresh = claims.get()
    assert fresh.justification == "x" and fresh.offset_per_month_ore == 1 and fresh.offset_total_ore == 1


def test_a_trial_with_offsets_waits_for_an_approved_run_with_offsets(
    odense_benefits_officer, odense_team_lead, awaiting
):
    do_decide_claim(odense_benefits_officer, awaiting.pk, justification="x", legal_basis="y", offset_per_month_ore=1)
    november = do_start_trial_run(odense_benefits_officer, NOVEMBER)
    do_approve_run(odense_team_lead, november.pk)
    # December's trial would offset from the same balance before November's offsets are booked.
    with pytest.raises(PaymentRunRefused, match="Kørslen for 2025-11 modregner i tilbagebetalingskrav"):
        do_start_trial_run(odense_benefits_officer, DECEMBER)
    assert not PaymentRun.objects.filter(month=DECEMBER).exists()
    do_release_run(odense_benefits_officer, november.pk)
    december = do_start_trial_run(odense_benefits_officer, DECEMBER)
    assert PaymentRunLine.objects.get(run=december).offset_ore == 1


def test_a_release_whose_offset_no_longer_fits_is_refused_and_pays_nothing(
    odense_benefits_officer, odense_team_lead, awaiting
):
    do_decide_claim(
        odense_benefits_officer, awaiting.pk, justification="x", legal_basis="y", offset_per_month_ore=100_000
    )
    november = do_start_trial_run(odense_benefits_officer, NOVEMBER)
    do_approve_run(odense_team_lead, november.pk)
    # Something outside the run collects most of the claim after the approval.
    Claim.objects.filter(pk=awaiting.pk).update(offset_total_ore=awaiting.amount_ore - 50_000)
    with pytest.raises(PaymentRunRefused, match="modregner mere, end borgerens tilbagebetalingskrav nu tillader"):
        do_release_run(odense_benefits_officer, november.pk)
    # Refused before anything was written: the run is still approved, not half-released.
    assert PaymentRun.objects.get(pk=november.pk).status == "approved"
    assert not Payment.objects.filter(month=NOVEMBER).exists() and not ClaimOffset.objects.exists()
    assert Claim.objects.get(pk=awaiting.pk).offset_total_ore == awaiting.amount_ore - 50_000
    assert unbalanced_transactions() == []


def test_a_chunk_whose_offset_no_longer_fits_refuses_with_its_reason(
    odense_benefits_officer, odense_team_lead, awaiting, monkeypatch
):
    """If the balance changes between the release's own check and a chunk (a race), the chunk's
    check under the claims' lock refuses, and nothing of that chunk is written."""
    do_decide_claim(
        odense_benefits_officer, awaiting.pk, justification="x", legal_basis="y", offset_per_month_ore=100_000
    )
    november = do_start_trial_run(odense_benefits_officer, NOVEMBER)
    do_approve_run(odense_team_lead, november.pk)
    Claim.objects.filter(pk=awaiting.pk).update(offset_total_ore=awaiting.amount_ore - 50_000)
    monkeypatch.setattr("jobcenter.payments.release.check_run_offsets", lambda run: None)  # the race
    with pytest.raises(PaymentRunRefused, match="Modregningen passer ikke længere"):
        do_release_run(odense_benefits_officer, november.pk)
    assert not Payment.objects.filter(month=NOVEMBER).exists() and not ClaimOffset.objects.exists()
    assert unbalanced_transactions() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel release runs on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_parallel_release_worker_that_refuses_sends_its_reason_to_the_person_releasing(
    odense_benefits_officer, odense_team_lead, awaiting, monkeypatch
):
    do_decide_claim(
        odense_benefits_officer, awaiting.pk, justification="x", legal_basis="y", offset_per_month_ore=100_000
    )
    november = do_start_trial_run(odense_benefits_officer, NOVEMBER)
    do_approve_run(odense_team_lead, november.pk)
    Claim.objects.filter(pk=awaiting.pk).update(offset_total_ore=awaiting.amount_ore - 50_000)
    monkeypatch.setattr("jobcenter.payments.release.check_run_offsets", lambda run: None)  # the race
    with pytest.raises(PaymentRunRefused, match="Modregningen passer ikke længere"):
        do_release_run(odense_benefits_officer, november.pk, workers=2)
    assert not ClaimOffset.objects.exists()
    assert unbalanced_transactions() == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_to_one_consultation_mechanism_keeps_every_claims_partshoering(
    odense_benefits_officer, odense_team_lead, odense_citizen
):
    """payments 0009/0010: a claim's own consultation columns become a benefits.Consultation. Run back to
    the columns (filled from the consultation) and forward again: the partshøring is the same."""
    from django.db.migrations.executor import MigrationExecutor

    claim = overpaid(odense_benefits_officer, odense_team_lead, odense_citizen)
    today = timezone.localdate()
    do_start_claim_consultation(
        odense_benefits_officer, claim.pk, subject="Påtænkt krav.", deadline=today + datetime.timedelta(days=14)
    )
    do_record_claim_consultation_reply(odense_benefits_officer, claim.pk, received_on=today, summary="Jeg er uenig.")
    before = Claim.objects.get(pk=claim.pk).consultation

    executor = MigrationExecutor(connection)
    executor.migrate([("payments", "0008_payment_references_checked_per_statement")])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT consultation_subject, consultation_sent_on, consultation_deadline, consultation_reply_on, "
            "consultation_reply FROM payments_claim WHERE id = %s",
            [claim.pk.hex if connection.vendor == "sqlite" else claim.pk],
        )
        subject, sent_on, deadline, reply_on, reply = cursor.fetchone()
    assert (subject, str(sent_on), str(deadline), str(reply_on), reply) == (
        "Påtænkt krav.",
        str(today),
        str(today + datetime.timedelta(days=14)),
        str(today),
        "Jeg er uenig.",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    after = Claim.objects.select_related("consultation").get(pk=claim.pk).consultation
    assert after is not None and after.pk != before.pk  # made again from the columns
    assert (after.intended_kind, after.subject, after.sent_on, after.deadline) == (
        "tilbagebetaling",
        "Påtænkt krav.",
        today,
        today + datetime.timedelta(days=14),
    )
    assert (after.reply_received_on, after.reply_summary, after.grant_id) == (today, "Jeg er uenig.", claim.grant_id)
    # The database's wall stands again after the table was rebuilt: a decision is made once.
    do_waive_claim(odense_benefits_officer, claim.pk, reason="Eftergivet.")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE payments_claim SET waiver_reason = 'x'")
