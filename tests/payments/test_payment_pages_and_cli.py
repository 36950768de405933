"""The run pages, the API and `jobcenter payments` say the same things as the actions."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from jobcenter.payments.models import Payment, PaymentRun, RunStatus
from jobcenter.payments.tasks import release_run
from tests.payments.helpers import grant


def test_a_refused_trial_shows_the_rules_message_on_the_page(client_for, odense_benefits_officer, odense_citizen):
    grant(odense_benefits_officer, odense_citizen)
    response = client_for(odense_benefits_officer).post(reverse("payments:run-start"), {"month": "2026-03"})
    assert response.status_code == 422
    assert "er ikke kendt og godkendt for 2026-03" in response.content.decode()
    assert not PaymentRun.objects.exists()


def test_the_run_page_shows_totals_and_offers_approval_only_to_another_person(
    client_for, odense_benefits_officer, odense_team_lead, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    response = client_for(odense_benefits_officer).post(reverse("payments:run-start"), {"month": "2025-10"})
    run = PaymentRun.objects.get()
    assert response["Location"] == reverse("payments:run", args=[run.pk])
    own = client_for(odense_benefits_officer).get(response["Location"]).content.decode()
    assert 'data-testid="needs-second-person"' in own and 'data-testid="run-approve"' not in own
    assert "13.590,00 kr." in own
    other = client_for(odense_team_lead).get(response["Location"]).content.decode()
    assert 'data-testid="run-approve"' in other


def test_the_command_runs_approves_and_releases_with_a_progress_bar(
    odense_benefits_officer, odense_team_lead, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "payments",
        "run",
        "--municipality",
        "0461",
        "--month",
        "2025-10",
        "--trial",
        "--user",
        "odense-ydelse",
        stdout=out,
        stderr=err,
    )
    run = PaymentRun.objects.get()
    assert "Prøvekørsel" in out.getvalue() and "13.590,00 kr." in out.getvalue()
    with pytest.raises(CommandError, match="En anden person skal godkende"):
        call_command("payments", "approve", str(run.pk), "--user", "odense-ydelse", stdout=out)
    call_command("payments", "approve", str(run.pk), "--user", "odense-teamleder", stdout=out)
    err = io.StringIO()
    call_command("payments", "release", str(run.pk), "--user", "odense-ydelse", stdout=out, stderr=err)
    assert "] 100% udbetalt 1/1" in err.getvalue()
    assert PaymentRun.objects.get().status == RunStatus.RELEASED and Payment.objects.count() == 1


def test_the_command_refuses_a_month_without_rates_with_the_rules_message(odense_benefits_officer, odense_citizen):
    grant(odense_benefits_officer, odense_citizen)
    with pytest.raises(CommandError, match="ikke kendt og godkendt for 2026-03"):
        call_command(
            "payments", "run", "--municipality", "0461", "--month", "2026-03", "--trial", "--user", "odense-ydelse"
        )


def test_the_statement_lists_the_citizens_entries(
    client_for, odense_benefits_officer, odense_team_lead, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    for user, command in ((odense_benefits_officer, "run"),):
        call_command(
            "payments",
            command,
            "--municipality",
            "0461",
            "--month",
            "2025-10",
            "--trial",
            "--user",
            user.username,
            stdout=io.StringIO(),
        )
    run = PaymentRun.objects.get()
    client_for(odense_team_lead).post(reverse("payments:run-approve", args=[run.pk]))
    release_run.call(str(odense_benefits_officer.pk), str(run.pk))  # what the page's button queues for the worker
    response = client_for(odense_benefits_officer).get(
        reverse("api:payments-statement", kwargs={"citizen_id": odense_citizen.pk})
    )
    lines = response.json()
    assert [line["amount_ore"] for line in lines] == [-1_359_000, 1_359_000]
    assert lines[-1]["balance_ore"] == 0
