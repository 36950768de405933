"""Every write on the benefits side. Each runs in one transaction with its audit record."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter import bounds
from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.benefits.calculation import CalculationRefused, validated_facts
from jobcenter.benefits.decision_letters import LetterText, consultation_title, decision_details, letter_parts
from jobcenter.benefits.entitlement import paid_ledger
from jobcenter.benefits.models import (
    KINDS_ALLOWING_CONSULTATION_EXEMPTION,
    KINDS_REQUIRING_CONSULTATION,
    KINDS_WITHOUT_FACTS,
    Consultation,
    ConsultationKind,
    Decision,
    DecisionKind,
    Grant,
    IncomeReport,
    RateTableFormat,
    RateTableImport,
    RateTableStatus,
    RecalculationMark,
)
from jobcenter.benefits.periods import month_end, month_start, next_month
from jobcenter.benefits.rate_tables import RateTableRefused, check_against_approved, read_rate_table
from jobcenter.citizens.models import Citizen
from jobcenter.events.actions import publish
from jobcenter.events.types import GrantDecided
from jobcenter.integrations import eindkomst
from jobcenter.letters.actions import (
    DecisionDetails,
    LetterRefused,
    do_issue_consultation_letter,
    do_issue_decision_letter,
)
from jobcenter.letters.models import Letter
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.roles import Permission

if TYPE_CHECKING:
    from jobcenter.tenancy.models import Municipality, User

DECISION_LETTER_SUBJECT = "benefits.decision"
CONSULTATION_LETTER_SUBJECT = "benefits.consultation"
MAX_RATE_TABLE_BYTES = 1_000_000  # a year's satsregulering is a few kilobytes


def do_import_rate_table(user: User, *, file_name: str, content: bytes, title: str = "") -> RateTableImport:
    """Store an uploaded rate table as pending. It has no effect until another person approves it.

    Refused (RateTableRefused, nothing written) if the file is too large, not
    UTF-8, not a valid table, or does not fit the parameters and the tables
    already approved.
    """
    require_permission(user, Permission.RATES_MANAGE)
    if len(content) > MAX_RATE_TABLE_BYTES:
        raise RateTableRefused(_("Filen er for stor. En satstabel må højst fylde 1 MB."))
    file_format = RateTableFormat.CSV if file_name.lower().endswith(".csv") else RateTableFormat.YAML
    if not file_name.lower().endswith((".csv", ".yaml", ".yml")):
        raise RateTableRefused(_("Filen skal være en YAML-fil (.yaml, .yml) eller en CSV-fil (.csv)."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RateTableRefused(_("Filen skal være gemt som UTF-8.")) from None
    table = read_rate_table(text, file_format, title=title.strip() or None)
    with transaction.atomic():
        check_against_approved(table)
        imported = RateTableImport.objects.create(
            title=table.title[:200],
            file_name=file_name[:255],
            file_format=file_format,
            source_text=text,
            table_json=table.model_dump(mode="json"),
            entry_count=len(table.entries),
            imported_by=user,
        )
        record(
            user,
            AuditAction.CREATE,
            obj=imported,
            municipality=None,
            detail={"title": imported.title, "entries": imported.entry_count, "file": imported.file_name},
        )
    return imported


def _decide(user: User, import_id: uuid.UUID | str, status: RateTableStatus, note: str) -> RateTableImport:
    require_permission(user, Permission.RATES_MANAGE)
    with transaction.atomic():
        try:
            imported = RateTableImport.objects.select_for_update().get(pk=import_id)
        except (RateTableImport.DoesNotExist, ValidationError, ValueError):
            raise RateTableImport.DoesNotExist from None
        if imported.status != RateTableStatus.PENDING:
            raise RateTableRefused(
                _("Satstabellen er allerede behandlet (%(status)s).") % {"status": imported.get_status_display()}
            )
        if imported.imported_by_id == user.pk:
            # The four-eyes rule: a rate table takes effect only when a second person agrees.
            raise RateTableRefused(_("Du kan ikke selv godkende eller afvise en satstabel, du har importeret."))
        if status == RateTableStatus.APPROVED:
            check_against_approved(imported.table)
        imported.status = status
        imported.decided_by = user
        imported.decided_at = timezone.now()
        imported.decision_note = note.strip()
        imported.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        record(
            user,
            AuditAction.UPDATE,
            obj=imported,
            municipality=None,
            detail={"decision": str(status), "title": imported.title, "note": imported.decision_note},
        )
    return imported


def do_approve_rate_table(user: User, import_id: uuid.UUID | str, note: str = "") -> RateTableImport:
    """Let a pending table take effect: from now on every calculation uses it."""
    return _decide(user, import_id, RateTableStatus.APPROVED, note)


def do_reject_rate_table(user: User, import_id: uuid.UUID | str, note: str) -> RateTableImport:
    """Refuse a pending table; a reason is required so the importer knows what to fix."""
    if not note.strip():
        raise RateTableRefused(_("Skriv en begrundelse for afvisningen."))
    return _decide(user, import_id, RateTableStatus.REJECTED, note)


# --- Grants, decisions and consultations -------------------------------------------


class DecisionRefused(Exception):
    """The decision (or consultation) was not recorded; nothing was written."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def _citizen_of_municipality(user: User, citizen_id: uuid.UUID | str) -> Citizen:
    try:
        return Citizen.objects.get(pk=citizen_id, municipality=working_municipality(user))
    except (Citizen.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def _grant_for_update(user: User, grant_id: uuid.UUID | str) -> Grant:
    try:
        return Grant.objects.select_for_update().get(pk=grant_id, municipality=working_municipality(user))
    except (Grant.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def mark_paid_months_for_recalculation(
    grant: Grant, from_month: datetime.date, reason: str, to_month: datetime.date | None = None
) -> int:
    """Every month from `from_month` (up to `to_month`, when given) that has already been paid,
    or whose run is approved and so will pay the figures computed before this decision, gets
    recalculated in the next run."""
    last = month_start(to_month) if to_month is not None else None
    paid_months = paid_ledger().paid_months(grant.pk, month_start(from_month), last)
    RecalculationMark.objects.bulk_create(
        [RecalculationMark(grant=grant, month=month, reason=reason[:200]) for month in paid_months]
    )
    return len(paid_months)


def do_record_decision(
    user: User,
    citizen_id: uuid.UUID | str,
    *,
    kind: DecisionKind | str,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    facts: Any = None,
    justification: str,
    consultation_id: uuid.UUID | str | None = None,
    consultation_exemption: str = "",
    has_nemkonto: bool | None = None,
    legal_basis: str = "",
    letter_text: LetterText | None = None,
) -> Decision:
    """Record a decision version for the citizen's grant (creating the grant with the first bevilling),
    and issue its decision letter in the same transaction (benefits/decision_letters.py).

    A reduction or a stop needs a consultation (partshøring) whose deadline has
    passed or whose reply is recorded, or the officer's reason why
    forvaltningslovens § 19, stk. 2, nr. 1 applies (`consultation_exemption`).
    A decision that reaches back into months already paid marks them for
    recalculation: the next run pays the difference. A sanction is recorded
    with `do_record_sanction`, which checks its own conditions first.
    `legal_basis` is the officer's statement of the rules applied, printed with
    the § of every line of the breakdown; a stop, which has no breakdown, needs it.
    """
    require_permission(user, Permission.GRANTS_DECIDE)
    if DecisionKind(kind) == DecisionKind.SANCTION:
        raise DecisionRefused(
            _("En sanktion træffes fra opgaven i indbakken, hvor vejledning og frister kontrolleres (LAS §§ 35 og 37).")
        )
    return _record_decision(
        user,
        citizen_id,
        kind=DecisionKind(kind),
        effective_from=effective_from,
        effective_to=effective_to,
        facts=facts,
        justification=justification,
        consultation_id=consultation_id,
        consultation_exemption=consultation_exemption,
        has_nemkonto=has_nemkonto,
        legal_basis=legal_basis,
        letter_text=letter_text,
    )


def _refuse_implausible_date(day: datetime.date | None, label: str, **limits: datetime.date) -> None:
    message = bounds.implausible_date(day, label, **limits) if day is not None else None
    if message:
        raise DecisionRefused(message)


def check_decision_input(
    *,
    kind: DecisionKind,
    effective_from: datetime.date,
    effective_to: datetime.date | None,
    facts: Any,
    justification: str,
    consultation_exemption: str,
    legal_basis: str = "",
    letter_text: LetterText | None = None,
) -> dict[str, Any] | None:
    """The checks a decision passes before anything is read or written; the facts as stored.
    Shared by recording a decision and by its preview on the decision form."""
    exemption = consultation_exemption.strip()
    if exemption and kind not in KINDS_ALLOWING_CONSULTATION_EXEMPTION:
        raise DecisionRefused(
            _("Undtagelsen fra partshøring (forvaltningslovens § 19, stk. 2, nr. 1) kan ikke bruges ved en %(kind)s.")
            % {"kind": kind.label.lower()}
        )
    if not justification.strip():
        raise DecisionRefused(_("Skriv en begrundelse for afgørelsen."))
    if effective_to is not None and effective_to < effective_from:
        raise DecisionRefused(_("Slutdatoen ligger før startdatoen."))
    _refuse_implausible_date(effective_from, _("Startdatoen"))
    _refuse_implausible_date(effective_to, _("Slutdatoen"))
    if kind in KINDS_WITHOUT_FACTS:
        if kind == DecisionKind.STOP and effective_to is not None:
            raise DecisionRefused(_("En standsning har ingen slutdato: hjælpen standses fra startdatoen."))
        if kind == DecisionKind.SANCTION and effective_to is None:
            raise DecisionRefused(_("En sanktion gælder for bestemte dage og skal have en slutdato."))
        if kind == DecisionKind.STOP and not legal_basis.strip() and letter_text is None:
            raise DecisionRefused(_("Skriv lovgrundlaget for standsningen (de paragraffer, afgørelsen bygger på)."))
        return None
    if facts is None:
        raise DecisionRefused(_("Udfyld husstandens oplysninger: afgørelsen bygger på dem."))
    try:
        return validated_facts(facts)
    except CalculationRefused as refused:
        raise DecisionRefused(
            refused.message, [f"{problem.field}: {problem.message}" for problem in refused.problems]
        ) from None


def check_decision_against_grant(
    grant: Grant | None,
    *,
    kind: DecisionKind,
    effective_from: datetime.date,
    consultation_id: uuid.UUID | str | None,
    consultation_exemption: str,
) -> Consultation | None:
    """The checks against the grant as it stands: the first decision is a bevilling, no decision
    reaches back before the grant began, and partshøring comes first where the law asks for it."""
    if grant is None:
        if kind != DecisionKind.GRANT:
            raise DecisionRefused(_("Borgeren har ingen bevilling. Den første afgørelse skal være en bevilling."))
        return None
    if effective_from < grant.effective_from:
        raise DecisionRefused(
            _("Afgørelsen kan ikke gælde fra før bevillingen begyndte (%(day)s).")
            % {"day": grant.effective_from.strftime("%d-%m-%Y")}
        )
    if kind in KINDS_REQUIRING_CONSULTATION and not consultation_exemption.strip():
        return _consultation_allowing(grant, kind, consultation_id)
    return None


def _record_decision(
    user: User,
    citizen_id: uuid.UUID | str,
    *,
    kind: DecisionKind,
    effective_from: datetime.date,
    effective_to: datetime.date | None,
    facts: Any,
    justification: str,
    consultation_id: uuid.UUID | str | None,
    consultation_exemption: str,
    has_nemkonto: bool | None,
    legal_basis: str = "",
    letter_text: LetterText | None = None,
) -> Decision:
    exemption = consultation_exemption.strip()
    stored_facts = check_decision_input(
        kind=kind,
        effective_from=effective_from,
        effective_to=effective_to,
        facts=facts,
        justification=justification,
        consultation_exemption=exemption,
        legal_basis=legal_basis,
        letter_text=letter_text,
    )
    with transaction.atomic():
        citizen = _citizen_of_municipality(user, citizen_id)
        grant = Grant.objects.select_for_update().filter(citizen=citizen).first()
        consultation = check_decision_against_grant(
            grant,
            kind=kind,
            effective_from=effective_from,
            consultation_id=consultation_id,
            consultation_exemption=exemption,
        )
        if grant is None:
            grant = Grant.objects.create(
                municipality=citizen.municipality,
                citizen=citizen,
                effective_from=effective_from,
                effective_to=effective_to,
                has_nemkonto=bool(has_nemkonto),
            )
        # What the letter prints about amounts is computed before the version exists: "before" is the grant as it stands.
        details = decision_details(
            grant,
            kind=kind,
            effective_from=effective_from,
            effective_to=effective_to,
            facts=stored_facts,
            consultation=consultation,
            exemption=exemption if kind in KINDS_REQUIRING_CONSULTATION else "",
        )
        # The chain of versions runs through every decision, sanctions included; the grant's
        # latest decision (its period and facts) is the latest that is not a sanction.
        previous = grant.decisions.order_by("-version").first()
        decision = Decision.objects.create(
            grant=grant,
            version=(previous.version + 1) if previous else 1,
            previous=previous,
            kind=kind,
            effective_from=effective_from,
            effective_to=effective_to,
            facts=stored_facts,
            justification=justification.strip(),
            consultation=consultation,
            consultation_exemption=exemption if kind in KINDS_REQUIRING_CONSULTATION else "",
            decided_by=user,
        )
        # A sanction is temporary: the grant's own period and latest decision stay as they are.
        if kind != DecisionKind.SANCTION:
            grant.latest_decision = decision
            grant.effective_from = min(grant.effective_from, effective_from)
            if kind == DecisionKind.STOP:
                grant.effective_to = effective_from - datetime.timedelta(days=1)
            else:
                grant.effective_to = effective_to
        if has_nemkonto is not None:
            grant.has_nemkonto = has_nemkonto
        grant.save(update_fields=["latest_decision", "effective_from", "effective_to", "has_nemkonto"])
        marked = 0
        if previous is not None:
            marked = mark_paid_months_for_recalculation(
                grant,
                effective_from,
                f"Afgørelse ({decision.get_kind_display()}) v{decision.version} med virkning fra {effective_from}",
                to_month=effective_to if kind == DecisionKind.SANCTION else None,
            )
        letter = _issue_decision_letter(user, citizen, decision, details, legal_basis, letter_text)
        record(
            user,
            AuditAction.CREATE,
            obj=decision,
            detail={
                "grant": str(grant.pk),
                "citizen": str(citizen.pk),
                "kind": str(kind),
                "version": decision.version,
                "effective_from": str(effective_from),
                "effective_to": str(effective_to) if effective_to else None,
                "months_to_recalculate": marked,
                "consultation_exemption": bool(decision.consultation_exemption),
                "letter": str(letter.pk),
            },
        )
        publish(
            GrantDecided(
                municipality_id=citizen.municipality_id,
                citizen_id=citizen.pk,
                occurred_at=decision.created_at,
                grant_id=grant.pk,
                decision_id=decision.pk,
                version=decision.version,
                kind=str(kind),
                effective_from=effective_from,
                effective_to=effective_to,
            )
        )
    return decision


def _issue_decision_letter(
    user: User,
    citizen: Citizen,
    decision: Decision,
    details: DecisionDetails,
    legal_basis: str,
    letter_text: LetterText | None,
) -> Letter:
    """Every decision's letter, inside the decision's transaction: if it cannot be issued, no decision exists."""
    kind = DecisionKind(decision.kind)
    title, text, basis = letter_parts(
        kind,
        effective_from=decision.effective_from,
        effective_to=decision.effective_to,
        details=details,
        stated_legal_basis=legal_basis,
        text=letter_text,
    )
    try:
        return do_issue_decision_letter(
            user,
            citizen=citizen,
            title=title,
            decision_text=text,
            justification=decision.justification,
            legal_basis=basis,
            effective_from=decision.effective_from,
            effective_to=decision.effective_to,
            details=details,
            subject_type=DECISION_LETTER_SUBJECT,
            subject_id=str(decision.pk),
        )
    except LetterRefused as refused:
        raise DecisionRefused(refused.message) from None


def decision_letter_of(decision: Decision) -> Letter | None:
    """The letter the decision issued."""
    return Letter.objects.filter(subject_type=DECISION_LETTER_SUBJECT, subject_id=str(decision.pk)).first()


def sanction_deadline(missed_on: datetime.date) -> datetime.date:
    """The last day a deduction for a missed interview may be made: within 3 whole calendar months
    after the month of the missed interview (LAS § 35, as DOMAIN.md states it; flagged for legal review)."""
    month = month_start(missed_on)
    for _whole_month in range(3):
        month = next_month(month)
    return month_end(month)


def sanction_days(
    missed_on: datetime.date, contact_on: datetime.date | None, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The days deducted for a missed interview (LAS § 37): from the missed day until the citizen
    contacts the jobcentre, the contact day not included; the missed day itself always. Without
    contact yet, the days up to and including today (a later contact needs a new decision)."""
    if contact_on is None:
        return missed_on, max(missed_on, today)
    return missed_on, max(missed_on, contact_on - datetime.timedelta(days=1))


def do_record_sanction(
    user: User,
    citizen_id: uuid.UUID | str,
    *,
    missed_on: datetime.date,
    contact_on: datetime.date | None,
    justification: str,
    guidance_given: bool,
    consultation_id: uuid.UUID | str | None,
    consultation_exemption: str = "",
    letter_text: LetterText | None = None,
) -> Decision:
    """A deduction of the help for the days of a missed interview (LAS § 37), as a decision version
    of kind `sanktion` that removes the help on its days only (benefits/periods.py).

    Refused without the written guidance about the consequence (a precondition in § 37), later than
    § 35's 3 whole calendar months, and before the partshøring's deadline or reply.
    """
    require_permission(user, Permission.GRANTS_DECIDE)
    today = timezone.localdate()
    if not guidance_given:
        raise DecisionRefused(
            _(
                "Sanktionen kan ikke træffes: borgeren skal skriftligt være vejledt om konsekvensen af at udeblive "
                "(LAS § 37). Bekræft, at vejledningen er givet (den står i indkaldelsen)."
            )
        )
    if contact_on is not None and contact_on < missed_on:
        raise DecisionRefused(_("Borgerens henvendelse kan ikke ligge før den udeblevne samtale."))
    if contact_on is not None and contact_on > today:
        raise DecisionRefused(_("Datoen for borgerens henvendelse ligger i fremtiden."))
    deadline = sanction_deadline(missed_on)
    if today > deadline:
        raise DecisionRefused(
            _(
                "Fradraget kan ikke foretages længere: det skulle være sket inden for 3 hele kalendermåneder "
                "efter udeblivelsen, senest %(deadline)s (LAS § 35)."
            )
            % {"deadline": deadline.strftime("%d-%m-%Y")}
        )
    first, last = sanction_days(missed_on, contact_on, today)
    return _record_decision(
        user,
        citizen_id,
        kind=DecisionKind.SANCTION,
        effective_from=first,
        effective_to=last,
        facts=None,
        justification=justification,
        consultation_id=consultation_id,
        # Refused for a sanction (_record_decision): a missed interview is not the citizen's own information.
        consultation_exemption=consultation_exemption,
        has_nemkonto=None,
        letter_text=letter_text,
    )


def _consultation_allowing(grant: Grant, kind: DecisionKind, consultation_id: uuid.UUID | str | None) -> Consultation:
    if consultation_id is None:
        raise DecisionRefused(
            _(
                "En %(kind)s kræver partshøring først (forvaltningslovens § 19). "
                "Registrér partshøringen, og vent på svar eller på at fristen udløber."
            )
            % {"kind": kind.label.lower()}
        )
    try:
        consultation = grant.consultations.get(pk=consultation_id)
    except (Consultation.DoesNotExist, ValueError, ValidationError):
        raise DecisionRefused(_("Partshøringen hører ikke til denne bevilling.")) from None
    if consultation.intended_kind != kind:
        raise DecisionRefused(_("Partshøringen gjaldt en anden afgørelse end denne."))
    check_consultation_allows_decision(consultation)
    return consultation


def check_consultation_allows_decision(consultation: Consultation) -> None:
    """A decision after partshøring waits for the citizen's reply or the deadline (forvaltningslovens
    § 19): the one rule for decisions on the grant and for claims."""
    today = timezone.localdate()
    if consultation.reply_received_on is None and today <= consultation.deadline:
        raise DecisionRefused(
            _(
                "Afgørelsen kan ikke træffes endnu: fristen for borgerens svar på partshøringen "
                "udløber %(deadline)s, og der er ikke modtaget svar."
            )
            % {"deadline": consultation.deadline.strftime("%d-%m-%Y")}
        )


def check_consultation_input(*, subject: str, sent_on: datetime.date, deadline: datetime.date) -> None:
    """What a partshøring needs before anything is read or written: what it is about, and plausible dates in order."""
    if not subject.strip():
        raise DecisionRefused(_("Skriv, hvad borgeren høres om."))
    # A consultation "sent" and "due" in year 1 would satisfy the consultation-first rule at once.
    _refuse_implausible_date(sent_on, _("Afsendelsesdatoen"), latest=bounds.today())
    _refuse_implausible_date(deadline, _("Svarfristen"))
    if deadline < sent_on:
        raise DecisionRefused(_("Svarfristen ligger før afsendelsen."))


def start_consultation(
    user: User,
    grant: Grant,
    *,
    intended_kind: ConsultationKind,
    subject: str,
    sent_on: datetime.date,
    deadline: datetime.date,
    amount_ore: int | None = None,
) -> tuple[Consultation, Letter]:
    """Record a partshøring on a grant (locked by the caller) and send its letter, inside the caller's
    transaction: the information, the deadline and what happens after it (forvaltningslovens § 19).
    The one way to consult a citizen, for decisions on the grant and for claims (payments/claims.py)."""
    check_consultation_input(subject=subject, sent_on=sent_on, deadline=deadline)
    consultation = Consultation.objects.create(
        grant=grant,
        intended_kind=intended_kind,
        subject=subject.strip(),
        sent_on=sent_on,
        deadline=deadline,
        created_by=user,
    )
    try:
        letter = do_issue_consultation_letter(
            user,
            citizen=grant.citizen,
            title=consultation_title(intended_kind),
            information=consultation.subject,
            deadline=deadline,
            amount_ore=amount_ore,
            subject_type=CONSULTATION_LETTER_SUBJECT,
            subject_id=str(consultation.pk),
        )
    except LetterRefused as refused:
        raise DecisionRefused(refused.message) from None
    record(
        user,
        AuditAction.CREATE,
        obj=consultation,
        detail={
            "grant": str(grant.pk),
            "kind": str(intended_kind),
            "deadline": str(deadline),
            "letter": str(letter.pk),
        },
    )
    return consultation, letter


def do_start_consultation(
    user: User,
    grant_id: uuid.UUID | str,
    *,
    intended_kind: DecisionKind | str,
    subject: str,
    deadline: datetime.date,
    sent_on: datetime.date | None = None,
) -> Consultation:
    """Consult the citizen (partshøring) about an intended reduction, stop or sanction: recorded, and
    its letter sent, in one transaction. Sent today unless `sent_on` says otherwise."""
    require_permission(user, Permission.GRANTS_DECIDE)
    if intended_kind not in KINDS_REQUIRING_CONSULTATION:
        raise DecisionRefused(_("Partshøring registreres før en nedsættelse, en standsning eller en sanktion."))
    with transaction.atomic():
        grant = _grant_for_update(user, grant_id)
        consultation, _letter = start_consultation(
            user,
            grant,
            intended_kind=ConsultationKind(str(intended_kind)),
            subject=subject,
            sent_on=sent_on or timezone.localdate(),
            deadline=deadline,
        )
    return consultation


def consultation_letter_of(consultation: Consultation) -> Letter | None:
    return Letter.objects.filter(subject_type=CONSULTATION_LETTER_SUBJECT, subject_id=str(consultation.pk)).first()


def do_record_consultation_reply(
    user: User, consultation_id: uuid.UUID | str, *, received_on: datetime.date, summary: str
) -> Consultation:
    require_permission(user, Permission.GRANTS_DECIDE)
    if not summary.strip():
        raise DecisionRefused(_("Skriv et resumé af borgerens svar."))
    _refuse_implausible_date(received_on, _("Svardatoen"), latest=bounds.today())
    with transaction.atomic():
        try:
            consultation = Consultation.objects.select_for_update().get(
                pk=consultation_id, grant__municipality=working_municipality(user)
            )
        except (Consultation.DoesNotExist, ValueError, ValidationError):
            raise Http404 from None
        if consultation.reply_received_on is not None:
            raise DecisionRefused(_("Svaret på partshøringen er allerede registreret."))
        if received_on < consultation.sent_on:
            raise DecisionRefused(_("Svaret kan ikke være modtaget før partshøringen blev sendt."))
        if received_on > timezone.localdate():
            raise DecisionRefused(_("Svaret kan ikke være modtaget i fremtiden."))
        consultation.reply_received_on = received_on
        consultation.reply_summary = summary.strip()
        consultation.save(update_fields=["reply_received_on", "reply_summary"])
        record(user, AuditAction.UPDATE, obj=consultation, detail={"reply_received_on": str(received_on)})
    return consultation


# --- Income from eIndkomst ----------------------------------------------------------


def do_fetch_income(user: User | None, municipality: Municipality, month: datetime.date) -> dict[str, int]:
    """Read the month's income for every citizen with a grant from the income register.

    A report that differs from the last one stored is kept; if the month has
    already been paid, the month is marked for recalculation and the next run
    pays the difference (income that arrives late).
    """
    if user is not None:
        require_permission(user, Permission.PAYMENTS_RUN)
    month = month_start(month)
    grants = {g.citizen.cpr: g for g in Grant.objects.filter(municipality=municipality).select_related("citizen")}
    reports = eindkomst.client().monthly_income(sorted(grants), month)
    stored = stored_changed = marked = 0
    with transaction.atomic():
        latest = latest_income(month, municipality.pk)
        for report in reports:
            grant = grants[report.cpr]
            previous = latest.get(grant.citizen_id)
            if previous is not None and previous == (report.work_income_ore, report.work_hours):
                continue
            IncomeReport.objects.create(
                citizen_id=grant.citizen_id,
                month=month,
                work_income_ore=report.work_income_ore,
                work_hours=report.work_hours,
                reference=report.reference[:64],
            )
            latest[grant.citizen_id] = (report.work_income_ore, report.work_hours)
            stored += 1
            if paid_ledger().paid_months(grant.pk, month, month, bound=False):
                RecalculationMark.objects.create(
                    grant=grant, month=month, reason=f"Indkomst for {month:%Y-%m} modtaget efter udbetalingen"
                )
                marked += 1
            stored_changed += previous is not None
        record(
            user,
            AuditAction.CREATE,
            object_type="benefits.incomereport",
            municipality=municipality,
            detail={"month": f"{month:%Y-%m}", "reports": stored, "changed": stored_changed, "recalculate": marked},
        )
    return {"reports": stored, "changed": stored_changed, "recalculate": marked}


def latest_income(month: datetime.date, municipality_id: int) -> dict[Any, tuple[int, Any]]:
    """The latest stored report per citizen of the municipality for the month: (work income in øre, hours)."""
    latest: dict[Any, tuple[int, Any]] = {}
    rows = (
        IncomeReport.objects.filter(month=month, citizen__municipality_id=municipality_id)
        .order_by("received_at", "id")
        .values_list("citizen_id", "work_income_ore", "work_hours")
    )
    for citizen_id, income, hours in rows:
        latest[citizen_id] = (income, hours)
    return latest
