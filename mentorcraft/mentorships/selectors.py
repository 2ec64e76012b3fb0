"""Permission-scoped reads for mentorships."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core import agreements
from mentorcraft.core.ids import require_id
from mentorcraft.mentorships.ics import local_times
from mentorcraft.mentorships.models import (
    AgreementVersion,
    Closure,
    ClosureReflection,
    Feedback,
    FeedbackPoint,
    FeedbackRequest,
    Goal,
    GoalRating,
    HealthSettings,
    Meeting,
    Mentorship,
    MidpointReview,
    PrivateNote,
    Pulse,
)
from mentorcraft.mentorships.rhythm import feedback_points_due, midpoint_of
from mentorcraft.people.models import User
from mentorcraft.people.zones import zone_of
from mentorcraft.programmes.access import first_or_404, is_coordinator, refuse
from mentorcraft.programmes.models import Programme


def mentorship_get_for_user(user: User, pk: int, *, write: bool = False) -> Mentorship:
    """The pair reads and writes their mentorship; the programme's coordinators read it (403 on
    writes); other people of the programme get 403, outsiders 404."""
    mentorship = first_or_404(
        Mentorship.every.select_related("programme", "mentor__profile", "mentee__profile"),
        pk,
        "mentorship",
        user,
    )
    if mentorship.involves(user):
        return mentorship
    if is_coordinator(user, mentorship.programme):
        if write:
            raise PermissionDenied("Only the mentor and the mentee change their mentorship.")
        return mentorship
    refuse(
        user,
        mentorship.programme,
        "This mentorship is private to the pair and the coordinators.",
        what="mentorship",
    )


def mentorships_for_programme(programme: Programme) -> QuerySet[Mentorship]:
    return programme.mentorships.select_related("mentor__profile", "mentee__profile").order_by(
        "status", "mentee__profile__full_name"
    )


def mentorships_for_person(user: User) -> QuerySet[Mentorship]:
    return (
        Mentorship.objects.filter(status=Mentorship.Status.ACTIVE)
        .filter(Q(mentor=user) | Q(mentee=user))
        .select_related("programme", "mentor__profile", "mentee__profile")
    )


def active_pairs(programme: Programme) -> QuerySet:
    """(mentee id, mentor id) of every active mentorship: each takes a mentor's place."""
    return Mentorship.objects.filter(
        programme=programme, status=Mentorship.Status.ACTIVE
    ).values_list("mentee_id", "mentor_id")


def agreement_state(mentorship: Mentorship) -> dict:
    """The latest version, who signed it, and the version in force (signed by both)."""
    return agreements.state(
        mentorship.agreement_versions.all(), {mentorship.mentor_id, mentorship.mentee_id}
    )


def in_pair(user: User, mentorship: Mentorship) -> bool:
    return mentorship.involves(user)


def require_pair(user: User, mentorship: Mentorship, message: str) -> None:
    """For a mentorship the person may read (``mentorship_get_for_user``): 403 unless they are
    its mentor or mentee (the coordinators read the facts, not this)."""
    if not mentorship.involves(user):
        raise PermissionDenied(message)


def meeting_get_for_user(user: User, pk: int, *, write: bool = False) -> Meeting:
    """A meeting is as visible as its mentorship."""
    meeting = Meeting.objects.filter(pk=require_id(pk, "meeting")).first()
    if meeting is None:
        raise Http404("No such meeting.")
    meeting.mentorship = mentorship_get_for_user(user, meeting.mentorship_id, write=write)
    return meeting


def meetings_for(mentorship: Mentorship) -> QuerySet[Meeting]:
    return mentorship.meetings.select_related("logged_by__profile").order_by("-starts_at")


def private_notes_for(user: User, mentorship: Mentorship) -> QuerySet[PrivateNote]:
    """Only ever the reader's own notes: nobody reads another person's private notes."""
    return PrivateNote.objects.filter(mentorship=mentorship, author=user).select_related("meeting")


def private_note_get_for_user(user: User, pk: int) -> PrivateNote:
    """The author alone; for everyone else the note does not exist (404)."""
    note = PrivateNote.objects.filter(pk=require_id(pk, "note"), author_id=user.pk).first()
    if note is None or not user.is_authenticated:
        raise Http404("No such note.")
    return note


