"""Interview outcomes that fit the calendar (issue 13, item 7).

Found: "Udeblevet" could be recorded for an interview seven days ahead, and for a
citizen with a grant that became a sanction proposal. Held and missed are now
facts about a summoned interview whose time has come; a cancellation may be
recorded at any time.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jobcenter.benefits.models import Proposal
from jobcenter.cases.actions import do_plan_interview, do_record_interview_outcome, do_send_summons
from jobcenter.cases.models import Interview, JournalEntry, JournalKind
from jobcenter.events.models import OutboxEvent
from tests.cases.interviews import summoned_interview
from tests.payments.helpers import grant


def written() -> tuple[int, int, int]:
    recorded = Interview.objects.exclude(outcome="").count()
    return recorded, JournalEntry.objects.filter(kind=JournalKind.INTERVIEW).count(), OutboxEvent.objects.count()


@pytest.fixture
def next_week_summoned(odense_case, odense_caseworker):
    when = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(days=7)
    interview = do_plan_interview(acting_user=odense_caseworker, case=odense_case, scheduled_at=when, form="fremmoede")
    do_send_summons(acting_user=odense_caseworker, interview=interview)
    return interview


@pytest.mark.parametrize("outcome", ["no_show", "held"])
def test_a_caseworker_cannot_record_held_or_missed_for_an_interview_next_week(
    odense_caseworker, next_week_summoned, outcome
):
    before = written()
    with pytest.raises(ValidationError, match="kan registreres, når samtalen er begyndt"):
        do_record_interview_outcome(
            acting_user=odense_caseworker, interview=next_week_summoned, outcome=outcome, held_form="fremmoede"
        )
    assert written() == before


def test_a_missed_interview_next_week_makes_no_sanction_proposal_for_a_citizen_with_a_grant(
    client_for, odense_caseworker, odense_benefits_officer, odense_citizen, next_week_summoned
):
    grant(odense_benefits_officer, odense_citizen)
    before = written()
    client = client_for(odense_caseworker)
    page = client.post(reverse("cases:interview-outcome", args=[next_week_summoned.pk]), {"outcome": "no_show"})
    assert page.status_code == 200
    when = timezone.localtime(next_week_summoned.scheduled_at)
    assert f"kl. {when:%H.%M}" in page.content.decode()
    assert "»Udeblevet« kan registreres, når samtalen er begyndt" in page.content.decode()
    api = client.post(
        reverse("api:cases-interview-outcome", kwargs={"interview_id": next_week_summoned.pk}),
        {"outcome": "no_show"},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api["Content-Type"] == "application/problem+json"
    assert "kan registreres, når samtalen er begyndt" in api.json()["detail"]
    assert written() == before
    assert not OutboxEvent.objects.filter(event_type="interview_missed").exists()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("outcome", ["no_show", "held"])
def test_held_or_missed_needs_a_summons(odense_caseworker, odense_case, outcome):
    yesterday = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) - datetime.timedelta(days=1)
    interview = do_plan_interview(acting_user=None, case=odense_case, scheduled_at=yesterday, form="telefon")
    before = written()
    with pytest.raises(ValidationError, match="Borgeren er ikke indkaldt til samtalen"):
        do_record_interview_outcome(
            acting_user=odense_caseworker, interview=interview, outcome=outcome, held_form="telefon"
        )
    assert written() == before


def test_a_cancellation_can_be_recorded_before_the_interview(odense_caseworker, odense_interview):
    do_record_interview_outcome(acting_user=odense_caseworker, interview=odense_interview, outcome="cancelled_citizen")
    assert Interview.objects.get(pk=odense_interview.pk).outcome == "cancelled_citizen"
    assert not OutboxEvent.objects.filter(event_type__in=["interview_missed", "interview_held"]).exists()


def test_a_missed_interview_whose_time_has_come_is_recorded_and_published(odense_caseworker, odense_case):
    interview = summoned_interview(odense_case)
    do_record_interview_outcome(acting_user=odense_caseworker, interview=interview, outcome="no_show")
    assert Interview.objects.get(pk=interview.pk).outcome == "no_show"
    assert OutboxEvent.objects.filter(event_type="interview_missed").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("employment_start", datetime.date(9999, 12, 31)), ("availability_from", datetime.date(1, 1, 1))],
)
def test_an_outcome_with_a_date_in_an_impossible_year_is_refused(odense_caseworker, odense_case, field, value):
    interview = summoned_interview(odense_case)
    extra = {"employer": "Firma"} if field == "employment_start" else {"availability": "unavailable"}
    before = written()
    with pytest.raises(ValidationError, match="er ikke en mulig dato"):
        do_record_interview_outcome(
            acting_user=odense_caseworker,
            interview=interview,
            outcome="held",
            held_form="fremmoede",
            **{field: value},
            **extra,
        )
    assert written() == before
