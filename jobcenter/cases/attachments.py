"""Attachments: streamed to disk with a running limit, capped per entry, checked by their whole content.

What arrives: every uploaded file goes through `LimitedUploadHandler`
(settings.FILE_UPLOAD_HANDLERS). It writes the file to a temporary file as
the chunks arrive and stops keeping it once it passes MAX_ATTACHMENT_BYTES;
the rest of that file is read off the connection and thrown away. Files after
the first MAX_FILES_PER_ENTRY of a request are not kept at all. Nothing is
ever read whole into memory before it is known to be within the limit.

What is kept: `check_attachment` refuses, in plain Danish, a file that was too
large, is empty, or is not what its first bytes claim. "The whole type" means:
an image must decode to its last pixel (Pillow, which comes with WeasyPrint);
a PDF must have its header, a cross-reference table or stream where
`startxref` says, and the `%%EOF` marker at its end. That is the structure of
the whole file, not a full parse of every object: no PDF parser is a runtime
dependency (pypdf is a development one), see docs/cases.md.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from jobcenter.cases.models import MAX_ATTACHMENT_BYTES

# Ten files to one journal entry: a CV, an application, a few certificates and
# scans. More belongs in several entries, each with its own title. Together with
# the 10 MB per file this bounds one upload to 100 MB on disk.
MAX_FILES_PER_ENTRY = 10

# The first bytes of each allowed format (its "magic number").
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
CHUNK = 64 * 1024
# How far from the end a PDF's trailer (startxref, %%EOF) may lie; writers pad a little.
PDF_TAIL = 2048


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Stream each uploaded file to a temporary file, keeping at most MAX_ATTACHMENT_BYTES of it.

    A file over the limit comes out marked `too_large` (with `size` the bytes
    received and nothing kept), so that the form or the API refuses it with its
    own message. Files beyond MAX_FILES_PER_ENTRY are skipped and counted in
    `request.upload_files_received`.
    """

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.files_received = 0
        self.received = 0
        self.too_large = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.files_received += 1
        if self.request is not None:
            self.request.upload_files_received = self.files_received  # type: ignore[attr-defined]
        if self.files_received > MAX_FILES_PER_ENTRY:
            # Django closes `self.file` on SkipFile: give it nothing of the previous file's to close.
            self.file = io.BytesIO()  # type: ignore[assignment]
            raise SkipFile
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.too_large or self.received > MAX_ATTACHMENT_BYTES:
            self.too_large = True
            return None  # not kept; the parser reads the rest of the file off the connection
        self.file.write(raw_data)
        return None

    def upload_interrupted(self) -> None:
        if isinstance(self.file, TemporaryUploadedFile):  # not the stand-in of a skipped file
            super().upload_interrupted()

    def file_complete(self, file_size: int) -> TemporaryUploadedFile:
        if self.too_large:
            self.file.seek(0)
            self.file.truncate()
        self.file.seek(0)
        self.file.size = file_size
        self.file.too_large = self.too_large  # type: ignore[attr-defined]
        return self.file


def files_received(request: Any, field: str) -> list[Any]:
    """The uploaded files of `field`, or a Danish ValidationError when more were sent than an entry may have."""
    received = getattr(request, "upload_files_received", 0)
    files = request.FILES.getlist(field)
    if max(received, len(files)) > MAX_FILES_PER_ENTRY:
        raise ValidationError(
            {
                "attachments": _("Et notat kan have højst %(max)s bilag; der blev sendt %(count)s. Intet er gemt.")
                % {"max": MAX_FILES_PER_ENTRY, "count": max(received, len(files))}
            }
        )
    return files


@dataclass(frozen=True)
class CheckedAttachment:
    filename: str
    content_type: str
    size: int
    sha256: str
    data: bytes


def sniff_content_type(data: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def _name(filename: str) -> str:
    return filename[:80]


def _size_of(source: IO[bytes]) -> int:
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    return size


def _pdf_is_whole(source: IO[bytes], size: int) -> bool:
    """Header, trailer and cross-reference: a PDF cut off in transfer or merely named .pdf fails."""
    source.seek(0)
    if not re.match(rb"%PDF-\d\.\d", source.read(8)):
        return False
    source.seek(max(0, size - PDF_TAIL))
    tail = source.read()
    if b"%%EOF" not in tail:
        return False
    match = re.search(rb"startxref\s+(\d+)\s+%%EOF", tail)
    if match is None:
        return False
    offset = int(match.group(1))
    if not 0 < offset < size:
        return False
    source.seek(offset)
    start = source.read(32)
    # A classic table ("xref") or a cross-reference stream (an object: "12 0 obj").
    return start.startswith(b"xref") or re.match(rb"\s*\d+\s+\d+\s+obj", start) is not None


def _image_decodes(source: IO[bytes], expected: str) -> bool:
    from PIL import Image

    source.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                if Image.MIME.get(image.format or "") != expected:
                    return False
                image.load()  # decodes every pixel: a truncated or forged file fails here
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return False
    return True


def check_attachment(filename: str, source: bytes | IO[bytes]) -> CheckedAttachment:
    """The checked attachment, ready to store, or a ValidationError in plain Danish.

    `source` is the bytes, or an uploaded file (read in chunks, never whole before its size is known).
    """
    if getattr(source, "too_large", False):
        size = int(getattr(source, "size", 0) or 0)
    elif isinstance(source, bytes | bytearray):
        size = len(source)
    else:
        size = _size_of(source)
    if size > MAX_ATTACHMENT_BYTES or getattr(source, "too_large", False):
        raise ValidationError(
            _("Bilaget »%(name)s« er for stort (%(size)s). Et bilag må højst fylde %(max)s.")
            % {
                "name": _name(filename),
                "size": filesizeformat(size),
                "max": filesizeformat(MAX_ATTACHMENT_BYTES),
            },
            code="attachment_too_large",
        )
    if size == 0:
        raise ValidationError(_("Bilaget »%(name)s« er tomt.") % {"name": _name(filename)}, code="attachment_empty")
    stream: IO[bytes] = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    stream.seek(0)
    content_type = sniff_content_type(stream.read(16))
    if content_type is None:
        raise ValidationError(
            _("Bilaget »%(name)s« er ikke en PDF-, PNG- eller JPEG-fil. Kun de tre typer kan vedhæftes.")
            % {"name": _name(filename)},
            code="attachment_type",
        )
    whole = _pdf_is_whole(stream, size) if content_type == "application/pdf" else _image_decodes(stream, content_type)
    if not whole:
        raise ValidationError(
            _(
                "Bilaget »%(name)s« ligner en %(type)s-fil, men filen er ikke hel eller ikke gyldig. "
                "Gem den igen fra det program, den kommer fra, og vedhæft den på ny."
            )
            % {"name": _name(filename), "type": content_type.split("/")[1].upper()},
            code="attachment_damaged",
        )
    digest = hashlib.sha256()
    parts = []
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        parts.append(chunk)
    return CheckedAttachment(
        filename=filename[:200], content_type=content_type, size=size, sha256=digest.hexdigest(), data=b"".join(parts)
    )
