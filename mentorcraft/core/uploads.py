"""Refusing an upload that is too large while it arrives, not after it has been stored.

Django keeps ``DATA_UPLOAD_MAX_MEMORY_SIZE`` for form fields only: a file of any size is read to
the end into a temporary file before a form can look at its size. ``UploadSizeLimit`` comes
first in ``FILE_UPLOAD_HANDLERS``: it refuses a request whose declared length is over
``UPLOAD_MAX_BYTES`` before reading any of it, and stops one that turns out longer (a length
that was not declared, or was wrong) as soon as the limit is passed. Either way Django raises
``RequestDataTooBig``; ``UploadTooLargeMiddleware`` (pages) and ``JsonObjectBodyMiddleware``
(the API) answer it with a 413 that says the limit.

Each app still checks its own, smaller limit on the file (the library's, the import's) with a
message in the form; this limit is the ceiling over all of them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


def upload_limit() -> int:
    return settings.UPLOAD_MAX_BYTES


def limit_text(limit: int) -> str:
    if limit < 2**20:
        return f"{max(1, round(limit / 1024))} KB"
    return f"{limit / 2**20:.1f}".removesuffix(".0") + " MB"


class UploadSizeLimit(FileUploadHandler):
    def handle_raw_input(
        self,
        input_data: object,
        META: dict,  # noqa: N803 - Django's name
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> None:
        self.limit = upload_limit()
        self.received = 0
        if content_length and content_length > self.limit:
            raise RequestDataTooBig(f"The upload is larger than {limit_text(self.limit)}.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise RequestDataTooBig(f"The upload is larger than {limit_text(self.limit)}.")
        return raw_data  # the next handler stores it

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file
