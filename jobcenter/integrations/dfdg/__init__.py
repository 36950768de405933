"""Det Fælles Datagrundlag: interface, fake, local fake server and HTTP client; ``get_dfdg_client()`` picks one."""

from __future__ import annotations

from jobcenter.integrations.dfdg.interface import (
    DfdgClient,
    DfdgError,
    DfdgReceipt,
    DfdgRejected,
    DfdgReport,
    DfdgUnavailable,
    ReportKind,
)

DEFAULT_DFDG_CLIENT = "jobcenter.integrations.dfdg.fake.FakeDfdgClient"


def get_dfdg_client() -> DfdgClient:
    """The client named by the setting ``JOBCENTER_DFDG_CLIENT`` (default: the in-process fake)."""
    from jobcenter.integrations import load_implementation

    client: DfdgClient = load_implementation("JOBCENTER_DFDG_CLIENT", DEFAULT_DFDG_CLIENT)
    return client


__all__ = [
    "DEFAULT_DFDG_CLIENT",
    "DfdgClient",
    "DfdgError",
    "DfdgReceipt",
    "DfdgRejected",
    "DfdgReport",
    "DfdgUnavailable",
    "ReportKind",
    "get_dfdg_client",
]
