from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    attachments: list[list[str]] | None = None,
    reply_to: list[str] | None = None,
) -> int:
    """Send one plain-text email, with optional ``[filename, content, mimetype]`` attachments
    and a Reply-To (a person the mail asks you to answer). Runs on the task worker, never
    inside a request."""
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, to, reply_to=reply_to or None
    )
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send(fail_silently=False)
