"""Digital Post: interface, fake and HTTP client; ``get_digital_post_client()`` picks one from settings."""

from __future__ import annotations

from jobcenter.integrations.digital_post.interface import (
    DeliveryReceipt,
    DigitalPostClient,
    DigitalPostError,
    DigitalPostLetter,
    DigitalPostUnavailable,
    InvalidLetter,
    RecipientNotConnected,
)

DEFAULT_DIGITAL_POST_CLIENT = "jobcenter.integrations.digital_post.fake.FakeDigitalPostClient"


def get_digital_post_client() -> DigitalPostClient:
    """The client named by the setting ``JOBCENTER_DIGITAL_POST_CLIENT`` (default: the fake)."""
    from jobcenter.integrations import load_implementation

    client: DigitalPostClient = load_implementation("JOBCENTER_DIGITAL_POST_CLIENT", DEFAULT_DIGITAL_POST_CLIENT)
    return client


__all__ = [
    "DEFAULT_DIGITAL_POST_CLIENT",
    "DeliveryReceipt",
    "DigitalPostClient",
    "DigitalPostError",
    "DigitalPostLetter",
    "DigitalPostUnavailable",
    "InvalidLetter",
    "RecipientNotConnected",
    "get_digital_post_client",
]
