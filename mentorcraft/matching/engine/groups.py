"""Groups: supervision circles and peer groups of a given size range.

People are first split into time-zone regions (so a group can meet in working hours), then dealt
round the groups in order of experience tier so that tiers mix as evenly as the pool allows.
Pairs of a line manager and their report are then separated by swaps, and each group gets the
least-loaded coach with a free place, nearest in time zone. Every rule is checked at the end and
any violation is reported, never hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mentorcraft.matching.engine.model import InstanceError, Person, utc_offset_hours

TIER_ORDER = {"veteran": 0, "experienced": 1, "new": 2}


@dataclass
class Coach:
    """A group's coach. ``capacity`` counts groups; ``places``, when given, counts the people
    of all their groups instead (a supervisor who can take eight mentors, say)."""

    id: str
    capacity: int = 1
    time_zone: str = "UTC"
    manager: str | None = None
    places: int | None = None

    def fits(self, groups: int, people: int, more: int) -> bool:
        if self.places is not None:
            return people + more <= self.places
        return groups < self.capacity

    def share(self, groups: int, people: int) -> float:
        return people / self.places if self.places else groups / self.capacity


@dataclass
class GroupResult:
    groups: list[list[str]]
    coaches: list[str | None]
    violations: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "groups": [
                {"members": members, "coach": coach}
                for members, coach in zip(self.groups, self.coaches, strict=True)
            ],
            "violations": self.violations,
            "stats": self.stats,
        }


def _sizes(n: int, low: int, high: int, *, fewest: bool = True) -> list[int]:
    """Group sizes within [low, high]: as few groups as possible, or as many."""
    if n == 0:
        return []
    count = math.ceil(n / high) if fewest else max(1, n // low)
    if count * low > n:
        raise InstanceError(f"{n} people cannot make groups of {low} to {high}")
    base, extra = divmod(n, count)
    return [base + (1 if k < extra else 0) for k in range(count)]


def _conflict(a: Person, b: Person) -> bool:
    return a.manager == b.id or b.manager == a.id


def form_groups(
    people: list[Person],
    *,
    min_size: int = 3,
    max_size: int = 5,
    coaches: list[Coach] | None = None,
    time_zone_window: float = 4.0,
    fewest: bool = True,
) -> GroupResult:
    if min_size < 1 or max_size < min_size:
        raise InstanceError("group sizes need 1 <= min <= max")
    ids = [p.id for p in people]
    if len(ids) != len(set(ids)):
        raise InstanceError("a person appears twice")
    by_id = {p.id: p for p in people}
    offsets = {p.id: utc_offset_hours(p.time_zone) for p in people}
    # 1. Regions: consecutive people by time zone, cut where the window would be exceeded, and
    # merged back when a region is too small to make a group on its own.
    ordered = sorted(people, key=lambda p: (offsets[p.id], p.id))
    regions: list[list[Person]] = []
    for person in ordered:
        if regions and offsets[person.id] - offsets[regions[-1][0].id] <= time_zone_window:
            regions[-1].append(person)
        else:
            regions.append([person])
    merged: list[list[Person]] = []
    for region in regions:
        if merged and (len(region) < min_size or len(merged[-1]) < min_size):
            merged[-1].extend(region)
        else:
            merged.append(region)
    groups: list[list[Person]] = []
    for region in merged:
        sizes = _sizes(len(region), min_size, max_size, fewest=fewest)
        # 2. Deal round the groups in order of tier then experience, so every group gets a mix.
        dealt = sorted(region, key=lambda p: (TIER_ORDER.get(p.tier, 1), -p.years, p.id))
        members: list[list[Person]] = [[] for _ in sizes]
        count = len(sizes)
        for k, person in enumerate(dealt):
            g = k % count
            while len(members[g]) >= sizes[g]:
                g = (g + 1) % count
            members[g].append(person)
        groups.extend(members)
    # 3. Separate managers from their reports by swapping with another group.
    for _ in range(3):
        changed = False
        for g, group in enumerate(groups):
            for a in list(group):
                if not any(_conflict(a, b) for b in group if b is not a):
                    continue
                for h, other in enumerate(groups):
                    if h == g:
                        continue
                    # Prefer swapping with someone of the same tier, to keep the mix.
                    for b in sorted(other, key=lambda x: x.tier != a.tier):
                        rest_g = [x for x in group if x is not a]
                        rest_h = [x for x in other if x is not b]
                        if any(_conflict(b, x) for x in rest_g) or any(
                            _conflict(a, x) for x in rest_h
                        ):
                            continue
                        span_g = [offsets[x.id] for x in rest_g] + [offsets[b.id]]
                        span_h = [offsets[x.id] for x in rest_h] + [offsets[a.id]]
                        if (
                            max(span_g) - min(span_g) > time_zone_window
                            or max(span_h) - min(span_h) > time_zone_window
                        ):
                            continue
                        group[group.index(a)] = b
                        other[other.index(b)] = a
                        changed = True
                        break
                    else:
                        continue
                    break
        if not changed:
            break
    # 4. Coaches: least loaded with a free place, nearest in time zone, not anyone's manager.
    assigned = _assign_coaches(groups, coaches or [], offsets, best_fit=False)
    if None in assigned and any(c.places is not None for c in coaches or []):
        # Places are tight: pack the biggest groups into the fullest coach they still fit,
        # and keep that if it leaves fewer groups without a coach.
        packed = _assign_coaches(groups, coaches or [], offsets, best_fit=True)
        if packed.count(None) < assigned.count(None):
            assigned = packed
    result = GroupResult(groups=[[p.id for p in group] for group in groups], coaches=assigned)
    result.violations = check_groups(
        result, by_id, min_size, max_size, time_zone_window, coaches or []
    )
    tiers = [len({p.tier for p in group}) for group in groups]
    result.stats = {
        "people": len(people),
        "groups": len(groups),
        "mean_tiers_per_group": round(float(np.mean(tiers)), 2) if tiers else 0.0,
        "without_coach": sum(c is None for c in assigned) if coaches else len(groups),
        "violations": len(result.violations),
    }
    return result


def _assign_coaches(
    groups: list[list[Person]],
    coaches: list[Coach],
    offsets: dict[str, float],
    *,
    best_fit: bool,
) -> list[str | None]:
    load: dict[str, int] = {}
    seated: dict[str, int] = {}
    with_places = any(c.places is not None for c in coaches)
    # Counting places, the biggest groups choose first, so small ones do not use them up.
    order = (
        sorted(range(len(groups)), key=lambda g: -len(groups[g]))
        if with_places
        else list(range(len(groups)))
    )
    chosen: dict[int, str | None] = {}
    for g in order:
        group = groups[g]
        centre = float(np.mean([offsets[p.id] for p in group]))
        options = [
            c
            for c in coaches
            if c.fits(load.get(c.id, 0), seated.get(c.id, 0), len(group))
            and c.id not in {p.id for p in group}
            and not any(p.manager == c.id or c.manager == p.id for p in group)
        ]
        if not options:
            chosen[g] = None
            continue

        def room(c: Coach) -> float:
            return (c.places or 0) - seated.get(c.id, 0) if c.places is not None else 0

        best = min(
            options,
            key=lambda c: (
                room(c) if best_fit else c.share(load.get(c.id, 0), seated.get(c.id, 0)),
                abs(utc_offset_hours(c.time_zone) - centre),
                c.id,
            ),
        )
        load[best.id] = load.get(best.id, 0) + 1
        seated[best.id] = seated.get(best.id, 0) + len(group)
        chosen[g] = best.id
    return [chosen[g] for g in range(len(groups))]


def check_groups(
    result: GroupResult,
    people: dict[str, Person],
    min_size: int,
    max_size: int,
    window: float,
    coaches: list[Coach],
) -> list[str]:
    problems: list[str] = []
    by_coach = {c.id: c for c in coaches}
    used: dict[str, int] = {}
    seated: dict[str, int] = {}
    seen: set[str] = set()
    for number, (members, coach) in enumerate(zip(result.groups, result.coaches, strict=True), 1):
        if not min_size <= len(members) <= max_size:
            problems.append(f"group {number} has {len(members)} people")
        group = [people[m] for m in members]
        for a in group:
            if a.id in seen:
                problems.append(f"{a.id} is in two groups")
            seen.add(a.id)
            for b in group:
                if a is not b and a.manager == b.id:
                    problems.append(f"group {number} puts {a.id} with their manager {b.id}")
        offsets = [utc_offset_hours(p.time_zone) for p in group]
        if offsets and max(offsets) - min(offsets) > window:
            problems.append(f"group {number} spans more than {window:g} hours of time zones")
        if coach is not None:
            used[coach] = used.get(coach, 0) + 1
            seated[coach] = seated.get(coach, 0) + len(members)
            known = by_coach.get(coach)
            if known is None or (known.places is None and used[coach] > known.capacity):
                problems.append(f"coach {coach} has more groups than their capacity")
            elif known.places is not None and seated[coach] > known.places:
                problems.append(f"coach {coach} has more people than their places")
            if any(m == coach for m in members):
                problems.append(f"group {number} has its coach {coach} as a member")
            if known is not None and any(
                people[m].manager == coach or known.manager == m for m in members
            ):
                problems.append(f"group {number} has a coach who is a member's manager or report")
    if seen != set(people):
        problems.append("someone was left out")
    return problems


def peer_pairs(people: list[Person], *, time_zone_window: float = 4.0) -> GroupResult:
    """Peer partnerships: pairs (and one trio if the number is odd)."""
    if len(people) < 2:
        raise InstanceError("peer pairs need at least two people")
    return form_groups(
        people, min_size=2, max_size=3, time_zone_window=time_zone_window, fewest=False
    )
