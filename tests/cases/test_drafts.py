"""What a caseworker types is never lost: saved while typing, offered back after a restart, gone once saved."""

from django.test import Client
from django.urls import reverse

from jobcenter.cases.models import Draft, JournalEntry
from tests.cases.interviews import summoned_interview
from tests.conftest import PASSWORD


def test_the_autosave_endpoint_keeps_what_is_typed(client_for, odense_caseworker, odense_case):
    response = client_for(odense_caseworker).post(
        reverse("cases:journal-draft", args=[odense_case.pk]),
        {"title": "Samtale", "text": "Karen fortalte om"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Kladde gemt kl." in response.content.decode()
    draft = Draft.objects.get(user=odense_caseworker, key=f"journal:{odense_case.pk}")
    assert draft.content == {"title": "Samtale", "text": "Karen fortalte om"}


def test_the_journal_form_autosaves_with_htmx_and_keeps_a_browser_copy(client_for, odense_caseworker, odense_case):
    page = client_for(odense_caseworker).get(reverse("cases:journal-add", args=[odense_case.pk])).content.decode()
    assert 'hx-trigger="input changed delay:1s"' in page
    assert f'hx-post="{reverse("cases:journal-draft", args=[odense_case.pk])}"' in page
    assert f'data-draft-key="journal:{odense_case.pk}"' in page
    assert "web/drafts.js" in page


def signed_in_client() -> Client:
    client = Client()
    response = client.post(reverse("web:login"), {"username": "odense-sagsbehandler", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_after_a_server_restart_a_new_session_gets_the_draft_back_in_the_form(odense_caseworker, odense_case):
    first = signed_in_client()
    first.post(reverse("cases:journal-draft", args=[odense_case.pk]), {"title": "Halvt", "text": "Ikke gemt endnu"})
    del first  # the process, its memory and the session cookie are gone; only the database remains

    second = signed_in_client()
    page = second.get(reverse("cases:journal-add", args=[odense_case.pk])).content.decode()
    assert "Ikke gemt endnu" in page
    assert 'value="Halvt"' in page


def test_the_draft_is_deleted_only_when_the_entry_is_saved(client_for, odense_caseworker, odense_case):
    client = client_for(odense_caseworker)
    draft_url = reverse("cases:journal-draft", args=[odense_case.pk])
    client.post(draft_url, {"title": "Notat", "text": "Udkast"})
    refused = client.post(reverse("cases:journal-add", args=[odense_case.pk]), {"title": "Notat", "text": ""})
    assert refused.status_code == 200
    assert Draft.objects.filter(user=odense_caseworker).exists()
    saved = client.post(reverse("cases:journal-add", args=[odense_case.pk]), {"title": "Notat", "text": "Færdigt"})
    assert saved.status_code == 302
    assert JournalEntry.objects.filter(text="Færdigt").exists()
    assert not Draft.objects.filter(user=odense_caseworker).exists()
    # The next page tells the browser to forget its copy.
    page = client.get(saved["Location"]).content.decode()
    assert f'data-cleared-drafts="journal:{odense_case.pk}"' in page


def test_an_interview_outcome_draft_survives_and_is_cleared_by_recording(client_for, odense_caseworker, odense_case):
    interview = summoned_interview(odense_case)
    client = client_for(odense_caseworker)
    client.post(reverse("cases:outcome-draft", args=[interview.pk]), {"outcome": "held", "notes": "Vi talte om CV"})
    page = client.get(reverse("cases:interview-outcome", args=[interview.pk])).content.decode()
    assert "Vi talte om CV" in page
    client.post(
        reverse("cases:interview-outcome", args=[interview.pk]),
        {"outcome": "held", "held_form": "telefon", "notes": "Vi talte om CV"},
    )
    assert not Draft.objects.exists()


def test_a_draft_is_only_ever_offered_to_the_person_who_wrote_it(
    client_for, odense_caseworker, make_user, odense, odense_case
):
    from jobcenter.tenancy.roles import Role

    client_for(odense_caseworker).post(
        reverse("cases:journal-draft", args=[odense_case.pk]), {"title": "Privat", "text": "Mit udkast"}
    )
    colleague = make_user(Role.CASEWORKER, odense, username="kollega")
    page = client_for(colleague).get(reverse("cases:journal-add", args=[odense_case.pk])).content.decode()
    assert "Mit udkast" not in page


def test_another_municipality_cannot_save_a_draft_on_an_odense_case(client_for, aarhus_caseworker, odense_case):
    response = client_for(aarhus_caseworker).post(reverse("cases:journal-draft", args=[odense_case.pk]), {"text": "x"})
    assert response.status_code == 404
    assert not Draft.objects.exists()


def test_the_api_saves_and_returns_the_journal_draft_until_the_entry_is_written(
    client_for, odense_caseworker, odense_case
):
    from django.test import Client
    from django.urls import reverse

    client = client_for(odense_caseworker)
    save_url = reverse("api:cases-journal-draft-save", kwargs={"case_id": odense_case.pk})
    draft_url = reverse("api:cases-journal-draft", kwargs={"case_id": odense_case.pk})
    saved = client.post(
        save_url, {"content": {"title": "Samtale", "text": "Halvt skrevet"}}, content_type="application/json"
    )
    assert saved.status_code == 200
    # A new session (another device, or after a restart) gets the draft back.
    again = Client()
    again.force_login(odense_caseworker)
    assert again.get(draft_url).json()["content"] == {"title": "Samtale", "text": "Halvt skrevet"}

    client.post(
        reverse("api:cases-journal-add", kwargs={"case_id": odense_case.pk}),
        {"title": "Samtale", "text": "Færdig"},
        content_type="application/json",
    )
    assert again.get(draft_url).json() == {"content": {}, "saved_at": None}
