"""Shared personas: a caseworker and a benefits officer in Odense, and a
caseworker in Aarhus who must see nothing of Odense."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from jobcenter.cases.models import Case, Interview, JournalEntry, Offer
from jobcenter.citizens.actions import do_register_citizen
from jobcenter.citizens.models import Citizen
from jobcenter.tenancy.actions import do_create_user
from jobcenter.tenancy.models import Municipality, User
from jobcenter.tenancy.roles import Role

PASSWORD = "korrekt-hest-batteri-haefteklamme"

# A single adult of 43 on kontanthjælp in March 2023: LAS § 25, stk. 2, nr. 2, 11.944 kr.
SINGLE_HOUSEHOLD_2023 = {
    "id": "h1",
    "adults": [
        {
            "id": "a1",
            "birth_date": "1980-01-01",
            "applies_for_help": True,
            "lives_with_parents": False,
            "is_aktivitetsparat": False,
        }
    ],
}


@pytest.fixture(scope="session", autouse=True)
def flush_append_only_tables_between_transactional_tests() -> None:
    """Tests that commit (live server, worker) are cleaned up by Django's flush,
    which the append-only triggers rightly refuse. Around that flush, and only
    in the test suite, the triggers are lifted and put back."""
    from django.db import connections
    from django.test import TransactionTestCase

    from jobcenter.audit.append_only import append_only_tables, install_triggers, remove_triggers

    original = TransactionTestCase._fixture_teardown

    def teardown_with_triggers_lifted(self: TransactionTestCase) -> None:
        for alias in self._databases_names(include_mirrors=False):
            for table in append_only_tables():
                remove_triggers(connections[alias], table)
        try:
            original(self)
        finally:
            for alias in self._databases_names(include_mirrors=False):
                for table in append_only_tables():
                    install_triggers(connections[alias], table)

    TransactionTestCase._fixture_teardown = teardown_with_triggers_lifted  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def cheap_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["tests.hashers.CheapArgon2PasswordHasher"]


@pytest.fixture
def odense(db: None) -> Municipality:
    return Municipality.objects.get_or_create(code="0461", defaults={"name": "Odense"})[0]


@pytest.fixture
def aarhus(db: None) -> Municipality:
    return Municipality.objects.get_or_create(code="0751", defaults={"name": "Aarhus"})[0]


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(role: Role, *municipalities: Municipality, username: str | None = None, password: str = PASSWORD) -> User:
        name = username or f"{role.value}-{'-'.join(m.code for m in municipalities)}"
        return do_create_user(
            acting_user=None,
            username=name,
            role=role,
            municipalities=list(municipalities),
            password=password,
            first_name="Test",
            last_name=role.label,
        )

    return make


@pytest.fixture
def odense_caseworker(make_user: Callable[..., User], odense: Municipality) -> User:
    return make_user(Role.CASEWORKER, odense, username="odense-sagsbehandler")


@pytest.fixture
def odense_benefits_officer(make_user: Callable[..., User], odense: Municipality) -> User:
    return make_user(Role.BENEFITS_OFFICER, odense, username="odense-ydelse")


@pytest.fixture
def aarhus_caseworker(make_user: Callable[..., User], aarhus: Municipality) -> User:
    return make_user(Role.CASEWORKER, aarhus, username="aarhus-sagsbehandler")


@pytest.fixture
def odense_citizen(odense: Municipality) -> Citizen:
    return do_register_citizen(
        acting_user=None, municipality=odense, cpr="0101901234", first_name="Karen", last_name="Odensen"
    )


@pytest.fixture
def aarhus_citizen(aarhus: Municipality) -> Citizen:
    return do_register_citizen(
        acting_user=None, municipality=aarhus, cpr="0202852345", first_name="Aage", last_name="Aarhusen"
    )


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    """A test client signed in as `user`."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


# --- Case management (issue 3) ------------------------------------------------------------
TARGET_GROUP = "lab_jobparat_kontanthjaelp"


@pytest.fixture(autouse=True)
def fake_national_services() -> Iterator[None]:
    """Every test starts with an empty fake CPR register and Digital Post."""
    from jobcenter.integrations.cpr.fake import FakeCprClient
    from jobcenter.integrations.digital_post.fake import FakeDigitalPostClient

    FakeCprClient.reset()
    FakeDigitalPostClient.reset()
    yield
    FakeCprClient.reset()
    FakeDigitalPostClient.reset()


@pytest.fixture
def odense_case(odense_citizen: Citizen, odense_caseworker: User) -> Case:
    from jobcenter.cases.actions import do_open_case

    return do_open_case(
        acting_user=None,
        citizen=odense_citizen,
        target_group_code=TARGET_GROUP,
        opened_on=timezone.localdate() - datetime.timedelta(days=30),
        caseworker=odense_caseworker,
    )


@pytest.fixture
def odense_interview(odense_case: Case) -> Interview:
    from jobcenter.cases.actions import do_plan_interview

    when = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(days=3)
    return do_plan_interview(acting_user=None, case=odense_case, scheduled_at=when, form="fremmoede")


@pytest.fixture
def odense_journal_entry(odense_case: Case) -> JournalEntry:
    from jobcenter.cases.actions import do_write_journal_entry

    return do_write_journal_entry(
        acting_user=None, case=odense_case, title="Første samtale", text="Karen vil være SOSU."
    )


@pytest.fixture
def odense_offer(odense_case: Case) -> Offer:
    from jobcenter.cases.actions import do_add_offer

    start = timezone.localdate()
    return do_add_offer(
        acting_user=None,
        case=odense_case,
        kind="virksomhedspraktik",
        provider="Bageriet ApS",
        starts_on=start,
        ends_on=start + datetime.timedelta(days=27),
    )


# A single adult of 45 on kontanthjælp under the new law (2025-07 to 2025-12, rates in the package).
SINGLE_HOUSEHOLD_2025 = {
    **SINGLE_HOUSEHOLD_2023,
    "adults": [
        {**SINGLE_HOUSEHOLD_2023["adults"][0], "meets_residence_and_employment_requirement": True, "months_on_help": 5}
    ],
}


@pytest.fixture(autouse=True)
def payment_files_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    """Payment files (staged and 'sent' by the fake NemKonto) never land in var/ during tests,
    and the fake income register starts empty."""
    from jobcenter.integrations.eindkomst.fake import FakeIncomeRegister

    settings.JOBCENTER_NEMKONTO_OUTBOX = str(tmp_path / "nemkonto")
    settings.JOBCENTER_PAYMENT_FILES_DIR = str(tmp_path / "payment-files")
    FakeIncomeRegister.reset()


@pytest.fixture
def odense_team_lead(make_user: Callable[..., User], odense: Municipality) -> User:
    return make_user(Role.TEAM_LEAD, odense, username="odense-teamleder")
