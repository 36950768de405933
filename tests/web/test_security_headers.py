"""Every response carries a strict Content-Security-Policy; nothing that shows personal data is cached;
a method the system does not speak is answered 405 with the methods it does."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobcenter.cases.models import JournalAttachment
from jobcenter.tenancy.actions import do_issue_api_token
from tests.attachment_samples import PDF
from tests.letters.test_letters import breakdown, specification  # noqa: F401  (fixtures)

TEMPLATES = Path(__file__).resolve().parents[2] / "jobcenter"


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in (p.strip() for p in policy.split(";")) if part}


def test_every_page_has_a_strict_content_security_policy(client, client_for, odense_caseworker, odense_citizen):
    for response in (
        client.get(reverse("web:login")),
        client_for(odense_caseworker).get(reverse("citizens:detail", args=[odense_citizen.pk])),
        client.get("/findes-ikke/"),
    ):
        policy = directives(response)
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_the_api_answers_carry_the_policy_too(client, db):
    response = client.get("/api/v1/openapi.json")
    assert directives(response)["default-src"] == "'self'"


def test_no_template_has_inline_script_style_or_event_handlers():
    offenders = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        if "letters/templates" in str(template):
            continue  # letters are rendered to PDF on the server, never shown as a page
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text):
            offenders.append(f"{template}: inline <script>")
        if re.search(r"<style\b|\sstyle=", text):
            offenders.append(f"{template}: inline style")
        if re.search(r"\son[a-z]+=", text):
            offenders.append(f"{template}: on…= handler")
    assert offenders == []


def test_a_signed_in_users_pages_are_never_cached(client_for, odense_caseworker, odense_citizen):
    client = client_for(odense_caseworker)
    for url in (reverse("web:start"), reverse("citizens:detail", args=[odense_citizen.pk]), reverse("citizens:search")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_static_files_may_be_cached(client, db):
    assert "no-store" not in client.get("/static/web/jobcenter.css").get("Cache-Control", "")


def test_an_attachment_download_is_never_cached(client_for, odense_caseworker, odense_case):
    client = client_for(odense_caseworker)
    client.post(
        reverse("cases:journal-add", args=[odense_case.pk]),
        {"title": "CV", "text": "Bilag", "attachments": [SimpleUploadedFile("cv.pdf", PDF)]},
    )
    attachment = JournalAttachment.objects.get()
    download = client.get(reverse("cases:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]
    assert "script-src" in download["Content-Security-Policy"]


def test_a_letter_download_is_never_cached_and_runs_no_script(client_for, odense_caseworker, specification):  # noqa: F811
    response = client_for(odense_caseworker).get(reverse("letters:pdf", args=[specification.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert directives(response)["script-src"] == "'none'"


def test_an_api_answer_by_token_is_never_cached(client, odense_caseworker):
    _, raw = do_issue_api_token(acting_user=None, user=odense_caseworker, name="Integration")
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_trace_on_a_page_is_refused_with_405_and_the_allowed_methods(client_for, odense_caseworker):
    client = client_for(odense_caseworker)
    for path in ("/", reverse("web:login"), reverse("citizens:search")):
        response = client.generic("TRACE", path)
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD, POST"


def test_trace_on_the_api_is_refused_as_problem_json_with_the_routes_methods(client, odense_caseworker):
    _, raw = do_issue_api_token(acting_user=None, user=odense_caseworker, name="Integration")
    for method in ("TRACE", "PROPFIND", "DELETE"):
        response = client.generic(method, reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 405
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Metoden er ikke tilladt"
        assert response["Allow"] == "GET"
