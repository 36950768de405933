"""Letters as PDF/A: a Django template rendered to HTML, then to PDF by WeasyPrint.

PDF/A-2a: archivable (fonts embedded, colour profile, XMP metadata) and
tagged, with the document language set, so a citizen's screen reader can
read it. Fonts come from the system (DejaVu in CI: Debian's
fonts-dejavu-core), and nothing is fetched from the network while rendering.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML

PDF_VARIANT = "pdf/a-2a"


def _no_network(url: str, *args: Any, **kwargs: Any) -> Any:
    """Letters carry everything inline; a template that points outside is a mistake, not a fetch."""
    raise ValueError(f"letters may not load external resources: {url[:80]}")


def render_letter_html(template_name: str, context: dict[str, Any]) -> str:
    return render_to_string(template_name, context)


def render_letter_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    html = render_letter_html(template_name, context)
    pdf = HTML(string=html, url_fetcher=_no_network).write_pdf(pdf_variant=PDF_VARIANT)
    if pdf is None:  # write_pdf without a target returns the bytes
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
