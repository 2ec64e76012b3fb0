"""A roundtable's figures: each member's own, and the group's median and spread.

The cohort is the community's members at the moment the figures are taken (the programme's
mentors, or its mentees). For each member, from facts of the programme:

- meetings held against the programme's rhythm: meetings held in their mentorships, as a share
  of those the cadence asks for since each pair started (100% is on rhythm);
- goals moved on: goals of their mentorships in progress or achieved;
- check-in score: the average of the 1–5 check-ins (pulses) they gave in their pairs (their
  own only: the other person's are private to them);
- feedback given when due: the feedback points that have come, at which they gave feedback;
- supervision attended (mentors): supervision sessions they were marked present at;
- training completed: training completions since the programme started.

A member contributes to a measure when it applies to them (a mentor with no pair yet has no
meetings to hold). A group figure is kept only when at least ``MIN_CONTRIBUTORS`` contribute;
the median and the quartiles say nothing about any one of them. Everything is read in a fixed
number of grouped queries, whatever the size of the cohort.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from mentorcraft.communities.models import AUDIENCE_ROLE, MIN_CONTRIBUTORS, Audience
from mentorcraft.mentorships.models import (
    Feedback,
    FeedbackPoint,
    Goal,
    HealthSettings,
    Meeting,
    Mentorship,
    Pulse,
)
from mentorcraft.mentorships.rhythm import feedback_points_due
from mentorcraft.programmes.models import Programme, ProgrammeRole
from mentorcraft.support.models import Attendance, SupervisionSession
from mentorcraft.training.models import Completion


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    unit: str
    explain: str
    audiences: tuple[str, ...] = (Audience.MENTORS, Audience.MENTEES)


MEASURES = (
    Measure(
        "meetings",
        "Meetings held against the rhythm",
        "%",
        "Meetings held as a share of those the programme's cadence asks for since each pair "
        "started; 100% is on rhythm.",
    ),
    Measure(
        "goals",
        "Goals moved on",
        "",
        "Goals of your mentorships that are in progress or achieved.",
    ),
    Measure(
        "pulse",
        "Check-in score",
        "out of 5",
        "The average of the 1–5 check-ins in your pairs, from both sides.",
    ),
    Measure(
        "feedback",
        "Feedback given when due",
        "%",
        "The feedback points that have come at which you gave feedback.",
    ),
    Measure(
        "supervision",
        "Supervision sessions attended",
        "",
        "Supervision sessions (circle, individual or introductory) you were at.",
        (Audience.MENTORS,),
    ),
    Measure(
        "training",
        "Training completed",
        "",
        "Training completions since the programme started.",
    ),
)
BY_CODE = {m.code: m for m in MEASURES}


def measures_for(audience: str) -> list[Measure]:
    return [m for m in MEASURES if audience in m.audiences]


def cohort_ids(programme: Programme, audience: str) -> list[int]:
    """The community's members now: active people holding its role (one query)."""
    return sorted(
        ProgrammeRole.objects.filter(
            programme=programme, role=AUDIENCE_ROLE[audience], user__is_active=True
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def _span_days(m: Mentorship, day: datetime.date) -> int:
    end = min(day, m.closed_on or m.ends_on)
    return max(0, (end - m.started_on).days)


def own_figures(
    programme: Programme, audience: str, people: list[int], at: datetime.datetime
) -> dict[int, dict[str, float | int | None]]:
    """Each person's figures as of ``at``; ``None`` where a measure does not apply to them.
    Nine queries, whatever the number of people."""
    day = at.date()
    side = "mentor_id" if audience == Audience.MENTORS else "mentee_id"
    pairs = list(
        Mentorship.objects.filter(programme=programme, started_on__lte=day)
        .filter(**{f"{side}__in": people})
        .only("pk", "mentor_id", "mentee_id", "started_on", "ends_on", "closed_on", "status")
    )
    pair_ids = [m.pk for m in pairs]
    held = dict(
        Meeting.objects.filter(
            mentorship__in=pair_ids, status=Meeting.Status.HELD, starts_at__lte=at
        )
        .values("mentorship")
        .annotate(n=Count("pk"))
        .values_list("mentorship", "n")
    )
    goals = dict(
        Goal.objects.filter(
            mentorship__in=pair_ids,
            status__in=[Goal.Status.IN_PROGRESS, Goal.Status.ACHIEVED],
            created_at__lte=at,
        )
        .values("mentorship")
        .annotate(n=Count("pk"))
        .values_list("mentorship", "n")
    )
    # A person's own check-ins only: the other person's are private to them, and an average of
    # both sides would let one subtract their own and read the partner's.
    pulses = {
        (row["mentorship"], row["author"]): (row["total"], row["n"])
        for row in Pulse.objects.filter(mentorship__in=pair_ids, created_at__lte=at)
        .values("mentorship", "author")
        .annotate(total=Sum("score"), n=Count("pk"))
    }
    given = set(
        Feedback.objects.filter(mentorship__in=pair_ids, created_at__lte=at)
        .exclude(point=FeedbackPoint.ON_REQUEST)
        .values_list("mentorship", "author", "point")
        .distinct()
    )
    limits = HealthSettings.for_programme(programme)
    supervision: dict[int, int] = {}
    if audience == Audience.MENTORS:
        supervision = dict(
            Attendance.objects.filter(
                session__programme=programme,
                session__status=SupervisionSession.Status.SCHEDULED,
                session__starts_at__lte=at,
                present=True,
                mentor__in=people,
            )
            .values("mentor")
            .annotate(n=Count("pk"))
            .values_list("mentor", "n")
        )
    training = dict(
        Completion.objects.filter(
            person__in=people, completed_on__gte=programme.start_date, completed_on__lte=day
        )
        .values("person")
        .annotate(n=Count("pk"))
        .values_list("person", "n")
    )
    by_person: dict[int, list[Mentorship]] = defaultdict(list)
    for m in pairs:
        by_person[getattr(m, side)].append(m)
    cadence = programme.meeting_cadence_days or 30
    figures: dict[int, dict[str, float | int | None]] = {}
    for person in people:
        mine = by_person.get(person, [])
        expected = sum(_span_days(m, day) for m in mine) / cadence
        met = sum(held.get(m.pk, 0) for m in mine)
        total = sum(pulses.get((m.pk, person), (0, 0))[0] for m in mine)
        checks = sum(pulses.get((m.pk, person), (0, 0))[1] for m in mine)
        due = [(m.pk, point) for m in mine for point, _ in feedback_points_due(m, day, limits)]
        values: dict[str, float | int | None] = {
            "meetings": _percent(met / expected) if expected >= 1 else None,
            "goals": sum(goals.get(m.pk, 0) for m in mine) if mine else None,
            "pulse": _number(total / checks) if checks else None,
            "feedback": _percent(sum((pk, person, point) in given for pk, point in due) / len(due))
            if due
            else None,
            "training": training.get(person, 0),
        }
        if audience == Audience.MENTORS:
            values["supervision"] = supervision.get(person, 0)
        figures[person] = values
    return figures


def _percent(share: float) -> int:
    return int(Decimal(str(100 * share)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _number(value: float) -> float | int:
    """One decimal place, halves rounded up (2.25 is 2.3), and whole numbers as such."""
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def contributors(figures: dict, code: str) -> set:
    """Who gives a value to a measure (person ids, or the ``p<id>`` keys of a snapshot)."""
    return {person for person, values in figures.items() if values.get(code) is not None}


def group_figures(
    audience: str,
    figures: dict[int, dict],
    earlier: dict[str, list[tuple[str, set]]] | None = None,
) -> list[dict]:
    """One entry per measure: how many contribute, and the median and quartiles only when at
    least ``MIN_CONTRIBUTORS`` do (``None`` otherwise). ``earlier`` holds, for each measure an
    earlier roundtable of the community showed, ``(when, its contributors as p<id> keys)``:
    a figure over a group that differs from an earlier one by fewer than
    ``MIN_CONTRIBUTORS`` people is withheld, since comparing the two would single them out."""
    group = []
    for measure in measures_for(audience):
        values = sorted(
            v for person in figures.values() if (v := person.get(measure.code)) is not None
        )
        entry = {
            "code": measure.code,
            "contributors": len(values),
            "median": None,
            "q1": None,
            "q3": None,
        }
        now = {f"p{person}" for person in contributors(figures, measure.code)}
        close = next(
            (
                when
                for when, shown in (earlier or {}).get(measure.code, [])
                if 0 < len(now ^ shown) < MIN_CONTRIBUTORS
            ),
            None,
        )
        if close is not None:
            entry["withheld_since"] = close
        elif len(values) >= MIN_CONTRIBUTORS:
            q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
            entry.update(median=_number(median), q1=_number(q1), q3=_number(q3))
        group.append(entry)
    return group


@dataclass(frozen=True)
class FigureRow:
    """A measure as a page, the API or the CSV shows it."""

    measure: Measure
    contributors: int
    median: float | int | None
    q1: float | int | None
    q3: float | int | None
    own: float | int | None = None
    withheld_since: str = ""

    @property
    def shown(self) -> bool:
        return self.median is not None

    @property
    def why_not(self) -> str:
        if self.shown:
            return ""
        if self.withheld_since:
            return (
                f"Not shown: the group differs by fewer than {MIN_CONTRIBUTORS} people from the "
                f"one at the roundtable of {self.withheld_since}, and comparing the two would "
                "single them out."
            )
        who = "person contributes" if self.contributors == 1 else "people contribute"
        return (
            f"Not shown: {self.contributors} {who} to this figure, and a group figure needs "
            f"at least {MIN_CONTRIBUTORS} so that nobody can be singled out."
        )


def rows(group: list[dict], own: dict | None = None) -> list[FigureRow]:
    return [
        FigureRow(
            measure=BY_CODE[entry["code"]],
            contributors=entry["contributors"],
            median=entry["median"],
            q1=entry["q1"],
            q3=entry["q3"],
            own=(own or {}).get(entry["code"]),
            withheld_since=entry.get("withheld_since", ""),
        )
        for entry in group
        if entry["code"] in BY_CODE
    ]