def pulses_visible_to(user: User, mentorship: Mentorship) -> QuerySet[Pulse]:
    """A person sees their own pulses; the coordinators see everyone's with the comments
    addressed to them; the other person of the pair never sees them."""
    pulses = mentorship.pulses.select_related("author__profile")
    if is_coordinator(user, mentorship.programme) and not in_pair(user, mentorship):
        return pulses
    return pulses.filter(author_id=user.pk)


def feedback_visible_to(user: User, mentorship: Mentorship) -> QuerySet[Feedback]:
    """Feedback belongs to the pair: the coordinators see none of it."""
    if not in_pair(user, mentorship):
        return Feedback.objects.none()
    return mentorship.feedback.select_related("author__profile", "request")


def pulse_due_meeting(user: User, mentorship: Mentorship) -> Meeting | None:
    """The latest held meeting this person has not yet checked in after."""
    answered = Pulse.objects.filter(author_id=user.pk, meeting__isnull=False).values("meeting")
    return (
        mentorship.meetings.filter(status=Meeting.Status.HELD)
        .exclude(pk__in=answered)
        .order_by("-starts_at")
        .first()
    )


def closure_of(mentorship: Mentorship) -> Closure | None:
    return Closure.objects.filter(mentorship=mentorship).prefetch_related("reflections").first()


@dataclass(frozen=True)
class Due:
    title: str
    url: str


def with_due_facts(user: User, mentorships: QuerySet[Mentorship]) -> list[Mentorship]:
    """The mentorships with what ``due_for`` reads prefetched for this person, in a fixed
    number of queries however many pairs there are."""
    return list(
        mentorships.select_related(
            "programme", "mentor__profile", "mentee__profile", "closure"
        ).prefetch_related(
            Prefetch(
                "meetings",
                queryset=Meeting.objects.filter(
                    status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD]
                ).order_by("-starts_at"),
                to_attr="due_meetings",
            ),
            Prefetch(
                "pulses",
                queryset=Pulse.objects.filter(author_id=user.pk, meeting__isnull=False).only(
                    "mentorship_id", "meeting_id"
                ),
                to_attr="my_meeting_pulses",
            ),
            Prefetch(
                "agreement_versions",
                queryset=AgreementVersion.objects.order_by("-number").prefetch_related(
                    "signatures"
                ),
                to_attr="versions_newest_first",
            ),
            Prefetch(
                "feedback",
                queryset=Feedback.objects.filter(author_id=user.pk).only("mentorship_id", "point"),
                to_attr="my_feedback",
            ),
            Prefetch(
                "feedback_requests",
                queryset=FeedbackRequest.objects.filter(answer__isnull=True),
                to_attr="open_requests",
            ),
            Prefetch(
                "midpoint_reviews",
                queryset=MidpointReview.objects.filter(author_id=user.pk),
                to_attr="my_reviews",
            ),
            "closure__reflections",
        )
    )


def health_settings_for(programme_ids: set[int]) -> dict[int, HealthSettings]:
    """Each programme's thresholds (the defaults where none were set), in one query."""
    found = {
        h.programme_id: h for h in HealthSettings.objects.filter(programme_id__in=programme_ids)
    }
    return {pk: found.get(pk) or HealthSettings(programme_id=pk) for pk in programme_ids}


def due_for_pairs(
    user: User, mentorships: list[Mentorship], today: datetime.date | None = None
) -> dict[int, list[Due]]:
    """What this person should do next in each of these mentorships (fetched with
    ``with_due_facts``), most urgent first; no query per pair."""
    today = today or timezone.localdate()
    limits = health_settings_for({m.programme_id for m in mentorships})
    return {m.pk: _due(user, m, today, limits[m.programme_id]) for m in mentorships}


def due_for(user: User, mentorship: Mentorship, today: datetime.date | None = None) -> list[Due]:
    """What this person of the pair should do next in this mentorship, most urgent first."""
    pair = with_due_facts(user, Mentorship.every.filter(pk=mentorship.pk))
    return due_for_pairs(user, pair, today)[mentorship.pk] if pair else []


