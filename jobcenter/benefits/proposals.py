"""Every write on the benefits officer's inbox: accept a proposal (the decision and its letter in
one step), reject it (with a reason), or send the partshøring it needs first (docs/inbox.md)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.benefits.actions import (
    DecisionRefused,
    decision_letter_of,
    do_record_decision,
    do_record_sanction,
    do_start_consultation,
    sanction_days,
)
from jobcenter.benefits.decision_letters import LetterText
from jobcenter.benefits.models import (
    Consultation,
    Decision,
    DecisionKind,
    Grant,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from jobcenter.tenancy.access import require_permission, working_municipality
from jobcenter.tenancy.roles import Permission

if TYPE_CHECKING:
    from jobcenter.tenancy.models import User

# What accepting each kind of proposal decides.
DECISION_KIND = {
    ProposalKind.STOP: DecisionKind.STOP,
    ProposalKind.PAUSE: DecisionKind.STOP,
    ProposalKind.RESUME: DecisionKind.CHANGE,
    ProposalKind.SANCTION: DecisionKind.SANCTION,
}


def _date_da(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def default_justification(proposal: Proposal) -> str:
    """The justification the accept form starts from; the officer edits it."""
    facts = proposal.facts
    day = _date_da(proposal.effective_from)
    if proposal.kind == ProposalKind.STOP:
        return (
            f"Du er begyndt i arbejde hos {facts.get('employer', '')} den {day}. "
            "Du kan derfor forsørge dig selv, og betingelserne for kontanthjælp er ikke længere opfyldt."
        )
    if proposal.kind == ProposalKind.PAUSE:
        reason = facts.get("reason") or "du ikke står til rådighed"
        return (
            f"Du står ikke til rådighed for arbejdsmarkedet fra den {day} ({reason}). "
            "Det er en betingelse for kontanthjælp, at du står til rådighed."
        )
    if proposal.kind == ProposalKind.RESUME:
        return f"Du står igen til rådighed for arbejdsmarkedet fra den {day}."
    return (
        f"Du udeblev uden rimelig grund fra en jobsamtale den {day}, som du var indkaldt til. "
        "I indkaldelsen var du skriftligt vejledt om, at udeblivelse medfører fradrag i hjælpen."
    )


@dataclass(frozen=True)
class LetterContent:
    title: str
    decision_text: str
    legal_basis: str
    effective_from: datetime.date
    effective_to: datetime.date | None


def letter_content(
    proposal: Proposal, *, effective_from: datetime.date, effective_to: datetime.date | None = None
) -> LetterContent:
    """The decision letter's title, text and legal basis for an accepted proposal (texts flagged for legal review)."""
    day = _date_da(effective_from)
    if proposal.kind == ProposalKind.STOP:
        return LetterContent(
            "Afgørelse: Din kontanthjælp standses",
            f"Din kontanthjælp standses fra den {day}, fordi du er begyndt i arbejde.",
            "Lov om aktiv socialpolitik § 11 (betingelserne for hjælp).",
            effective_from,
            None,
        )
    if proposal.kind == ProposalKind.PAUSE:
        return LetterContent(
            "Afgørelse: Din kontanthjælp standses",
            f"Din kontanthjælp standses fra den {day}, fordi du ikke står til rådighed for arbejdsmarkedet.",
            "Lov om aktiv socialpolitik §§ 11 og 13 (rådighed).",
            effective_from,
            None,
        )
    if proposal.kind == ProposalKind.RESUME:
        return LetterContent(
            "Afgørelse: Din kontanthjælp genoptages",
            f"Din kontanthjælp genoptages fra den {day}, fordi du igen står til rådighed for arbejdsmarkedet.",
            "Lov om aktiv socialpolitik §§ 11 og 13 (rådighed).",
            effective_from,
            None,
        )
    last = effective_to or effective_from
    days = (last - effective_from).days + 1
    return LetterContent(
        "Afgørelse: Fradrag i din kontanthjælp",
        f"Vi trækker din kontanthjælp for {days} dag(e), fra den {day} til og med den {_date_da(last)}, "
        "fordi du udeblev fra en jobsamtale.",
        "Lov om aktiv socialpolitik § 37 (fradrag for udeblivelse) og § 35 (fradraget foretages inden for "
        "3 hele kalendermåneder).",
        effective_from,
        last,
    )


