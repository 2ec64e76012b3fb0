"""How each pair of a programme is doing, from facts the coordinators may see: meetings held and
their minutes, pulse scores, whether feedback and reviews were given, and whether open goals have
recent notes. Never the content of notes or feedback.

The whole board is built from a handful of grouped queries, whatever the number of pairs.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from mentorcraft.mentorships.models import (
    Closure,
    Feedback,
    FeedbackPoint,
    Goal,
    GoalNote,
    HealthSettings,
    Meeting,
    Mentorship,
    MidpointReview,
    Pulse,
)
from mentorcraft.mentorships.rhythm import feedback_points_due, midpoint_of
from mentorcraft.programmes.models import Programme


class State:
    STRUGGLING = "struggling"
    QUIET = "quiet"
    ATTENTION = "attention"
    MIDPOINT = "midpoint"
    NEW = "new"
    HEALTHY = "healthy"
    CLOSED_EARLY = "closed_early"
    COMPLETED = "completed"


STATE_LABELS = {
    State.STRUGGLING: "Struggling",
    State.QUIET: "Quiet",
    State.ATTENTION: "Needs a look",
    State.MIDPOINT: "At the mid-point",
    State.NEW: "New",
    State.HEALTHY: "Healthy",
    State.CLOSED_EARLY: "Closed early",
    State.COMPLETED: "Completed",
}
# The board lists the pairs that need the coordinator first.
STATE_ORDER = {name: rank for rank, name in enumerate(STATE_LABELS)}


@dataclass
class PairHealth:
    mentorship: Mentorship
    state: str
    meetings_held: int = 0
    minutes: int = 0
    last_met: datetime.date | None = None
    days_quiet: int = 0
    next_meeting: datetime.datetime | None = None
    pulses: list[int] = field(default_factory=list)  # newest first, both people
    latest_pulse: dict[int, int] = field(default_factory=dict)  # person id -> score
    flags: list[str] = field(default_factory=list)
    midpoint_due: bool = False

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def pulse_trend(self) -> str:
        """Rising, falling or steady, from the last three pulses against the three before."""
        recent, before = self.pulses[:3], self.pulses[3:6]
        if not recent or not before:
            return ""
        delta = sum(recent) / len(recent) - sum(before) / len(before)
        return "rising" if delta >= 0.5 else "falling" if delta <= -0.5 else "steady"

    @property
    def pulse_average(self) -> float | None:
        recent = self.pulses[:4]
        return round(sum(recent) / len(recent), 1) if recent else None

    @property
    def rank(self) -> tuple:
        return (STATE_ORDER[self.state], -self.days_quiet)


def programme_health(
    programme: Programme, *, today: datetime.date | None = None, only: int | None = None
) -> list[PairHealth]:
    """Every pair of the programme (or the one with pk ``only``) with its state, the ones
    needing attention first."""
    today = today or timezone.localdate()
    limits = HealthSettings.for_programme(programme)
    # A deactivated (or erased) person leaves the board; their pair's own page still opens.
    pairs = programme.mentorships.filter(mentor__is_active=True, mentee__is_active=True)
    pairs = pairs.select_related("mentor__profile", "mentee__profile", "programme")
    if only is not None:  # one pair's own page: a peer partnership too
        pairs = Mentorship.every.filter(programme=programme, pk=only).select_related(
            "mentor__profile", "mentee__profile", "programme"
        )
    mentorships = list(pairs)
    ids = [m.pk for m in mentorships]
    held = {
        row["mentorship"]: row
        for row in Meeting.objects.filter(mentorship__in=ids, status=Meeting.Status.HELD)
        .values("mentorship")
        .annotate(count=Count("pk"), minutes=Sum("minutes_spent"), last=Max("starts_at"))
    }
    upcoming = dict(
        Meeting.objects.filter(
            mentorship__in=ids, status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now()
        )
        .values("mentorship")
        .annotate(next=Min("starts_at"))
        .values_list("mentorship", "next")
    )
    pulses: dict[int, list[Pulse]] = defaultdict(list)
    for pulse in Pulse.objects.filter(mentorship__in=ids).only(
        "mentorship_id", "author_id", "score", "created_at"
    ):
        pulses[pulse.mentorship_id].append(pulse)  # newest first (model ordering)
    given = set(
        Feedback.objects.filter(mentorship__in=ids).values_list("mentorship", "author", "point")
    )
    reviewed = set(
        MidpointReview.objects.filter(mentorship__in=ids).values_list("mentorship", "author")
    )
    stale_before = timezone.now() - datetime.timedelta(days=limits.goal_stale_days)
    last_note = (
        GoalNote.objects.filter(goal=OuterRef("pk")).order_by("-created_at").values("created_at")
    )
    stale_goals = Counter(
        Goal.objects.filter(
            mentorship__in=ids, status__in=[Goal.Status.NOT_STARTED, Goal.Status.IN_PROGRESS]
        )
        .annotate(last_note=Subquery(last_note[:1]))
        .filter(
            Q(last_note__lt=stale_before) | Q(last_note__isnull=True, created_at__lt=stale_before)
        )
        .values_list("mentorship", flat=True)
    )
    closures = dict(Closure.objects.filter(mentorship__in=ids).values_list("mentorship", "kind"))
    board = []
    for m in mentorships:
        facts = held.get(m.pk, {})
        health = PairHealth(
            mentorship=m,
            state=State.HEALTHY,
            meetings_held=facts.get("count", 0),
            minutes=facts.get("minutes") or 0,
            last_met=timezone.localdate(facts["last"]) if facts.get("last") else None,
            next_meeting=upcoming.get(m.pk),
        )
        health.pulses = [p.score for p in pulses[m.pk]]
        for pulse in reversed(pulses[m.pk]):
            health.latest_pulse[pulse.author_id] = pulse.score
        if m.status == Mentorship.Status.CLOSED:
            early = closures.get(m.pk) == Closure.Kind.EARLY
            health.state = State.CLOSED_EARLY if early else State.COMPLETED
            board.append(health)
            continue
        # Quiet since the last meeting, or since the start; never negative for a pair made
        # before the programme began.
        health.days_quiet = max(0, (today - (health.last_met or m.started_on)).days)
        pair = (m.mentor_id, m.mentee_id)
        grace = datetime.timedelta(days=limits.feedback_grace_days)
        for point, when in feedback_points_due(m, today, limits):
            if when + grace <= today and any((m.pk, p, point) not in given for p in pair):
                health.flags.append(f"Feedback overdue ({FeedbackPoint(point).label.lower()})")
        health.midpoint_due = midpoint_of(m) <= today and any(
            (m.pk, p) not in reviewed for p in pair
        )
        if health.midpoint_due:
            health.flags.append("Mid-point review due")
        if stale_goals.get(m.pk):
            n = stale_goals[m.pk]
            health.flags.append(f"{n} goal{'s' if n != 1 else ''} without progress")
        if any(score <= limits.struggling_pulse for score in health.latest_pulse.values()):
            health.state = State.STRUGGLING
        elif health.days_quiet > limits.quiet_after_days and not health.next_meeting:
            # A planned meeting means the pair is between meetings, as the reminders see it.
            health.state = State.QUIET
        elif health.flags == ["Mid-point review due"]:
            health.state = State.MIDPOINT
        elif health.flags:
            health.state = State.ATTENTION
        elif not health.meetings_held:
            health.state = State.NEW
        board.append(health)
    board.sort(key=lambda h: (*h.rank, h.mentorship.mentee.display_name))
    return board


def pair_health(mentorship: Mentorship) -> PairHealth:
    """One pair's health, as the board computes it."""
    return programme_health(mentorship.programme, only=mentorship.pk)[0]


