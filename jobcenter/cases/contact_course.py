"""Contact-course deadlines (kontaktforløb): when the next job interview is due by law.

The rules are data (``data/contact_course.yaml``: per target group and law,
how many interviews in which window, with paragraph and source) and this
module is the pure function over them. ``docs/contact-course.md`` explains the
rules, the transition on 1 July 2026 and the choices flagged for legal review.

Two choices are ours, not the law's (flagged for legal review):

- **Which law applies** is decided by the day the course started: a course
  started before 1 July 2026 keeps LAB § 31 as it was for its whole window.
  No transition rule was found; the old rule never asks for fewer interviews.
- **Spreading "N in the window"**: the law only says "at least N within the
  first 6 months". We put the n-th interview due by
  ``window_start + floor(n * window_days / N)``, so the N-th falls on the
  window's last day and the interviews are evenly spread; a first-interview
  deadline (e.g. 1 week) moves the first one earlier.

Pure: no Django, no database.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from jobcenter.cases.target_groups import target_group

DATA_FILE = Path(__file__).parent / "data" / "contact_course.yaml"
NO_DEADLINE_DA = "ingen lovbestemt frist — aftal næste skridt"


@dataclass(frozen=True)
class ContactRequirement:
    """The rule a deadline comes from, with its paragraph and source, for "why this date?"."""

    rule_id: str
    paragraph: str
    source: str
    description_da: str
    legal_review: bool = False  # True: our reading of the law, to be confirmed by a lawyer


@dataclass(frozen=True)
class NextInterviewDue:
    """When the next job interview is due, and why. ``due=None``: no statutory deadline."""

    due: date | None
    requirement: ContactRequirement
    reason_da: str  # e.g. "2 af 4 samtaler inden for de første 6 måneder holdt"
    interviews_held: int = 0  # interviews counted towards the requirement (inside its window)
    interviews_required: int | None = None  # None: no count applies
    interviews_missing: int = 0  # interviews the window closed without (the requirement was not met)


@dataclass(frozen=True)
class ContactRule:
    """One row of ``data/contact_course.yaml``."""

    rule_id: str
    target_groups: tuple[str, ...]
    paragraph: str
    source: str
    description_da: str
    valid_from: date  # courses that started on or after this day ...
    valid_to: date | None  # ... and on or before this day (inclusive; None = still in force)
    interviews: int
    window_from_months: int
    window_to_months: int
    first_within_days: int | None
    exemptible: bool
    first_interview_even_if_exempt: bool
    after_window_paragraph: str
    legal_review: bool

    @property
    def requirement(self) -> ContactRequirement:
        return ContactRequirement(
            rule_id=self.rule_id,
            paragraph=self.paragraph,
            source=self.source,
            description_da=self.description_da,
            legal_review=self.legal_review,
        )

    def applies_to_course_started(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class ContactCourseInputError(ValueError):
    """The facts given cannot be right (a date outside the course, a future interview). ``field`` names the input."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = f"Feltet »{field}«: {message}"
        super().__init__(self.message)


def _rule_from_entry(entry: dict[str, Any]) -> ContactRule:
    return ContactRule(
        rule_id=str(entry["rule_id"]),
        target_groups=tuple(entry["target_groups"]),
        paragraph=str(entry["paragraph"]),
        source=str(entry["source"]),
        description_da=str(entry["description_da"]),
        valid_from=entry["valid_from"],
        valid_to=entry["valid_to"],
        interviews=int(entry["interviews"]),
        window_from_months=int(entry["window_from_months"]),
        window_to_months=int(entry["window_to_months"]),
        first_within_days=entry["first_within_days"],
        exemptible=bool(entry["exemptible"]),
        first_interview_even_if_exempt=bool(entry["first_interview_even_if_exempt"]),
        after_window_paragraph=str(entry["after_window_paragraph"]),
        legal_review=bool(entry["legal_review"]),
    )


