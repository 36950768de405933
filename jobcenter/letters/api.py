from __future__ import annotations

import uuid
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from jobcenter.letters.actions import LetterRefused, do_mark_printed
from jobcenter.letters.models import Letter
from jobcenter.letters.queries import access_letter, letters_for_citizen, paper_queue
from jobcenter.letters.views import pdf_response
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission

router = Router(tags=["Breve"])


class LetterOut(Schema):
    id: uuid.UUID
    citizen_id: uuid.UUID
    kind: str
    title: str
    summary_text: str
    sha256: str
    created_at: datetime
    delivery_status: str
    delivery_detail: str

    @staticmethod
    def of(letter: Letter) -> LetterOut:
        return LetterOut(
            id=letter.pk,
            citizen_id=letter.citizen_id,
            kind=letter.kind,
            title=letter.title,
            summary_text=letter.summary_text,
            sha256=letter.sha256,
            created_at=letter.created_at,
            delivery_status=getattr(letter, "delivery_status", None) or "queued",
            delivery_detail=getattr(letter, "delivery_detail", None) or "",
        )


@router.get("/paper-queue", url_name="letters-paper-queue", response=list[LetterOut], summary="Breve til papirpost")
def list_paper_queue(request: HttpRequest) -> list[LetterOut]:
    return [LetterOut.of(letter) for letter in paper_queue(request.auth)]  # type: ignore[attr-defined]


@router.get("/citizen/{citizen_id}", url_name="letters-citizen", response=list[LetterOut], summary="En borgers breve")
def list_citizen_letters(request: HttpRequest, citizen_id: uuid.UUID) -> list[LetterOut]:
    _, letters = letters_for_citizen(request.auth, citizen_id)  # type: ignore[attr-defined]
    return [LetterOut.of(letter) for letter in letters]


@router.get("/{letter_id}", url_name="letters-detail", response=LetterOut, summary="Et brev og dets forsendelse")
def get_letter(request: HttpRequest, letter_id: uuid.UUID) -> LetterOut:
    return LetterOut.of(access_letter(request.auth, letter_id))  # type: ignore[attr-defined]


@router.get("/{letter_id}/pdf", url_name="letters-pdf", summary="Brevet som arkiveret PDF/A")
def get_letter_pdf(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = access_letter(request.auth, letter_id, for_download=True)  # type: ignore[attr-defined]
    return pdf_response(letter.pdf, letter.pk)


@router.post(
    "/{letter_id}/printed",
    url_name="letters-mark-printed",
    response=LetterOut,
    summary="Markér et brev som sendt med papirpost",
)
def mark_letter_printed(request: HttpRequest, letter_id: uuid.UUID) -> LetterOut:
    require_permission(request.auth, Permission.LETTERS_POST)  # type: ignore[attr-defined]
    letter = access_letter(request.auth, letter_id)  # type: ignore[attr-defined]
    try:
        do_mark_printed(request.auth, letter)  # type: ignore[attr-defined]
    except LetterRefused as refused:
        raise HttpError(409, refused.message) from None
    return LetterOut.of(access_letter(request.auth, letter_id))  # type: ignore[attr-defined]
