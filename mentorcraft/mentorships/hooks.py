"""What the mentorships app adds to the extension points in ``core.extensions``."""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Replace
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.extensions import NextStep, Panel, PeriodicJob, Section, plain_rows
from mentorcraft.core.roles import Role
from mentorcraft.mentorships import selectors
from mentorcraft.mentorships.health import troubled_pairs
from mentorcraft.mentorships.models import (
    Closure,
    ClosureReflection,
    Feedback,
    Goal,
    GoalNote,
    Meeting,
    Mentorship,
    MidpointReview,
    PrivateNote,
    Pulse,
    TimelineEntry,
)
from mentorcraft.mentorships.reminders import send_reminders
from mentorcraft.people.models import User
from mentorcraft.programmes.access import is_coordinator
from mentorcraft.programmes.models import Phase, Programme

STEPS_PER_PAIR = 3
RECENTLY_CLOSED = datetime.timedelta(days=60)


def next_steps(user: User) -> list[NextStep]:
    """For each of the person's pairs (active, or closed in the last two months) its most urgent
    steps; for coordinators, the struggling and quiet pairs of their running programmes. A fixed
    number of queries, however many pairs and programmes."""
    pairs = Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user)).filter(
        Q(status=Mentorship.Status.ACTIVE)
        | Q(closed_on__gte=timezone.localdate() - RECENTLY_CLOSED)
    )
    mentorships = selectors.with_due_facts(user, pairs)
    due = selectors.due_for_pairs(user, mentorships)
    steps = []
    for mentorship in mentorships:
        other = mentorship.other(user)
        for step in due[mentorship.pk][:STEPS_PER_PAIR]:
            # A title that names the other person already is not followed by their name again.
            named = other.display_name in step.title
            steps.append(
                NextStep(
                    title=step.title,
                    detail=f"in {mentorship.programme.name}"
                    if named
                    else f"with {other.display_name}, {mentorship.programme.name}",
                    url=step.url,
                    kind="mentorship",
                    urgency=30,
                )
            )
    running = dict(
        Programme.objects.filter(
            roles__user=user,
            roles__role=Role.COORDINATOR,
            phase__in=[Phase.RUNNING, Phase.CLOSING],
        )
        .distinct()
        .values_list("pk", "name")
    )
    for programme_id, mentees in troubled_pairs(running).items():
        count = len(mentees)
        steps.append(
            NextStep(
                title=f"{count} pair{'s' if count != 1 else ''} struggling or quiet",
                detail=f"in {running[programme_id]}: " + ", ".join(mentees[:3]),
                url=reverse("mentorships:board", args=[programme_id]),
                kind="pairs",
                urgency=25,
            )
        )
    for programme_id, names in rematch_requests(running).items():
        count = len(names)
        steps.append(
            NextStep(
                title=f"{count} mentee{'s' if count != 1 else ''} would like a new mentor",
                detail=f"in {running[programme_id]}, after an early close: " + ", ".join(names[:3]),
                url=reverse("mentorships:board", args=[programme_id]),
                kind="rematch",
                urgency=20,
            )
        )
    return steps


def rematch_requests(programme_names: dict[int, str]) -> dict[int, list[str]]:
    """Per programme, the mentees who asked for a new mentor after an early close and have no
    active mentorship there yet: one query."""
    if not programme_names:
        return {}
    paired_again = Mentorship.objects.filter(
        programme=OuterRef("closure__mentorship__programme"),
        mentee=OuterRef("author"),
        status=Mentorship.Status.ACTIVE,
    )
    waiting = (
        ClosureReflection.objects.filter(
            wants_rematch=True,
            closure__kind=Closure.Kind.EARLY,
            closure__mentorship__programme_id__in=programme_names,
            closure__mentorship__kind="mentoring",
        )
        .filter(author=F("closure__mentorship__mentee"))
        .exclude(Exists(paired_again))
        .select_related("author__profile", "closure__mentorship")
        .order_by("-created_at")
    )
    found: dict[int, list[str]] = {}
    for reflection in waiting:
        found.setdefault(reflection.closure.mentorship.programme_id, []).append(
            reflection.author.display_name
        )
    return found


