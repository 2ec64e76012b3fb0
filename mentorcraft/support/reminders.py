"""The supervision reminders, sent by the periodic job (``manage.py periodic``) through the
shared once-only ledger (``notifications.reminders.send_once``):

- a session soon: everyone invited, two days before, with a word on bringing a topic (keyed on
  the session's time, so a moved session is reminded again);
- a register to take: the leader, once the session has ended and the register is not taken;
- a concern still only raised a day later: the programme's coordinators, once per concern.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils import timezone

from mentorcraft.notifications.reminders import Due, send_due
from mentorcraft.notifications.services import absolute_url, email_queue
from mentorcraft.programmes.services import email_coordinators
from mentorcraft.support.ics import session_times
from mentorcraft.support.models import Concern, SupervisionSession
from mentorcraft.support.services import ATTENDANCE_OPEN_FOR, invitees

SESSION_SOON = datetime.timedelta(hours=48)
CONCERN_WAITING = datetime.timedelta(hours=24)


def _sessions_soon(now: datetime.datetime) -> Iterator[Due]:
    sessions = SupervisionSession.objects.filter(
        status=SupervisionSession.Status.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + SESSION_SOON,
    ).select_related("circle", "leader__profile", "mentor__profile", "programme")
    for session in sessions:
        brought = set(session.topics.values_list("mentor_id", flat=True))
        for person in invitees(session):

            def send(session=session, person=person, brought=brought) -> None:  # noqa: ANN001
                email_queue(
                    to=[person.email],
                    subject=f"Soon: {session.title}",
                    template="support/email/session_soon.txt",
                    context={
                        "person": person,
                        "session": session,
                        "times": session_times(session, person),
                        "brought": person.pk in brought,
                        "url": absolute_url(session.get_absolute_url()),
                    },
                )

            key = f"supervision-soon:{session.uid}:{session.starts_at:%Y%m%dT%H%M}:{person.pk}"
            yield Due("session soon", key, session, send)


def _registers(now: datetime.datetime) -> Iterator[Due]:
    sessions = SupervisionSession.objects.filter(
        status=SupervisionSession.Status.SCHEDULED,
        attendance_taken_at__isnull=True,
        starts_at__lte=now,
        starts_at__gte=now - ATTENDANCE_OPEN_FOR,
    ).select_related("circle", "leader__profile", "mentor__profile", "programme")
    for session in sessions:
        if session.ends_at > now:
            continue

        def send(session: SupervisionSession = session) -> None:
            email_queue(
                to=[session.leader.email],
                subject=f"Take the register: {session.title}",
                template="support/email/take_register.txt",
                context={
                    "person": session.leader,
                    "session": session,
                    "url": absolute_url(session.get_absolute_url()),
                },
            )

        yield Due("register to take", f"supervision-register:{session.uid}", session, send)


def _concerns_waiting(now: datetime.datetime) -> Iterator[Due]:
    for concern in Concern.objects.filter(
        status=Concern.Status.RAISED, created_at__lte=now - CONCERN_WAITING
    ).select_related("programme"):

        def send(concern: Concern = concern) -> None:
            email_coordinators(
                concern.programme,
                subject=f"Waiting a day: a {concern.get_kind_display().lower()} concern",
                template="support/email/concern_waiting.txt",
                context={"concern": concern, "url": absolute_url(concern.get_absolute_url())},
            )

        yield Due("concern waiting", f"supervision-concern-waiting:{concern.pk}", concern, send)


def due_reminders(now: datetime.datetime | None = None) -> Iterator[Due]:
    now = now or timezone.now()
    yield from _sessions_soon(now)
    yield from _registers(now)
    yield from _concerns_waiting(now)


def send_reminders(now: datetime.datetime | None = None) -> str:
    return send_due(due_reminders(now), what="supervision")
