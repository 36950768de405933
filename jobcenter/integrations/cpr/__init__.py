"""The CPR register: interface, fake and HTTP client; ``get_cpr_client()`` picks one from settings."""

from __future__ import annotations

from jobcenter.integrations.cpr.interface import (
    Address,
    CprClient,
    CprError,
    CprPerson,
    CprPersonNotFound,
    CprRelation,
    CprServiceUnavailable,
    InvalidCprNumber,
    RelationKind,
)

DEFAULT_CPR_CLIENT = "jobcenter.integrations.cpr.fake.FakeCprClient"


def get_cpr_client() -> CprClient:
    """The CPR client named by the setting ``JOBCENTER_CPR_CLIENT`` (default: the fake register)."""
    from jobcenter.integrations import load_implementation

    client: CprClient = load_implementation("JOBCENTER_CPR_CLIENT", DEFAULT_CPR_CLIENT)
    return client


__all__ = [
    "DEFAULT_CPR_CLIENT",
    "Address",
    "CprClient",
    "CprError",
    "CprPerson",
    "CprPersonNotFound",
    "CprRelation",
    "CprServiceUnavailable",
    "InvalidCprNumber",
    "RelationKind",
    "get_cpr_client",
]