SORTS = {
    "state": lambda h: h.rank,
    "mentee": lambda h: h.mentorship.mentee.display_name.lower(),
    "mentor": lambda h: h.mentorship.mentor.display_name.lower(),
    "quiet": lambda h: -h.days_quiet,
    "meetings": lambda h: h.meetings_held,
    "pulse": lambda h: h.pulse_average if h.pulse_average is not None else 9,
    "flags": lambda h: -len(h.flags),
}


def board_view(
    board: list[PairHealth], *, state: str = "", sort: str = "state"
) -> list[PairHealth]:
    """Filter by state and sort by a column; unknown values fall back to the default."""
    rows = [h for h in board if not state or h.state == state]
    return sorted(rows, key=SORTS.get(sort, SORTS["state"]))


def troubled_pairs(
    programme_ids: Iterable[int], *, today: datetime.date | None = None
) -> dict[int, list[str]]:
    """For each programme, the mentees of its struggling or quiet pairs (by the board's rules
    and each programme's thresholds), in two queries however many pairs and programmes: for
    the coordinators' home page, which must not build every board to count them."""
    ids = list(programme_ids)
    if not ids:
        return {}
    today = today or timezone.localdate()
    now = timezone.now()
    limits = {h.programme_id: h for h in HealthSettings.objects.filter(programme_id__in=ids)}
    default = HealthSettings()

    def per_programme(value, output_field):  # noqa: ANN001, ANN202
        """A value computed from each programme's thresholds, as one CASE in the query."""
        return Case(
            *(When(programme_id=pk, then=Value(value(h))) for pk, h in limits.items()),
            default=Value(value(default)),
            output_field=output_field,
        )

    def quiet_since(h: HealthSettings) -> datetime.date:
        # Quiet when the anchor (last meeting held, else the start) is before this date.
        return today - datetime.timedelta(days=h.quiet_after_days)

    def quiet_since_moment(h: HealthSettings) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(quiet_since(h), datetime.time.min))

    latest = Pulse.objects.filter(mentorship=OuterRef("pk")).order_by("-created_at", "-pk")
    rows = (
        Mentorship.objects.filter(
            programme_id__in=ids,
            status=Mentorship.Status.ACTIVE,
            mentor__is_active=True,
            mentee__is_active=True,
        )
        .annotate(
            mentor_pulse=Subquery(latest.filter(author=OuterRef("mentor")).values("score")[:1]),
            mentee_pulse=Subquery(latest.filter(author=OuterRef("mentee")).values("score")[:1]),
            last_held=Subquery(
                Meeting.objects.filter(mentorship=OuterRef("pk"), status=Meeting.Status.HELD)
                .order_by("-starts_at")
                .values("starts_at")[:1]
            ),
            planned=Exists(
                Meeting.objects.filter(
                    mentorship=OuterRef("pk"),
                    status=Meeting.Status.SCHEDULED,
                    starts_at__gte=now,
                )
            ),
            struggling_at=per_programme(lambda h: h.struggling_pulse, IntegerField()),
            quiet_date=per_programme(quiet_since, DateField()),
            quiet_moment=per_programme(quiet_since_moment, DateTimeField()),
        )
        .filter(
            Q(mentor_pulse__lte=F("struggling_at"))
            | Q(mentee_pulse__lte=F("struggling_at"))
            | Q(planned=False)
            & (
                Q(last_held__isnull=True, started_on__lt=F("quiet_date"))
                | Q(last_held__lt=F("quiet_moment"))
            )
        )
        .order_by("mentee__profile__full_name")
        .values_list("programme_id", "mentee__profile__full_name", "mentee__email")
    )
    troubled: dict[int, list[str]] = defaultdict(list)
    for programme_id, name, email in rows:
        troubled[programme_id].append(name or email)
    return dict(troubled)
