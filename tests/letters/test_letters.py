"""Letters: PDF/A from the breakdown that pays, archived unchanged, delivered through Digital Post or put on paper."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pypdf
import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobcenter.audit.append_only import AppendOnlyError
from jobcenter.audit.models import AuditEntry
from jobcenter.benefits.calculation import calculate
from jobcenter.integrations.digital_post.fake import FakeDigitalPostClient
from jobcenter.letters.actions import (
    LetterRefused,
    PaidMonth,
    PaidSegment,
    do_issue_decision_letter,
    do_issue_paid_month_specification,
    do_mark_printed,
)
from jobcenter.letters.models import DeliveryStatus, Letter, LetterDelivery
from jobcenter.letters.queries import current_status
from jobcenter.letters.tasks import MAX_ATTEMPTS, deliver_letter
from jobcenter.rules import format_kroner
from jobcenter.tenancy.roles import Role
from tests.conftest import SINGLE_HOUSEHOLD_2023


@pytest.fixture(autouse=True)
def digital_post():
    FakeDigitalPostClient.reset()
    yield FakeDigitalPostClient
    FakeDigitalPostClient.reset()


@pytest.fixture
def breakdown():
    return calculate([SINGLE_HOUSEHOLD_2023], "2023-03")[0]


def paid_whole_month(breakdown, amount_ore=None):
    """March 2023 paid in full from the breakdown (`amount_ore` to make figures that do not add up)."""
    total = breakdown.total_ore
    return PaidMonth(
        month="2023-03",
        payment_date=date(2023, 3, 31),
        days_in_month=31,
        segments=(PaidSegment(result=breakdown, days=31, amount_ore=total),),
        regular_ore=total,
        corrections=(),
        correction_ore=0,
        amount_ore=total if amount_ore is None else amount_ore,
        claim_ore=0,
    )


@pytest.fixture
def specification(odense_citizen, breakdown, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return do_issue_paid_month_specification(
            None,
            citizen=odense_citizen,
            paid=paid_whole_month(breakdown),
            subject_type="payments.paymentrun",
            subject_id="run-1",
        )


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_specification_is_pdf_a_tagged_and_in_danish(specification):
    reader = pypdf.PdfReader(io.BytesIO(bytes(specification.pdf)))
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in metadata
    assert 'pdfaid:conformance="A"' in metadata
    assert reader.trailer["/Root"]["/Lang"] == "da"
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_the_specification_shows_exactly_the_lines_and_total_of_the_breakdown(specification, breakdown):
    text = pdf_text(bytes(specification.pdf))
    person = breakdown.persons[0]
    for line in person.lines:
        assert format_kroner(line.amount_ore) in text
        assert line.reference.split(",")[0] in text
    assert f"Til udbetaling {format_kroner(person.total_ore)}" in " ".join(text.split())
    assert "31. marts 2023" in text
    assert "Sådan klager du" in text and "4 uger" in text
    assert "0101901234" not in text and "010190-1234" not in text  # the CPR number is masked on paper


def test_the_letter_cannot_be_printed_from_figures_that_do_not_add_up(odense_citizen, breakdown):
    with pytest.raises(LetterRefused):
        do_issue_paid_month_specification(
            None, citizen=odense_citizen, paid=paid_whole_month(breakdown, amount_ore=breakdown.total_ore + 1)
        )
    assert not Letter.objects.exists()


def test_issuing_queues_delivery_only_after_commit(odense_citizen, breakdown, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter = do_issue_paid_month_specification(None, citizen=odense_citizen, paid=paid_whole_month(breakdown))
    assert DBTaskResult.objects.count() == 0
    assert len(callbacks) == 1
    callbacks[0]()
    assert DBTaskResult.objects.get().args_kwargs["args"] == [str(letter.pk)]
    assert current_status(letter) == DeliveryStatus.QUEUED


def test_a_rolled_back_decision_leaves_no_letter_and_sends_nothing(odense_citizen, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        do_issue_decision_letter(
            None,
            citizen=odense_citizen,
            title="Afgørelse om kontanthjælp",
            decision_text="Du får kontanthjælp.",
            justification="Du opfylder betingelserne.",
            legal_basis="Lov om aktiv socialpolitik § 11",
            effective_from=date(2023, 3, 1),
        )
        raise RuntimeError("the decision failed after the letter was made")
    assert callbacks == []
    assert not Letter.objects.exists()


def test_delivery_sends_the_archived_pdf_once(specification, digital_post):
    assert deliver_letter.call(str(specification.pk)) == DeliveryStatus.SENT
    assert deliver_letter.call(str(specification.pk)) == DeliveryStatus.SENT  # a second run sends nothing
    delivered = digital_post.delivered()
    assert len(delivered) == 1
    assert delivered[0].pdf == bytes(specification.pdf)
    assert delivered[0].idempotency_key == str(specification.pk)
    assert current_status(specification) == DeliveryStatus.SENT


def test_a_citizen_without_digital_post_goes_to_the_paper_queue(
    specification, digital_post, odense_benefits_officer, client_for
):
    digital_post.register_not_connected("0101901234")
    assert deliver_letter.call(str(specification.pk)) == DeliveryStatus.NEEDS_PAPER
    client = client_for(odense_benefits_officer)
    page = client.get(reverse("letters:paper-queue")).content.decode()
    assert specification.title in page
    assert "Digital Post" in page

    response = client.post(reverse("letters:mark-printed", args=[specification.pk]))
    assert response.status_code == 302
    assert current_status(specification) == DeliveryStatus.PRINTED
    assert specification.title not in client.get(reverse("letters:paper-queue")).content.decode()
    with pytest.raises(LetterRefused, match="står ikke i køen"):
        do_mark_printed(odense_benefits_officer, specification)


def test_digital_post_down_retries_later_then_falls_back_to_paper(specification, digital_post):
    digital_post.set_unavailable(True)
    before = timezone.now()
    assert deliver_letter.call(str(specification.pk)) == DeliveryStatus.RETRYING
    retry = DBTaskResult.objects.filter(args_kwargs__args=[str(specification.pk)]).order_by("-enqueued_at").first()
    assert retry is not None and retry.run_after is not None and retry.run_after >= before + timedelta(minutes=1)
    for _ in range(MAX_ATTEMPTS - 2):
        assert deliver_letter.call(str(specification.pk)) == DeliveryStatus.RETRYING
    assert deliver_letter.call(str(specification.pk)) == DeliveryStatus.NEEDS_PAPER
    assert "svarede ikke efter" in specification.deliveries.order_by("-id").first().detail
    assert digital_post.delivered() == ()


def test_a_letter_and_its_history_cannot_be_changed_or_deleted(specification):
    with pytest.raises(AppendOnlyError):
        specification.save()
    with pytest.raises(AppendOnlyError):
        Letter.objects.filter(pk=specification.pk).update(title="Ændret")
    with pytest.raises(AppendOnlyError):
        LetterDelivery.objects.filter(letter=specification).delete()
    with pytest.raises(Exception, match=r"(?i)append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE letters_letter SET title = 'Ændret'")
    specification.refresh_from_db()
    assert specification.title.startswith("Udbetaling af kontanthjælp")


def test_opening_the_pdf_is_audited_and_names_no_person(specification, odense_caseworker, client_for):
    response = client_for(odense_caseworker).get(reverse("letters:pdf", args=[specification.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="brev-{specification.pk}.pdf"'
    assert response.content == bytes(specification.pdf)
    assert AuditEntry.objects.filter(object_id=str(specification.pk), action="export").count() == 1


def test_the_citizen_page_lists_the_letters_with_their_status(specification, odense_caseworker, client_for):
    deliver_letter.call(str(specification.pk))
    page = client_for(odense_caseworker).get(reverse("letters:citizen", args=[specification.citizen_id]))
    assert "Sendt med Digital Post" in page.content.decode()


def test_a_decision_letter_needs_a_justification_and_a_legal_basis(odense_citizen):
    with pytest.raises(LetterRefused, match="begrundelse"):
        do_issue_decision_letter(
            None,
            citizen=odense_citizen,
            title="Afgørelse",
            decision_text="Din kontanthjælp stopper.",
            justification=" ",
            legal_basis="LAS § 11",
            effective_from=date(2023, 3, 1),
        )
    assert not Letter.objects.exists()


def test_script_in_a_decision_is_printed_as_text(odense_citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        letter = do_issue_decision_letter(
            None,
            citizen=odense_citizen,
            title="Afgørelse",
            decision_text="Du får hjælp.",
            justification="<script>alert(1)</script> Begrundelse",
            legal_basis="LAS § 11",
            effective_from=date(2023, 3, 1),
        )
    assert "<script>alert(1)</script> Begrundelse" in pdf_text(bytes(letter.pdf))


def test_a_caseworker_in_aarhus_cannot_see_an_odense_letter(specification, make_user, aarhus, client_for):
    aarhus_caseworker = make_user(Role.CASEWORKER, aarhus)
    response = client_for(aarhus_caseworker).get(reverse("letters:pdf", args=[specification.pk]))
    assert response.status_code == 404
