import pytest
from django.core.exceptions import ValidationError

from jobcenter.audit.models import AuditEntry
from jobcenter.tenancy.actions import do_issue_api_token, do_load_municipalities
from jobcenter.tenancy.models import ApiToken, Municipality, User
from jobcenter.tenancy.queries import user_for_api_token
from jobcenter.tenancy.roles import Role


def test_it_loads_the_98_municipalities_with_their_official_codes_and_can_run_again(db):
    assert do_load_municipalities() == (98, 0)
    assert do_load_municipalities() == (0, 0)
    assert Municipality.objects.count() == 98
    assert Municipality.objects.get(code="0461").name == "Odense"
    assert Municipality.objects.get(code="0751").name == "Aarhus"
    assert Municipality.objects.get(code="0101").name == "København"


def test_a_caseworker_works_in_exactly_one_municipality(make_user, odense, aarhus):
    with pytest.raises(ValidationError, match="præcis én kommune"):
        make_user(Role.CASEWORKER, odense, aarhus)
    assert not User.objects.filter(role=Role.CASEWORKER).exists()


def test_operations_may_span_several_municipalities(make_user, odense, aarhus):
    user = make_user(Role.OPERATIONS, odense, aarhus)
    assert [m.code for m in user.municipality_list] == ["0461", "0751"]
    assert user.municipality is None


def test_a_user_without_a_municipality_is_refused_and_nothing_is_written(make_user, db):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="mindst én kommune"):
        make_user(Role.AUDITOR)
    assert User.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_passwords_are_hashed_with_argon2(odense_caseworker):
    assert odense_caseworker.password.startswith("argon2")


def test_an_api_token_is_stored_only_as_its_hash_and_finds_its_user(odense_caseworker):
    token, raw = do_issue_api_token(acting_user=None, user=odense_caseworker, name="Integration")
    assert raw not in ApiToken.objects.values_list("key_hash", flat=True)
    assert token.key_hash != raw
    assert user_for_api_token(raw) == odense_caseworker
    assert user_for_api_token(raw + "x") is None
