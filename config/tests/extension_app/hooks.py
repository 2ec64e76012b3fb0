"""The test app's part in each extension point, through the shared pieces only."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from config.tests.extension_app.models import ReadingSession
from mentorcraft.core.extensions import (
    DemoContext,
    DemoLogin,
    DemoSeeder,
    NextStep,
    Panel,
    PeriodicJob,
)
from mentorcraft.core.roles import Role
from mentorcraft.notifications.calendar import Attendee, CalendarEvent, local_text
from mentorcraft.notifications.reminders import send_once
from mentorcraft.notifications.services import email_queue
from mentorcraft.people.models import User
from mentorcraft.people.zones import zone_of
from mentorcraft.programmes.models import Programme, ProgrammeRole

SOON = datetime.timedelta(days=14)


def upcoming_for(user: User):  # noqa: ANN201
    """The next fortnight's sessions of the programmes where the person mentors: one query."""
    mentoring = ProgrammeRole.objects.filter(user=user, role=Role.MENTOR).values("programme_id")
    now = timezone.now()
    return ReadingSession.objects.filter(
        programme_id__in=mentoring, starts_at__gte=now, starts_at__lte=now + SOON
    ).select_related("programme")


def next_steps(user: User) -> list[NextStep]:
    return [
        NextStep(
            title=f"Join the reading circle: {session.title}",
            detail=f"{session.programme.name}, {local_text(session.starts_at, zone_of(user))}",
            url=reverse("extension_app:ics", args=[session.pk]),
            kind="reading",
            urgency=70,
        )
        for session in upcoming_for(user)
    ]


def programme_panel(request: HttpRequest, programme: Programme, roles: set[str]) -> Panel | None:
    if not roles:
        return None
    session = programme.reading_sessions.filter(starts_at__gte=timezone.now()).first()
    return Panel("extension_app/_panel.html", {"session": session})


def session_event(session: ReadingSession) -> CalendarEvent:
    return CalendarEvent(
        uid=f"{session.uid}@mentorcraft",
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=f"Reading circle: {session.title}",
        organiser=Attendee("Mentorcraft", "mentorcraft@localhost"),
    )


def send_reminders() -> str:
    sent = 0
    for session in ReadingSession.objects.filter(
        starts_at__gte=timezone.now(), starts_at__lte=timezone.now() + datetime.timedelta(days=1)
    ).select_related("programme"):
        mentors = ProgrammeRole.objects.filter(programme=session.programme, role=Role.MENTOR)
        emails = list(mentors.values_list("user__email", flat=True))

        def send(session: ReadingSession = session, emails: list[str] = emails) -> None:
            email_queue(
                to=emails,
                subject=f"Tomorrow: reading circle on {session.title}",
                template="extension_app/reminder.txt",
                context={"session": session},
            )

        sent += send_once(key=f"reading:{session.uid}", target=session, send=send)
    return f"{sent} reading-circle reminders sent."


REMINDERS = PeriodicJob("reading circle reminders", send_reminders)


def seed(ctx: DemoContext) -> None:
    ReadingSession.objects.create(
        programme=ctx.programmes["running"],
        title="Ask, don't tell",
        starts_at=timezone.make_aware(
            datetime.datetime.combine(ctx.today + datetime.timedelta(days=5), datetime.time(17))
        ),
    )


DEMO = DemoSeeder("reading circles", seed)
DEMO_LOGIN = DemoLogin(
    "mentor",
    "Mentor",
    "Tomasz Nowak",
    "join the reading circle",
    lambda user: upcoming_for(user).exists(),
)
