from __future__ import annotations

from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, body: str) -> int:
    """Send one plain-text email. Runs on the task worker, never inside a request."""
    return send_mail(subject, body, None, to, fail_silently=False)
