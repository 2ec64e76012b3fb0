"""A training session as a calendar event, through the shared builder in ``notifications``.

Each person's invitation names only them as attendee: the file goes to their mailbox, and the
others registered for the session are not theirs to know.
"""

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
from mentorcraft.training.models import Session


def _attendee(person: User) -> Attendee:
    return Attendee(name=person.display_name, email=person.email)


def session_event(
    session: Session, person: User | None = None, *, cancelled: bool = False
) -> CalendarEvent:
    """The session as one person's calendar sees it; ``cancelled`` also when only their own
    place is cancelled (the same UID, so their calendar drops the entry)."""
    module = session.module
    description = module.description.strip()
    description += f"\n\nThe session's page: {settings.SITE_URL}{session.get_absolute_url()}"
    return CalendarEvent(
        uid=f"{session.uid}@mentorcraft",
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=f"Training: {module.title}",
        description=description,
        location=session.location,
        organiser=_attendee(session.facilitator) if session.facilitator else None,
        attendees=(_attendee(person),) if person is not None else (),
        cancelled=cancelled or session.status == Session.Status.CANCELLED,
    )


def session_invitation(session: Session, person: User, *, cancelled: bool = False) -> list[str]:
    return invitation_attachment(session_event(session, person, cancelled=cancelled))


def session_download_ics(session: Session) -> str:
    return event_ics(session_event(session), method="PUBLISH")


def local_times(session: Session, reader: User) -> list[LocalTime]:
    """The start in the reader's zone, then in the facilitator's when it differs."""
    people = [(reader, zone_of(reader))]
    if session.facilitator is not None:
        people.append((session.facilitator, zone_of(session.facilitator)))
    return times_in_zones(session.starts_at, people)
