"""Permission-scoped reads for mentorships."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mentorcraft.core.ids import require_id
from mentorcraft.mentorships.ics import zone_of
from mentorcraft.mentorships.models import (
    Closure,
    Feedback,
    FeedbackPoint,
    Meeting,
    Mentorship,
    PrivateNote,
    Pulse,
)
from mentorcraft.mentorships.rhythm import feedback_points_due, midpoint_of
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Programme
from mentorcraft.programmes.selectors import is_coordinator, roles_for


def mentorship_get_for_user(user: User, pk: int, *, write: bool = False) -> Mentorship:
    """The pair reads and writes their mentorship; the programme's coordinators read it (403 on
    writes); other people of the programme get 403, outsiders 404."""
    mentorship = (
        Mentorship.objects.select_related("programme", "mentor__profile", "mentee__profile")
        .filter(pk=require_id(pk, "mentorship"))
        .first()
    )
    if mentorship is None or not user.is_authenticated:
        raise Http404("No such mentorship.")
    if mentorship.involves(user):
        return mentorship
    if is_coordinator(user, mentorship.programme):
        if write:
            raise PermissionDenied("Only the mentor and the mentee change their mentorship.")
        return mentorship
    if roles_for(user, mentorship.programme):
        raise PermissionDenied("This mentorship is private to the pair and the coordinators.")
    raise Http404("No such mentorship.")


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
    versions = list(
        mentorship.agreement_versions.prefetch_related("signatures").order_by("-number")
    )
    pair = {mentorship.mentor_id, mentorship.mentee_id}
    in_force = next((v for v in versions if {s.user_id for s in v.signatures.all()} >= pair), None)
    latest = versions[0] if versions else None
    return {
        "latest": latest,
        "latest_signers": {s.user_id for s in latest.signatures.all()} if latest else set(),
        "in_force": in_force,
        "history": versions,
    }


def in_pair(user: User, mentorship: Mentorship) -> bool:
    return mentorship.involves(user)


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


def due_for(user: User, mentorship: Mentorship, today: datetime.date | None = None) -> list[Due]:
    """What this person of the pair should do next in this mentorship, most urgent first."""
    from django.urls import reverse

    today = today or timezone.localdate()
    url = mentorship.get_absolute_url()
    other = mentorship.other(user)
    if mentorship.status == Mentorship.Status.CLOSED:
        closure = closure_of(mentorship)
        if closure and not any(r.author_id == user.pk for r in closure.reflections.all()):
            return [
                Due(
                    "Write your final reflection",
                    reverse("mentorships:closure", args=[mentorship.pk]),
                )
            ]
        return []
    steps = []
    unlogged = mentorship.meetings.filter(
        status=Meeting.Status.SCHEDULED, starts_at__lt=timezone.now()
    ).first()
    if unlogged:
        steps.append(
            Due(
                f"Log your meeting of {unlogged.starts_at.astimezone(zone_of(user)):%d %b}",
                reverse("mentorships:meeting_log", args=[unlogged.pk]),
            )
        )
    if pulse_due_meeting(user, mentorship):
        steps.append(Due("Check in: how did your last meeting go?", f"{url}#pulse"))
    agreement = agreement_state(mentorship)
    if agreement["latest"] is None:
        steps.append(
            Due(
                f"Agree your working agreement with {other.display_name}",
                f"{url}#agreement-heading",
            )
        )
    elif user.pk not in agreement["latest_signers"]:
        steps.append(
            Due(
                f"Read and sign version {agreement['latest'].number} of your agreement",
                f"{url}#agreement-heading",
            )
        )
    feedback = reverse("mentorships:feedback", args=[mentorship.pk])
    given = set(mentorship.feedback.filter(author=user).values_list("point", flat=True))
    for point, _when in feedback_points_due(mentorship, today):
        if point not in given:
            steps.append(
                Due(
                    f"Give {other.display_name} feedback ({FeedbackPoint(point).label.lower()})",
                    feedback,
                )
            )
    if user.pk == mentorship.mentee_id and mentorship.open_feedback_request() is not None:
        steps.append(Due(f"{other.display_name} asked for your feedback", feedback))
    if (
        midpoint_of(mentorship) <= today
        and not mentorship.midpoint_reviews.filter(author=user).exists()
    ):
        steps.append(
            Due("Do your mid-point review", reverse("mentorships:midpoint", args=[mentorship.pk]))
        )
    if mentorship.ends_on - datetime.timedelta(days=30) <= today:
        steps.append(
            Due(
                f"Plan a good close: it ends on {mentorship.ends_on:%d %B}",
                reverse("mentorships:closure", args=[mentorship.pk]),
            )
        )
    if not mentorship.meetings.filter(
        status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now()
    ).exists():
        steps.append(
            Due(
                f"Plan your next meeting with {other.display_name}",
                reverse("mentorships:meeting_new", args=[mentorship.pk]),
            )
        )
    return steps


def mentorships_with_next_meeting(user: User) -> list[Mentorship]:
    """The person's active mentorships, each with ``next_meeting_text``: the next planned
    meeting in the person's own time zone, or empty."""
    from django.db.models import Prefetch

    from mentorcraft.mentorships.ics import local_times

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
