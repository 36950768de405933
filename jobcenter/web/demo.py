"""The synthetic demo: Odense and Aarhus, fictitious citizens, one user per role.

Everything here is made up. CPR numbers have a valid format and birth date
but are generated from a fixed seed, so the demo is the same on every machine.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from jobcenter.citizens.actions import do_register_citizen
from jobcenter.citizens.models import Citizen
from jobcenter.tenancy.actions import do_create_user
from jobcenter.tenancy.models import Municipality, User
from jobcenter.tenancy.roles import Role

DEMO_PASSWORD = "demo-jobcenter"
CITIZENS_PER_MUNICIPALITY = 200
DEMO_MUNICIPALITIES = {"0461": "odense", "0751": "aarhus"}

ROLE_SLUGS = {
    Role.CASEWORKER: "sagsbehandler",
    Role.BENEFITS_OFFICER: "ydelse",
    Role.TEAM_LEAD: "teamleder",
    Role.SUPPORT_SUPERUSER: "support",
    Role.OPERATIONS: "drift",
    Role.AUDITOR: "revisor",
    Role.ADMINISTRATOR: "admin",
}

FIRST_NAMES = [
    "Anne",
    "Mette",
    "Kirsten",
    "Hanne",
    "Helle",
    "Susanne",
    "Lene",
    "Maria",
    "Marianne",
    "Camilla",
    "Peter",
    "Jens",
    "Lars",
    "Michael",
    "Henrik",
    "Thomas",
    "Søren",
    "Jan",
    "Niels",
    "Rasmus",
    "Sofie",
    "Emma",
    "Ida",
    "Freja",
    "Mathias",
    "Mads",
    "Frederik",
    "Oliver",
    "Noah",
    "Aisha",
    "Ahmad",
    "Fatima",
    "Omar",
    "Zainab",
    "Piotr",
    "Agnieszka",
    "Ole",
    "Bente",
    "Jonas",
    "Line",
]
LAST_NAMES = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Ali",
    "Hussein",
    "Kowalski",
    "Østergaard",
    "Bæk",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    municipality: str


def demo_logins() -> list[DemoLogin]:
    return [
        DemoLogin(f"{slug}-{role_slug}", role, code)
        for code, slug in DEMO_MUNICIPALITIES.items()
        for role, role_slug in ROLE_SLUGS.items()
    ]


def fictitious_cpr(rng: random.Random, today: datetime.date) -> str:
    """A CPR number with a valid birth date for someone aged 18 to 66."""
    age_days = rng.randint(18 * 365 + 5, 66 * 365)
    birth = today - datetime.timedelta(days=age_days)
    # The seventh digit encodes the century (CPR-kontoret's table): 0-3 for 1900-1999,
    # 4 and 9 for 2000-2036, which is what stdnum reads back.
    seventh = rng.choice("0123") if birth.year < 2000 else rng.choice("49")
    return f"{birth:%d%m%y}{seventh}{rng.randint(0, 999):03d}"


@transaction.atomic
def seed_demo(today: datetime.date | None = None) -> dict[str, int]:
    """Create what is missing of the demo; running it again changes nothing."""
    today = today or datetime.date.today()
    made = {"users": 0, "citizens": 0, "cases": 0, "grants": 0, "inbox_events": 0}
    for login in demo_logins():
        if not User.objects.filter(username=login.username).exists():
            municipality = Municipality.objects.get(code=login.municipality)
            do_create_user(
                acting_user=None,
                username=login.username,
                role=login.role,
                municipalities=[municipality],
                password=DEMO_PASSWORD,
                first_name=f"Demo {login.role.label}",
                last_name=municipality.name,
            )
            made["users"] += 1
    for code in DEMO_MUNICIPALITIES:
        municipality = Municipality.objects.get(code=code)
        rng = random.Random(f"jobcenter-demo-{code}")
        existing = set(Citizen.objects.filter(municipality=municipality).values_list("cpr", flat=True))
        for _ in range(CITIZENS_PER_MUNICIPALITY):
            cpr = fictitious_cpr(rng, today)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if cpr in existing:
                continue
            existing.add(cpr)
            do_register_citizen(acting_user=None, municipality=municipality, cpr=cpr, first_name=first, last_name=last)
            made["citizens"] += 1
        made["cases"] += seed_demo_cases(municipality, DEMO_MUNICIPALITIES[code], rng, today)
        made["grants"] += seed_demo_grants(municipality, DEMO_MUNICIPALITIES[code], rng)
        made["inbox_events"] += seed_demo_inbox_events(municipality, DEMO_MUNICIPALITIES[code], today)
    return made


DEMO_GRANTS_PER_MUNICIPALITY = 40
# Months whose rates are in the package (2025): the demo's payment runs can be tried for July to
# December 2025. Months from 2026 are refused until the year's rate table is imported and approved.
DEMO_GRANT_START = datetime.date(2025, 7, 1)


def seed_demo_grants(municipality: Municipality, slug: str, rng: random.Random) -> int:
    """Grants of kontanthjælp from July 2025 for some adults over 30, decided by the demo benefits officer.

    Only when the municipality has no grants yet, so a second run changes nothing.
    """
    from jobcenter.benefits.actions import do_record_decision
    from jobcenter.benefits.models import Grant

    if Grant.objects.filter(citizen__municipality=municipality).exists():
        return 0
    officer = User.objects.get(username=f"{slug}-ydelse")
    adults = [
        citizen
        for citizen in Citizen.objects.filter(municipality=municipality).order_by("cpr")
        if citizen.age_on(DEMO_GRANT_START) >= 30
    ][:DEMO_GRANTS_PER_MUNICIPALITY]
    for index, citizen in enumerate(adults):
        adult = {
            "id": "a1",
            "birth_date": citizen.birth_date.isoformat(),
            "applies_for_help": True,
            "lives_with_parents": False,
            "is_aktivitetsparat": rng.random() < 0.4,
            "meets_residence_and_employment_requirement": True,
            "months_on_help": rng.randint(1, 24),
            # A few work some hours: their help is reduced by the income (LAS § 30).
            "work_income_ore": 350_000 if index % 7 == 0 else 0,
            "work_hours": "30" if index % 7 == 0 else "0",
        }
        do_record_decision(
            officer,
            citizen.pk,
            kind="bevilling",
            effective_from=DEMO_GRANT_START,
            facts={"id": f"demo-{index}", "adults": [adult]},
            justification="Opfylder betingelserne for kontanthjælp (LAS § 11). Demodata.",
            has_nemkonto=True,
        )
    return len(adults)


def seed_demo_inbox_events(municipality: Municipality, slug: str, today: datetime.date) -> int:
    """Three citizens with a grant meet the jobcentre: one starts a job, one is ill, one misses an interview.

    The caseworker records it through the case actions; the events wait in the outbox until the
    worker's dispatcher delivers them, and then the benefits officer finds the proposals in the inbox
    (Indbakke). The job start and the illness are in 2025, whose rates are known, so their consequence
    can be computed; the missed interview is two days ago, inside LAS § 35's three months.
    Only for grant citizens without a case yet, so a second run changes nothing.
    """
    from django.utils import timezone

    from jobcenter.benefits.models import Grant
    from jobcenter.cases.actions import (
        Availability,
        do_open_case,
        do_plan_interview,
        do_record_interview_outcome,
        do_send_summons,
    )
    from jobcenter.cases.models import Interview
    from jobcenter.events.models import OutboxEvent

    if OutboxEvent.objects.filter(municipality=municipality, event_type="employment_started").exists():
        return 0  # seeded before
    caseworker = User.objects.get(username=f"{slug}-sagsbehandler")
    without_case = Grant.objects.filter(municipality=municipality, citizen__cases__isnull=True).order_by("citizen__cpr")
    citizens = [grant.citizen for grant in without_case.select_related("citizen")[:3]]
    if len(citizens) < 3:
        return 0

    def interview(citizen: Citizen, opened_on: datetime.date, day: datetime.date) -> Interview:
        case = do_open_case(
            acting_user=None,
            citizen=citizen,
            target_group_code="lab_jobparat_kontanthjaelp",
            opened_on=opened_on,
            caseworker=caseworker,
        )
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
        planned = do_plan_interview(acting_user=caseworker, case=case, scheduled_at=when, form="fremmoede")
        # Held and missed are recorded only for an interview the citizen was summoned to.
        do_send_summons(acting_user=caseworker, interview=planned)
        return planned

    job_starter, ill, absent = citizens
    do_record_interview_outcome(
        acting_user=caseworker,
        interview=interview(job_starter, datetime.date(2025, 10, 1), datetime.date(2025, 11, 17)),
        outcome="held",
        held_form="fremmoede",
        topics="Jobsøgning",
        agreements="Borgeren har fået job og starter den 1. december.",
        employment_start=datetime.date(2025, 12, 1),
        employer="Plejecentret Solhaven",
    )
    do_record_interview_outcome(
        acting_user=caseworker,
        interview=interview(ill, datetime.date(2025, 10, 1), datetime.date(2025, 11, 18)),
        outcome="held",
        held_form="fremmoede",
        topics="Helbred",
        agreements="Borgeren er sygemeldt og står ikke til rådighed foreløbig.",
        availability=Availability.UNAVAILABLE,
        availability_from=datetime.date(2025, 11, 24),
        availability_reason="Sygdom",
    )
    missed_day = today - datetime.timedelta(days=2)
    do_record_interview_outcome(
        acting_user=caseworker,
        interview=interview(absent, missed_day - datetime.timedelta(days=30), missed_day),
        outcome="no_show",
    )
    return 3


DEMO_CASES_PER_MUNICIPALITY = 30
DEMO_TARGET_GROUPS = ["lab_jobparat_kontanthjaelp", "lab_dagpenge", "lab_aktivitetsparat_kontanthjaelp"]
DEMO_TOPICS = ["CV og jobsøgning", "Praktik i ældreplejen", "Kørekort og transport", "Helbred og trivsel", "Uddannelse"]


def seed_demo_cases(municipality: Municipality, slug: str, rng: random.Random, today: datetime.date) -> int:
    """Cases for the demo caseworker: some on track, some overdue, some without a next step.

    Only when the municipality has no cases yet, so a second run changes nothing.
    """
    from django.utils import timezone

    from jobcenter.cases.actions import (
        do_add_offer,
        do_open_case,
        do_plan_interview,
        do_record_interview_outcome,
        do_save_plan,
        do_send_summons,
        do_write_journal_entry,
    )
    from jobcenter.cases.models import Case

    if Case.objects.filter(municipality=municipality).exists():
        return 0
    caseworker = User.objects.get(username=f"{slug}-sagsbehandler")
    citizens = list(Citizen.objects.filter(municipality=municipality).order_by("last_name", "first_name", "id"))
    made = 0

    def at(day: datetime.date, hour: int) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, rng.choice([0, 30]))))

    for index, citizen in enumerate(citizens[:DEMO_CASES_PER_MUNICIPALITY]):
        opened_on = today - datetime.timedelta(days=rng.randint(3, 150))
        case = do_open_case(
            acting_user=None,
            citizen=citizen,
            target_group_code=DEMO_TARGET_GROUPS[index % len(DEMO_TARGET_GROUPS)],
            opened_on=opened_on,
            caseworker=caseworker if index % 5 else None,
        )
        made += 1
        do_write_journal_entry(
            acting_user=caseworker,
            case=case,
            title="Sagen er oprettet",
            text=f"{citizen.first_name} har søgt om hjælp. Første samtale aftales.",
        )
        kind = index % 4
        if kind in (1, 2) and (today - opened_on).days > 10:
            # A held interview a week after the start.
            held_day = opened_on + datetime.timedelta(days=7)
            held = do_plan_interview(acting_user=caseworker, case=case, scheduled_at=at(held_day, 10), form="fremmoede")
            do_send_summons(acting_user=caseworker, interview=held)
            do_record_interview_outcome(
                acting_user=caseworker,
                interview=held,
                outcome="held",
                held_form="fremmoede",
                topics=rng.choice(DEMO_TOPICS),
                agreements="Søger mindst tre job om ugen.",
                next_steps="Ny samtale inden for fire uger.",
            )
        if kind == 2:
            # The next one planned.
            day = today + datetime.timedelta(days=rng.randint(1, 20))
            do_plan_interview(acting_user=caseworker, case=case, scheduled_at=at(day, 9), form="telefon")
        if kind == 3 and index % 8 == 3:
            do_save_plan(
                acting_user=caseworker,
                citizen=citizen,
                goals="Job i ældreplejen inden sommer.",
                agreements="Praktik i fire uger; jobsøgning hver uge.",
            )
            start = max(today, opened_on)
            do_add_offer(
                acting_user=caseworker,
                case=case,
                kind="virksomhedspraktik",
                provider="Plejecentret Solhaven",
                starts_on=start,
                ends_on=start + datetime.timedelta(days=27),
            )
        # kind 0 (and 3): nothing planned, so the worklist shows overdue and missing next steps.
    return made
