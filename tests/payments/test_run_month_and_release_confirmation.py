"""The run page's start form picks a month and refuses a bad one; releasing asks first and shows what will be paid."""

from __future__ import annotations

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobcenter.payments.models import PaymentRun, RunStatus
from tests.payments.helpers import approved_run, grant


def test_the_start_form_offers_the_browsers_month_picker(client_for, odense_benefits_officer):
    page = client_for(odense_benefits_officer).get(reverse("payments:runs")).content.decode()
    form = page[page.index('data-testid="run-start"') :]
    assert 'type="month"' in form[: form.index("</form>")]
    assert 'max="' in form[: form.index("</form>")]


def test_a_month_that_is_not_a_month_is_refused_in_danish_and_nothing_is_started(
    client_for, odense_benefits_officer, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    for bad in ("2025-13", "oktober", "10-2025", ""):
        response = client_for(odense_benefits_officer).post(reverse("payments:run-start"), {"month": bad})
        assert response.status_code == 422, bad
        page = response.content.decode()
        assert "Måneden skal skrives ÅÅÅÅ-MM" in page or "Dette felt er påkrævet" in page, bad
    assert not PaymentRun.objects.exists()


def test_the_month_from_the_picker_starts_a_trial(client_for, odense_benefits_officer, odense_citizen):
    grant(odense_benefits_officer, odense_citizen)
    response = client_for(odense_benefits_officer).post(reverse("payments:run-start"), {"month": "2025-10"})
    assert response.status_code == 302
    assert PaymentRun.objects.get().status == RunStatus.TRIAL


def test_releasing_asks_first_with_the_total_the_number_of_payments_and_the_day_and_pays_nothing(
    client_for, odense_benefits_officer, odense_team_lead, odense_citizen
):
    run = approved_run(odense_benefits_officer, odense_team_lead, [odense_citizen])
    response = client_for(odense_benefits_officer).get(reverse("payments:run-release", args=[run.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    total = page[page.index('data-testid="release-total"') :]
    assert "13.590,00 kr." in total[: total.index("</td>")]
    count = page[page.index('data-testid="release-count"') :]
    assert ">1</td>" in count[: count.index("</td>") + 5]
    day = page[page.index('data-testid="release-day"') :]
    assert "oktober 2025" in day[: day.index("</td>")]
    assert "Det kan ikke fortrydes" in page
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED and run.release_queued_by is None
    assert not DBTaskResult.objects.filter(task_path="jobcenter.payments.tasks.release_run").exists()


def test_the_run_page_leads_to_the_confirmation_rather_than_releasing(
    client_for, odense_benefits_officer, odense_team_lead, odense_citizen
):
    run = approved_run(odense_benefits_officer, odense_team_lead, [odense_citizen])
    page = client_for(odense_benefits_officer).get(reverse("payments:run", args=[run.pk])).content.decode()
    link = reverse("payments:run-release", args=[run.pk])
    assert f'href="{link}"' in page and f'action="{link}"' not in page


def test_a_trial_that_is_not_approved_has_no_release_confirmation(
    client_for, odense_benefits_officer, odense_team_lead, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    client_for(odense_benefits_officer).post(reverse("payments:run-start"), {"month": "2025-10"})
    run = PaymentRun.objects.get()
    client = client_for(odense_team_lead)
    response = client.get(reverse("payments:run-release", args=[run.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("payments:run", args=[run.pk])
    assert "skal være godkendt af en anden person" in client.get(response["Location"]).content.decode()
