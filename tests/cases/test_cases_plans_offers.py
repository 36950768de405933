import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jobcenter.audit.models import AuditEntry
from jobcenter.cases.actions import do_add_offer, do_open_case, do_save_plan
from jobcenter.cases.models import Case, Interview, Offer, PlanVersion
from tests.conftest import TARGET_GROUP


def test_a_caseworker_opens_a_case_from_the_citizen_page(client_for, odense_caseworker, odense_citizen):
    client = client_for(odense_caseworker)
    citizen_page = client.get(reverse("citizens:detail", args=[odense_citizen.pk])).content.decode()
    assert reverse("cases:open", args=[odense_citizen.pk]) in citizen_page
    response = client.post(
        reverse("cases:open", args=[odense_citizen.pk]),
        {"target_group": "lab_dagpenge", "opened_on": "2026-11-23", "caseworker": str(odense_caseworker.pk)},
    )
    case = Case.objects.get(citizen=odense_citizen)
    assert response.status_code == 302
    assert case.caseworker == odense_caseworker
    assert case.status == "open"
    assert AuditEntry.objects.filter(object_id=str(case.pk), action="create").exists()
    assert "Dagpengemodtagere" in client.get(reverse("citizens:detail", args=[odense_citizen.pk])).content.decode()


def test_a_target_group_is_checked_against_the_law_on_the_day_the_case_opens(odense_citizen):
    with pytest.raises(ValidationError, match="Ukendt målgruppe"):
        do_open_case(
            acting_user=None, citizen=odense_citizen, target_group_code="findes_ikke", opened_on=timezone.localdate()
        )
    # Before the groups in the data took effect, and a reform group whose start is not yet confirmed.
    for code, day in (
        ("lab_dagpenge", datetime.date(2019, 12, 31)),
        ("reform_dagpengeindsats", datetime.date(2027, 1, 1)),
    ):
        with pytest.raises(ValidationError, match="gælder ikke den"):
            do_open_case(acting_user=None, citizen=odense_citizen, target_group_code=code, opened_on=day)
    assert not Case.objects.exists()


def test_one_open_case_per_target_group(odense_case, odense_citizen):
    with pytest.raises(ValidationError, match="allerede en åben sag"):
        do_open_case(
            acting_user=None, citizen=odense_citizen, target_group_code=TARGET_GROUP, opened_on=timezone.localdate()
        )
    assert Case.objects.count() == 1


def test_the_plan_is_saved_in_versions_and_old_versions_stay(client_for, odense_caseworker, odense_citizen):
    client = client_for(odense_caseworker)
    url = reverse("cases:plan", args=[odense_citizen.pk])
    client.post(url, {"goals": "Job i ældreplejen", "agreements": "Søg 3 job om ugen"})
    client.post(url, {"goals": "SOSU-uddannelse", "agreements": "Optagelsesprøve i januar"})
    versions = list(PlanVersion.objects.filter(citizen=odense_citizen).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].goals == "Job i ældreplejen"
    page = client.get(url).content.decode()
    assert "Job i ældreplejen" in page
    assert "SOSU-uddannelse" in page
    assert page.count('data-testid="plan-version"') == 2


def test_a_benefits_officer_sees_the_plan_but_cannot_change_it(client_for, odense_benefits_officer, odense_citizen):
    do_save_plan(acting_user=None, citizen=odense_citizen, goals="Job", agreements="")
    client = client_for(odense_benefits_officer)
    url = reverse("cases:plan", args=[odense_citizen.pk])
    assert "Job" in client.get(url).content.decode()
    assert client.post(url, {"goals": "Andet"}).status_code == 403
    assert PlanVersion.objects.count() == 1


