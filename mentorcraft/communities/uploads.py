"""What a community's library accepts as a file: an allow-list of kinds, each recognised by
its name's extension AND by its content (a PDF starts with ``%PDF-``, an office document is a
zip with the parts its format needs, a picture has its format's signature, text is UTF-8), and
no more than ``COMMUNITY_UPLOAD_MAX_BYTES``. The type the file is sent with later is ours,
from this list, never what the browser said."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the legacy Office formats (.doc, .xls, .ppt)
HEAD = 64 * 1024


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    check: str  # how the content is recognised: see ``_content_matches``
    part: str = ""  # for office documents: a part the zip must hold, or the ODF mimetype


KINDS: dict[str, Kind] = {
    ".pdf": Kind("PDF", "application/pdf", "pdf"),
    ".docx": Kind(
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "ooxml",
        "word/",
    ),
    ".xlsx": Kind(
        "Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ooxml",
        "xl/",
    ),
    ".pptx": Kind(
        "PowerPoint presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ooxml",
        "ppt/",
    ),
    ".odt": Kind(
        "OpenDocument text",
        "application/vnd.oasis.opendocument.text",
        "odf",
        "application/vnd.oasis.opendocument.text",
    ),
    ".ods": Kind(
        "OpenDocument spreadsheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        "odf",
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    ".odp": Kind(
        "OpenDocument presentation",
        "application/vnd.oasis.opendocument.presentation",
        "odf",
        "application/vnd.oasis.opendocument.presentation",
    ),
    ".doc": Kind("Word 97–2003 document", "application/msword", "ole"),
    ".xls": Kind("Excel 97–2003 workbook", "application/vnd.ms-excel", "ole"),
    ".ppt": Kind("PowerPoint 97–2003 presentation", "application/vnd.ms-powerpoint", "ole"),
    ".txt": Kind("text file", "text/plain; charset=utf-8", "text"),
    ".md": Kind("text file", "text/markdown; charset=utf-8", "text"),
    ".csv": Kind("CSV file", "text/csv; charset=utf-8", "text"),
    ".png": Kind("PNG picture", "image/png", "png"),
    ".jpg": Kind("JPEG picture", "image/jpeg", "jpeg"),
    ".jpeg": Kind("JPEG picture", "image/jpeg", "jpeg"),
    ".gif": Kind("GIF picture", "image/gif", "gif"),
    ".webp": Kind("WebP picture", "image/webp", "webp"),
}

ALLOWED_TEXT = "PDF, Word, Excel, PowerPoint, OpenDocument, plain text, CSV, PNG, JPEG, GIF or WebP"


def max_bytes() -> int:
    return settings.COMMUNITY_UPLOAD_MAX_BYTES


def size_text(size: int) -> str:
    """ "10 MB", "10.5 MB", "12 KB"."""
    if size >= 2**20:
        return f"{size / 2**20:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


def _zip_names(upload: UploadedFile) -> list[str] | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _odf_mimetype(upload: UploadedFile) -> str:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive, archive.open("mimetype") as part:
            return part.read(200).decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return ""


def _is_utf8_text(upload: UploadedFile) -> bool:
    upload.seek(0)
    tail = b""
    for chunk in upload.chunks():
        data = tail + chunk
        if b"\x00" in data:
            return False
        # A character may be split across two chunks: keep up to three trailing bytes back.
        try:
            data.decode("utf-8")
            tail = b""
        except UnicodeDecodeError as exc:
            if exc.start < len(data) - 3:
                return False
            tail = data[exc.start :]
    return not tail


def _content_matches(kind: Kind, upload: UploadedFile) -> bool:
    upload.seek(0)
    head = upload.read(HEAD)
    if kind.check == "pdf":
        return head.startswith(b"%PDF-")
    if kind.check == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind.check == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if kind.check == "gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if kind.check == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if kind.check == "ole":
        return head.startswith(OLE)
    if kind.check == "ooxml":
        if not head.startswith(b"PK\x03\x04"):
            return False
        names = _zip_names(upload) or []
        return "[Content_Types].xml" in names and any(n.startswith(kind.part) for n in names)
    if kind.check == "odf":
        return head.startswith(b"PK\x03\x04") and _odf_mimetype(upload) == kind.part
    if kind.check == "text":
        return _is_utf8_text(upload)
    return False  # pragma: no cover - every kind above names a check


def check_upload(upload: UploadedFile) -> Kind:
    """The file's kind, or a ValidationError on ``file`` saying what is wrong: too large, a
    kind we do not take, or content that is not what its name says."""
    name = PurePath(upload.name or "").name
    limit = max_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {
                "file": f"“{name}” is {size_text(upload.size or 0)}; the library takes files "
                f"of up to {size_text(limit)}."
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": f"“{name}” is empty."})
    kind = KINDS.get(PurePath(name).suffix.lower())
    if kind is None:
        raise ValidationError(
            {"file": f"“{name}” is not a kind of file the library takes: {ALLOWED_TEXT}."}
        )
    try:
        matches = _content_matches(kind, upload)
    finally:
        upload.seek(0)
    if not matches:
        raise ValidationError(
            {
                "file": f"“{name}” is named as a {kind.label} but its content is not one. "
                "Save it again in that format, or upload it under its real kind."
            }
        )
    return kind
