"""Times as the reader reads them: ``{% load zones %}{{ session.starts_at|local_time:user }}``."""

from __future__ import annotations

import datetime

from django import template

from mentorcraft.notifications.calendar import local_text
from mentorcraft.people.zones import zone_of

register = template.Library()


@register.filter
def local_time(moment: datetime.datetime | None, person: object) -> str:
    """ "Tuesday 8 December 2026, 18:00 (Europe/Warsaw)" in the person's own zone."""
    if moment is None:
        return ""
    return local_text(moment, zone_of(person))


@register.filter
def local_short(moment: datetime.datetime | None, person: object) -> str:
    """ "Tue 8 Dec 2026, 18:00" in the person's own zone (the zone is said elsewhere)."""
    if moment is None:
        return ""
    local = moment.astimezone(zone_of(person))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"
