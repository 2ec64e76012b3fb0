"""Logging helpers shared by every app."""

from __future__ import annotations

import logging


class ClientErrorsBrief(logging.Filter):
    """Keep a refused request (any 4xx) to its one-line message: a permission refusal is an
    expected outcome, and a traceback for each one buries the server errors that matter."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
