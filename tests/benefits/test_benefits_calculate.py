import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from jobcenter.tenancy.roles import Role
from tests.conftest import SINGLE_HOUSEHOLD_2023

# Every calculation reads the approved rate tables from the database.
pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "jobcenter" / "benefits" / "examples"
SINGLE_NEW_LAW = {
    **SINGLE_HOUSEHOLD_2023,
    "adults": [{**SINGLE_HOUSEHOLD_2023["adults"][0], "meets_residence_and_employment_requirement": True}],
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("benefits", *args, stdout=out)
    return out.getvalue()


def test_the_cli_prints_the_breakdown_in_danish():
    text = run("calculate", "--month", "2025-10", str(EXAMPLES / "household-single-provider-2025.json"))
    assert "Husstandens hjælp i alt" in text
    assert "14.329,50 kr." in text
    assert "LAS § 19" in text


def test_the_cli_prints_json_whose_lines_sum_to_the_total():
    results = json.loads(
        run("calculate", "--month", "2025-10", "--json", str(EXAMPLES / "household-single-provider-2025.json"))
    )
    person = results[0]["persons"][0]
    assert sum(line["amount_ore"] for line in person["lines"]) == person["total_ore"] == 1_432_950


def test_the_cli_prints_the_input_schema():
    schema = json.loads(run("schema"))
    assert "adults" in schema["properties"]


@pytest.mark.parametrize(
    ("document", "month", "expected"),
    [
        ({**SINGLE_HOUSEHOLD_2023, "ukendt": 1}, "2023-03", "ukendt"),
        (SINGLE_HOUSEHOLD_2023, "2022-12", "month"),
        (SINGLE_HOUSEHOLD_2023, "2025-08", "meets_residence_and_employment_requirement"),
        (SINGLE_NEW_LAW, "2026-03", "er ikke kendt og godkendt for 2026-03"),
    ],
)
def test_the_cli_refuses_bad_input_naming_the_field(tmp_path, document, month, expected):
    path = tmp_path / "husstand.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match=expected):
        run("calculate", "--month", month, str(path))


def test_the_cli_says_when_the_file_is_not_json(tmp_path):
    path = tmp_path / "husstand.json"
    path.write_text("{ikke json")
    with pytest.raises(CommandError, match="ikke gyldig JSON"):
        run("calculate", "--month", "2023-03", str(path))


def test_the_api_calculates_with_the_same_breakdown(client_for, make_user, odense):
    officer = make_user(Role.BENEFITS_OFFICER, odense)
    response = client_for(officer).post(
        reverse("api:benefits-calculate"),
        {"month": "2023-03", "households": [SINGLE_HOUSEHOLD_2023]},
        content_type="application/json",
    )
    assert response.status_code == 200
    household = response.json()["households"][0]
    assert household["total_ore"] == sum(line["amount_ore"] for p in household["persons"] for line in p["lines"])
    assert household["total_ore"] == 1_194_400  # LAS § 25, stk. 2, nr. 2 (2023): 11.944 kr.


def test_the_api_refuses_a_month_without_confirmed_rates_in_danish(client_for, make_user, odense):
    officer = make_user(Role.BENEFITS_OFFICER, odense)
    response = client_for(officer).post(
        reverse("api:benefits-calculate"),
        {"month": "2026-03", "households": [SINGLE_NEW_LAW]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "er ikke kendt og godkendt for 2026-03" in response.json()["detail"]


def test_the_payment_runs_fast_path_builds_the_same_columns_as_the_validated_path():
    import dataclasses
    import json
    from pathlib import Path

    from jobcenter.benefits.calculation import columns_from_stored_facts, validated_facts
    from jobcenter.rules import HouseholdColumns, HouseholdInput

    examples = Path(__file__).resolve().parents[2] / "jobcenter" / "benefits" / "examples"
    households = [
        {k: v for k, v in json.loads(path.read_text()).items() if not k.startswith("_")}
        for path in sorted(examples.glob("household-*.json"))
    ]
    expected = HouseholdColumns.from_households([HouseholdInput.model_validate(h) for h in households])
    fast = columns_from_stored_facts([validated_facts(h) for h in households])
    for column in dataclasses.fields(expected):
        a, b = getattr(expected, column.name), getattr(fast, column.name)
        if a.dtype.kind in "OM":
            assert a.astype(str).tolist() == b.astype(str).tolist(), column.name
        else:
            assert a.tolist() == b.tolist(), column.name
