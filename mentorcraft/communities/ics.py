"""A community event as a calendar event, through the shared builder in ``notifications``.
Each person's invitation names only them as attendee: who else is going is for the page."""

from __future__ import annotations

from django.conf import settings

from mentorcraft.communities.models import Event
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


def _attendee(person: User) -> Attendee:
    return Attendee(name=person.display_name, email=person.email)


def calendar_event(
    event: Event, person: User | None = None, *, cancelled: bool | None = None
) -> CalendarEvent:
    community = event.community
    description = (
        f"{event.get_kind_display()} of the {community.name.lower()}, {community.programme.name}."
        f"\n\n{event.description}\n\nThe event's page: {settings.SITE_URL}"
        f"{event.get_absolute_url()}"
    )
    return CalendarEvent(
        uid=f"community-{event.uid}@mentorcraft",
        sequence=event.sequence,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        description=description,
        location=event.place,
        organiser=_attendee(event.facilitator) if event.facilitator else None,
        attendees=(_attendee(person),) if person is not None else (),
        cancelled=event.cancelled if cancelled is None else cancelled,
    )


def event_invitation(event: Event, person: User, *, cancelled: bool | None = None) -> list[str]:
    """The e-mailed invitation (REQUEST), or its cancellation (CANCEL) for this person."""
    return invitation_attachment(calendar_event(event, person, cancelled=cancelled))


def event_download_ics(event: Event) -> str:
    return event_ics(calendar_event(event), method="PUBLISH")


def event_times(event: Event, reader: User) -> list[LocalTime]:
    """The start in the reader's zone, then in the facilitator's when it differs."""
    people = [(reader, zone_of(reader))]
    if event.facilitator is not None:
        people.append((event.facilitator, zone_of(event.facilitator)))
    return times_in_zones(event.starts_at, people)
