"""The CPR contract: every implementation (the fake and the HTTP client) behaves the same."""

from __future__ import annotations

from datetime import date

import pytest

from jobcenter.integrations.cpr import (
    Address,
    CprError,
    CprPerson,
    CprPersonNotFound,
    CprRelation,
    CprServiceUnavailable,
    InvalidCprNumber,
    RelationKind,
)
from jobcenter.integrations.cpr.fake import FakeCprClient

ANNE = "0101901234"  # born 1 January 1990; even last digit: a woman
PARTNER = "0202851235"
CHILD = "0303150124"


def test_it_finds_a_person_for_any_valid_number_with_the_birth_date_from_the_number(cpr_client):
    person = cpr_client.lookup(ANNE)

    assert person.cpr == ANNE
    assert person.birth_date == date(1990, 1, 1)
    assert person.first_name and person.last_name
    assert person.address is not None and person.address.postcode.isdigit()
    assert person.relations == ()


def test_it_answers_the_same_person_every_time(cpr_client):
    assert cpr_client.lookup(ANNE) == cpr_client.lookup(ANNE)


def test_it_accepts_the_number_written_with_a_dash(cpr_client):
    assert cpr_client.lookup("010190-1234") == cpr_client.lookup(ANNE)


def test_it_answers_a_registered_person_with_dated_relations(cpr_client):
    registered = CprPerson(
        cpr=ANNE,
        first_name="Karen",
        last_name="Testesen",
        birth_date=date(1990, 1, 1),
        address=Address(street="Skolevej 4, 2. tv.", postcode="5000", city="Odense C"),
        relations=(
            CprRelation(kind=RelationKind.SPOUSE, cpr=PARTNER, valid_from=date(2015, 6, 1), valid_to=None),
            CprRelation(
                kind=RelationKind.CHILD_IN_CUSTODY, cpr=CHILD, valid_from=date(2015, 3, 3), valid_to=date(2033, 3, 2)
            ),
        ),
    )
    FakeCprClient.register(registered)

    assert cpr_client.lookup(ANNE) == registered


def test_it_answers_a_person_without_a_known_address(cpr_client):
    homeless = CprPerson(
        cpr=ANNE, first_name="Karen", last_name="Testesen", birth_date=date(1990, 1, 1), address=None, relations=()
    )
    FakeCprClient.register(homeless)

    assert cpr_client.lookup(ANNE).address is None


def test_a_number_not_in_the_register_is_not_found_and_the_message_does_not_name_it(cpr_client):
    FakeCprClient.register_missing(ANNE)

    with pytest.raises(CprPersonNotFound) as raised:
        cpr_client.lookup(ANNE)

    assert isinstance(raised.value, CprError)
    assert "CPR" in raised.value.message
    assert ANNE not in str(raised.value) and "010190" not in raised.value.message


def test_the_register_being_down_is_unavailable_not_not_found(cpr_client):
    FakeCprClient.set_unavailable(True)

    with pytest.raises(CprServiceUnavailable) as raised:
        cpr_client.lookup(ANNE)

    assert "Prøv igen" in raised.value.message
    assert ANNE not in str(raised.value)


@pytest.mark.parametrize("bad", ["", "123", "3201901234", "01019012345", "abcdefghij", "0101991234x"])
def test_an_invalid_number_is_the_callers_mistake(cpr_client, bad):
    with pytest.raises(InvalidCprNumber) as raised:
        cpr_client.lookup(bad)

    assert isinstance(raised.value, ValueError)
    assert raised.value.message.startswith("Ugyldigt CPR-nummer")


def test_a_number_registered_again_after_being_missing_is_found(cpr_client):
    FakeCprClient.register_missing(ANNE)
    FakeCprClient.register(
        CprPerson(cpr=ANNE, first_name="A", last_name="B", birth_date=date(1990, 1, 1), address=None, relations=())
    )

    assert cpr_client.lookup(ANNE).first_name == "A"