@cache
def contact_rules() -> tuple[ContactRule, ...]:
    """Every contact-course rule, checked: each target group has at most one rule on any start day."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        rules = tuple(_rule_from_entry(entry) for entry in yaml.safe_load(handle)["rules"])
    for rule in rules:
        for code in rule.target_groups:
            target_group(code)  # an unknown code in the data fails loudly here
        for other in rules:
            overlap = set(rule.target_groups) & set(other.target_groups)
            if other is not rule and overlap and _periods_overlap(rule, other):
                raise ValueError(f"{DATA_FILE}: {rule.rule_id} and {other.rule_id} both cover {sorted(overlap)}")
    return rules


def _periods_overlap(first: ContactRule, second: ContactRule) -> bool:
    first_end = first.valid_to or date.max
    second_end = second.valid_to or date.max
    return first.valid_from <= second_end and second.valid_from <= first_end


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it has no such day (31 Aug + 6 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def interview_due(rule: ContactRule, course_started: date, number: int) -> date:
    """The day the ``number``-th interview (1-based) of the rule's window is due at the latest.

    Our spreading rule (flagged for legal review, not law): evenly over the
    window, the last one on the window's last day; a first-interview deadline
    moves the first one earlier.
    """
    window_start = add_months(course_started, rule.window_from_months)
    window_end = add_months(course_started, rule.window_to_months) - timedelta(days=1)
    due = window_start + timedelta(days=(number * (window_end - window_start).days) // rule.interviews)
    if number == 1 and rule.first_within_days is not None:
        due = min(due, course_started + timedelta(days=rule.first_within_days))
    return due


def _check_dates(course_started: date, held_interviews: Sequence[date], today: date) -> None:
    if course_started > today:
        raise ContactCourseInputError(
            "course_started",
            f"kontaktforløbets start ({course_started:%d.%m.%Y}) ligger efter i dag ({today:%d.%m.%Y}).",
        )
    for held in held_interviews:
        if held < course_started:
            raise ContactCourseInputError(
                "held_interviews",
                f"samtalen den {held:%d.%m.%Y} ligger før kontaktforløbets start den {course_started:%d.%m.%Y}.",
            )
        if held > today:
            raise ContactCourseInputError(
                "held_interviews",
                f"samtalen den {held:%d.%m.%Y} ligger i fremtiden; kun afholdte samtaler tæller.",
            )


def _not_covered(target_group_code: str, course_started: date) -> NextInterviewDue:
    group = target_group(target_group_code)
    return NextInterviewDue(
        due=None,
        requirement=ContactRequirement(
            rule_id="no_statutory_interview_rule",
            paragraph=group.paragraph,
            source=group.source_url,
            description_da=(
                f"Der er ingen samtaleregel efter LAB § 31 for målgruppen »{group.name_da}« "
                f"for et forløb startet {course_started:%d.%m.%Y} i Jobcenters regler."
            ),
        ),
        # Not "no deadline": sygedagpenge, for one, has its own follow-up rules, just not computed here.
        reason_da="Samtalefrister for denne målgruppe beregnes ikke af Jobcenter — aftal næste skridt.",
    )


def next_interview_due(
    *,
    target_group_code: str,
    course_started: date,
    held_interviews: Sequence[date],
    exempt: bool = False,
    today: date,
) -> NextInterviewDue:
    """When the next job interview is due by law for one contact course.

    ``course_started``: the first day of the course (for dagpenge the first
    day of unemployment; for kontanthjælp the first request for help).
    ``held_interviews``: the days of the job interviews held (not planned);
    each must lie between the course's start and today. ``exempt``: the
    municipality has exempted the person (from 1 July 2026, up to 25 %); it
    has no effect under a rule that allows no exemption.

    Raises ``UnknownTargetGroup`` for an unknown code and
    :class:`ContactCourseInputError` (naming the field) for impossible dates.
    """
    target_group(target_group_code)
    _check_dates(course_started, held_interviews, today)
    rule = next(
        (
            candidate
            for candidate in contact_rules()
            if target_group_code in candidate.target_groups and candidate.applies_to_course_started(course_started)
        ),
        None,
    )
    if rule is None:
        return _not_covered(target_group_code, course_started)

    window_start = add_months(course_started, rule.window_from_months)
    window_end = add_months(course_started, rule.window_to_months) - timedelta(days=1)
    held = sum(1 for day in held_interviews if window_start <= day <= window_end)
    counted = min(held, rule.interviews)
    progress = f"{counted} af {rule.interviews} samtaler"
    exemption_ignored = exempt and not rule.exemptible
    ignored_note = " Undtagelse fra samtalekravet kan ikke bruges efter denne regel og er ikke anvendt." if exemption_ignored else ""  # fmt: skip

    if today > window_end:
        missing = rule.interviews - counted
        shortfall = f" Kravet om {rule.interviews} samtaler blev ikke opfyldt." if missing else ""
        return NextInterviewDue(
            due=None,
            requirement=ContactRequirement(
                rule_id=f"{rule.rule_id}_after_window",
                paragraph=rule.after_window_paragraph,
                source=rule.source,
                description_da="Efter de første 6 måneder aftales samtalerne individuelt; borgeren har ret til samtaler, og kommunen holder dem, når der er behov.",
                legal_review=rule.legal_review,
            ),
            reason_da=f"Vinduet for kravet sluttede {window_end:%d.%m.%Y} med {progress} holdt.{shortfall} {NO_DEADLINE_DA[0].upper()}{NO_DEADLINE_DA[1:]}.",
            interviews_held=counted,
            interviews_required=rule.interviews,
            interviews_missing=missing,
        )

    if exempt and rule.exemptible:
        if rule.first_interview_even_if_exempt and held == 0:
            return NextInterviewDue(
                due=interview_due(rule, course_started, 1),
                requirement=rule.requirement,
                reason_da="Undtaget fra kravet om samtaler, men den første jobsamtale skal holdes.",
                interviews_held=0,
                interviews_required=1,
            )
        return NextInterviewDue(
            due=None,
            requirement=rule.requirement,
            reason_da=f"Kommunen har undtaget borgeren fra samtalekravet — {NO_DEADLINE_DA}.",
            interviews_held=counted,
            interviews_required=None,
        )

    if counted >= rule.interviews:
        return NextInterviewDue(
            due=None,
            requirement=rule.requirement,
            reason_da=f"{progress} i vinduet holdt; kravet er opfyldt — {NO_DEADLINE_DA}.{ignored_note}",
            interviews_held=counted,
            interviews_required=rule.interviews,
        )

    window_text = (
        f"inden for de første {rule.window_to_months} måneder"
        if rule.window_from_months == 0
        else f"fra måned {rule.window_from_months} til {rule.window_to_months}"
    )
    return NextInterviewDue(
        due=interview_due(rule, course_started, counted + 1),
        requirement=rule.requirement,
        reason_da=f"{progress} {window_text} holdt.{ignored_note}",
        interviews_held=counted,
        interviews_required=rule.interviews,
    )


def is_overdue(due: date | None, today: date) -> bool:
    """The deadline has passed (a deadline of today is not yet overdue)."""
    return due is not None and today > due


def is_due_soon(due: date | None, today: date, within_days: int = 7) -> bool:
    """Due today or within the next ``within_days`` days (and not yet overdue)."""
    return due is not None and today <= due <= today + timedelta(days=within_days)
