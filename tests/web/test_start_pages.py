"""Each role's start page shows its own work with counts, not a copy of the menu."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from jobcenter.cases.actions import do_open_case
from jobcenter.citizens.actions import do_register_citizen
from jobcenter.events.dispatcher import route_events
from jobcenter.events.models import OutboxEvent
from jobcenter.payments.actions import do_start_trial_run
from jobcenter.tenancy.roles import Role
from tests.conftest import TARGET_GROUP
from tests.payments.helpers import OCTOBER_2025, grant


def start_page(client_for, user) -> str:
    response = client_for(user).get(reverse("web:start"))
    assert response.status_code == 200
    return response.content.decode()


def count(page: str, testid: str) -> str:
    after = page[page.index(f'data-testid="{testid}"') :]
    return after[after.index(">") + 1 : after.index("<")]


def overdue_case(municipality, caseworker, cpr="0303903456"):
    citizen = do_register_citizen(
        acting_user=None, municipality=municipality, cpr=cpr, first_name="Ib", last_name="Forsinket"
    )
    return do_open_case(
        acting_user=None,
        citizen=citizen,
        target_group_code=TARGET_GROUP,
        opened_on=timezone.localdate() - datetime.timedelta(days=90),
        caseworker=caseworker,
    )


def test_the_caseworkers_start_page_shows_their_deadlines_with_counts(
    client_for, odense_caseworker, odense_case, odense
):
    overdue_case(odense, odense_caseworker)
    page = start_page(client_for, odense_caseworker)
    assert 'data-testid="panel-my-deadlines"' in page
    assert count(page, "start-my-open") == "2"
    assert int(count(page, "start-my-overdue")) >= 1
    assert "Ib Forsinket" in page  # the earliest deadline is listed first
    assert page.index("Ib Forsinket") < page.index("Karen Odensen")
    for others in ("panel-team", "panel-inbox", "panel-runs", "panel-alarms"):
        assert f'data-testid="{others}"' not in page
    assert "start-shortcuts" not in page  # not a copy of the menu


def test_the_caseworkers_menu_does_not_show_the_benefits_offices_inbox(client_for, odense_caseworker):
    page = start_page(client_for, odense_caseworker)
    menu = page[page.index('aria-label="Hovedmenu"') :]
    menu = menu[: menu.index("</nav>")]
    assert "Indbakke" not in menu and reverse("benefits:inbox") not in menu
    assert "Arbejdsliste" in menu


def test_the_benefits_officers_start_page_shows_the_inbox_and_the_runs(
    client_for, odense_benefits_officer, odense_team_lead, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    do_start_trial_run(odense_team_lead, OCTOBER_2025)
    page = start_page(client_for, odense_benefits_officer)
    assert count(page, "start-inbox-open") == "0"
    assert count(page, "start-runs-to-approve") == "1"
    assert "oktober 2025" in page and "13.590,00 kr." in page
    assert 'data-testid="panel-my-deadlines"' not in page
    menu = page[page.index('aria-label="Hovedmenu"') :]
    assert "Indbakke" in menu[: menu.index("</nav>")]


def test_a_run_one_started_oneself_is_not_offered_for_approval(
    client_for, odense_benefits_officer, odense_team_lead, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    do_start_trial_run(odense_team_lead, OCTOBER_2025)
    page = start_page(client_for, odense_team_lead)
    assert count(page, "start-runs-to-approve") == "0"
    assert 'data-testid="start-runs-own"' in page


def test_the_team_leads_start_page_shows_the_team_the_runs_waiting_and_the_alarms(
    client_for, make_user, odense, aarhus, odense_team_lead, odense_caseworker, odense_case, aarhus_caseworker
):
    overdue_case(odense, None)  # unassigned and overdue
    overdue_case(aarhus, aarhus_caseworker, cpr="0404904567")  # another municipality: counted nowhere
    for municipality in (odense, aarhus):
        OutboxEvent.objects.create(
            municipality=municipality,
            event_type="no_such_event",
            payload={},
            occurred_at=datetime.datetime.now(datetime.UTC),
        )
    route_events()  # no handler: both become dead letters, one per municipality
    page = start_page(client_for, odense_team_lead)
    assert count(page, "start-team-open") == "2"
    assert count(page, "start-team-unassigned") == "1"
    assert int(count(page, "start-team-overdue")) >= 1
    assert 'data-testid="panel-runs"' in page
    assert count(page, "start-dead-letters") == "1"
    assert reverse("web:operations") not in page  # the team lead sees the number, operations the list


def test_operations_sees_the_alarms_with_a_link_to_the_operations_page(client_for, make_user, odense):
    operations = make_user(Role.OPERATIONS, odense, username="drift")
    page = start_page(client_for, operations)
    assert 'data-testid="panel-alarms"' in page and reverse("web:operations") in page
    assert 'data-testid="panel-my-deadlines"' not in page


def test_the_administrators_start_page_counts_the_rate_tables_waiting(client_for, make_user, odense):
    administrator = make_user(Role.ADMINISTRATOR, odense, username="admin")
    page = start_page(client_for, administrator)
    assert count(page, "start-rates-pending") == "0"
