"""Plain data in and out of the engine. No Django here: the engine runs from a spreadsheet too."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from functools import lru_cache

# Which parts of a pair's score count, and how much. Topics and stated preferences weigh most:
# perceived similarity of goals and the participants' own say in the match predict relationship
# quality far better than demographics (Eby et al. 2013, Psychological Bulletin 139; Allen, Eby &
# Lentz 2006, Journal of Applied Psychology 91).
DEFAULT_WEIGHTS: dict[str, float] = {
    "topics": 4.0,
    "preferences": 2.0,
    "experience": 1.5,
    "languages": 1.0,
    "timezone": 1.0,
    "availability": 0.5,
}


class InstanceError(ValueError):
    """Bad input, with a message that names the offending entry."""


class Reason(str):
    """Words a coordinator can repeat, with a machine-readable ``code`` beside them (and a
    ``value`` where a number matters, such as the hours between two time zones).

    A Reason is its words wherever text is wanted (pages, JSON, CSV); code that decides
    something reads ``code`` and ``value``, never the words."""

    code: str
    value: float | None

    def __new__(cls, code: str, text: str, value: float | None = None) -> Reason:
        reason = super().__new__(cls, text)
        reason.code, reason.value = code, value
        return reason

    def __reduce__(self) -> tuple:
        return (Reason, (self.code, str(self), self.value))


@lru_cache(maxsize=1024)
def utc_offset_hours(time_zone: str) -> float:
    """The zone's offset from UTC in hours on a fixed winter date (so results are repeatable)."""
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise InstanceError(f"unknown time zone {time_zone!r}") from exc
    moment = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
    offset = moment.astimezone(zone).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


@dataclass(frozen=True)
class Person:
    """A mentee, a mentor or a member of a group, with what matching looks at.

    ``topics`` maps a topic to a level from 1 to 3: for a mentor, how deep their expertise is;
    for a mentee, how much the topic matters to them.
    """

    id: str
    name: str = ""
    languages: frozenset[str] = frozenset()
    topics: dict[str, float] = field(default_factory=dict)
    years: float = 0.0
    time_zone: str = "UTC"
    hours: float = 1.0
    manager: str | None = None
    avoid: frozenset[str] = frozenset()
    capacity: int = 1
    prefers: tuple[str, ...] = ()
    tier: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass
class Instance:
    mentees: list[Person]
    mentors: list[Person]
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    scores: list[tuple[str, str, float]] | None = None
    forbidden: list[tuple[str, str]] = field(default_factory=list)
    locked: list[tuple[str, str]] = field(default_factory=list)
    preferences: dict[str, dict[str, list[str]]] | None = None
    managers: dict[str, str] = field(default_factory=dict)
    min_experience_gap: float = 3.0
    max_timezone_gap: float | None = None

    def validate(self) -> None:
        """Raise InstanceError naming the first offending entry."""
        seen: dict[str, str] = {}
        for side, people in (("mentee", self.mentees), ("mentor", self.mentors)):
            local: set[str] = set()
            for person in people:
                if not person.id:
                    raise InstanceError(f"a {side} has no id")
                if person.id in local:
                    raise InstanceError(f"duplicate {side} id {person.id!r}")
                local.add(person.id)
                seen.setdefault(person.id, side)
                if side == "mentor" and person.capacity < 0:
                    raise InstanceError(
                        f"mentor {person.id!r} has a negative capacity ({person.capacity})"
                    )
                if person.years < 0:
                    raise InstanceError(f"{side} {person.id!r} has negative years of experience")
                utc_offset_hours(person.time_zone)
        mentee_ids = {p.id for p in self.mentees}
        mentor_ids = {p.id for p in self.mentors}
        for key, value in self.weights.items():
            if key not in DEFAULT_WEIGHTS:
                raise InstanceError(
                    f"unknown weight {key!r}; use {', '.join(sorted(DEFAULT_WEIGHTS))}"
                )
            if value < 0:
                raise InstanceError(f"weight {key!r} is negative")
        for name, pairs in (("forbidden", self.forbidden), ("locked", self.locked)):
            for mentee, mentor in pairs:
                if mentee not in mentee_ids:
                    raise InstanceError(f"{name} pair names unknown mentee {mentee!r}")
                if mentor not in mentor_ids:
                    raise InstanceError(f"{name} pair names unknown mentor {mentor!r}")
        locked_mentees = [m for m, _ in self.locked]
        if len(locked_mentees) != len(set(locked_mentees)):
            raise InstanceError("a mentee is locked to more than one mentor")
        if self.scores is not None:
            for mentee, mentor, score in self.scores:
                if mentee not in mentee_ids:
                    raise InstanceError(f"score names unknown mentee {mentee!r}")
                if mentor not in mentor_ids:
                    raise InstanceError(f"score names unknown mentor {mentor!r}")
                if score != score:  # NaN
                    raise InstanceError(f"score for {mentee!r} and {mentor!r} is not a number")
        if self.preferences is not None:
            for side, known, other in (
                ("mentees", mentee_ids, mentor_ids),
                ("mentors", mentor_ids, mentee_ids),
            ):
                for owner, ranked in self.preferences.get(side, {}).items():
                    if owner not in known:
                        raise InstanceError(f"preferences name unknown {side[:-1]} {owner!r}")
                    for other_id in ranked:
                        if other_id not in other:
                            raise InstanceError(
                                f"{side[:-1]} {owner!r} ranks unknown id {other_id!r}"
                            )
                    if len(ranked) != len(set(ranked)):
                        raise InstanceError(f"{side[:-1]} {owner!r} ranks someone twice")


@dataclass
class Pair:
    mentee: str
    mentor: str
    score: float
    reasons: list[Reason]
    locked: bool = False
    mentee_rank: int | None = None

    def as_dict(self) -> dict:
        data = {
            "mentee": self.mentee,
            "mentor": self.mentor,
            "score": round(self.score, 2),
            "reasons": [str(r) for r in self.reasons],
            "reason_codes": [r.code for r in self.reasons],
        }
        if self.locked:
            data["locked"] = True
        if self.mentee_rank is not None:
            data["mentee_rank"] = self.mentee_rank
        return data


@dataclass
class Unmatched:
    mentee: str
    reason: Reason

    def as_dict(self) -> dict:
        return {"mentee": self.mentee, "reason": str(self.reason), "reason_code": self.reason.code}


@dataclass
class Result:
    mode: str
    pairs: list[Pair]
    unmatched: list[Unmatched]
    stats: dict[str, float | int | str | bool]

    @property
    def total_score(self) -> float:
        return sum(p.score for p in self.pairs)

    def as_dict(self) -> dict:
        return {
            "mode": self.mode,
            "pairs": [p.as_dict() for p in self.pairs],
            "unmatched": [u.as_dict() for u in self.unmatched],
            "total_score": round(self.total_score, 2),
            "stats": self.stats,
        }
