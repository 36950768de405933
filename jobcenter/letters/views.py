"""Letters on the pages: a citizen's letters, one letter with its delivery history, the paper-post queue."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobcenter.letters.actions import LetterRefused, do_mark_printed
from jobcenter.letters.queries import access_letter, letters_for_citizen, paper_queue
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission


def pdf_response(letter_pdf: bytes, letter_id: uuid.UUID) -> HttpResponse:
    response = HttpResponse(bytes(letter_pdf), content_type="application/pdf")
    # The file name is the letter's id: never the citizen's name or CPR number.
    response["Content-Disposition"] = f'inline; filename="brev-{letter_id}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def citizen_letters(request: HttpRequest, citizen_id: uuid.UUID) -> HttpResponse:
    citizen, letters = letters_for_citizen(request.user, citizen_id)  # type: ignore[arg-type]
    return render(request, "letters/citizen_letters.html", {"citizen": citizen, "letters": letters})


@login_required
def detail(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = access_letter(request.user, letter_id)  # type: ignore[arg-type]
    deliveries = letter.deliveries.select_related("recorded_by").order_by("-occurred_at", "-id")
    return render(request, "letters/detail.html", {"letter": letter, "deliveries": deliveries})


@login_required
def pdf(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = access_letter(request.user, letter_id, for_download=True)  # type: ignore[arg-type]
    return pdf_response(letter.pdf, letter.pk)


@login_required
def paper_queue_page(request: HttpRequest) -> HttpResponse:
    letters = paper_queue(request.user)  # type: ignore[arg-type]
    return render(request, "letters/paper_queue.html", {"letters": letters})


@login_required
@require_POST
def mark_printed(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    require_permission(request.user, Permission.LETTERS_POST)  # type: ignore[arg-type]
    letter = access_letter(request.user, letter_id)  # type: ignore[arg-type]
    try:
        do_mark_printed(request.user, letter)  # type: ignore[arg-type]
    except LetterRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Brevet er markeret som sendt med papirpost."))
    return HttpResponseRedirect(reverse("letters:paper-queue"))
