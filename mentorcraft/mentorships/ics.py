"""Calendar invitations (RFC 5545) for a pair's meetings, and times shown in each person's zone.

Times in the file are in UTC (``...Z``), which every calendar converts to its owner's zone; the
text around them (email, page) names the time in each person's own zone. The UID is the meeting's
and never changes; SEQUENCE rises with each change, so an update or a cancellation replaces the
entry already in the calendar instead of adding another.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from mentorcraft.mentorships.models import Meeting
from mentorcraft.people.models import User

PRODID = "-//Mentorcraft//Mentorcraft meetings//EN"


def _escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and newlines are escaped (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a CRLF and a space; a
    multi-byte character is never split."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _cn(name: str) -> str:
    """A CN parameter value: quoted (RFC 5545 3.2), without the characters a quoted value
    cannot hold."""
    return '"' + "".join(c for c in name if c not in '"\r\n') + '"'


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(meeting: Meeting, *, now: datetime.datetime | None = None) -> str:
    """The invitation for one meeting; a cancelled meeting gives a cancellation of the same UID."""
    mentorship = meeting.mentorship
    cancelled = meeting.status == Meeting.Status.CANCELLED
    mentor, mentee = mentorship.mentor, mentorship.mentee
    organiser = meeting.scheduled_by or mentor
    summary = f"Mentoring: {mentee.display_name} and {mentor.display_name}"
    description = meeting.agenda.strip() or "Your mentoring meeting."
    description += f"\n\nThe pair's page: {settings.SITE_URL}{mentorship.get_absolute_url()}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:{meeting.uid}@mentorcraft",
        f"SEQUENCE:{meeting.sequence}",
        f"DTSTAMP:{_utc(now or timezone.now())}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
    ]
    if meeting.location:
        lines.append(f"LOCATION:{_escape(meeting.location)}")
    lines.append(f"ORGANIZER;CN={_cn(organiser.display_name)}:mailto:{organiser.email}")
    for person in (mentor, mentee):
        lines.append(
            f"ATTENDEE;CN={_cn(person.display_name)};ROLE=REQ-PARTICIPANT:mailto:{person.email}"
        )
    lines += [
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def zone_of(person: User) -> zoneinfo.ZoneInfo:
    name = getattr(getattr(person, "profile", None), "time_zone", "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class LocalTime:
    person: User
    zone: str
    text: str


def local_times(
    meeting: Meeting, first: User | None = None, *, per_person: bool = False
) -> list[LocalTime]:
    """The meeting's start in each person's own zone, ``first`` (the reader) first; one entry
    when both live in the same zone, unless ``per_person``."""
    people = [meeting.mentorship.mentor, meeting.mentorship.mentee]
    if first is not None and first.pk == people[1].pk:
        people.reverse()
    seen, result = set(), []
    for person in people:
        zone = zone_of(person)
        if zone.key in seen and not per_person:
            continue
        seen.add(zone.key)
        local = meeting.starts_at.astimezone(zone)
        text = f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({zone.key.replace('_', ' ')})"
        result.append(LocalTime(person=person, zone=zone.key, text=text))
    return result
