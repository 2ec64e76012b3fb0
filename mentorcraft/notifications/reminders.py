"""The once-only reminder ledger: every app's reminder job sends through ``send_once``."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction

from mentorcraft.notifications.models import ReminderSent


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
