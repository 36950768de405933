"""System checks that stop a wrongly configured installation before it serves anyone."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from jobcenter.integrations import fake_refused_message, is_fake

# Every setting that names a national service's implementation.
SERVICE_SETTINGS = (
    "JOBCENTER_CPR_CLIENT",
    "JOBCENTER_DIGITAL_POST_CLIENT",
    "JOBCENTER_DFDG_CLIENT",
    "JOBCENTER_EINDKOMST_CLIENT",
    "JOBCENTER_NEMKONTO_CLIENT",
)


@register()
def fake_services_only_where_allowed(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.JOBCENTER_ALLOW_FAKE_SERVICES:
        return []
    return [
        Error(fake_refused_message(name), id="jobcenter.E001")
        for name in SERVICE_SETTINGS
        if is_fake(getattr(settings, name, ""))
    ]
