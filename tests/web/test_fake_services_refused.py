"""Production refuses fake national services: a fake would register nobody and send nothing, silently."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from jobcenter.integrations.cpr import get_cpr_client
from jobcenter.web.checks import fake_services_only_where_allowed


def test_the_demo_and_the_tests_may_use_the_fakes(settings):
    assert settings.JOBCENTER_ALLOW_FAKE_SERVICES is True
    assert fake_services_only_where_allowed(None) == []
    get_cpr_client()


def test_production_refuses_to_start_with_a_fake_service(settings):
    settings.JOBCENTER_ALLOW_FAKE_SERVICES = False
    settings.JOBCENTER_CPR_CLIENT = "jobcenter.integrations.cpr.client.http_cpr_client_from_settings"
    errors = fake_services_only_where_allowed(None)
    assert {error.id for error in errors} == {"jobcenter.E001"}
    named = " ".join(error.msg for error in errors)
    for fake in ("DIGITAL_POST", "DFDG", "EINDKOMST", "NEMKONTO"):
        assert f"JOBCENTER_{fake}_CLIENT" in named
    assert "JOBCENTER_CPR_CLIENT" not in named  # the real client is named


def test_a_fake_is_refused_at_use_too(settings):
    settings.JOBCENTER_ALLOW_FAKE_SERVICES = False
    with pytest.raises(ImproperlyConfigured, match="JOBCENTER_CPR_CLIENT names a fake national service"):
        get_cpr_client()
