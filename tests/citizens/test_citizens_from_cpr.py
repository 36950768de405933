import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jobcenter.audit.models import AuditEntry
from jobcenter.citizens.actions import do_refresh_citizen_from_cpr, do_register_citizen_from_cpr
from jobcenter.citizens.models import Citizen, HouseholdRelation
from jobcenter.integrations.cpr import Address, CprPerson, CprRelation, RelationKind
from jobcenter.integrations.cpr.fake import FakeCprClient

KAREN = "0101901234"
SPOUSE = "0202852345"
CHILD = "0303151234"


def karen(street="Egevænget 4", relations=()) -> CprPerson:
    return CprPerson(
        cpr=KAREN,
        first_name="Karen",
        last_name="Odensen",
        birth_date=datetime.date(1990, 1, 1),
        address=Address(street=street, postcode="5000", city="Odense C"),
        relations=tuple(relations),
    )


def test_registering_by_cpr_number_fetches_name_address_and_household(odense, odense_caseworker):
    spouse = Citizen.objects.create(
        municipality=odense, cpr=SPOUSE, first_name="Ole", last_name="Odensen", birth_date=datetime.date(1985, 2, 2)
    )
    FakeCprClient.register(
        karen(
            relations=[
                CprRelation(RelationKind.SPOUSE, SPOUSE, datetime.date(2015, 6, 1), None),
                CprRelation(RelationKind.CHILD_IN_CUSTODY, CHILD, datetime.date(2015, 3, 3), None),
            ]
        )
    )
    citizen = do_register_citizen_from_cpr(acting_user=odense_caseworker, municipality=odense, cpr="010190-1234")
    assert (citizen.first_name, citizen.last_name) == ("Karen", "Odensen")
    assert citizen.address_line == "Egevænget 4, 5000 Odense C"
    assert citizen.birth_date == datetime.date(1990, 1, 1)
    relations = {r.kind: r for r in citizen.relations.all()}
    assert relations["spouse"].related_citizen == spouse
    assert relations["child_in_custody"].related_citizen is None
    assert relations["child_in_custody"].valid_to is None


def test_the_citizen_page_shows_address_age_and_household_without_the_relatives_cpr(
    client_for, odense, odense_caseworker
):
    FakeCprClient.register(
        karen(relations=[CprRelation(RelationKind.COHABITANT, SPOUSE, datetime.date(2020, 1, 1), None)])
    )
    citizen = do_register_citizen_from_cpr(acting_user=odense_caseworker, municipality=odense, cpr=KAREN)
    page = client_for(odense_caseworker).get(reverse("citizens:detail", args=[citizen.pk])).content.decode()
    assert "Egevænget 4, 5000 Odense C" in page
    assert "Samlever" in page
    assert "020285-****" in page
    assert SPOUSE not in page
    assert " år)" in page


def test_refreshing_from_cpr_updates_address_and_replaces_relations(odense, odense_caseworker):
    FakeCprClient.register(karen(relations=[CprRelation(RelationKind.SPOUSE, SPOUSE, datetime.date(2015, 6, 1), None)]))
    citizen = do_register_citizen_from_cpr(acting_user=odense_caseworker, municipality=odense, cpr=KAREN)
    FakeCprClient.register(
        karen(
            street="Skolevej 9",
            relations=[
                CprRelation(RelationKind.SPOUSE, SPOUSE, datetime.date(2015, 6, 1), datetime.date(2026, 10, 31))
            ],
        )
    )
    do_refresh_citizen_from_cpr(acting_user=odense_caseworker, citizen=citizen)
    citizen.refresh_from_db()
    assert citizen.street == "Skolevej 9"
    (relation,) = citizen.relations.all()
    assert relation.valid_to == datetime.date(2026, 10, 31)
    assert not relation.is_valid_on(datetime.date(2026, 11, 23))
    assert AuditEntry.objects.filter(object_id=str(citizen.pk), action="update").exists()


def test_the_refresh_button_on_the_page(client_for, odense_caseworker, odense_citizen):
    FakeCprClient.register(karen(street="Møllegade 1"))
    response = client_for(odense_caseworker).post(reverse("citizens:refresh", args=[odense_citizen.pk]))
    assert response.status_code == 302
    odense_citizen.refresh_from_db()
    assert odense_citizen.street == "Møllegade 1"


def test_an_invalid_cpr_number_is_refused_clearly_and_nothing_is_written(client_for, odense_caseworker):
    before = (Citizen.objects.count(), HouseholdRelation.objects.count())
    response = client_for(odense_caseworker).post(reverse("citizens:register"), {"cpr": "320190-1234"})
    page = response.content.decode()
    assert "Ugyldigt CPR-nummer" in page
    assert "3201901234" not in page
    assert (Citizen.objects.count(), HouseholdRelation.objects.count()) == before
    api = client_for(odense_caseworker).post(
        reverse("api:citizens-register"), {"cpr": "320190-1234"}, content_type="application/json"
    )
    assert api.status_code == 422
    assert "Ugyldigt CPR-nummer" in api.json()["detail"]
    assert "320190" not in api.json()["detail"]
    assert Citizen.objects.count() == before[0]


def test_a_person_the_register_does_not_know_is_refused_without_echoing_the_number(odense, odense_caseworker):
    FakeCprClient.register_missing(KAREN)
    with pytest.raises(ValidationError) as error:
        do_register_citizen_from_cpr(acting_user=odense_caseworker, municipality=odense, cpr=KAREN)
    assert "Der findes ingen person" in str(error.value)
    assert KAREN not in str(error.value)
    assert not Citizen.objects.exists()


def test_the_register_being_down_stops_nothing_already_there(odense_caseworker, odense_citizen):
    FakeCprClient.set_unavailable(True)
    with pytest.raises(ValidationError, match="CPR-registret svarer ikke"):
        do_refresh_citizen_from_cpr(acting_user=odense_caseworker, citizen=odense_citizen)
    odense_citizen.refresh_from_db()
    assert odense_citizen.first_name == "Karen"


def test_registering_a_citizen_twice_is_refused(odense, odense_caseworker, odense_citizen):
    with pytest.raises(ValidationError, match="allerede oprettet"):
        do_register_citizen_from_cpr(acting_user=odense_caseworker, municipality=odense, cpr=KAREN)


def test_a_benefits_officer_may_not_register_citizens(client_for, odense_benefits_officer):
    assert client_for(odense_benefits_officer).post(reverse("citizens:register"), {"cpr": KAREN}).status_code == 403
    assert not Citizen.objects.exists()
