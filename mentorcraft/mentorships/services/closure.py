"""Closing a mentorship, planned or early, and each person's final reflection."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core import audit
from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships.models import (
    Closure,
    ClosureReflection,
    Goal,
    GoalRating,
    Meeting,
    Mentorship,
    TimelineEntry,
)
from mentorcraft.mentorships.services.goals import goal_rate
from mentorcraft.mentorships.services.meetings import cancel_meeting
from mentorcraft.mentorships.services.pairs import (
    email_coordinators,
    email_pair,
    require_in_pair,
    timeline_add,
)
from mentorcraft.people.models import User
from mentorcraft.programmes.access import is_coordinator
from mentorcraft.programmes.models import Application, ApplicationStatus, Role

PLANNED_CLOSE_WINDOW_DAYS = 30


@transaction.atomic
def closure_start(*, mentorship: Mentorship, by: User, kind: str, reason: str = "") -> Closure:
    """End the mentorship: planned (from a month before its end date) or early with a reason.
    Either person or a coordinator may do it; both are then asked for a final reflection."""
    mentorship = (
        Mentorship.every.select_for_update(of=("self",))
        .select_related("programme", "mentor__profile", "mentee__profile")
        .get(pk=mentorship.pk)
    )
    in_pair = mentorship.involves(by)
    if not in_pair and not is_coordinator(by, mentorship.programme):
        raise TransitionError("Only the pair or the coordinators close a mentorship.")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise TransitionError("This mentorship has already closed.")
    today = timezone.localdate()
    if kind not in Closure.Kind.values:
        raise ValidationError({"kind": "Choose a planned or an early close."})
    if kind == Closure.Kind.PLANNED:
        opens = mentorship.ends_on - datetime.timedelta(days=PLANNED_CLOSE_WINDOW_DAYS)
        if today < opens:
            raise ValidationError(
                {
                    "kind": f"A planned close opens on {opens:%d %B %Y}; to end sooner, close "
                    "early and say why."
                }
            )
    elif not reason.strip():
        raise ValidationError({"reason": "Say why the mentorship ends early."})
    closure = Closure.objects.create(
        mentorship=mentorship, kind=kind, reason=reason.strip(), started_by=by
    )
    mentorship.status = Mentorship.Status.CLOSED
    mentorship.closed_on = today
    mentorship.save(update_fields=["status", "closed_on", "updated_at"])
    # Why it ended early stays with the pair and the coordinators' page, not in the log.
    audit.record(
        actor=by,
        action="mentorship closed",
        target=mentorship,
        detail=f"{closure.get_kind_display()} by {by.display_name}.",
    )
    for meeting in Meeting.objects.filter(
        mentorship=mentorship, status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now()
    ):
        meeting.mentorship = mentorship
        cancel_meeting(meeting, "The mentorship closed.")
    timeline_add(
        mentorship,
        TimelineEntry.Kind.CLOSURE,
        f"{closure.get_kind_display()} by {by.display_name}.",
        by,
    )
    path = reverse("mentorships:closure", args=[mentorship.pk])
    email_pair(
        mentorship,
        subject="Your mentorship has closed: a last reflection",
        template="mentorships/email/closure_started.txt",
        context={"closure": closure, "by": by},
        path=path,
    )
    if kind == Closure.Kind.EARLY and in_pair:
        email_coordinators(
            mentorship,
            subject=f"A mentorship closed early: {mentorship.mentee.display_name}",
            template="mentorships/email/closed_early_coordinator.txt",
            closure=closure,
        )
    return closure


# A mentorship closed by mistake can be reopened by a coordinator for this long.
REOPEN_WITHIN_DAYS = 60


@transaction.atomic
def closure_reopen(*, mentorship: Mentorship, by: User) -> Mentorship:
    """A coordinator reopens a mentorship closed by mistake: it is active again until its end
    date, and the pair are told. Meetings cancelled by the close stay cancelled; a reopening
    that would break a rule (the mentee has another mentor now, the mentor is full, a peer has
    another partner, a final reflection is written) is refused with the reason."""
    mentorship = (
        Mentorship.every.select_for_update(of=("self",))
        .select_related("programme", "mentor__profile", "mentee__profile")
        .get(pk=mentorship.pk)
    )
    if not is_coordinator(by, mentorship.programme):
        raise TransitionError("Only the programme's coordinators reopen a mentorship.")
    if mentorship.status != Mentorship.Status.CLOSED:
        raise TransitionError("This mentorship is open.")
    today = timezone.localdate()
    if mentorship.closed_on and (today - mentorship.closed_on).days > REOPEN_WITHIN_DAYS:
        raise TransitionError(
            f"It closed on {mentorship.closed_on:%d %B %Y}, more than {REOPEN_WITHIN_DAYS} days "
            "ago: start a new mentorship instead."
        )
    if today >= mentorship.ends_on:
        raise TransitionError(f"Its end date, {mentorship.ends_on:%d %B %Y}, has passed.")
    closure = Closure.objects.filter(mentorship=mentorship).first()
    if closure is not None and closure.reflections.exists():
        raise TransitionError(
            "A final reflection has been written, so the close stands: start a new mentorship "
            "instead if they should go on."
        )
    active = Mentorship.every.filter(
        programme=mentorship.programme, kind=mentorship.kind, status=Mentorship.Status.ACTIVE
    )
    if mentorship.is_peer:
        for person in (mentorship.mentor, mentorship.mentee):
            if active.filter(Q(mentor=person) | Q(mentee=person)).exists():
                raise TransitionError(f"{person.display_name} has another peer partner now.")
    else:
        if active.filter(mentee=mentorship.mentee).exists():
            raise TransitionError(f"{mentorship.mentee.display_name} has another mentor now.")
        application = Application.objects.filter(
            programme=mentorship.programme,
            applicant=mentorship.mentor,
            role=Role.MENTOR,
            status=ApplicationStatus.ACCEPTED,
        ).first()
        capacity = (
            application.mentee_capacity if application and application.mentee_capacity else None
        ) or mentorship.programme.mentor_capacity_default
        if active.filter(mentor=mentorship.mentor).count() >= capacity:
            raise TransitionError(
                f"{mentorship.mentor.display_name} has {capacity} mentees now, their capacity."
            )
    if closure is not None:
        closure.delete()
    mentorship.status = Mentorship.Status.ACTIVE
    mentorship.closed_on = None
    mentorship.save(update_fields=["status", "closed_on", "updated_at"])
    timeline_add(
        mentorship,
        TimelineEntry.Kind.CLOSURE,
        f"Reopened by {by.display_name}: the close was a mistake.",
        by,
    )
    audit.record(actor=by, action="mentorship reopened", target=mentorship)
    email_pair(
        mentorship,
        subject="Your mentorship is open again",
        template="mentorships/email/reopened.txt",
        context={"by": by},
    )
    return mentorship


@transaction.atomic
def closure_reflect(
    *,
    mentorship: Mentorship,
    by: User,
    reflection: str,
    would_mentor: str = "",
    wants_support: str = "",
    wants_rematch: bool = False,
    ratings: dict[int, int] | None = None,
) -> ClosureReflection:
    """A person's final reflection, the pipeline question for their role, the closing goal
    ratings (mentee), and after an early close, whether the mentee wants a new mentor."""
    require_in_pair(mentorship, by, "reflect on their mentorship")
    closure = Closure.objects.filter(mentorship=mentorship).first()
    if closure is None:
        raise TransitionError("Close the mentorship first.")
    if closure.reflections.filter(author=by).exists():
        raise TransitionError("You already wrote your reflection.")
    if not reflection.strip():
        raise ValidationError({"reflection": "Write a few words on what you take away."})
    is_mentee = by.pk == mentorship.mentee_id
    if is_mentee:
        if would_mentor not in ClosureReflection.WouldMentor.values:
            raise ValidationError({"would_mentor": "Say whether you would mentor someone."})
        wants_support = ""
        for goal in mentorship.goals.exclude(status=Goal.Status.DROPPED):
            score = (ratings or {}).get(goal.pk)
            if score is None:
                raise ValidationError({"ratings": f"Rate where you are now on “{goal.title}”."})
            goal_rate(goal=goal, by=by, stage=GoalRating.Stage.CLOSURE, score=score)
    else:
        if wants_support not in ClosureReflection.Support.values:
            raise ValidationError({"wants_support": "Say whether you would like support."})
        would_mentor, wants_rematch = "", False
    if wants_rematch and closure.kind != Closure.Kind.EARLY:
        wants_rematch = False
    try:
        with transaction.atomic():
            entry = ClosureReflection.objects.create(
                closure=closure,
                author=by,
                reflection=reflection.strip(),
                would_mentor=would_mentor,
                wants_support=wants_support,
                wants_rematch=wants_rematch,
            )
    except IntegrityError as exc:
        raise TransitionError("You already wrote your reflection.") from exc
    if wants_rematch:
        email_coordinators(
            mentorship,
            subject=f"{by.display_name} would like a new mentor",
            template="mentorships/email/rematch_wanted.txt",
            path=reverse("mentorships:programme", args=[mentorship.programme_id]),
        )
    return entry
