"""Small but whole files of each allowed attachment type, and broken ones, for the tests."""

from __future__ import annotations

import io

from PIL import Image


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def _pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table (what every PDF writer produces)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


PNG = _image("PNG")
JPEG = _image("JPEG")
PDF = _pdf()
# The first bytes are right; the rest is not the file they promise.
FAKE_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TRUNCATED_PDF = PDF[: len(PDF) // 2]
TRUNCATED_JPEG = JPEG[: len(JPEG) // 2]
