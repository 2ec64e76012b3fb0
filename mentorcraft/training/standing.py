"""Who meets a programme's training requirements: the one place that decides it, for the
eligibility check, the programme's training page, a person's record and the reminders.

A requirement is met by completions that are valid today (done, and not yet expired), of the
requirement's module or of any module of its kind, done within its months if it says so; when
it asks for minutes, the distinct modules' minutes add up (attending the same module twice
counts once). Requirements for a tier apply only to people of that tier, by the programme's
thresholds (``tiers.Tiers``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from mentorcraft.programmes.models import Programme, add_months
from mentorcraft.training.models import Completion, Level, Requirement
from mentorcraft.training.tiers import Tiers


@dataclass(frozen=True)
class Done:
    """A completion, as much as deciding on requirements needs of it."""

    module_id: int
    kind: str
    minutes: int
    completed_on: datetime.date
    expires_on: datetime.date | None

    def valid_on(self, day: datetime.date) -> bool:
        return self.completed_on <= day and (self.expires_on is None or day < self.expires_on)


def completions_by_person(people: list[int] | QuerySet) -> dict[int, list[Done]]:
    """Everyone's completions, in one query (``people``: a list of ids or a queryset of ids)."""
    done: dict[int, list[Done]] = defaultdict(list)
    rows = Completion.objects.filter(person_id__in=people).values_list(
        "person_id", "module_id", "module__kind", "minutes", "completed_on", "expires_on"
    )
    for person_id, module_id, kind, minutes, completed_on, expires_on in rows.order_by():
        done[person_id].append(Done(module_id, kind, minutes, completed_on, expires_on))
    return done


def counting(requirement: Requirement, done: Iterable[Done], today: datetime.date) -> list[Done]:
    """The completions that count towards the requirement today."""
    since = add_months(today, -requirement.within_months) if requirement.within_months else None
    return [
        d
        for d in done
        if (
            d.module_id == requirement.module_id
            if requirement.module_id
            else d.kind == requirement.kind
        )
        and d.valid_on(today)
        and (since is None or d.completed_on >= since)
    ]


def meets(requirement: Requirement, done: Iterable[Done], today: datetime.date) -> bool:
    found = counting(requirement, done, today)
    if not found:
        return False
    minutes: dict[int, int] = {}
    for d in found:
        minutes[d.module_id] = max(minutes.get(d.module_id, 0), d.minutes)
    return sum(minutes.values()) >= requirement.min_minutes


def applies(requirement: Requirement, role: str, tier_level: str) -> bool:
    return requirement.role == role and requirement.tier in (Level.ANY, tier_level)


@dataclass(frozen=True)
class Standing:
    """One person in one role of a programme: the requirements that apply and those unmet."""

    person_id: int
    role: str
    tier: object  # tiers.Tier
    applying: tuple[Requirement, ...]
    unmet: tuple[Requirement, ...]

    @property
    def met(self) -> bool:
        return not self.unmet

    def blocker_text(self) -> str:
        """ "has not done induction (at least 2 hours) and “Ethics and boundaries”"."""
        words = [r.describe() for r in self.unmet]
        listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        return f"has not done the training required: {listed}"


class Standings:
    """The requirements of one programme against many people, in a fixed number of queries:
    the requirements (1), everyone's completions (1) and, when a requirement is for a tier, the
    tiers (3)."""

    def __init__(
        self,
        programme: Programme,
        people: list[int] | QuerySet = (),
        *,
        today: datetime.date | None = None,
        requirements: list[Requirement] | None = None,
        done: dict[int, list[Done]] | None = None,
        tiers: Tiers | None = None,
    ) -> None:
        """``done`` and ``tiers``, when the caller has read them already, save their queries."""
        self.programme = programme
        self.today = today or timezone.localdate()
        if requirements is None:
            requirements = list(
                Requirement.objects.filter(programme=programme).select_related("module")
            )
        self.requirements = requirements
        if done is None:
            done = completions_by_person(people) if requirements else {}
        self.done = done
        if tiers is None and any(r.tier != Level.ANY for r in requirements):
            tiers = Tiers(people, programme, today=self.today)
        self.tiers = tiers

    def tier(self, person_id: int, role: str):  # noqa: ANN201 - a tiers.Tier
        return self.tiers.of(person_id, role) if self.tiers is not None else None

    def of(self, person_id: int, role: str) -> Standing:
        tier = self.tier(person_id, role)
        level = tier.level if tier is not None else Level.NEW
        applying = tuple(r for r in self.requirements if applies(r, role, level))
        done = self.done.get(person_id, ())
        unmet = tuple(r for r in applying if not meets(r, done, self.today))
        return Standing(person_id, role, tier, applying, unmet)
