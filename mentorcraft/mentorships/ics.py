"""A pair's meeting as a calendar event (through the shared builder in ``notifications``), and
its time in each person's own zone."""

from __future__ import annotations

from django.conf import settings

from mentorcraft.mentorships.models import Meeting
from mentorcraft.notifications.calendar import (
    Attendee,
    CalendarEvent,
    LocalTime,
    event_ics,
    invitation_attachment,
    invitation_method,
    times_in_zones,
)
from mentorcraft.people.models import User
from mentorcraft.people.zones import zone_of


def _attendee(person: User) -> Attendee:
    return Attendee(name=person.display_name, email=person.email)


def meeting_event(meeting: Meeting) -> CalendarEvent:
    mentorship = meeting.mentorship
    mentor, mentee = mentorship.mentor, mentorship.mentee
    description = meeting.agenda.strip() or "Your mentoring meeting."
    description += f"\n\nThe pair's page: {settings.SITE_URL}{mentorship.get_absolute_url()}"
    return CalendarEvent(
        uid=f"{meeting.uid}@mentorcraft",
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"Mentoring: {mentee.display_name} and {mentor.display_name}",
        description=description,
        location=meeting.location,
        organiser=_attendee(meeting.scheduled_by or mentor),
        attendees=(_attendee(mentor), _attendee(mentee)),
        cancelled=meeting.status == Meeting.Status.CANCELLED,
    )


def meeting_ics(meeting: Meeting) -> str:
    """The emailed invitation: REQUEST, or CANCEL of the same UID once cancelled."""
    event = meeting_event(meeting)
    return event_ics(event, method=invitation_method(event))


def meeting_download_ics(meeting: Meeting) -> str:
    """The file a person downloads from the page: PUBLISH, adding it to their own calendar."""
    return event_ics(meeting_event(meeting), method="PUBLISH")


def meeting_invitation(meeting: Meeting) -> list[str]:
    return invitation_attachment(meeting_event(meeting))


def local_times(
    meeting: Meeting, first: User | None = None, *, per_person: bool = False
) -> list[LocalTime]:
    """The meeting's start in each person's own zone, ``first`` (the reader) first; one entry
    when both live in the same zone, unless ``per_person``."""
    people = [meeting.mentorship.mentor, meeting.mentorship.mentee]
    if first is not None and first.pk == people[1].pk:
        people.reverse()
    return times_in_zones(
        meeting.starts_at, [(p, zone_of(p)) for p in people], per_person=per_person
    )
