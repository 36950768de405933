import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jobcenter.audit.models import AuditEntry
from jobcenter.citizens.actions import do_register_citizen
from jobcenter.citizens.models import Citizen


def test_a_caseworker_finds_a_citizen_by_cpr_number(client_for, odense_caseworker, odense_citizen):
    response = client_for(odense_caseworker).post(reverse("citizens:search"), {"query": "010190-1234"})
    page = response.content.decode()
    assert "Karen Odensen" in page
    assert "010190-****" in page


def test_a_caseworker_finds_a_citizen_by_name(client_for, odense_caseworker, odense_citizen):
    response = client_for(odense_caseworker).post(reverse("citizens:search"), {"query": "karen odens"})
    assert "Karen Odensen" in response.content.decode()


def test_an_invalid_cpr_number_gets_a_clear_message_and_is_not_echoed(client_for, odense_caseworker, odense_citizen):
    response = client_for(odense_caseworker).post(reverse("citizens:search"), {"query": "320190-1234"})
    page = response.content.decode()
    assert "Ugyldigt CPR-nummer" in page
    assert "3201901234" not in page


def test_the_cpr_number_never_appears_in_a_url(client_for, odense_caseworker, odense_citizen):
    response = client_for(odense_caseworker).post(reverse("citizens:search"), {"query": "0101901234"})
    page = response.content.decode()
    detail_url = reverse("citizens:detail", args=[odense_citizen.pk])
    assert detail_url in page
    assert "0101901234" not in detail_url
    assert '<form method="post"' in page


def test_a_caseworker_in_aarhus_does_not_find_odense_citizens(client_for, aarhus_caseworker, odense_citizen):
    for query in ["010190-1234", "Odensen"]:
        response = client_for(aarhus_caseworker).post(reverse("citizens:search"), {"query": query})
        assert "Karen" not in response.content.decode()


def test_registering_a_citizen_with_an_invalid_cpr_number_writes_nothing(odense):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="Ugyldigt CPR-nummer"):
        do_register_citizen(acting_user=None, municipality=odense, cpr="0113901234", first_name="A", last_name="B")
    assert Citizen.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_the_birth_date_comes_from_the_cpr_number(odense_citizen):
    assert odense_citizen.birth_date.isoformat() == "1990-01-01"


def test_the_api_search_takes_the_query_in_the_body(client_for, odense_caseworker, odense_citizen):
    response = client_for(odense_caseworker).post(
        reverse("api:citizens-search"), {"query": "0101901234"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()[0]["name"] == "Karen Odensen"


def test_the_api_says_which_field_is_wrong(client_for, odense_caseworker):
    response = client_for(odense_caseworker).post(
        reverse("api:citizens-search"), {"query": "320190-1234"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "Ugyldigt CPR-nummer" in response.json()["detail"]
