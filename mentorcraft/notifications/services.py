"""Queue email so that it leaves only when the transaction that caused it has committed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from mentorcraft.core.validators import one_line
from mentorcraft.notifications.tasks import send_email

_muted: ContextVar[bool] = ContextVar("mentorcraft_email_muted", default=False)


@contextmanager
def email_muted() -> Iterator[None]:
    """Queue no email inside this block: for loading demo data or importing history."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def email_queue(
    *,
    to: Iterable[str],
    subject: str,
    template: str,
    context: dict,
    attachments: list[list[str]] | None = None,
    reply_to: list[str] | None = None,
) -> None:
    """Render a plain-text template now and send it on commit, one message per recipient.
    ``attachments`` are ``[filename, content, mimetype]`` triples (a calendar invitation);
    ``reply_to`` the addresses a reply goes to, when the mail asks people to answer someone."""
    recipients = sorted({address for address in to if address})
    if not recipients or _muted.get():
        return
    # A header holds one line: a name with a line break must not make the whole mail fail.
    subject = one_line(subject)
    body = render_to_string(template, context)
    for address in recipients:
        transaction.on_commit(
            lambda address=address: send_email.enqueue(
                to=[address],
                subject=subject,
                body=body,
                attachments=attachments,
                reply_to=reply_to,
            )
        )
