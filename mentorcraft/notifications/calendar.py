"""Calendar files (RFC 5545) for any event: mentoring meetings now, supervision and training
sessions next. Built with the ``icalendar`` library, which escapes text, quotes parameters and
folds long lines (at 75 octets, never inside a character).

An event keeps its UID for ever and raises its SEQUENCE on every change, so a calendar that
received it updates (or cancels) the same entry instead of adding another. Times in the file are
UTC (``...Z``), which every calendar shows in its owner's zone; the text around them (the email,
the page) names the time in each person's own zone (``times_in_zones``).

An emailed invitation says ``METHOD:REQUEST`` (``CANCEL`` once cancelled); a file downloaded
from a page says ``METHOD:PUBLISH``: it adds the event to one calendar and invites nobody.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Mentorcraft//Mentorcraft events//EN"


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str


@dataclass(frozen=True)
class CalendarEvent:
    """What a calendar needs to know of one event. ``uid`` must never change; ``sequence``
    rises with every change (time, place, cancellation)."""

    uid: str
    sequence: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    description: str = ""
    location: str = ""
    organiser: Attendee | None = None
    attendees: tuple[Attendee, ...] = ()
    cancelled: bool = False


def _address(person: Attendee, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    # A quoted parameter value cannot hold a double quote or a line break (RFC 5545 3.2).
    address.params["cn"] = vText("".join(c for c in person.name if c not in '"\r\n'))
    for key, value in params.items():
        address.params[key] = value
    return address


def event_ics(
    event: CalendarEvent, *, method: str = "PUBLISH", now: datetime.datetime | None = None
) -> str:
    """The calendar file of one event. ``method`` is PUBLISH (a download), REQUEST or CANCEL
    (an emailed invitation: see ``invitation_method``)."""
    if method not in {"PUBLISH", "REQUEST", "CANCEL"}:
        raise ValueError(f"unknown calendar method {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    entry = Event()
    entry.add("uid", event.uid)
    entry.add("sequence", event.sequence)
    entry.add("dtstamp", (now or timezone.now()).astimezone(datetime.UTC))
    entry.add("dtstart", event.starts_at.astimezone(datetime.UTC))
    entry.add("dtend", event.ends_at.astimezone(datetime.UTC))
    entry.add("summary", event.summary)
    if event.description:
        entry.add("description", event.description)
    if event.location:
        entry.add("location", event.location)
    if event.organiser is not None:
        entry.add("organizer", _address(event.organiser))
    for person in event.attendees:
        entry.add("attendee", _address(person, role="REQ-PARTICIPANT"))
    entry.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    calendar.add_component(entry)
    return calendar.to_ical().decode("utf-8")


def invitation_method(event: CalendarEvent) -> str:
    return "CANCEL" if event.cancelled else "REQUEST"


def invitation_attachment(event: CalendarEvent) -> list[str]:
    """The ``[filename, content, mimetype]`` attachment of an emailed invitation."""
    method = invitation_method(event)
    return [
        "cancel.ics" if event.cancelled else "invite.ics",
        event_ics(event, method=method),
        f"text/calendar; method={method}",
    ]


@dataclass(frozen=True)
class LocalTime:
    person: object
    zone: str
    text: str


def local_text(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """ "Tuesday 8 December 2026, 18:00 (Europe/Warsaw)": a moment as read in one zone."""
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({zone.key.replace('_', ' ')})"


def times_in_zones(
    moment: datetime.datetime,
    people: Iterable[tuple[object, zoneinfo.ZoneInfo]],
    *,
    per_person: bool = False,
) -> list[LocalTime]:
    """The moment in each person's own zone, in the order given (put the reader first); one
    entry per zone unless ``per_person``."""
    seen: set[str] = set()
    result = []
    for person, zone in people:
        if zone.key in seen and not per_person:
            continue
        seen.add(zone.key)
        result.append(LocalTime(person=person, zone=zone.key, text=local_text(moment, zone)))
    return result
