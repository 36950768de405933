"""/api/v1/payments: grants and decisions, runs (trial, approve, release, progress), the ledger statement."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from jobcenter.benefits.actions import DecisionRefused, do_record_decision
from jobcenter.benefits.models import Decision, DecisionKind, Grant
from jobcenter.benefits.periods import parse_month
from jobcenter.benefits.queries import access_grant, grant_decisions
from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.claims import (
    ClaimRefused,
    claim_corrections,
    do_decide_claim,
    do_record_claim_consultation_reply,
    do_start_claim_consultation,
    do_waive_claim,
)
from jobcenter.payments.models import Claim, ClaimStatus, PaymentRun
from jobcenter.payments.queries import (
    access_claim,
    access_run,
    citizen_statement,
    claim_offsets,
    claims_of_municipality,
    run_lines,
)
from jobcenter.payments.refusals import PaymentRunRefused
from jobcenter.payments.release import do_queue_release
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission

router = Router(tags=["Bevillinger og udbetalinger"])


def _refused(refused: DecisionRefused | PaymentRunRefused) -> ValidationError:
    return ValidationError([refused.message, *refused.problems])


class DecisionOut(Schema):
    id: uuid.UUID
    version: int
    kind: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    facts: dict[str, Any] | None
    justification: str
    decided_by: str
    created_at: datetime.datetime

    @staticmethod
    def of(decision: Decision) -> DecisionOut:
        return DecisionOut(
            id=decision.pk,
            version=decision.version,
            kind=decision.kind,
            effective_from=decision.effective_from,
            effective_to=decision.effective_to,
            facts=decision.facts,
            justification=decision.justification,
            decided_by=decision.decided_by.username,
            created_at=decision.created_at,
        )


class GrantOut(Schema):
    id: uuid.UUID
    citizen_id: uuid.UUID
    effective_from: datetime.date
    effective_to: datetime.date | None
    has_nemkonto: bool
    decisions: list[DecisionOut]

    @staticmethod
    def of(grant: Grant) -> GrantOut:
        return GrantOut(
            id=grant.pk,
            citizen_id=grant.citizen_id,
            effective_from=grant.effective_from,
            effective_to=grant.effective_to,
            has_nemkonto=grant.has_nemkonto,
            decisions=[DecisionOut.of(d) for d in grant_decisions(grant)],
        )


class DecisionIn(Schema):
    citizen_id: uuid.UUID
    kind: str = Field(description="bevilling, aendring, nedsaettelse eller standsning")
    effective_from: datetime.date
    effective_to: datetime.date | None = None
    facts: dict[str, Any] | None = Field(default=None, description="Husstanden som HouseholdInput; ikke ved standsning")
    justification: str
    consultation_id: uuid.UUID | None = None
    has_nemkonto: bool | None = None
    legal_basis: str = Field(default="", description="Lovgrundlaget (paragraffer); skal udfyldes ved standsning")

    @field_validator("kind")
    @classmethod
    def _kind_is_known(cls, kind: str) -> str:
        # An unknown kind ("note", "") is the sender's error: 422 in Danish, never a 500 from the enum.
        if kind not in DecisionKind.values:
            raise PydanticCustomError(
                "decision_kind",
                _("Ukendt type afgørelse. Brug bevilling, aendring, nedsaettelse eller standsning."),
            )
        return kind


@router.get("/grants/{grant_id}", url_name="payments-grant", response=GrantOut, summary="En bevilling med afgørelser")
def get_grant(request: HttpRequest, grant_id: uuid.UUID) -> GrantOut:
    return GrantOut.of(access_grant(request.auth, grant_id))  # type: ignore[attr-defined]


@router.post("/decisions", url_name="payments-decisions", response={201: DecisionOut}, summary="Registrér en afgørelse")
def record_decision(request: HttpRequest, payload: DecisionIn) -> Status:
    try:
        decision = do_record_decision(request.auth, payload.citizen_id, **payload.model_dump(exclude={"citizen_id"}))  # type: ignore[attr-defined]
    except DecisionRefused as refused:
        raise _refused(refused) from None
    return Status(201, DecisionOut.of(decision))


class RunOut(Schema):
    id: uuid.UUID
    municipality_code: str
    month: str
    status: str
    payment_date: datetime.date
    grant_count: int
    payment_count: int
    total_ore: int
    regular_total_ore: int
    correction_total_ore: int
    claim_total_ore: int
    offset_total_ore: int
    outlier_count: int
    progress_phase: str
    progress_done: int
    progress_total: int
    started_by: str
    approved_by: str | None
    file_name: str

    @staticmethod
    def of(run: PaymentRun) -> RunOut:
        return RunOut(
            id=run.pk,
            municipality_code=run.municipality.code,
            month=f"{run.month:%Y-%m}",
            status=run.status,
            payment_date=run.payment_date,
            grant_count=run.grant_count,
            payment_count=run.payment_count,
            total_ore=run.total_ore,
            regular_total_ore=run.regular_total_ore,
            correction_total_ore=run.correction_total_ore,
            claim_total_ore=run.claim_total_ore,
            offset_total_ore=run.offset_total_ore,
            outlier_count=run.outlier_count,
            progress_phase=run.progress_phase,
            progress_done=run.progress_done,
            progress_total=run.progress_total,
            started_by=run.started_by.username,
            approved_by=run.approved_by.username if run.approved_by else None,
            file_name=run.file_name,
        )


class RunDetailOut(RunOut):
    outliers: list[dict[str, Any]]


class RunIn(Schema):
    # Checked by parse_month after the permission, so that every refusal is in Danish.
    month: str = Field(description="ÅÅÅÅ-MM, fx 2026-03")


@router.post("/runs", url_name="payments-runs", response={201: RunOut}, summary="Start en prøvekørsel for en måned")
def start_run(request: HttpRequest, payload: RunIn) -> Status:
    # The role first: a user who may not start a run is told so, whatever the month says.
    require_permission(request.auth, Permission.PAYMENTS_RUN)  # type: ignore[attr-defined]
    try:
        month = parse_month(payload.month)
    except ValueError as error:
        raise ValidationError({"month": str(error)}) from None
    try:
        run = do_start_trial_run(request.auth, month)  # type: ignore[attr-defined]
    except PaymentRunRefused as refused:
        raise _refused(refused) from None
    return Status(201, RunOut.of(run))


@router.get("/runs/{run_id}", url_name="payments-run", response=RunDetailOut, summary="En kørsel med afvigelser")
def get_run(request: HttpRequest, run_id: uuid.UUID) -> RunDetailOut:
    run = access_run(request.auth, run_id)  # type: ignore[attr-defined]
    outliers = [
        {
            "citizen_id": str(line.citizen_id),
            "amount_ore": line.amount_ore,
            "previous_ore": line.previous_ore,
            "claim_ore": line.claim_ore,
            "offset_ore": line.offset_ore,
            "corrections": line.corrections,
            "outlier": line.outlier,
        }
        for line in run_lines(run, outliers_only=True)
    ]
    return RunDetailOut(**RunOut.of(run).model_dump(), outliers=outliers)


def _act(request: HttpRequest, run_id: uuid.UUID, action: Any, permission: Permission) -> RunOut:
    require_permission(request.auth, permission)  # type: ignore[attr-defined]
    run = access_run(request.auth, run_id)  # type: ignore[attr-defined]
    try:
        return RunOut.of(action(request.auth, run.pk))  # type: ignore[attr-defined]
    except PaymentRunRefused as refused:
        raise _refused(refused) from None


@router.post(
    "/runs/{run_id}/approve", url_name="payments-run-approve", response=RunOut, summary="Godkend (en anden person)"
)
def approve_run(request: HttpRequest, run_id: uuid.UUID) -> RunOut:
    return _act(request, run_id, do_approve_run, Permission.PAYMENTS_APPROVE)


@router.post(
    "/runs/{run_id}/release",
    url_name="payments-run-release",
    response={202: RunOut},
    summary="Sæt udbetalingen af en godkendt kørsel i gang på workeren; følg den med GET /runs/{run_id}",
)
def release_run(request: HttpRequest, run_id: uuid.UUID) -> Status:
    # Queued, as from the run's page: a national run takes minutes, longer than a request may.
    # The permission and the four-eyes rule are checked now, so a refusal is answered at once.
    return Status(202, _act(request, run_id, do_queue_release, Permission.PAYMENTS_RUN))


class StatementLineOut(Schema):
    booked_on: datetime.date
    description: str
    account: str
    amount_ore: int
    balance_ore: int
    kind: str


@router.get(
    "/citizens/{citizen_id}/statement",
    url_name="payments-statement",
    response=list[StatementLineOut],
    summary="Kontoudtog for en borger",
)
def statement(request: HttpRequest, citizen_id: uuid.UUID) -> list[StatementLineOut]:
    _citizen, lines = citizen_statement(request.auth, citizen_id)  # type: ignore[attr-defined]
    return [StatementLineOut(**line.__dict__) for line in lines]


# --- Claims (tilbagebetalingskrav) -------------------------------------------------------------


class ClaimCorrectionOut(Schema):
    month: str
    should_ore: int
    paid_ore: int
    difference_ore: int
    reason: str


class ClaimOffsetOut(Schema):
    payment_month: str
    amount_ore: int


class ClaimOut(Schema):
    id: uuid.UUID
    citizen_id: uuid.UUID
    grant_id: uuid.UUID
    run_id: uuid.UUID
    run_month: str
    origin_payment_id: uuid.UUID
    status: str
    amount_ore: int
    offset_total_ore: int
    balance_ore: int
    created_at: datetime.datetime
    consultation_sent_on: datetime.date | None
    consultation_deadline: datetime.date | None
    consultation_reply_on: datetime.date | None
    decided_by: str | None
    decided_at: datetime.datetime | None
    justification: str
    legal_basis: str
    offset_per_month_ore: int | None
    waiver_reason: str
    letter_id: uuid.UUID | None

    @staticmethod
    def of(claim: Claim) -> ClaimOut:
        return ClaimOut(
            id=claim.pk,
            citizen_id=claim.citizen_id,
            grant_id=claim.grant_id,
            run_id=claim.run_id,
            run_month=f"{claim.run.month:%Y-%m}",
            origin_payment_id=claim.origin_payment_id,
            status=claim.status,
            amount_ore=claim.amount_ore,
            offset_total_ore=claim.offset_total_ore,
            balance_ore=claim.balance_ore,
            created_at=claim.created_at,
            consultation_sent_on=claim.consultation_sent_on,
            consultation_deadline=claim.consultation_deadline,
            consultation_reply_on=claim.consultation_reply_on,
            decided_by=claim.decided_by.username if claim.decided_by else None,
            decided_at=claim.decided_at,
            justification=claim.justification,
            legal_basis=claim.legal_basis,
            offset_per_month_ore=claim.offset_per_month_ore,
            waiver_reason=claim.waiver_reason,
            letter_id=claim.letter_id,
        )


class ClaimDetailOut(ClaimOut):
    corrections: list[ClaimCorrectionOut]
    offsets: list[ClaimOffsetOut]


def _claim_detail(claim: Claim) -> ClaimDetailOut:
    return ClaimDetailOut(
        **ClaimOut.of(claim).model_dump(),
        corrections=[
            ClaimCorrectionOut(
                month=f"{c.for_month:%Y-%m}",
                should_ore=c.should_ore,
                paid_ore=c.paid_ore,
                difference_ore=c.difference_ore,
                reason=c.reason,
            )
            for c in claim_corrections(claim)
        ],
        offsets=[
            ClaimOffsetOut(payment_month=f"{o.payment.month:%Y-%m}", amount_ore=o.amount_ore)
            for o in claim_offsets(claim)
        ],
    )


@router.get("/claims", url_name="payments-claims", response=list[ClaimOut], summary="Kommunens tilbagebetalingskrav")
def list_claims(request: HttpRequest, status: str = "") -> list[ClaimOut]:
    if status and status not in ClaimStatus.values:
        raise ValidationError(_("Ukendt status. Brug en af: %(values)s.") % {"values": ", ".join(ClaimStatus.values)})
    return [ClaimOut.of(claim) for claim in claims_of_municipality(request.auth, status)]  # type: ignore[attr-defined]


@router.get("/claims/{claim_id}", url_name="payments-claim", response=ClaimDetailOut, summary="Et krav")
def get_claim(request: HttpRequest, claim_id: uuid.UUID) -> ClaimDetailOut:
    return _claim_detail(access_claim(request.auth, claim_id))  # type: ignore[attr-defined]


class ClaimConsultationIn(Schema):
    subject: str
    deadline: datetime.date
    sent_on: datetime.date | None = Field(default=None, description="Tom: i dag (brevet sendes nu)")


class ClaimReplyIn(Schema):
    received_on: datetime.date
    summary: str


class ClaimDecisionIn(Schema):
    justification: str
    legal_basis: str
    offset_per_month_ore: int = Field(description="Modregning pr. måned i øre; større end 0 og højst kravet")


class ClaimWaiveIn(Schema):
    reason: str


def _claim_act(request: HttpRequest, claim_id: uuid.UUID, action: Any, **data: Any) -> ClaimDetailOut:
    require_permission(request.auth, Permission.GRANTS_DECIDE)  # type: ignore[attr-defined]
    claim = access_claim(request.auth, claim_id)  # type: ignore[attr-defined]
    try:
        action(request.auth, claim.pk, **data)  # type: ignore[attr-defined]
    except ClaimRefused as refused:
        raise ValidationError(refused.message) from None
    return _claim_detail(access_claim(request.auth, claim_id, audit=False))  # type: ignore[attr-defined]


@router.post(
    "/claims/{claim_id}/consultation",
    url_name="payments-claim-consultation",
    response=ClaimDetailOut,
    summary="Registrér partshøring om kravet",
)
def claim_consultation(request: HttpRequest, claim_id: uuid.UUID, payload: ClaimConsultationIn) -> ClaimDetailOut:
    return _claim_act(request, claim_id, do_start_claim_consultation, **payload.model_dump())


@router.post(
    "/claims/{claim_id}/consultation/reply",
    url_name="payments-claim-reply",
    response=ClaimDetailOut,
    summary="Registrér borgerens svar på partshøringen",
)
def claim_reply(request: HttpRequest, claim_id: uuid.UUID, payload: ClaimReplyIn) -> ClaimDetailOut:
    return _claim_act(request, claim_id, do_record_claim_consultation_reply, **payload.model_dump())


@router.post(
    "/claims/{claim_id}/decide",
    url_name="payments-claim-decide",
    response=ClaimDetailOut,
    summary="Afgør kravet: borgeren skal betale tilbage (modregning pr. måned)",
)
def claim_decide(request: HttpRequest, claim_id: uuid.UUID, payload: ClaimDecisionIn) -> ClaimDetailOut:
    return _claim_act(request, claim_id, do_decide_claim, **payload.model_dump())


@router.post(
    "/claims/{claim_id}/waive",
    url_name="payments-claim-waive",
    response=ClaimDetailOut,
    summary="Eftergiv kravet",
)
def claim_waive(request: HttpRequest, claim_id: uuid.UUID, payload: ClaimWaiveIn) -> ClaimDetailOut:
    return _claim_act(request, claim_id, do_waive_claim, **payload.model_dump())
