"""The benefits officer's inbox: proposals from the jobcentre's events, with their consequence,
the decision letter ready, and accept / reject / send partshøring (docs/inbox.md)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobcenter.benefits.actions import DecisionRefused, sanction_deadline
from jobcenter.benefits.consequences import Consequence, consequence_of
from jobcenter.benefits.inbox_forms import AcceptForm, ProposalConsultationForm, RejectForm
from jobcenter.benefits.models import DecisionKind, Proposal, ProposalKind, ProposalStatus
from jobcenter.benefits.proposals import (
    default_justification,
    do_accept_proposal,
    do_reject_proposal,
    do_send_proposal_consultation,
    letter_content,
    proposal_consultations,
    resume_facts,
)
from jobcenter.benefits.queries import access_proposal, inbox_proposals, open_proposal_counts
from jobcenter.letters.actions import recipient_of
from jobcenter.letters.appeal import appeal_guidance_on
from jobcenter.letters.models import LetterKind
from jobcenter.letters.rendering import render_letter_pdf
from jobcenter.letters.views import pdf_response
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission

# The inbox computes each proposal's consequence; past this many it lists the rest without.
INBOX_WITH_CONSEQUENCES = 50


def proposal_consequence(proposal: Proposal) -> Consequence:
    """What accepting the proposal would do to the payments (for a sanction: the missed day alone)."""
    grant = proposal.grant
    if proposal.kind in (ProposalKind.STOP, ProposalKind.PAUSE):
        return consequence_of(grant, kind=DecisionKind.STOP, effective_from=proposal.effective_from)
    if proposal.kind == ProposalKind.RESUME:
        try:
            facts = resume_facts(proposal)
        except DecisionRefused as refused:
            return Consequence(refused=refused.message)
        return consequence_of(grant, kind=DecisionKind.CHANGE, effective_from=proposal.effective_from, facts=facts)
    return consequence_of(
        grant, kind=DecisionKind.SANCTION, effective_from=proposal.effective_from, effective_to=proposal.effective_from
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    proposals = inbox_proposals(user)  # type: ignore[arg-type]
    counts = open_proposal_counts(user)  # type: ignore[arg-type]
    rows = [
        (proposal, proposal_consequence(proposal) if number < INBOX_WITH_CONSEQUENCES else None)
        for number, proposal in enumerate(proposals)
    ]
    context = {
        "rows": rows,
        "counts": [(kind.label, counts.get(kind.value, 0)) for kind in ProposalKind],
        "total": sum(counts.values()),
    }
    return render(request, "benefits/inbox.html", context)


def _proposal_page(request: HttpRequest, proposal: Proposal, **extra: Any) -> HttpResponse:
    today = timezone.localdate()
    consultations = proposal_consultations(proposal) if proposal.kind != ProposalKind.RESUME else []
    choices = [
        (str(c.pk), _("Sendt %(sent)s, frist %(deadline)s") % {"sent": c.sent_on, "deadline": c.deadline})
        for c in consultations
    ]
    is_open = proposal.status == ProposalStatus.OPEN
    context = {
        "proposal": proposal,
        "consequence": proposal_consequence(proposal) if is_open else None,
        "is_open": is_open,
        "consultations": consultations,
        "may_decide": request.user.has_permission(Permission.GRANTS_DECIDE),  # type: ignore[union-attr]
        "accept_form": extra.pop(
            "accept_form",
            AcceptForm(
                initial={
                    "justification": default_justification(proposal),
                    "consultation": choices[0][0] if choices else "",
                },
                consultations=choices,
            ),
        ),
        "reject_form": extra.pop("reject_form", RejectForm()),
        "consultation_form": extra.pop(
            "consultation_form", ProposalConsultationForm(initial={"deadline": today + datetime.timedelta(days=14)})
        ),
        "needs_consultation": proposal.kind != ProposalKind.RESUME,
        "allows_exemption": proposal.kind in (ProposalKind.STOP, ProposalKind.PAUSE),
        "is_sanction": proposal.kind == ProposalKind.SANCTION,
        "sanction_deadline": sanction_deadline(proposal.effective_from)
        if proposal.kind == ProposalKind.SANCTION
        else None,
        "choices": choices,
        **extra,
    }
    return render(request, "benefits/proposal.html", context, status=422 if extra.get("refusal") else 200)


@login_required
def proposal_detail(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    return _proposal_page(request, access_proposal(request.user, proposal_id))  # type: ignore[arg-type]


@login_required
def proposal_letter(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    """The decision letter as accepting would issue it (with the proposed justification): a preview,
    rendered with the same template; not archived, not sent."""
    proposal = access_proposal(request.user, proposal_id)  # type: ignore[arg-type]
    if proposal.letter_id is not None:
        # Decided: the letter that was issued, behind the letters' own permission.
        return HttpResponseRedirect(reverse("letters:detail", args=[proposal.letter_id]))
    if proposal.status != ProposalStatus.OPEN:
        raise Http404
    end = proposal.effective_from if proposal.kind == ProposalKind.SANCTION else None
    content = letter_content(proposal, effective_from=proposal.effective_from, effective_to=end)
    today = timezone.localdate()
    draft = _("UDKAST")
    pdf = render_letter_pdf(
        "letters/decision.html",
        {
            "title": f"{draft} – {content.title}",
            "letter_kind": str(LetterKind.DECISION),
            "letter_date": today,
            "municipality": proposal.citizen.municipality,
            "recipient": recipient_of(proposal.citizen),
            "appeal": appeal_guidance_on(today),
            "decision_text": content.decision_text,
            "justification": default_justification(proposal),
            "legal_basis": content.legal_basis,
            "effective_from": content.effective_from,
            "effective_to": content.effective_to,
            "monthly_amount_ore": None,
        },
    )
    return pdf_response(pdf, proposal.pk)


@login_required
@require_POST
def proposal_accept(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    require_permission(request.user, Permission.GRANTS_DECIDE)  # type: ignore[arg-type]
    proposal = access_proposal(request.user, proposal_id)  # type: ignore[arg-type]
    choices = [(str(c.pk), str(c.pk)) for c in proposal_consultations(proposal)]
    form = AcceptForm(request.POST, consultations=choices)
    if not form.is_valid():
        return _proposal_page(request, proposal, accept_form=form, refusal=DecisionRefused(_("Udfyld felterne.")))
    data = form.cleaned_data
    try:
        do_accept_proposal(
            request.user,  # type: ignore[arg-type]
            proposal.pk,
            justification=data["justification"],
            consultation_id=data["consultation"] or None,
            consultation_exemption=data["consultation_exemption"],
            contact_on=data["contact_on"],
            contact_not_yet=data["contact_not_yet"],
            guidance_given=data["guidance_given"],
        )
    except DecisionRefused as refused:
        return _proposal_page(request, proposal, accept_form=form, refusal=refused)
    messages.success(request, _("Afgørelsen er truffet, og afgørelsesbrevet er dannet og sendes til borgeren."))
    return HttpResponseRedirect(reverse("benefits:proposal", args=[proposal.pk]))


@login_required
@require_POST
def proposal_reject(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    require_permission(request.user, Permission.GRANTS_DECIDE)  # type: ignore[arg-type]
    proposal = access_proposal(request.user, proposal_id)  # type: ignore[arg-type]
    form = RejectForm(request.POST)
    form.is_valid()
    try:
        do_reject_proposal(request.user, proposal.pk, reason=form.cleaned_data.get("reason", ""))  # type: ignore[arg-type]
    except DecisionRefused as refused:
        return _proposal_page(request, proposal, reject_form=form, refusal=refused)
    messages.success(request, _("Forslaget er afvist."))
    return HttpResponseRedirect(reverse("benefits:inbox"))


@login_required
@require_POST
def proposal_consultation(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    require_permission(request.user, Permission.GRANTS_DECIDE)  # type: ignore[arg-type]
    proposal = access_proposal(request.user, proposal_id)  # type: ignore[arg-type]
    form = ProposalConsultationForm(request.POST)
    if not form.is_valid():
        return _proposal_page(
            request, proposal, consultation_form=form, refusal=DecisionRefused(_("Skriv en gyldig svarfrist."))
        )
    try:
        do_send_proposal_consultation(request.user, proposal.pk, deadline=form.cleaned_data["deadline"])  # type: ignore[arg-type]
    except DecisionRefused as refused:
        return _proposal_page(request, proposal, consultation_form=form, refusal=refused)
    messages.success(
        request,
        _("Partshøringen er registreret. Afgørelsen kan træffes, når fristen er udløbet, eller borgeren har svaret."),
    )
    return HttpResponseRedirect(reverse("benefits:proposal", args=[proposal.pk]))
