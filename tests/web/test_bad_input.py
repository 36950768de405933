"""Bad input is refused with a clear Danish 4xx, and nothing is written (issue 14, items 3, 4 and 8).

Each input here answered 500 ("Intet gemt er gået tabt") or was accepted before.
Run this file on PostgreSQL too: the NUL character is refused by PostgreSQL itself.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jobcenter.audit.models import AuditEntry
from jobcenter.benefits.actions import DecisionRefused, do_start_consultation
from jobcenter.benefits.models import Consultation, Decision, Grant
from jobcenter.cases.models import Interview, JournalAttachment, JournalEntry, Offer
from jobcenter.payments.models import PaymentRun
from jobcenter.tenancy.roles import Role
from tests.attachment_samples import PNG
from tests.conftest import SINGLE_HOUSEHOLD_2025
from tests.payments.helpers import grant

PROBLEM_JSON = "application/problem+json"


def assert_danish_problem(response: Any, status: int, *words: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_JSON
    body = response.json()
    assert body["title"]
    text = json.dumps(body, ensure_ascii=False)
    for word in words:
        assert word in text, text
    assert "Intet gemt er gået tabt" not in text  # the 500's message
    return body


def post_json(client: Any, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def odense_auditor(make_user, odense):
    return make_user(Role.AUDITOR, odense, username="odense-revisor")


# --- The NUL character (PostgreSQL cannot store it) ----------------------------------------


def test_a_nul_character_in_api_text_is_refused_in_danish_and_nothing_is_written(
    client_for, odense_caseworker, odense_case
):
    before = JournalEntry.objects.count()
    response = post_json(
        client_for(odense_caseworker),
        reverse("api:cases-journal-add", kwargs={"case_id": odense_case.pk}),
        {"title": "Samtale", "text": "Karen\x00ringede"},
    )
    body = assert_danish_problem(response, 422, "NUL-tegn")
    assert body["errors"] == [{"felt": "text", "fejl": body["detail"]}]
    assert JournalEntry.objects.count() == before


def test_a_nul_character_deep_in_a_json_body_names_its_field(client_for, odense_benefits_officer, odense_citizen):
    household = {**SINGLE_HOUSEHOLD_2025, "adults": [{**SINGLE_HOUSEHOLD_2025["adults"][0], "name": "Ka\x00ren"}]}
    response = post_json(
        client_for(odense_benefits_officer),
        reverse("api:payments-decisions"),
        {
            "citizen_id": str(odense_citizen.pk),
            "kind": "bevilling",
            "effective_from": "2025-10-01",
            "facts": household,
            "justification": "LAS § 11",
        },
    )
    body = assert_danish_problem(response, 422, "NUL-tegn")
    assert body["errors"][0]["felt"] == "facts.adults.0.name"
    assert not Decision.objects.exists()


def test_a_nul_character_in_a_query_or_a_form_field_is_refused_too(
    client_for, odense_auditor, odense_caseworker, odense_case
):
    searches = AuditEntry.objects.filter(action="search").count()
    response = client_for(odense_auditor).get(reverse("api:audit-entries"), {"username": "a\x00b"})
    assert_danish_problem(response, 422, "NUL-tegn")
    assert AuditEntry.objects.filter(action="search").count() == searches
    response = client_for(odense_caseworker).post(
        reverse("api:cases-journal-add-files", kwargs={"case_id": odense_case.pk}),
        {"title": "CV\x00", "text": "Vedhæftet", "files": [SimpleUploadedFile("a.png", PNG)]},
    )
    assert_danish_problem(response, 422, "NUL-tegn")
    assert not JournalEntry.objects.exists()


def test_a_nul_character_in_a_page_form_is_refused_and_a_draft_drops_it(client_for, odense_caseworker, odense_case):
    from jobcenter.cases.models import Draft

    client = client_for(odense_caseworker)
    page = client.post(reverse("cases:journal-add", args=[odense_case.pk]), {"title": "Samtale", "text": "a\x00b"})
    assert page.status_code == 200
    assert "Null characters are not allowed" not in page.content.decode()
    assert "form-error-message" in page.content.decode()
    assert not JournalEntry.objects.exists()
    saved = client.post(
        reverse("cases:journal-draft", args=[odense_case.pk]), {"title": "Sam\x00tale", "text": "a\x00b"}
    )
    assert saved.status_code == 200
    assert Draft.objects.get(user=odense_caseworker).content == {"title": "Samtale", "text": "ab"}


def test_a_body_that_is_not_json_is_answered_in_danish(client_for, odense_caseworker, odense_case):
    response = client_for(odense_caseworker).post(
        reverse("api:cases-journal-add", kwargs={"case_id": odense_case.pk}),
        "{ikke json",
        content_type="application/json",
    )
    assert_danish_problem(response, 400, "ikke gyldig JSON")


# --- Payment run months --------------------------------------------------------------------


@pytest.mark.parametrize("month", ["2025-13", "0001-01", "1549-04", "9999-12", "2025-1", "oktober"])
def test_a_trial_run_for_an_impossible_month_is_refused_in_danish_and_nothing_is_written(
    client_for, odense_benefits_officer, month
):
    response = post_json(client_for(odense_benefits_officer), reverse("api:payments-runs"), {"month": month})
    assert_danish_problem(response, 422, "Måneden")
    assert not PaymentRun.objects.exists()


def test_the_run_form_refuses_a_month_of_the_sixteenth_century(client_for, odense_benefits_officer):
    response = client_for(odense_benefits_officer).post(reverse("payments:run-start"), {"month": "1549-04"})
    assert response.status_code == 422
    assert "Måneden 1549-04 kan ikke bruges. Skriv en måned fra 2000-01" in response.content.decode()
    assert not PaymentRun.objects.exists()


@pytest.mark.parametrize("month", ["2025-13", "2025-10", "x"])
def test_an_auditor_is_refused_a_trial_run_before_the_month_is_read(client_for, odense_auditor, month):
    response = post_json(client_for(odense_auditor), reverse("api:payments-runs"), {"month": month})
    assert_danish_problem(response, 403, "Ingen adgang")
    assert not PaymentRun.objects.exists()


# --- Decisions and consultations -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["note", ""])
def test_a_decision_of_an_unknown_kind_is_refused_in_danish(client_for, odense_benefits_officer, odense_citizen, kind):
    response = post_json(
        client_for(odense_benefits_officer),
        reverse("api:payments-decisions"),
        {
            "citizen_id": str(odense_citizen.pk),
            "kind": kind,
            "effective_from": "2025-10-01",
            "facts": SINGLE_HOUSEHOLD_2025,
            "justification": "LAS § 11",
        },
    )
    assert_danish_problem(response, 422, "Ukendt type afgørelse")
    assert not Decision.objects.exists()
    assert not Grant.objects.exists()


@pytest.mark.parametrize("effective_from", ["0001-01-01", "9999-12-31"])
def test_a_decision_in_an_impossible_year_is_refused(
    client_for, odense_benefits_officer, odense_citizen, effective_from
):
    response = post_json(
        client_for(odense_benefits_officer),
        reverse("api:payments-decisions"),
        {
            "citizen_id": str(odense_citizen.pk),
            "kind": "bevilling",
            "effective_from": effective_from,
            "facts": SINGLE_HOUSEHOLD_2025,
            "justification": "LAS § 11",
        },
    )
    assert_danish_problem(response, 422, "Startdatoen", "er ikke en mulig dato")
    assert not Decision.objects.exists()


def start_stop_consultation(officer: Any, citizen: Any, sent_on: datetime.date, deadline: datetime.date) -> None:
    decision = grant(officer, citizen)
    do_start_consultation(
        officer, decision.grant_id, intended_kind="standsning", subject="Arbejde", sent_on=sent_on, deadline=deadline
    )


def test_a_consultation_sent_and_due_in_year_one_is_refused(odense_benefits_officer, odense_citizen):
    year_one = datetime.date(1, 1, 1)
    with pytest.raises(DecisionRefused, match=r"Afsendelsesdatoen .* er ikke en mulig dato"):
        start_stop_consultation(odense_benefits_officer, odense_citizen, year_one, year_one)
    assert not Consultation.objects.exists()


def test_the_consultation_page_refuses_dates_in_year_one_with_a_message(
    client_for, odense_benefits_officer, odense_citizen
):
    decision = grant(odense_benefits_officer, odense_citizen)
    response = client_for(odense_benefits_officer).post(
        reverse("benefits:consultation-start", args=[decision.grant_id]),
        {"intended_kind": "standsning", "subject": "Arbejde", "sent_on": "0001-01-01", "deadline": "0001-01-01"},
    )
    assert response.status_code == 422
    assert "er ikke en mulig dato" in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_consultation_sent_in_the_future_is_refused(odense_benefits_officer, odense_citizen):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DecisionRefused, match="Afsendelsesdatoen"):
        start_stop_consultation(
            odense_benefits_officer, odense_citizen, tomorrow, tomorrow + datetime.timedelta(days=14)
        )
    assert not Consultation.objects.exists()


# --- The calculation -------------------------------------------------------------------------


def test_a_calculation_without_households_is_refused_in_danish(client_for, odense_benefits_officer):
    response = post_json(
        client_for(odense_benefits_officer), reverse("api:benefits-calculate"), {"month": "2025-10", "households": []}
    )
    body = assert_danish_problem(response, 422, "mindst én husstand")
    assert body["errors"][0]["felt"] == "households"


# --- The audit search ------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_an_audit_search_for_an_impossible_date_is_refused_in_danish(client_for, odense_auditor, field, day):
    searches = AuditEntry.objects.filter(action="search").count()
    response = client_for(odense_auditor).get(reverse("api:audit-entries"), {field: day})
    assert_danish_problem(response, 422, "er ikke en mulig dato")
    page = client_for(odense_auditor).get(reverse("audit:search"), {field: day})
    assert page.status_code == 200
    assert "er ikke en mulig dato" in page.content.decode()
    assert AuditEntry.objects.filter(action="search").count() == searches


def test_an_audit_search_to_a_date_before_its_from_date_is_refused_by_the_api_too(client_for, odense_auditor):
    response = client_for(odense_auditor).get(
        reverse("api:audit-entries"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert_danish_problem(response, 422, "Til-datoen ligger før fra-datoen")


# --- Interviews, offers and cases in year 9999 -------------------------------------------------


def test_an_interview_in_year_9999_is_refused_by_the_api_and_the_page(client_for, odense_caseworker, odense_case):
    client = client_for(odense_caseworker)
    response = post_json(
        client,
        reverse("api:cases-interview-plan", kwargs={"case_id": odense_case.pk}),
        {"scheduled_at": "9999-12-31T23:30:00+01:00", "form": "fremmoede"},
    )
    assert_danish_problem(response, 422, "Samtalens dato", "er ikke en mulig dato")
    page = client.post(
        reverse("cases:interview-plan", args=[odense_case.pk]),
        {"date": "9999-12-31", "time": "23:30", "form": "fremmoede"},
    )
    assert page.status_code == 200
    assert "er ikke en mulig dato" in page.content.decode()
    assert not Interview.objects.exists()


def test_an_interview_more_than_a_year_ahead_is_refused(client_for, odense_caseworker, odense_case):
    later = timezone.localdate() + datetime.timedelta(days=400)
    response = post_json(
        client_for(odense_caseworker),
        reverse("api:cases-interview-plan", kwargs={"case_id": odense_case.pk}),
        {"scheduled_at": f"{later.isoformat()}T10:00:00+01:00", "form": "fremmoede"},
    )
    assert_danish_problem(response, 422, "Samtalens dato")
    assert not Interview.objects.exists()


@pytest.mark.parametrize(("starts_on", "ends_on"), [("9999-01-01", "9999-12-31"), ("0001-01-01", "2026-12-31")])
def test_an_offer_in_an_impossible_year_is_refused(client_for, odense_caseworker, odense_case, starts_on, ends_on):
    response = post_json(
        client_for(odense_caseworker),
        reverse("api:cases-offer-add", kwargs={"case_id": odense_case.pk}),
        {"kind": "virksomhedspraktik", "provider": "Bageriet ApS", "starts_on": starts_on, "ends_on": ends_on},
    )
    assert_danish_problem(response, 422, "er ikke en mulig dato")
    assert not Offer.objects.exists()


def test_an_offer_that_ends_before_it_starts_is_refused(client_for, odense_caseworker, odense_case):
    today = timezone.localdate()
    response = post_json(
        client_for(odense_caseworker),
        reverse("api:cases-offer-add", kwargs={"case_id": odense_case.pk}),
        {
            "kind": "virksomhedspraktik",
            "provider": "Bageriet ApS",
            "starts_on": today.isoformat(),
            "ends_on": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert_danish_problem(response, 422, "Slutdatoen ligger før startdatoen")
    assert not Offer.objects.exists()


# --- Request sizes -----------------------------------------------------------------------------


def test_a_json_body_over_the_limit_is_answered_413_in_danish_and_nothing_is_written(
    client_for, odense_caseworker, odense_case, settings
):
    body = {"title": "Stor", "text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    response = post_json(
        client_for(odense_caseworker), reverse("api:cases-journal-add", kwargs={"case_id": odense_case.pk}), body
    )
    assert_danish_problem(response, 413, "for stor", "Intet er gemt")
    assert not JournalEntry.objects.exists()


def test_a_form_over_the_limit_gets_a_danish_page_that_says_so(client_for, odense_caseworker, odense_case, settings):
    response = client_for(odense_caseworker).post(
        reverse("cases:journal-add", args=[odense_case.pk]),
        {"title": "Stor", "text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Forespørgslen er for stor" in page
    assert "Intet er gemt" in page
    assert not JournalEntry.objects.exists()


def _pngs(count: int) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"side-{number}.png", PNG) for number in range(count)]


def test_more_than_a_hundred_files_in_one_upload_are_answered_413_in_danish(client_for, odense_caseworker, odense_case):
    client = client_for(odense_caseworker)
    response = client.post(
        reverse("api:cases-journal-add-files", kwargs={"case_id": odense_case.pk}),
        {"title": "Scanning", "text": "Alle sider", "files": _pngs(101)},
    )
    assert_danish_problem(response, 413, "for mange filer", "Intet er gemt")
    page = client.post(
        reverse("cases:journal-add", args=[odense_case.pk]),
        {"title": "Scanning", "text": "Alle sider", "attachments": _pngs(101)},
    )
    assert page.status_code == 413
    assert "for mange filer" in page.content.decode()
    assert not JournalEntry.objects.exists()
    assert not JournalAttachment.objects.exists()


def test_more_files_than_an_entry_may_have_are_refused_with_the_cap_named(client_for, odense_caseworker, odense_case):
    from jobcenter.cases.attachments import MAX_FILES_PER_ENTRY

    client = client_for(odense_caseworker)
    response = client.post(
        reverse("api:cases-journal-add-files", kwargs={"case_id": odense_case.pk}),
        {"title": "Scanning", "text": "Alle sider", "files": _pngs(MAX_FILES_PER_ENTRY + 1)},
    )
    assert_danish_problem(response, 422, f"højst {MAX_FILES_PER_ENTRY} bilag", f"sendt {MAX_FILES_PER_ENTRY + 1}")
    page = client.post(
        reverse("cases:journal-add", args=[odense_case.pk]),
        {"title": "Scanning", "text": "Alle sider", "attachments": _pngs(MAX_FILES_PER_ENTRY + 1)},
    )
    assert page.status_code == 200
    assert f"Et notat kan have højst {MAX_FILES_PER_ENTRY} bilag" in page.content.decode()
    assert not JournalEntry.objects.exists()
    assert not JournalAttachment.objects.exists()
    ok = client.post(
        reverse("api:cases-journal-add-files", kwargs={"case_id": odense_case.pk}),
        {"title": "Scanning", "text": "Alle sider", "files": _pngs(MAX_FILES_PER_ENTRY)},
    )
    assert ok.status_code == 201, ok.content
    assert JournalAttachment.objects.count() == MAX_FILES_PER_ENTRY


# --- Attachments: streamed with a running limit, checked whole --------------------------------


def test_an_upload_over_the_limit_is_not_kept_past_it():
    import os

    from jobcenter.cases.attachments import LimitedUploadHandler
    from jobcenter.cases.models import MAX_ATTACHMENT_BYTES

    handler = LimitedUploadHandler()
    handler.new_file("files", "stor.pdf", "application/pdf", None)
    chunk = b"0" * (1024 * 1024)
    received = 0
    while received <= MAX_ATTACHMENT_BYTES + len(chunk):
        handler.receive_data_chunk(chunk, received)
        received += len(chunk)
    upload = handler.file_complete(received)
    assert upload.too_large
    assert upload.size == received
    assert os.path.getsize(upload.temporary_file_path()) == 0  # nothing past the limit was kept
    upload.close()


@pytest.mark.parametrize(
    ("name", "sample"),
    [("cv.pdf", "TRUNCATED_PDF"), ("scan.jpg", "TRUNCATED_JPEG"), ("foto.png", "FAKE_PNG")],
)
def test_an_attachment_that_only_starts_like_its_type_is_refused_and_nothing_is_written(
    client_for, odense_caseworker, odense_case, name, sample
):
    from tests import attachment_samples

    response = client_for(odense_caseworker).post(
        reverse("api:cases-journal-add-files", kwargs={"case_id": odense_case.pk}),
        {"title": "CV", "text": "Vedhæftet", "files": [SimpleUploadedFile(name, getattr(attachment_samples, sample))]},
    )
    assert_danish_problem(response, 422, f"Bilaget »{name}«", "er ikke hel eller ikke gyldig")
    assert not JournalEntry.objects.exists()
    assert not JournalAttachment.objects.exists()


def test_a_claim_consultation_sent_and_due_in_year_one_is_refused_before_the_claim_is_read(odense_benefits_officer):
    import uuid

    from jobcenter.payments.claims import ClaimRefused, do_start_claim_consultation

    year_one = datetime.date(1, 1, 1)
    with pytest.raises(ClaimRefused, match=r"Afsendelsesdatoen .* er ikke en mulig dato"):
        do_start_claim_consultation(
            odense_benefits_officer, uuid.uuid4(), subject="Krav", sent_on=year_one, deadline=year_one
        )


def test_a_consultation_reply_received_in_the_future_is_refused(odense_benefits_officer, odense_citizen):
    from jobcenter.benefits.actions import do_record_consultation_reply

    today = timezone.localdate()
    start_stop_consultation(odense_benefits_officer, odense_citizen, today, today + datetime.timedelta(days=14))
    consultation = Consultation.objects.get()
    with pytest.raises(DecisionRefused, match="Svardatoen"):
        do_record_consultation_reply(
            odense_benefits_officer,
            consultation.pk,
            received_on=today + datetime.timedelta(days=3),
            summary="Uenig",
        )
    consultation.refresh_from_db()
    assert consultation.reply_received_on is None