def _letter_text(proposal: Proposal, first: datetime.date, last: datetime.date | None) -> LetterText:
    content = letter_content(proposal, effective_from=first, effective_to=last)
    return LetterText(content.title, content.decision_text, content.legal_basis)


def _proposal_for_update(user: User, proposal_id: uuid.UUID | str) -> Proposal:
    try:
        return (
            Proposal.objects.select_for_update()
            .select_related("citizen", "grant")
            .get(pk=proposal_id, municipality=working_municipality(user))
        )
    except (Proposal.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def _check_open(proposal: Proposal) -> None:
    if proposal.status != ProposalStatus.OPEN:
        raise DecisionRefused(
            _("Forslaget er allerede behandlet (%(status)s).") % {"status": proposal.get_status_display().lower()}
        )


def resume_facts(proposal: Proposal) -> Any:
    """The household as the last version with facts states it: resuming continues from there."""
    latest = proposal.grant.decisions.filter(facts__isnull=False).order_by("-version").first()
    if latest is None:
        raise DecisionRefused(_("Bevillingen har ingen afgørelse med husstandens oplysninger at genoptage fra."))
    return latest.facts


def do_accept_proposal(
    user: User,
    proposal_id: uuid.UUID | str,
    *,
    justification: str,
    consultation_id: uuid.UUID | str | None = None,
    consultation_exemption: str = "",
    contact_on: datetime.date | None = None,
    contact_not_yet: bool = False,
    guidance_given: bool = False,
) -> Proposal:
    """Accept a proposal: record the decision version (through the decision actions, with their checks),
    issue the decision letter, mark the proposal accepted, in one transaction. The letter goes to
    Digital Post after commit. Refused (DecisionRefused, nothing written) when a check fails."""
    require_permission(user, Permission.GRANTS_DECIDE)
    if not justification.strip():
        raise DecisionRefused(_("Skriv en begrundelse for afgørelsen."))
    with transaction.atomic():
        proposal = _proposal_for_update(user, proposal_id)
        _check_open(proposal)
        decision: Decision
        # The letter's words are the proposal's; the decision action issues it, with the amount, the
        # months it changes, the facts and the partshøring, in this transaction (benefits/decision_letters.py).
        if proposal.kind == ProposalKind.SANCTION:
            if contact_on is None and not contact_not_yet:
                raise DecisionRefused(
                    _("Skriv datoen, hvor borgeren henvendte sig til jobcentret, eller vælg »Ikke endnu«.")
                )
            first, last = sanction_days(
                proposal.effective_from, None if contact_not_yet else contact_on, timezone.localdate()
            )
            decision = do_record_sanction(
                user,
                proposal.citizen_id,
                missed_on=proposal.effective_from,
                contact_on=None if contact_not_yet else contact_on,
                justification=justification,
                guidance_given=guidance_given,
                consultation_id=consultation_id,
                consultation_exemption=consultation_exemption,
                letter_text=_letter_text(proposal, first, last),
            )
        elif proposal.kind == ProposalKind.RESUME:
            decision = do_record_decision(
                user,
                proposal.citizen_id,
                kind=DecisionKind.CHANGE,
                effective_from=proposal.effective_from,
                facts=resume_facts(proposal),
                justification=justification,
                letter_text=_letter_text(proposal, proposal.effective_from, None),
            )
        else:
            ended = Grant.objects.get(pk=proposal.grant_id).effective_to
            if ended is not None and ended < proposal.effective_from:
                raise DecisionRefused(
                    _("Hjælpen er allerede ophørt den %(day)s. Afvis forslaget med den begrundelse.")
                    % {"day": _date_da(ended)}
                )
            decision = do_record_decision(
                user,
                proposal.citizen_id,
                kind=DecisionKind.STOP,
                effective_from=proposal.effective_from,
                justification=justification,
                consultation_id=consultation_id or None,
                consultation_exemption=consultation_exemption,
                letter_text=_letter_text(proposal, proposal.effective_from, None),
            )
        letter = decision_letter_of(decision)
        if letter is None:  # the decision action issues it; without it there is no decision
            raise DecisionRefused(_("Afgørelsens brev blev ikke dannet."))
        proposal.status = ProposalStatus.ACCEPTED
        proposal.decided_by = user
        proposal.decided_at = timezone.now()
        proposal.decision = decision
        proposal.letter = letter
        proposal.save(update_fields=["status", "decided_by", "decided_at", "decision", "letter"])
        record(
            user,
            AuditAction.UPDATE,
            obj=proposal,
            detail={
                "status": "accepted",
                "kind": str(proposal.kind),
                "decision": str(decision.pk),
                "letter": str(letter.pk),
                "citizen": str(proposal.citizen_id),
            },
        )
    return proposal


def do_reject_proposal(user: User, proposal_id: uuid.UUID | str, *, reason: str) -> Proposal:
    """Reject a proposal: nothing changes for the grant; the reason is kept."""
    require_permission(user, Permission.GRANTS_DECIDE)
    if not reason.strip():
        raise DecisionRefused(_("Skriv en begrundelse for at afvise forslaget."))
    with transaction.atomic():
        proposal = _proposal_for_update(user, proposal_id)
        _check_open(proposal)
        proposal.status = ProposalStatus.REJECTED
        proposal.decided_by = user
        proposal.decided_at = timezone.now()
        proposal.rejection_reason = reason.strip()
        proposal.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
        record(
            user,
            AuditAction.UPDATE,
            obj=proposal,
            detail={"status": "rejected", "kind": str(proposal.kind), "citizen": str(proposal.citizen_id)},
        )
    return proposal


def consultation_subject(proposal: Proposal) -> str:
    day = _date_da(proposal.effective_from)
    if proposal.kind == ProposalKind.STOP:
        return f"Påtænkt standsning af kontanthjælpen fra den {day} på grund af jobstart."
    if proposal.kind == ProposalKind.PAUSE:
        return f"Påtænkt standsning af kontanthjælpen fra den {day}, fordi du ikke står til rådighed."
    return f"Påtænkt fradrag i kontanthjælpen for udeblivelse fra jobsamtale den {day} (LAS § 37)."


def do_send_proposal_consultation(user: User, proposal_id: uuid.UUID | str, *, deadline: datetime.date) -> Consultation:
    """Send the partshøring an open proposal needs before it can be accepted (sent today)."""
    require_permission(user, Permission.GRANTS_DECIDE)
    with transaction.atomic():
        proposal = _proposal_for_update(user, proposal_id)
        _check_open(proposal)
        kind = DECISION_KIND[ProposalKind(proposal.kind)]
        if kind == DecisionKind.CHANGE:
            raise DecisionRefused(_("En genoptagelse er ikke til borgerens ugunst og kræver ikke partshøring."))
        return do_start_consultation(
            user,
            proposal.grant_id,
            intended_kind=kind,
            subject=consultation_subject(proposal),
            sent_on=timezone.localdate(),
            deadline=deadline,
        )


def proposal_consultations(proposal: Proposal) -> list[Consultation]:
    """The grant's consultations about the kind of decision the proposal would make."""
    kind = DECISION_KIND[ProposalKind(proposal.kind)]
    return list(proposal.grant.consultations.filter(intended_kind=kind).order_by("-sent_on", "-created_at"))
