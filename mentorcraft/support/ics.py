"""A supervision session as a calendar event, through the shared builder in ``notifications``.
Each person's invitation names only them as attendee: who else is in a circle is for the page."""

from __future__ import annotations

from django.conf import settings

from mentorcraft.notifications.calendar import (
    Attendee,
    CalendarEvent,
    LocalTime,
    event_ics,
    invitation_attachment,
    times_in_zones,
)
from mentorcraft.people.models import User
from mentorcraft.people.zones import zone_of
from mentorcraft.support.models import SupervisionSession


def _attendee(person: User) -> Attendee:
    return Attendee(name=person.display_name, email=person.email)


def session_event(session: SupervisionSession, person: User | None = None) -> CalendarEvent:
    description = (
        "Supervision: bring what is happening in your mentoring and the help you want. "
        f"The session's page: {settings.SITE_URL}{session.get_absolute_url()}"
    )
    return CalendarEvent(
        uid=f"supervision-{session.uid}@mentorcraft",
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.title,
        description=description,
        location=session.place,
        organiser=_attendee(session.leader),
        attendees=(_attendee(person),) if person is not None else (),
        cancelled=session.status == SupervisionSession.Status.CANCELLED,
    )


def session_invitation(session: SupervisionSession, person: User) -> list[str]:
    return invitation_attachment(session_event(session, person))


def session_download_ics(session: SupervisionSession) -> str:
    return event_ics(session_event(session), method="PUBLISH")


def session_times(session: SupervisionSession, reader: User) -> list[LocalTime]:
    """The start in the reader's zone, then in the leader's when it differs."""
    return times_in_zones(
        session.starts_at, [(reader, zone_of(reader)), (session.leader, zone_of(session.leader))]
    )
