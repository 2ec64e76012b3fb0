"""A person's time zone: the one every app uses to show times to them."""

from __future__ import annotations

import zoneinfo

from django.conf import settings


def zone_of(person: object) -> zoneinfo.ZoneInfo:
    """The person's own zone from their profile, or the organisation's (``TIME_ZONE``)."""
    name = getattr(getattr(person, "profile", None), "time_zone", "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)
