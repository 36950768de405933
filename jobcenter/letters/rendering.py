"""Letters as PDF/A: a Django template rendered to HTML, then to PDF by WeasyPrint.

PDF/A-2a: archivable (fonts embedded, colour profile, XMP metadata) and
tagged, with the document language set, so a citizen's screen reader can
read it. Fonts come from the system (DejaVu in CI: Debian's
fonts-dejavu-core), and nothing is fetched from the network while rendering.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.templatetags.static import static
from weasyprint import CSS, HTML

PDF_VARIANT = "pdf/a-2a"

# One stylesheet for the letter on paper and on screen. It is a static file, not a <style> in the
# template, so a draft shown on a page keeps to the pages' Content-Security-Policy (no inline style).
LETTER_STYLESHEET = Path(__file__).resolve().parent / "static" / "letters" / "letter.css"


def _no_network(url: str, *args: Any, **kwargs: Any) -> Any:
    """Letters carry everything inline; a template that points outside is a mistake, not a fetch."""
    raise ValueError(f"letters may not load external resources: {url[:80]}")


def render_letter_html(template_name: str, context: dict[str, Any]) -> str:
    """The letter as a web page (a draft shown to the officer), styled by the static letter stylesheet."""
    return render_to_string(template_name, {**context, "screen_stylesheet": static("letters/letter.css")})


def render_letter_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template_name, context)
    pdf = HTML(string=html, url_fetcher=_no_network).write_pdf(
        pdf_variant=PDF_VARIANT, stylesheets=[CSS(filename=str(LETTER_STYLESHEET))]
    )
    if pdf is None:  # write_pdf without a target returns the bytes
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
