"""The rules of recognition that depend on dates alone: when National Mentoring Day prompts
people to thank their mentor, and what counts as a year of supervision. No database: the
selectors and services read the rows, these decide (and the tests give them any ``today``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from mentorcraft.programmes.models import add_months

# National Mentoring Day, 27 October; mentees are prompted a week either side of it.
MENTORING_DAY = (10, 27)
PROMPT_DAYS_BEFORE = 7
PROMPT_DAYS_AFTER = 7

# A year of supervision: twelve months from the first session attended, with at least this many
# sessions attended in them, and at least one in their last three months (it lasted the year).
SUPERVISION_YEAR_SESSIONS = 6
SUPERVISION_LAST_MONTHS = 3


def mentoring_day(year: int) -> datetime.date:
    return datetime.date(year, *MENTORING_DAY)


def mentoring_day_window(today: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The days around this year's National Mentoring Day, if ``today`` is one of them."""
    day = mentoring_day(today.year)
    start = day - datetime.timedelta(days=PROMPT_DAYS_BEFORE)
    end = day + datetime.timedelta(days=PROMPT_DAYS_AFTER)
    return (start, end) if start <= today <= end else None


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from ``start`` to ``end``, the way a person would count them."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(0, months)


@dataclass(frozen=True)
class SupervisionYear:
    """Twelve months of supervision in one programme, from the first session attended."""

    programme_id: int
    start: datetime.date
    end: datetime.date  # the last day of the twelve months
    sessions: int
    minutes: int
    months: int  # months in which a session was attended
    complete: bool  # the twelve months are over and the sessions add up

    @property
    def due_on(self) -> datetime.date:
        """The first day the year can be complete."""
        return self.end + datetime.timedelta(days=1)


def supervision_years(
    programme_id: int,
    attended: list[tuple[datetime.date, int]],
    today: datetime.date,
) -> list[SupervisionYear]:
    """The supervision years of one mentor in one programme, from the sessions they attended
    (``(day, minutes)``, oldest first). A year starts at the first session not in an earlier
    year and runs twelve months; it is complete once they are over with at least
    ``SUPERVISION_YEAR_SESSIONS`` sessions attended, one of them in its last
    ``SUPERVISION_LAST_MONTHS`` months. The last year may still be under way."""
    years: list[SupervisionYear] = []
    index = 0
    while index < len(attended):
        start = attended[index][0]
        stop = add_months(start, 12)
        last_quarter = add_months(start, 12 - SUPERVISION_LAST_MONTHS)
        inside = []
        while index < len(attended) and attended[index][0] < stop:
            inside.append(attended[index])
            index += 1
        over = today >= stop
        enough = len(inside) >= SUPERVISION_YEAR_SESSIONS
        lasted = any(day >= last_quarter for day, _ in inside)
        years.append(
            SupervisionYear(
                programme_id=programme_id,
                start=start,
                end=stop - datetime.timedelta(days=1),
                sessions=len(inside),
                minutes=sum(minutes for _, minutes in inside),
                months=len({(day.year, day.month) for day, _ in inside}),
                complete=over and enough and lasted,
            )
        )
    return years
