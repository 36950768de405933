"""The benefits officer's page: enter or pick a household, see every amount with its paragraph and source."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jobcenter.benefits.forms import AdultForm, example_households, initial_from_example
from jobcenter.tenancy.roles import Role

URL = reverse("benefits:calculate")


@pytest.fixture
def officer_client(odense_benefits_officer, client_for):
    return client_for(odense_benefits_officer)


def post_data(initial: dict[str, Any]) -> dict[str, Any]:
    """What the browser sends for a page filled in with `initial` (as the example picker fills it)."""
    data: dict[str, Any] = {}
    for name, value in initial["household"].items():
        if value not in (None, False, ""):
            data[f"h-{name}"] = "on" if value is True else value
    for prefix in ("a1", "a2"):
        for name, value in initial[prefix].items():
            if value is None or value is False or value == "":
                continue
            data[f"{prefix}-{name}"] = "on" if value is True else str(value).replace(".", ",")
    children = initial["children"]
    rows = max(4, len(children))
    data |= {"children-TOTAL_FORMS": rows, "children-INITIAL_FORMS": 0, "children-MIN_NUM_FORMS": 4}
    for index, child in enumerate(children):
        data[f"children-{index}-birth_date"] = child["birth_date"]
        data[f"children-{index}-parents"] = child["parents"]
    for index in range(len(children), rows):
        data[f"children-{index}-parents"] = "a1"
    return data


def example(stem: str) -> dict[str, Any]:
    return initial_from_example(example_households()[stem])


def test_the_page_offers_the_example_households(officer_client):
    page = officer_client.get(URL).content.decode()
    assert "Beregn kontanthjælp" in page
    assert "Enlig forsørger på 24 år" in page


def test_picking_an_example_fills_in_the_form(officer_client):
    page = officer_client.get(URL, {"eksempel": "household-couple-2025"}).content.decode()
    assert 'value="2025-08"' in page
    assert 'value="Anna"' in page
    assert 'value="Bo"' in page


def test_the_page_shows_the_same_breakdown_as_the_command_line(officer_client):
    response = officer_client.post(URL, post_data(example("household-single-provider-2025")))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="calculation-result"' in page
    assert "Husstandens hjælp i alt: 14.329,50 kr." in page  # as `jobcenter benefits calculate` prints it
    assert "LAS § 19" in page


def test_a_couple_with_work_income_is_calculated_from_kroner_on_the_page(officer_client):
    response = officer_client.post(URL, post_data(example("household-couple-2025")))
    page = response.content.decode()
    assert 'data-testid="calculation-result"' in page, page[:2000]
    assert page.count('data-testid="person-breakdown"') == 2


def test_a_month_without_approved_rates_is_refused_with_a_clear_reason(officer_client):
    data = post_data(example("household-single-provider-2025"))
    data["h-month"] = "2026-03"
    page = officer_client.post(URL, data).content.decode()
    assert "Beregningen er ikke lavet" in page
    assert "er ikke kendt og godkendt for 2026-03" in page
    assert 'data-testid="calculation-result"' not in page


def test_a_month_before_2023_is_refused_on_the_field(officer_client):
    data = post_data(example("household-single-2023"))
    data["h-month"] = "2022-12"
    page = officer_client.post(URL, data).content.decode()
    assert "Reglerne dækker måneder fra januar 2023." in page
    assert 'data-testid="calculation-result"' not in page


def test_a_fact_the_month_needs_is_marked_on_its_field(officer_client):
    data = post_data(example("household-single-provider-2025"))
    del data["a1-meets_residence_and_employment_requirement"]
    page = officer_client.post(URL, data).content.decode()
    assert "Beregningen er ikke lavet" in page
    field = AdultForm(prefix="a1")["meets_residence_and_employment_requirement"]
    assert f'id="{field.id_for_label}-error"' in page
    assert "skal oplyses for den valgte måned" in page


def test_a_child_older_than_its_parent_is_refused(officer_client):
    data = post_data(example("household-single-provider-2025"))
    data["children-0-birth_date"] = "1990-01-01"
    page = officer_client.post(URL, data).content.decode()
    assert "Beregningen er ikke lavet" in page
    assert "is not younger than its parent" in page


def test_two_adults_need_to_say_how_they_live_together(officer_client):
    data = post_data(example("household-couple-2025"))
    del data["h-relationship"]
    page = officer_client.post(URL, data).content.decode()
    assert "Vælg om de voksne er gift eller samlevende." in page


def test_script_in_a_name_is_shown_as_text(officer_client):
    data = post_data(example("household-single-provider-2025"))
    data["a1-name"] = "<script>alert(1)</script>"
    page = officer_client.post(URL, data).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_caseworker_may_not_open_the_calculation(make_user, odense, client_for):
    caseworker = make_user(Role.CASEWORKER, odense)
    assert client_for(caseworker).get(URL).status_code == 403