def home_mentoring_panel(request: HttpRequest) -> Panel | None:
    """The person's pairs; and a pair that closed early lately stays in sight, with whether
    the mentee asked for a new mentor and whether one has been found (two more queries)."""
    user = request.user
    mentorships = selectors.mentorships_with_next_meeting(user)
    closed = list(
        Mentorship.objects.filter(
            Q(mentor=user) | Q(mentee=user),
            status=Mentorship.Status.CLOSED,
            closure__kind=Closure.Kind.EARLY,
            closed_on__gte=timezone.localdate() - RECENTLY_CLOSED,
        )
        .select_related("programme", "mentor__profile", "mentee__profile", "closure")
        .prefetch_related("closure__reflections")
        .order_by("-closed_on")[:STEPS_PER_PAIR]
    )
    if not mentorships and not closed:
        return None
    rematched = {(m.programme_id, m.mentee_id) for m in mentorships if m.mentee_id == user.pk}
    for mentorship in closed:
        theirs = [
            r for r in mentorship.closure.reflections.all() if r.author_id == mentorship.mentee_id
        ]
        mentorship.reflected = bool(theirs)
        mentorship.asked_rematch = any(r.wants_rematch for r in theirs)
        mentorship.rematched = (mentorship.programme_id, mentorship.mentee_id) in rematched
    return Panel("mentorships/_home_mentoring.html", {"mentorships": mentorships, "closed": closed})


def programme_pairs_panel(
    request: HttpRequest, programme: Programme, roles: set[str]
) -> Panel | None:
    """For coordinators: the pairs, the board and how many pairs need a look."""
    if not is_coordinator(request.user, programme):
        return None
    active = programme.mentorships.filter(status=Mentorship.Status.ACTIVE).count()
    troubled = troubled_pairs([programme.pk]).get(programme.pk, [])
    return Panel("mentorships/_programme_panel.html", {"active": active, "troubled": len(troubled)})


def reminders() -> str:
    sent = send_reminders()
    if not sent:
        return "No reminders due."
    return ", ".join(f"{count} × {kind}" for kind, count in sorted(sent.items()))


SEND_REMINDERS = PeriodicJob("send reminders", reminders)


# --- A person's data: export, erasure and what holds an erasure back -----------------------------


def _pairs_of(user: User):
    return Mentorship.every.filter(Q(mentor=user) | Q(mentee=user))


def personal_data(user: User) -> list[Section]:
    """The person's pairs and what is in them: meetings, goals, their own notes (private ones
    too: they are theirs), check-ins, feedback given and received, reviews and reflections.
    Never the partner's private notes, check-ins or reflections. A fixed number of queries."""
    pairs = _pairs_of(user).select_related("programme", "mentor__profile", "mentee__profile")
    pair_ids = [pair.pk for pair in pairs]
    mentorships = [
        {
            "pair": pair.pk,
            "programme": pair.programme.name,
            "kind": pair.get_kind_display(),
            "you were": "mentor" if pair.mentor_id == user.pk else "mentee",
            "partner": pair.other(user).display_name,
            "status": pair.get_status_display(),
            "started": pair.started_on.isoformat(),
            "ends": pair.ends_on.isoformat(),
            "closed": pair.closed_on.isoformat() if pair.closed_on else None,
        }
        for pair in pairs
    ]
    meetings = Meeting.objects.filter(mentorship_id__in=pair_ids)
    goals = Goal.objects.filter(mentorship_id__in=pair_ids)
    feedback = Feedback.objects.filter(mentorship_id__in=pair_ids).select_related("author__profile")
    return [
        Section("Your mentorships", mentorships),
        Section(
            "Meetings",
            plain_rows(
                meetings,
                {
                    "pair": "mentorship_id",
                    "starts": "starts_at",
                    "minutes planned": "duration_minutes",
                    "place": "location",
                    "agenda": "agenda",
                    "status": "status",
                    "minutes spent": "minutes_spent",
                    "shared notes": "shared_notes",
                },
            ),
        ),
        Section(
            "Goals",
            plain_rows(
                goals,
                {
                    "pair": "mentorship_id",
                    "title": "title",
                    "why": "why",
                    "measure": "measure",
                    "target date": "target_date",
                    "status": "status",
                },
            ),
        ),
        Section(
            "Your notes on goals",
            plain_rows(
                GoalNote.objects.filter(author=user),
                {"goal": "goal.title", "written": "created_at", "text": "text"},
            ),
        ),
        Section(
            "Your private notes",
            plain_rows(
                PrivateNote.objects.filter(author=user),
                {"pair": "mentorship_id", "written": "created_at", "text": "text"},
            ),
            note="Only you could read these.",
        ),
        Section(
            "Your check-ins",
            plain_rows(
                Pulse.objects.filter(author=user),
                {
                    "pair": "mentorship_id",
                    "when": "created_at",
                    "score": "score",
                    "word for the coordinators": "comment_to_coordinator",
                },
            ),
        ),
        Section(
            "Feedback you gave",
            plain_rows(
                [item for item in feedback if item.author_id == user.pk],
                {
                    "pair": "mentorship_id",
                    "point": "point",
                    "when": "created_at",
                    "what helped": "helped",
                    "what to change": "change",
                },
            ),
        ),
        Section(
            "Feedback you received",
            plain_rows(
                [item for item in feedback if item.author_id != user.pk],
                {
                    "pair": "mentorship_id",
                    "from": "author.display_name",
                    "point": "point",
                    "when": "created_at",
                    "what helped": "helped",
                    "what to change": "change",
                },
            ),
        ),
        Section(
            "Your mid-point reviews",
            plain_rows(
                MidpointReview.objects.filter(author=user),
                {
                    "pair": "mentorship_id",
                    "when": "created_at",
                    "agreement still works": "agreement_works",
                    "focus": "focus",
                },
            ),
        ),
        Section(
            "Your closing reflections",
            plain_rows(
                ClosureReflection.objects.filter(author=user).select_related("closure"),
                {
                    "pair": "closure.mentorship_id",
                    "when": "created_at",
                    "reflection": "reflection",
                    "would mentor": "would_mentor",
                    "wants support": "wants_support",
                    "wants a rematch": "wants_rematch",
                },
            ),
        ),
    ]


