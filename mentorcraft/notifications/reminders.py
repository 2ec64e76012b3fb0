"""The once-only reminder ledger: every app's reminder job sends through ``send_once``."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from mentorcraft.notifications.models import ReminderSent

logger = logging.getLogger(__name__)


def already_sent(keys: Iterable[str]) -> set[str]:
    """The keys among these that were sent before (one query), to skip them cheaply."""
    keys = list(keys)
    if not keys:
        return set()
    return set(ReminderSent.objects.filter(key__in=keys).values_list("key", flat=True))


def send_once(*, key: str, send: Callable[[], None], target: object | None = None) -> bool:
    """Record ``key`` and ``send`` in one transaction. False if the key was recorded before,
    by an earlier run or by a run at the same moment; an error in ``send`` rolls the key back,
    so the reminder is tried again next time."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key, target=target)
            send()
    except IntegrityError:
        return False
    return True


@dataclass
class Due:
    """One reminder a job found due: what kind it is (for the job's line), its ledger key,
    the row it is about, and how to send it."""

    kind: str
    key: str
    target: object
    send: Callable[[], None]


def send_due(candidates: Iterable[Due], *, what: str) -> str:
    """Send each due reminder once (skipping, in one query, those sent before); a reminder
    that fails is logged and tried again next run. Returns the job's line: "2 × session soon,
    1 × register to take", or "No <what> reminders due."."""
    sent: Counter[str] = Counter()
    candidates = list(candidates)
    already = already_sent(d.key for d in candidates)
    for due in candidates:
        if due.key in already:
            continue
        try:
            if not send_once(key=due.key, target=due.target, send=due.send):
                continue
        except Exception:
            logger.exception("%s reminder %s failed", what.capitalize(), due.key)
            sent["failed"] += 1
            continue
        sent[due.kind] += 1
    if not sent:
        return f"No {what} reminders due."
    return ", ".join(f"{count} × {kind}" for kind, count in sorted(sent.items()))
