"""Attachments are checked by their content, not by the name or type the browser claims."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from jobcenter.cases.models import MAX_ATTACHMENT_BYTES

# The first bytes of each allowed format (its "magic number").
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def sniff_content_type(data: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def check_attachment(filename: str, data: bytes) -> str:
    """The content type of an allowed attachment, or a ValidationError in plain Danish."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            f"Bilaget »{filename[:80]}« er for stort ({filesizeformat(len(data))}). "
            f"Et bilag må højst fylde {filesizeformat(MAX_ATTACHMENT_BYTES)}.",
            code="attachment_too_large",
        )
    if not data:
        raise ValidationError(f"Bilaget »{filename[:80]}« er tomt.", code="attachment_empty")
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ValidationError(
            f"Bilaget »{filename[:80]}« er ikke en PDF-, PNG- eller JPEG-fil. Kun de tre typer kan vedhæftes.",
            code="attachment_type",
        )
    return content_type