def _due(user: User, m: Mentorship, today: datetime.date, limits: HealthSettings) -> list[Due]:
    url = m.get_absolute_url()
    other = m.other(user)
    if m.status == Mentorship.Status.CLOSED:
        closure = getattr(m, "closure", None)
        if closure and not any(r.author_id == user.pk for r in closure.reflections.all()):
            return [Due("Write your final reflection", reverse("mentorships:closure", args=[m.pk]))]
        return []
    steps = []
    now = timezone.now()
    scheduled = [x for x in m.due_meetings if x.status == Meeting.Status.SCHEDULED]
    unlogged = next((x for x in scheduled if x.starts_at < now), None)  # the latest first
    if unlogged:
        steps.append(
            Due(
                f"Log your meeting of {unlogged.starts_at.astimezone(zone_of(user)):%d %b}",
                reverse("mentorships:meeting_log", args=[unlogged.pk]),
            )
        )
    answered = {p.meeting_id for p in m.my_meeting_pulses}
    if any(x.status == Meeting.Status.HELD and x.pk not in answered for x in m.due_meetings):
        steps.append(Due("Check in: how did your last meeting go?", f"{url}#pulse"))
    latest = m.versions_newest_first[0] if m.versions_newest_first else None
    if latest is None:
        steps.append(
            Due(
                f"Agree your working agreement with {other.display_name}",
                f"{url}#agreement-heading",
            )
        )
    elif user.pk not in {s.user_id for s in latest.signatures.all()}:
        steps.append(
            Due(
                f"Read and sign version {latest.number} of your agreement",
                f"{url}#agreement-heading",
            )
        )
    feedback = reverse("mentorships:feedback", args=[m.pk])
    given = {f.point for f in m.my_feedback}
    for point, _when in feedback_points_due(m, today, limits):
        if point not in given:
            steps.append(
                Due(
                    f"Give {other.display_name} feedback ({FeedbackPoint(point).label.lower()})",
                    feedback,
                )
            )
    if user.pk == m.mentee_id and m.open_requests:
        steps.append(Due(f"{other.display_name} asked for your feedback", feedback))
    if midpoint_of(m) <= today and not m.my_reviews:
        steps.append(Due("Do your mid-point review", reverse("mentorships:midpoint", args=[m.pk])))
    if m.ends_on - datetime.timedelta(days=30) <= today:
        steps.append(
            Due(
                f"Plan a good close: it ends on {m.ends_on:%d %B}",
                reverse("mentorships:closure", args=[m.pk]),
            )
        )
    if not any(x.starts_at >= now for x in scheduled):
        steps.append(
            Due(
                f"Plan your next meeting with {other.display_name}",
                reverse("mentorships:meeting_new", args=[m.pk]),
            )
        )
    return steps


def mentorships_with_next_meeting(user: User) -> list[Mentorship]:
    """The person's active mentorships, each with ``next_meeting_text``: the next planned
    meeting in the person's own time zone, or empty."""
    upcoming = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now()
    ).order_by("starts_at")
    result = list(
        mentorships_for_person(user).prefetch_related(
            Prefetch("meetings", queryset=upcoming, to_attr="upcoming")
        )
    )
    for mentorship in result:
        if mentorship.upcoming:
            meeting = mentorship.upcoming[0]
            meeting.mentorship = mentorship
            mentorship.next_meeting_text = local_times(meeting, first=user)[0].text
        else:
            mentorship.next_meeting_text = ""
    return result


def goals_for_page(mentorship: Mentorship, *, in_pair: bool) -> list[Goal]:
    """Goals with ``start`` and ``latest`` ratings; the pair also gets each goal's notes
    (coordinators see titles and statuses, never notes)."""
    goals = mentorship.goals.prefetch_related("ratings")
    if in_pair:
        goals = goals.prefetch_related("notes__author__profile")
    result = list(goals)
    for goal in result:
        by_stage = {r.stage: r.score for r in goal.ratings.all()}
        goal.start = by_stage.get(GoalRating.Stage.START)
        goal.latest = by_stage.get(GoalRating.Stage.CLOSURE) or by_stage.get(
            GoalRating.Stage.MIDPOINT
        )
    return result


