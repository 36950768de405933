"""One money path: for random households, decision histories (grants, changes, stops, sanctions),
income and months, the inbox's preview of the last decision, the run's line and the specification
letter's figures are the same to the øre, and the letter's breakdown sums to them."""

from __future__ import annotations

import datetime

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobcenter.benefits.actions import _record_decision
from jobcenter.benefits.calculation import validated_facts
from jobcenter.benefits.consequences import consequence_of, grant_month_amount, grant_versions
from jobcenter.benefits.entitlement import days_in, prorate
from jobcenter.benefits.models import Decision, DecisionKind, Grant, IncomeReport
from jobcenter.citizens.actions import do_register_citizen
from jobcenter.letters.actions import PaidMonth
from jobcenter.payments.actions import do_approve_run, do_start_trial_run
from jobcenter.payments.models import Payment, PaymentRunLine
from jobcenter.payments.release import do_release_run
from jobcenter.payments.specifications import paid_months
from tests.payments.helpers import facts

MONTHS = [datetime.date(2025, 9, 1), datetime.date(2025, 10, 1), datetime.date(2025, 11, 1)]

change = st.tuples(st.just("aendring"), st.integers(1, 28), st.integers(0, 600_000), st.sampled_from([None, 45, 33]))
stop = st.tuples(st.just("standsning"), st.integers(1, 28))
sanction = st.tuples(st.just("sanktion"), st.integers(1, 28), st.integers(0, 4))
histories = st.fixed_dictionaries(
    {
        "month": st.sampled_from(MONTHS),
        # The grant starts in the month before (days back) or in the month (day of it).
        "start": st.integers(-45, 27),
        "other_income_ore": st.integers(0, 400_000),
        "income": st.one_of(st.none(), st.tuples(st.integers(0, 900_000), st.sampled_from(["0", "37.00", "12.5"]))),
        "events": st.lists(st.one_of(change, stop, sanction), max_size=3),
    }
)


def _birth_for(age: int | None, month: datetime.date) -> dict[str, str]:
    return {} if age is None else {"birth_date": str(month.replace(year=month.year - age, day=1))}


def _record(officer, citizen, grant: Grant | None, event, month: datetime.date) -> None:
    kind, day = event[0], month.replace(day=event[1])
    if kind == "aendring":
        _kind, _day, other_income, age = event
        _record_decision(
            officer,
            citizen.pk,
            kind=DecisionKind.CHANGE,
            effective_from=day,
            effective_to=None,
            facts=facts(other_income_ore=other_income, **_birth_for(age, month)),
            justification="Ændrede forhold.",
            consultation_id=None,
            consultation_exemption="",
            has_nemkonto=None,
        )
    elif kind == "standsning":
        _record_decision(
            officer,
            citizen.pk,
            kind=DecisionKind.STOP,
            effective_from=day,
            effective_to=None,
            facts=None,
            justification="Borgeren er i arbejde.",
            consultation_id=None,
            consultation_exemption="Oplysningerne kommer fra borgeren selv.",
            has_nemkonto=None,
            legal_basis="Lov om aktiv socialpolitik § 11.",
        )
    else:
        # A sanction's own conditions (guidance, the consultation) are checked in the inbox
        # (tests/benefits/test_inbox.py); here only its days matter.
        assert grant is not None
        previous = grant.decisions.order_by("-version").first()
        Decision.objects.create(
            grant=grant,
            version=previous.version + 1,
            previous=previous,
            kind=DecisionKind.SANCTION,
            effective_from=day,
            effective_to=min(day + datetime.timedelta(days=event[2]), month.replace(day=days_in(month))),
            facts=None,
            justification="Udeblev fra samtale.",
            decided_by=officer,
        )


def _preview(grant: Grant, event, month: datetime.date) -> int:
    """The inbox's consequence preview of `event` for the run's month: the amount after it."""
    kind, day = event[0], month.replace(day=event[1])
    if kind == "aendring":
        _kind, _day, other_income, age = event
        consequence = consequence_of(
            grant,
            kind=kind,
            effective_from=day,
            # As a proposal carries them: the facts a decision would store (validated, defaults filled in).
            facts=validated_facts(facts(other_income_ore=other_income, **_birth_for(age, month))),
        )
    elif kind == "standsning":
        consequence = consequence_of(grant, kind=kind, effective_from=day)
    else:
        end = min(day + datetime.timedelta(days=event[2]), month.replace(day=days_in(month)))
        consequence = consequence_of(grant, kind=kind, effective_from=day, effective_to=end)
    assert not consequence.refused, consequence.refused
    (in_month,) = [m for m in consequence.months if m.month == month]
    return in_month.amount_after_ore


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories)
def test_the_preview_the_run_and_the_letter_agree_to_the_ore(
    history, odense, odense_benefits_officer, odense_team_lead
):
    month = history["month"]
    with transaction.atomic():
        citizen = do_register_citizen(
            acting_user=None, municipality=odense, cpr="0101801234", first_name="Ada", last_name="Testesen"
        )
        start = month + datetime.timedelta(days=history["start"])
        _record_decision(
            odense_benefits_officer,
            citizen.pk,
            kind=DecisionKind.GRANT,
            effective_from=start,
            effective_to=None,
            facts=facts(other_income_ore=history["other_income_ore"]),
            justification="Opfylder betingelserne for kontanthjælp (LAS § 11).",
            consultation_id=None,
            consultation_exemption="",
            has_nemkonto=True,
        )
        grant = Grant.objects.get(citizen=citizen)
        if history["income"] is not None:
            income, hours = history["income"]
            IncomeReport.objects.create(citizen=citizen, month=month, work_income_ore=income, work_hours=hours)
        # No decision reaches back before the grant began (benefits.actions refuses it).
        events = [event for event in history["events"] if month.replace(day=event[1]) >= start]
        for event in events[:-1]:
            _record(odense_benefits_officer, citizen, grant, event, month)
        if events:
            preview = _preview(grant, events[-1], month)
            _record(odense_benefits_officer, citizen, grant, events[-1], month)
        else:
            preview = grant_month_amount(grant, grant_versions(grant), month)[0]

        run = do_start_trial_run(odense_benefits_officer, month)
        line = PaymentRunLine.objects.filter(run=run, grant=grant).first()
        assert (line.regular_ore if line else 0) == preview
        if line is not None:
            do_approve_run(odense_team_lead, run.pk)
            do_release_run(odense_benefits_officer, run.pk)
            payment = Payment.objects.get(run=run, grant=grant)
            paid = paid_months(run, [payment])[payment.pk]
            assert isinstance(paid, PaidMonth), paid
            assert paid.regular_ore == line.regular_ore == preview
            assert paid.amount_ore == line.amount_ore == payment.amount_ore
            assert sum(segment.days for segment in paid.segments) == line.days
            assert sum(segment.amount_ore for segment in paid.segments) == paid.regular_ore
            for segment in paid.segments:
                # The breakdown sums to the full month, which prorates to the segment's amount.
                assert sum(person.total_ore for person in segment.result.persons) == segment.result.total_ore
                for person in segment.result.persons:
                    if person.receives_help:
                        assert sum(item.amount_ore for item in person.lines) == person.total_ore
                assert int(prorate(segment.result.total_ore, segment.days, days_in(month))) == segment.amount_ore
        transaction.set_rollback(True)
