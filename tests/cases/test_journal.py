"""The journal is append-only: nothing changes or deletes an entry, by any path."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from jobcenter.audit.append_only import AppendOnlyError
from jobcenter.cases.actions import UploadedFile, do_correct_journal_entry, do_write_journal_entry
from jobcenter.cases.models import MAX_ATTACHMENT_BYTES, MAX_TEXT_CHARS, JournalAttachment, JournalEntry
from jobcenter.cases.queries import access_journal_entry
from tests.attachment_samples import JPEG, PDF, PNG


def test_a_caseworker_writes_a_journal_entry_and_sees_it_on_the_case(client_for, odense_caseworker, odense_case):
    client = client_for(odense_caseworker)
    response = client.post(
        reverse("cases:journal-add", args=[odense_case.pk]),
        {"title": "Telefonsamtale", "text": "Karen ringede om praktik."},
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get(case=odense_case)
    assert entry.author == odense_caseworker
    assert entry.author_name == odense_caseworker.display_name
    assert entry.created_at is not None
    page = client.get(reverse("cases:detail", args=[odense_case.pk])).content.decode()
    assert "Karen ringede om praktik." in page


def test_a_correction_is_a_new_entry_and_the_original_stays_visible_marked_as_corrected(
    client_for, odense_caseworker, odense_journal_entry
):
    client = client_for(odense_caseworker)
    response = client.post(
        reverse("cases:journal-correct", args=[odense_journal_entry.pk]),
        {"title": "Rettelse", "text": "Karen vil være social- og sundhedsassistent."},
    )
    assert response.status_code == 302
    original = JournalEntry.objects.get(pk=odense_journal_entry.pk)
    assert original.text == "Karen vil være SOSU."
    correction = JournalEntry.objects.get(corrects=original)
    assert correction.text == "Karen vil være social- og sundhedsassistent."
    page = client.get(reverse("cases:detail", args=[odense_journal_entry.case_id])).content.decode()
    assert "Karen vil være SOSU." in page
    assert 'data-testid="corrected-marker"' in page
    assert "social- og sundhedsassistent" in page


def test_the_orm_refuses_to_change_or_delete_an_entry(odense_journal_entry):
    odense_journal_entry.text = "omskrevet"
    with pytest.raises(AppendOnlyError):
        odense_journal_entry.save()
    with pytest.raises(AppendOnlyError):
        odense_journal_entry.delete()
    with pytest.raises(AppendOnlyError):
        JournalEntry.objects.filter(pk=odense_journal_entry.pk).update(text="omskrevet")
    with pytest.raises(AppendOnlyError):
        JournalEntry.objects.all().delete()


@pytest.mark.parametrize("table", ["cases_journalentry", "cases_journalattachment", "cases_planversion"])
def test_the_database_refuses_raw_sql_updates_and_deletes(table, odense_case, odense_journal_entry):
    from jobcenter.cases.actions import do_save_plan

    do_write_journal_entry(acting_user=None, case=odense_case, title="B", text="B", files=[UploadedFile("a.png", PNG)])
    do_save_plan(acting_user=None, citizen=odense_case.citizen, goals="Job", agreements="")
    column = "id"
    for statement in (f"UPDATE {table} SET {column} = {column}", f"DELETE FROM {table}"):  # noqa: S608
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert JournalEntry.objects.filter(pk=odense_journal_entry.pk, text="Karen vil være SOSU.").exists()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        assert cursor.fetchone()[0] >= 1


def journal_urls(entry, attachment) -> list[str]:
    case_id = entry.case_id
    return [
        reverse("cases:detail", args=[case_id]),
        reverse("cases:journal-add", args=[case_id]),
        reverse("cases:journal-draft", args=[case_id]),
        reverse("cases:journal-correct", args=[entry.pk]),
        reverse("cases:correction-draft", args=[entry.pk]),
        reverse("cases:attachment", args=[attachment.pk]),
        reverse("api:cases-detail", kwargs={"case_id": case_id}),
        reverse("api:cases-journal-add", kwargs={"case_id": case_id}),
        reverse("api:cases-journal-correct", kwargs={"entry_id": entry.pk}),
    ]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_no_journal_route_changes_or_deletes_an_entry(method, client_for, odense_caseworker, odense_case):
    entry = do_write_journal_entry(
        acting_user=None, case=odense_case, title="Bilag", text="CV", files=[UploadedFile("cv.png", PNG)]
    )
    attachment = entry.attachments.get()
    client = client_for(odense_caseworker)
    for url in journal_urls(entry, attachment):
        response = getattr(client, method)(url, {"title": "x", "text": "x"}, content_type="application/json")
        assert response.status_code == 405, url
    assert JournalEntry.objects.get(pk=entry.pk).text == "CV"
    assert JournalAttachment.objects.filter(pk=attachment.pk).exists()


def test_there_is_no_admin_for_the_journal(client_for, make_user, odense):
    from jobcenter.tenancy.roles import Role

    admin = make_user(Role.ADMINISTRATOR, odense)
    assert client_for(admin).get("/admin/cases/journalentry/").status_code == 404


def test_script_in_free_text_is_shown_as_text(client_for, odense_caseworker, odense_case):
    do_write_journal_entry(
        acting_user=odense_caseworker,
        case=odense_case,
        title="<script>alert('titel')</script>",
        text="<script>alert('tekst')</script><img src=x onerror=alert(1)>",
    )
    page = client_for(odense_caseworker).get(reverse("cases:detail", args=[odense_case.pk])).content.decode()
    assert "<script>alert(" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;tekst&#x27;)&lt;/script&gt;" in page


def test_oversized_text_is_refused_with_a_danish_message_and_nothing_is_written(
    client_for, odense_caseworker, odense_case
):
    response = client_for(odense_caseworker).post(
        reverse("cases:journal-add", args=[odense_case.pk]),
        {"title": "Langt", "text": "x" * (MAX_TEXT_CHARS + 1)},
    )
    assert response.status_code == 200
    assert "Teksten i »tekst« er for lang: 20.001 tegn. Der er plads til 20.000 tegn" in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_an_oversized_attachment_is_refused_and_nothing_is_written(odense_caseworker, odense_case):
    from django.core.exceptions import ValidationError

    big = PDF + b"0" * MAX_ATTACHMENT_BYTES
    with pytest.raises(ValidationError, match="er for stort"):
        do_write_journal_entry(
            acting_user=odense_caseworker,
            case=odense_case,
            title="CV",
            text="Vedhæftet",
            files=[UploadedFile("cv.pdf", big)],
        )
    assert not JournalEntry.objects.exists()
    assert not JournalAttachment.objects.exists()


def test_an_attachment_is_checked_by_its_content_not_its_name(client_for, odense_caseworker, odense_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake_pdf = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(odense_caseworker).post(
        reverse("cases:journal-add", args=[odense_case.pk]),
        {"title": "CV", "text": "Vedhæftet", "attachments": fake_pdf},
    )
    assert "er ikke en PDF-, PNG- eller JPEG-fil" in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_pdf_png_and_jpeg_attachments_are_kept_and_served_back(client_for, odense_caseworker, odense_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(odense_caseworker)
    files = [
        SimpleUploadedFile("cv.pdf", PDF),
        SimpleUploadedFile("foto.png", PNG),
        SimpleUploadedFile("scan.jpg", JPEG),
    ]
    response = client.post(
        reverse("cases:journal-add", args=[odense_case.pk]), {"title": "CV", "text": "Tre bilag", "attachments": files}
    )
    assert response.status_code == 302
    types = sorted(JournalAttachment.objects.values_list("content_type", flat=True))
    assert types == ["application/pdf", "image/jpeg", "image/png"]
    pdf = JournalAttachment.objects.get(content_type="application/pdf")
    download = client.get(reverse("cases:attachment", args=[pdf.pk]))
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="bilag-{pdf.pk}.pdf"'


def test_a_correction_of_an_entry_in_another_municipality_is_not_found_and_writes_nothing(
    client_for, aarhus_caseworker, odense_journal_entry
):
    from django.http import Http404

    before = JournalEntry.objects.count()
    response = client_for(aarhus_caseworker).post(
        reverse("cases:journal-correct", args=[odense_journal_entry.pk]), {"title": "Rettelse", "text": "Hack"}
    )
    assert response.status_code == 404
    api = client_for(aarhus_caseworker).post(
        reverse("api:cases-journal-correct", kwargs={"entry_id": odense_journal_entry.pk}),
        {"title": "Rettelse", "text": "Hack"},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert api["Content-Type"] == "application/problem+json"
    assert "findes ikke" in api.json()["detail"]
    with pytest.raises(Http404):
        access_journal_entry(aarhus_caseworker, odense_journal_entry.pk, edit=True)
    assert JournalEntry.objects.count() == before


def test_the_action_also_refuses_a_correction_across_municipalities(aarhus_caseworker, odense_journal_entry):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        do_correct_journal_entry(acting_user=aarhus_caseworker, entry=odense_journal_entry, title="x", text="y")
    assert JournalEntry.objects.count() == 1


def test_the_api_writes_an_entry_with_attachments_from_a_multipart_form(client_for, odense_caseworker, odense_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(odense_caseworker).post(
        reverse("api:cases-journal-add-files", kwargs={"case_id": odense_case.pk}),
        {
            "title": "CV",
            "text": "Vedhæftet",
            "files": [SimpleUploadedFile("cv.pdf", PDF), SimpleUploadedFile("a.png", PNG)],
        },
    )
    assert response.status_code == 201, response.content
    entry = JournalEntry.objects.get()
    assert sorted(a.content_type for a in entry.attachments.all()) == ["application/pdf", "image/png"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("virus.pdf", b"MZ\x90\x00 not a pdf"), "er ikke en PDF-, PNG- eller JPEG-fil"),
        (("stor.pdf", PDF + b"0" * MAX_ATTACHMENT_BYTES), "er for stort"),
    ],
    ids=["wrong-type", "too-large"],
)
def test_the_api_refuses_a_bad_attachment_with_problem_json_and_writes_nothing(
    client_for, odense_caseworker, odense_case, upload, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(odense_caseworker).post(
        reverse("api:cases-journal-add-files", kwargs={"case_id": odense_case.pk}),
        {"title": "CV", "text": "Vedhæftet", "files": [SimpleUploadedFile(*upload)]},
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert message in response.json()["detail"]
    assert not JournalEntry.objects.exists()
    assert not JournalAttachment.objects.exists()