def erase_personal_data(user: User) -> None:
    """Private notes were for the erased person alone, and so was their closing reflection's
    text: both go. Meetings, goals, the partner's notes and feedback either gave stay."""
    PrivateNote.objects.filter(author=user).delete()
    ClosureReflection.objects.filter(author=user).update(reflection="")
    name = getattr(user, "erased_name", "")
    if name:  # the timeline wrote their name into its summaries
        TimelineEntry.objects.filter(mentorship__in=_pairs_of(user), summary__contains=name).update(
            summary=Replace("summary", Value(name), Value(user.display_name))
        )


def erasure_holds(user: User) -> list[str]:
    active = _pairs_of(user).filter(status=Mentorship.Status.ACTIVE).select_related("programme")
    kinds = {Mentorship.Kind.MENTORING: "mentorship", Mentorship.Kind.PEER: "peer partnership"}
    return [
        f"an active {kinds.get(pair.kind, 'mentorship')} in {pair.programme.name} (ends "
        f"{pair.ends_on:%-d %B %Y}); it can be closed early"
        for pair in active
    ]


def programme_data(programme: Programme) -> list[Section]:
    """What a coordinator reads of the programme's pairs: who, when, meeting dates and minutes,
    goal titles and status, check-ins. No agendas, places, notes, feedback or goal details."""
    pairs = Mentorship.every.filter(programme=programme).select_related(
        "mentor__profile", "mentee__profile"
    )
    return [
        Section(
            "Pairs",
            plain_rows(
                pairs,
                {
                    "pair": "pk",
                    "kind": "kind",
                    "mentor": "mentor.display_name",
                    "mentee": "mentee.display_name",
                    "status": "status",
                    "started": "started_on",
                    "ends": "ends_on",
                    "closed": "closed_on",
                },
            ),
        ),
        Section(
            "Meetings",
            plain_rows(
                Meeting.objects.filter(mentorship__programme=programme),
                {
                    "pair": "mentorship_id",
                    "starts": "starts_at",
                    "status": "status",
                    "minutes spent": "minutes_spent",
                },
            ),
        ),
        Section(
            "Goals",
            plain_rows(
                Goal.objects.filter(mentorship__programme=programme),
                {"pair": "mentorship_id", "title": "title", "status": "status"},
            ),
        ),
        Section(
            "Check-ins",
            plain_rows(
                Pulse.objects.filter(mentorship__programme=programme).select_related(
                    "author__profile"
                ),
                {
                    "pair": "mentorship_id",
                    "by": "author.display_name",
                    "when": "created_at",
                    "score": "score",
                    "word for the coordinators": "comment_to_coordinator",
                },
            ),
        ),
    ]