def test_an_offer_has_a_period_and_a_status(client_for, odense_caseworker, odense_case):
    client = client_for(odense_caseworker)
    start = timezone.localdate()
    response = client.post(
        reverse("cases:offer-add", args=[odense_case.pk]),
        {
            "kind": "loentilskud",
            "provider": "Odense Plejecenter",
            "starts_on": start.isoformat(),
            "ends_on": (start + datetime.timedelta(days=90)).isoformat(),
            "status": "planned",
        },
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    client.post(reverse("cases:offer-status", args=[offer.pk]), {"status": "active"})
    offer.refresh_from_db()
    assert offer.status == "active"
    page = client.get(reverse("cases:detail", args=[odense_case.pk])).content.decode()
    assert "Løntilskud" in page
    assert "Odense Plejecenter" in page


def test_an_offer_ending_before_it_starts_is_refused(client_for, odense_caseworker, odense_case):
    start = timezone.localdate()
    response = client_for(odense_caseworker).post(
        reverse("cases:offer-add", args=[odense_case.pk]),
        {
            "kind": "virksomhedspraktik",
            "provider": "Bageriet",
            "starts_on": start.isoformat(),
            "ends_on": (start - datetime.timedelta(days=1)).isoformat(),
            "status": "planned",
        },
    )
    assert "Slutdatoen ligger før startdatoen." in response.content.decode()
    assert not Offer.objects.exists()


def test_an_offer_outside_the_case_is_refused_with_a_danish_message(odense_caseworker, odense_case):
    before = odense_case.opened_on - datetime.timedelta(days=10)
    with pytest.raises(ValidationError, match="ligger uden for sagen, som løber fra"):
        do_add_offer(
            acting_user=odense_caseworker,
            case=odense_case,
            kind="vejledning",
            provider="VUC",
            starts_on=before,
            ends_on=before + datetime.timedelta(days=30),
        )
    assert not Offer.objects.exists()


def test_an_offer_past_the_closing_day_is_refused_via_the_api(client_for, odense_caseworker, odense_case):
    response = client_for(odense_caseworker).post(
        reverse("api:cases-offer-add", kwargs={"case_id": odense_case.pk}),
        {
            "kind": "vejledning",
            "provider": "VUC",
            "starts_on": (odense_case.opened_on - datetime.timedelta(days=1)).isoformat(),
            "ends_on": odense_case.opened_on.isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "ligger uden for sagen" in response.json()["detail"]
    assert not Offer.objects.exists()


def test_the_case_api_shows_journal_interviews_and_offers(
    client_for, odense_caseworker, odense_case, odense_interview, odense_journal_entry, odense_offer
):
    body = client_for(odense_caseworker).get(reverse("api:cases-detail", kwargs={"case_id": odense_case.pk})).json()
    assert body["target_group"] == TARGET_GROUP
    assert [i["id"] for i in body["interviews"]] == [str(odense_interview.pk)]
    assert [o["provider"] for o in body["offers"]] == ["Bageriet ApS"]
    assert body["journal"][0]["title"] == "Første samtale"
    assert body["next_interview_due"] is not None


def test_the_api_plans_and_records_an_interview(client_for, odense_caseworker, odense_case):
    client = client_for(odense_caseworker)
    when = (timezone.localtime() + datetime.timedelta(days=1)).replace(microsecond=0).isoformat()
    planned = client.post(
        reverse("api:cases-interview-plan", kwargs={"case_id": odense_case.pk}),
        {"scheduled_at": when, "form": "video"},
        content_type="application/json",
    )
    assert planned.status_code == 201
    interview_id = planned.json()["id"]
    outcome_url = reverse("api:cases-interview-outcome", kwargs={"interview_id": interview_id})
    outcome = {"outcome": "held", "held_form": "video", "topics": "CV", "next_steps": "Praktik"}
    too_early = client.post(outcome_url, outcome, content_type="application/json")
    assert too_early.status_code == 422
    assert "kan registreres, når samtalen er begyndt" in too_early.json()["detail"]
    summoned = client.post(reverse("api:cases-interview-summons", kwargs={"interview_id": interview_id}))
    assert summoned.status_code == 202
    # The day of the interview has come (the test has no clock to move).
    Interview.objects.filter(pk=interview_id).update(scheduled_at=timezone.now() - datetime.timedelta(hours=1))
    recorded = client.post(outcome_url, outcome, content_type="application/json")
    assert recorded.status_code == 200
    assert recorded.json()["outcome"] == "held"


def test_every_target_group_code_in_the_law_data_fits_the_case(odense_citizen):
    from jobcenter.cases.target_groups import all_target_groups

    limit = Case._meta.get_field("target_group").max_length
    assert max(len(group.code) for group in all_target_groups()) <= limit
    longest = max((g for g in all_target_groups() if g.is_valid_on(timezone.localdate())), key=lambda g: len(g.code))
    case = do_open_case(
        acting_user=None, citizen=odense_citizen, target_group_code=longest.code, opened_on=timezone.localdate()
    )
    assert Case.objects.get(pk=case.pk).target_group == longest.code
