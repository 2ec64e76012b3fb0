"""A person's experience tier, as a mentor and as a mentee: the one place that decides it.

The tier comes from the person's history (completed mentorships, months spent mentoring) and
whether they are an active mentoring coach, against thresholds each programme can set
(``TierSettings``). It comes with its reason in words ("2 completed mentorships:
experienced"). Supervision circles and roundtables read it from here.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from mentorcraft.mentorships.selectors import History, mentoring_history
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Programme
from mentorcraft.training.models import Coach, Level, TierSettings

MENTOR, MENTEE = "mentor", "mentee"


@dataclass(frozen=True)
class Tier:
    level: str  # Level.NEW, EXPERIENCED or VETERAN
    reason: str

    @property
    def label(self) -> str:
        return Level(self.level).label

    def __str__(self) -> str:
        return f"{self.reason}: {self.label.lower()}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def decide(history: History, role: str, limits: TierSettings, *, coach: bool) -> Tier:
    """The tier for one person in one role, from their history (pure: no query)."""
    if role == MENTOR:
        if coach:
            return Tier(Level.VETERAN, "an active mentoring coach")
        done, months = history.completed_as_mentor, history.months_as_mentor
        if done >= limits.veteran_completed:
            return Tier(Level.VETERAN, _plural(done, "completed mentorship"))
        if months >= limits.veteran_months:
            return Tier(Level.VETERAN, f"{_plural(months, 'month')} mentoring")
        if done >= limits.experienced_completed:
            return Tier(Level.EXPERIENCED, _plural(done, "completed mentorship"))
        if months >= limits.experienced_months:
            return Tier(Level.EXPERIENCED, f"{_plural(months, 'month')} mentoring")
        if done or history.days_as_mentor or history.active_as_mentor:
            return Tier(Level.NEW, f"{_plural(months, 'month')} mentoring so far")
        return Tier(Level.NEW, "no mentoring yet")
    done = history.completed_as_mentee
    if done >= limits.veteran_completed:
        return Tier(Level.VETERAN, _plural(done, "completed mentorship") + " as a mentee")
    if done >= limits.experienced_completed:
        return Tier(Level.EXPERIENCED, _plural(done, "completed mentorship") + " as a mentee")
    if history.active_as_mentee:
        return Tier(Level.NEW, "first mentorship as a mentee")
    return Tier(Level.NEW, "not mentored here yet")


class Tiers:
    """The tiers of many people, read in three queries: their history, who is an active coach,
    and the programme's thresholds. ``people`` is a list of ids or a queryset of ids."""

    def __init__(
        self,
        people: Iterable[User | int] | QuerySet,
        programme: Programme | None = None,
        *,
        today: datetime.date | None = None,
        limits: TierSettings | None = None,
    ) -> None:
        if not isinstance(people, QuerySet):
            people = [getattr(p, "pk", p) for p in people]
        self.history = mentoring_history(people, today)
        self.coaches = set(
            Coach.objects.filter(person_id__in=people, status=Coach.Status.ACTIVE).values_list(
                "person_id", flat=True
            )
        )
        self.limits = limits or TierSettings.for_programme(programme)

    def with_limits(self, limits: TierSettings) -> Tiers:
        """The same people against another programme's thresholds (no query)."""
        other = copy.copy(self)
        other.limits = limits
        return other

    def of(self, person: User | int, role: str, *, count_coaching: bool = True) -> Tier:
        """The tier in the role; ``count_coaching`` False leaves out that an active coach is
        a veteran (for the cadre's own list, where it would say nothing)."""
        pk = getattr(person, "pk", person)
        coach = count_coaching and pk in self.coaches
        return decide(self.history[pk], role, self.limits, coach=coach)


def tiers_for(
    people: Iterable[User | int],
    role: str,
    programme: Programme | None = None,
    *,
    today: datetime.date | None = None,
) -> dict[int, Tier]:
    """Each person's tier in the role, by id, in three queries however many people."""
    ids = [getattr(p, "pk", p) for p in people]
    tiers = Tiers(ids, programme, today=today)
    return {pk: tiers.of(pk, role) for pk in ids}


def tier_for(person: User, role: str, programme: Programme | None = None) -> Tier:
    return Tiers([person], programme).of(person, role)