def open_goals(mentorship: Mentorship) -> list[Goal]:
    """The goals still rated at the mid-point and the close (all but the dropped), each with
    its ``start`` rating."""
    goals = list(mentorship.goals.exclude(status=Goal.Status.DROPPED).prefetch_related("ratings"))
    for goal in goals:
        goal.start = next(
            (r.score for r in goal.ratings.all() if r.stage == GoalRating.Stage.START), None
        )
    return goals


def feedback_due(user: User, mentorship: Mentorship, given: set[str]) -> list[tuple[str, str]]:
    """The feedback points (value, label) at which this person still owes the other their
    feedback. After the close only the closing point is open, and it stays open until given."""
    due = [
        (point, FeedbackPoint(point).label)
        for point, _when in feedback_points_due(mentorship, timezone.localdate())
        if point not in given
    ]
    if mentorship.status == Mentorship.Status.CLOSED:
        due = [(p, label) for p, label in due if p == FeedbackPoint.CLOSURE]
        if FeedbackPoint.CLOSURE not in given and not due:
            due = [(FeedbackPoint.CLOSURE, FeedbackPoint.CLOSURE.label)]
    return due


PIPELINE_SHOWN = 60


def pipeline(programme: Programme) -> dict[str, list[ClosureReflection]]:
    """What the closing reflections say comes next: mentees who want a new mentor or would
    mentor someone, and mentors who would like support of their own."""
    reflections = list(
        ClosureReflection.objects.filter(
            closure__mentorship__programme=programme, closure__mentorship__kind="mentoring"
        )
        .filter(
            Q(wants_rematch=True)
            | Q(would_mentor=ClosureReflection.WouldMentor.YES)
            | ~Q(wants_support__in=["", ClosureReflection.Support.NONE])
        )
        .select_related("author__profile", "closure__mentorship")
        .order_by("-created_at")[:PIPELINE_SHOWN]
    )
    return {
        "rematch": [r for r in reflections if r.wants_rematch],
        "would_mentor": [r for r in reflections if r.would_mentor == "yes"],
        "wants_support": [r for r in reflections if r.wants_support not in ("", "none")],
    }


@dataclass
class History:
    """What a person has done in mentorships so far (for experience tiers)."""

    completed_as_mentor: int = 0
    completed_as_mentee: int = 0
    active_as_mentor: int = 0
    active_as_mentee: int = 0
    days_as_mentor: int = 0

    @property
    def months_as_mentor(self) -> int:
        return self.days_as_mentor * 12 // 365


def mentoring_history(
    people: list[int] | QuerySet, today: datetime.date | None = None
) -> dict[int, History]:
    """Each person's history as mentor and mentee, in one query however many people (``people``
    is a list of ids, or a queryset of ids for very many): completed mentorships (closed as
    planned; an early close does not count), active ones, and the days spent mentoring. Anyone
    without a mentorship has an empty history."""
    today = today or timezone.localdate()
    history: dict[int, History] = defaultdict(History)
    rows = (
        Mentorship.objects.filter(Q(mentor_id__in=people) | Q(mentee_id__in=people))
        .values_list("mentor_id", "mentee_id", "status", "started_on", "closed_on", "closure__kind")
        .order_by()
    )
    wanted = None if isinstance(people, QuerySet) else set(people)
    for mentor_id, mentee_id, status, started_on, closed_on, kind in rows:
        completed = status == Mentorship.Status.CLOSED and kind == Closure.Kind.PLANNED
        active = status == Mentorship.Status.ACTIVE
        if wanted is None or mentor_id in wanted:
            entry = history[mentor_id]
            entry.completed_as_mentor += completed
            entry.active_as_mentor += active
            until = min(closed_on or today, today)
            entry.days_as_mentor += max(0, (until - started_on).days)
        if wanted is None or mentee_id in wanted:
            entry = history[mentee_id]
            entry.completed_as_mentee += completed
            entry.active_as_mentee += active
    return history
