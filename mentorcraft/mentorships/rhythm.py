"""The dates in a mentorship's life: its mid-point and its feedback points."""

from __future__ import annotations

import datetime
from datetime import date

from mentorcraft.mentorships.models import FeedbackPoint, HealthSettings, Mentorship


def feedback_points_due(
    mentorship: Mentorship, today: datetime.date, limits: HealthSettings | None = None
) -> list[tuple[str, date]]:
    """The programme's feedback points that have come, with their dates. Pass the programme's
    ``limits`` when looping over many pairs, to read them once."""
    settings_ = limits or HealthSettings.for_programme(mentorship.programme)
    points = []
    if settings_.feedback_month_one:
        points.append((FeedbackPoint.MONTH_ONE, mentorship.started_on + datetime.timedelta(30)))
    if settings_.feedback_midpoint:
        points.append((FeedbackPoint.MIDPOINT, midpoint_of(mentorship)))
    if settings_.feedback_closure:
        closing = mentorship.closed_on or mentorship.ends_on - datetime.timedelta(days=14)
        points.append((FeedbackPoint.CLOSURE, closing))
    return [(point, when) for point, when in points if when <= today]


def midpoint_of(mentorship: Mentorship) -> date:
    return mentorship.started_on + (mentorship.ends_on - mentorship.started_on) / 2
