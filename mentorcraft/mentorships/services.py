"""Writes for mentorships. Every way a mentorship starts (by hand, from an accepted offer, from
a self-match request) goes through ``mentorship_create``, which keeps capacity and the one-mentor
rule even when many people act at the same moment."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships.ics import local_times, meeting_ics
from mentorcraft.mentorships.models import (
    AgreementSignature,
    AgreementVersion,
    Closure,
    ClosureReflection,
    Feedback,
    FeedbackPoint,
    FeedbackRequest,
    Goal,
    GoalNote,
    GoalRating,
    HealthSettings,
    Meeting,
    Mentorship,
    MidpointReview,
    PrivateNote,
    Pulse,
    TimelineEntry,
)
from mentorcraft.notifications.services import absolute_url, email_queue
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Application, ApplicationStatus, Programme, Role
from mentorcraft.programmes.selectors import is_coordinator


def _require_in_pair(mentorship: Mentorship, by: User, what: str) -> None:
    if not mentorship.involves(by):
        raise TransitionError(f"Only the mentor and the mentee {what}.")


def _require_active_pair(mentorship: Mentorship, by: User, what: str) -> None:
    _require_in_pair(mentorship, by, what)
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise TransitionError("This mentorship has closed.")


def _accepted(programme: Programme, user: User, role: str) -> Application | None:
    return Application.objects.filter(
        programme=programme, applicant=user, role=role, status=ApplicationStatus.ACCEPTED
    ).first()


@transaction.atomic
def mentorship_create(
    *,
    programme: Programme,
    mentor: User,
    mentee: User,
    by: User | None,
    source: str = Mentorship.Source.MANUAL,
    note: str = "",
) -> Mentorship:
    if mentor.pk == mentee.pk:
        raise TransitionError("A person cannot mentor themselves.")
    # Lock the mentor's application row: concurrent creations for one mentor queue here, so the
    # capacity check below always sees every mentorship committed before it.
    mentor_application = (
        Application.objects.select_for_update()
        .filter(
            programme=programme,
            applicant=mentor,
            role=Role.MENTOR,
            status=ApplicationStatus.ACCEPTED,
        )
        .first()
    )
    if mentor_application is None:
        raise TransitionError(f"{mentor.display_name} is not an accepted mentor of {programme}.")
    if _accepted(programme, mentee, Role.MENTEE) is None:
        raise TransitionError(f"{mentee.display_name} is not an accepted mentee of {programme}.")
    active = Mentorship.objects.filter(programme=programme, status=Mentorship.Status.ACTIVE)
    if active.filter(mentee=mentee).exists():
        raise TransitionError(f"{mentee.display_name} already has a mentor in this programme.")
    capacity = mentor_application.mentee_capacity or programme.mentor_capacity_default
    if active.filter(mentor=mentor).count() >= capacity:
        raise TransitionError(
            f"{mentor.display_name} already has {capacity} mentee{'s' if capacity != 1 else ''}, "
            "their capacity."
        )
    today = timezone.localdate()
    if today >= programme.end_date:
        raise TransitionError(f"{programme} ended on {programme.end_date:%d %B %Y}.")
    mentorship = Mentorship(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        source=source,
        started_on=max(today, programme.start_date),
        ends_on=programme.end_date,
        note=note.strip(),
        created_by=by,
    )
    mentorship.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            mentorship.save()
    except IntegrityError as exc:  # the mentee's other mentorship committed a moment earlier
        raise TransitionError(
            f"{mentee.display_name} already has a mentor in this programme."
        ) from exc
    timeline_add(
        mentorship,
        TimelineEntry.Kind.STARTED,
        f"{mentor.display_name} and {mentee.display_name} were paired "
        f"({mentorship.get_source_display().lower()}).",
        by,
    )
    return mentorship


@transaction.atomic
def agreement_propose(*, mentorship: Mentorship, by: User, text: str) -> AgreementVersion:
    """A new version of the working agreement; whoever proposes it signs it at once. Any
    change after signing needs both to sign again, because the new version has no other
    signature yet."""
    _require_in_pair(mentorship, by, "write their agreement")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise TransitionError("This mentorship has closed; its agreement can no longer change.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the agreement, or keep the current one."})
    Mentorship.objects.select_for_update(of=("self",)).filter(pk=mentorship.pk).first()
    latest = mentorship.agreement_versions.order_by("-number").first()
    if latest is not None and latest.text == text:
        raise TransitionError("That is the current text; change something or sign it.")
    version = AgreementVersion.objects.create(
        mentorship=mentorship,
        number=(latest.number + 1) if latest else 1,
        text=text,
        proposed_by=by,
    )
    AgreementSignature.objects.create(version=version, user=by)
    return version


@transaction.atomic
def agreement_sign(*, version: AgreementVersion, by: User) -> AgreementSignature:
    mentorship = version.mentorship
    _require_in_pair(mentorship, by, "sign their agreement")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise TransitionError("This mentorship has closed; its agreement can no longer change.")
    # Lock the pair so a version proposed at this moment cannot slip in between.
    Mentorship.objects.select_for_update(of=("self",)).filter(pk=mentorship.pk).first()
    latest = mentorship.agreement_versions.order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        raise TransitionError(
            "A newer version was proposed since you read this one; read it and sign that."
        )
    signature, created = AgreementSignature.objects.get_or_create(version=version, user=by)
    if created and version.signatures.count() == 2:
        timeline_add(
            mentorship,
            TimelineEntry.Kind.AGREEMENT,
            f"Agreement version {version.number} is in force, signed by both.",
            by,
        )
    return signature


@transaction.atomic
def goal_create(
    *,
    mentorship: Mentorship,
    by: User,
    title: str,
    why: str = "",
    measure: str = "",
    target_date: datetime.date | None = None,
    start_rating: int | None = None,
) -> Goal:
    """The mentee writes a goal (what, why, how we will know, by when) and rates where they
    start, so that progress can be shown as a before and after."""
    _require_active_pair(mentorship, by, "work on their goals")
    if by.pk != mentorship.mentee_id:
        raise TransitionError("The mentee writes the goals; the mentor comments on them.")
    goal = Goal(
        mentorship=mentorship,
        title=title.strip(),
        why=why.strip(),
        measure=measure.strip(),
        target_date=target_date,
    )
    goal.full_clean()
    if target_date is not None and target_date < mentorship.started_on:
        raise ValidationError({"target_date": "The date must be after the mentorship started."})
    goal.save()
    if start_rating is not None:
        goal_rate(goal=goal, by=by, stage=GoalRating.Stage.START, score=start_rating)
    return goal


@transaction.atomic
def goal_note_add(*, goal: Goal, by: User, text: str, status: str | None = None) -> GoalNote:
    """A dated progress note (the mentee) or a comment (the mentor); the mentee may also move
    the goal's status."""
    _require_active_pair(goal.mentorship, by, "work on their goals")
    if not text.strip():
        raise ValidationError({"text": "Write the note."})
    if status:
        if by.pk != goal.mentorship.mentee_id:
            raise TransitionError("The mentee decides a goal's status.")
        if status not in Goal.Status.values:
            raise ValidationError({"status": "Choose a status from the list."})
        goal.status = status
        goal.save(update_fields=["status", "updated_at"])
    return GoalNote.objects.create(goal=goal, author=by, text=text.strip())


@transaction.atomic
def goal_rate(*, goal: Goal, by: User, stage: str, score: int) -> GoalRating:
    if by.pk != goal.mentorship.mentee_id:
        raise TransitionError("The mentee rates their own progress.")
    if goal.mentorship.status != Mentorship.Status.ACTIVE and stage != GoalRating.Stage.CLOSURE:
        raise TransitionError("This mentorship has closed; only the closing rating is open.")
    if stage not in GoalRating.Stage.values:
        raise ValidationError({"stage": "Rate at the start, the mid-point or the close."})
    if not 1 <= int(score) <= 5:
        raise ValidationError({"score": "Rate from 1 to 5."})
    rating, _ = GoalRating.objects.update_or_create(
        goal=goal, stage=stage, defaults={"score": int(score)}
    )
    return rating


# --- The pair's timeline and mail ---------------------------------------------------------------


def timeline_add(
    mentorship: Mentorship, kind: str, summary: str, actor: User | None = None
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        mentorship=mentorship, kind=kind, summary=summary[:300], actor=actor
    )


def email_coordinators(
    mentorship: Mentorship, *, subject: str, template: str, path: str | None = None, **extra: object
) -> None:
    """One message to each coordinator of the pair's programme, linking to the place to act."""
    programme = mentorship.programme
    email_queue(
        to=programme.roles.filter(role=Role.COORDINATOR).values_list("user__email", flat=True),
        subject=subject,
        template=template,
        context={
            "mentorship": mentorship,
            "url": absolute_url(path or mentorship.get_absolute_url()),
            **extra,
        },
    )


def email_pair(
    mentorship: Mentorship,
    *,
    subject: str,
    template: str,
    context: dict | None = None,
    people: list[User] | None = None,
    path: str | None = None,
    attachments: list[list[str]] | None = None,
) -> None:
    """One message to each person of the pair (or to ``people``), addressed to them by name,
    with the other person named and a link to the place to act."""
    context = context or {}
    for person in people or [mentorship.mentor, mentorship.mentee]:
        other = mentorship.other(person)
        meeting = context.get("meeting")
        times = local_times(meeting, first=person) if meeting else []
        email_queue(
            to=[person.email],
            subject=subject,
            template=template,
            context={
                "person": person,
                "other": other,
                "is_mentor": person.pk == mentorship.mentor_id,
                "mentorship": mentorship,
                "programme": mentorship.programme,
                "url": absolute_url(path or mentorship.get_absolute_url()),
                "times": times,
                **context,
            },
            attachments=attachments,
        )


# --- Meetings ------------------------------------------------------------------------------------


def _email_meeting(meeting: Meeting, subject: str, template: str) -> None:
    cancelled = meeting.status == Meeting.Status.CANCELLED
    email_pair(
        meeting.mentorship,
        subject=subject,
        template=template,
        context={"meeting": meeting},
        attachments=[
            [
                "cancel.ics" if cancelled else "invite.ics",
                meeting_ics(meeting),
                f"text/calendar; method={'CANCEL' if cancelled else 'REQUEST'}",
            ]
        ],
    )


def _clean_meeting(meeting: Meeting) -> None:
    meeting.location = meeting.location.strip()
    meeting.agenda = meeting.agenda.strip()
    meeting.full_clean(exclude=["mentorship", "scheduled_by", "logged_by"])
    if meeting.starts_at <= timezone.now():
        raise ValidationError(
            {"starts_at": "Choose a time in the future, or record a meeting that already happened."}
        )
    if meeting.starts_at.date() > meeting.mentorship.ends_on + datetime.timedelta(days=31):
        raise ValidationError({"starts_at": "That is after the mentorship ends."})


@transaction.atomic
def meeting_schedule(
    *,
    mentorship: Mentorship,
    by: User,
    starts_at: datetime.datetime,
    duration_minutes: int = 60,
    location: str = "",
    agenda: str = "",
) -> Meeting:
    """Plan a meeting; both people get an invitation with the calendar file."""
    _require_active_pair(mentorship, by, "schedule their meetings")
    meeting = Meeting(
        mentorship=mentorship,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        agenda=agenda,
        scheduled_by=by,
    )
    _clean_meeting(meeting)
    meeting.save()
    timeline_add(mentorship, TimelineEntry.Kind.MEETING, "A meeting was scheduled.", by)
    _email_meeting(meeting, "Mentoring meeting scheduled", "mentorships/email/meeting.txt")
    return meeting


def _lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related(
            "mentorship__mentor__profile", "mentorship__mentee__profile", "mentorship__programme"
        )
        .get(pk=meeting.pk)
    )


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    by: User,
    starts_at: datetime.datetime,
    duration_minutes: int,
    location: str = "",
    agenda: str = "",
) -> Meeting:
    """Move or change a planned meeting: same calendar entry, next sequence number."""
    meeting = _lock_meeting(meeting)
    _require_active_pair(meeting.mentorship, by, "change their meetings")
    if meeting.status != Meeting.Status.SCHEDULED:
        raise TransitionError("Only a planned meeting can be changed.")
    changed = (
        meeting.starts_at != starts_at
        or meeting.duration_minutes != duration_minutes
        or meeting.location != location.strip()
        or meeting.agenda != agenda.strip()
    )
    if not changed:
        raise TransitionError("Nothing changed.")
    meeting.starts_at, meeting.duration_minutes = starts_at, duration_minutes
    meeting.location, meeting.agenda = location, agenda
    _clean_meeting(meeting)
    meeting.sequence += 1
    meeting.save()
    timeline_add(meeting.mentorship, TimelineEntry.Kind.MEETING, "A meeting was changed.", by)
    _email_meeting(meeting, "Mentoring meeting changed", "mentorships/email/meeting.txt")
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User, reason: str = "") -> Meeting:
    meeting = _lock_meeting(meeting)
    _require_active_pair(meeting.mentorship, by, "cancel their meetings")
    if meeting.status != Meeting.Status.SCHEDULED:
        raise TransitionError("Only a planned meeting can be cancelled.")
    _cancel(meeting, reason)
    timeline_add(meeting.mentorship, TimelineEntry.Kind.MEETING, "A meeting was cancelled.", by)
    return meeting


def _cancel(meeting: Meeting, reason: str) -> None:
    """Cancel like a calendar does: the next sequence number and a CANCEL to both people."""
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason.strip()[:240]
    meeting.sequence += 1
    meeting.save()
    _email_meeting(
        meeting, "Mentoring meeting cancelled", "mentorships/email/meeting_cancelled.txt"
    )


def _validate_log(held: bool, minutes_spent: int | None) -> int | None:
    if held and not minutes_spent:
        raise ValidationError({"minutes_spent": "Say roughly how many minutes you met."})
    if minutes_spent is not None and not 0 < minutes_spent <= 600:
        raise ValidationError({"minutes_spent": "Minutes must be between 1 and 600."})
    return minutes_spent if held else None


@transaction.atomic
def meeting_log(
    *,
    meeting: Meeting,
    by: User,
    held: bool,
    minutes_spent: int | None = None,
    shared_notes: str = "",
    share_with_coordinators: bool = False,
) -> Meeting:
    """Afterwards: did it happen, for how long, and notes both can read. Either person may log
    or correct the log. Each says for themselves whether the coordinators may read the notes;
    they do only when both agreed, and a change to the notes asks the other person again."""
    meeting = _lock_meeting(meeting)
    mentorship = meeting.mentorship
    _require_in_pair(mentorship, by, "log their meetings")
    if mentorship.status != Mentorship.Status.ACTIVE and (
        timezone.localdate(meeting.starts_at) > mentorship.closed_on
    ):
        raise TransitionError("This mentorship has closed.")
    if meeting.status == Meeting.Status.CANCELLED:
        raise TransitionError("This meeting was cancelled.")
    if meeting.starts_at > timezone.now():
        raise TransitionError("This meeting has not started yet; log it afterwards.")
    first_log = meeting.status == Meeting.Status.SCHEDULED
    meeting.minutes_spent = _validate_log(held, minutes_spent)
    meeting.status = Meeting.Status.HELD if held else Meeting.Status.NOT_HELD
    if meeting.shared_notes != shared_notes.strip():
        meeting.mentor_shares_notes = meeting.mentee_shares_notes = False
    meeting.shared_notes = shared_notes.strip()
    if by.pk == meeting.mentorship.mentor_id:
        meeting.mentor_shares_notes = bool(share_with_coordinators)
    else:
        meeting.mentee_shares_notes = bool(share_with_coordinators)
    meeting.logged_by, meeting.logged_at = by, timezone.now()
    meeting.save()
    if first_log:
        when = timezone.localdate(meeting.starts_at).strftime("%d %b %Y").lstrip("0")
        timeline_add(
            meeting.mentorship,
            TimelineEntry.Kind.MEETING,
            f"Meeting of {when} held ({meeting.minutes_spent} minutes)."
            if held
            else f"Meeting of {when} did not happen.",
            by,
        )
    return meeting


@transaction.atomic
def meeting_record(
    *,
    mentorship: Mentorship,
    by: User,
    starts_at: datetime.datetime,
    minutes_spent: int,
    location: str = "",
    shared_notes: str = "",
    share_with_coordinators: bool = False,
) -> Meeting:
    """Record a meeting that already happened and was never scheduled here."""
    _require_active_pair(mentorship, by, "log their meetings")
    if starts_at > timezone.now():
        raise ValidationError({"starts_at": "That is in the future; schedule it instead."})
    if starts_at.date() < mentorship.started_on:
        raise ValidationError({"starts_at": "That is before the mentorship started."})
    meeting = Meeting(
        mentorship=mentorship,
        starts_at=starts_at,
        duration_minutes=max(10, min(480, minutes_spent or 60)),
        location=location.strip(),
        scheduled_by=by,
    )
    meeting.full_clean(exclude=["mentorship", "scheduled_by", "logged_by"])
    meeting.save()
    return meeting_log(
        meeting=meeting,
        by=by,
        held=True,
        minutes_spent=minutes_spent,
        shared_notes=shared_notes,
        share_with_coordinators=share_with_coordinators,
    )


# --- Private notes -------------------------------------------------------------------------------


def private_note_add(
    *, mentorship: Mentorship, by: User, text: str, meeting: Meeting | None = None
) -> PrivateNote:
    """A note for the author alone. Allowed after the close too: reflection goes on."""
    _require_in_pair(mentorship, by, "keep notes on their mentorship")
    if not text.strip():
        raise ValidationError({"text": "Write the note."})
    if meeting is not None and meeting.mentorship_id != mentorship.pk:
        raise ValidationError({"meeting": "That meeting belongs to another pair."})
    return PrivateNote.objects.create(
        mentorship=mentorship, author=by, meeting=meeting, text=text.strip()
    )


def private_note_update(*, note: PrivateNote, by: User, text: str) -> PrivateNote:
    if note.author_id != by.pk:
        raise TransitionError("Only the author of a private note can change it.")
    if not text.strip():
        raise ValidationError({"text": "Write the note, or delete it."})
    note.text = text.strip()
    note.save(update_fields=["text", "updated_at"])
    return note


def private_note_delete(*, note: PrivateNote, by: User) -> None:
    if note.author_id != by.pk:
        raise TransitionError("Only the author of a private note can delete it.")
    note.delete()


# --- Pulses and feedback -------------------------------------------------------------------------


def pulse_submit(
    *,
    mentorship: Mentorship,
    by: User,
    score: int,
    comment_to_coordinator: str = "",
    meeting: Meeting | None = None,
) -> Pulse:
    """How is it going, 1-5. The score and the comment reach the coordinators, not the other
    person."""
    _require_active_pair(mentorship, by, "answer their check-ins")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": "Choose how it is going, from 1 to 5."})
    if meeting is not None:
        if meeting.mentorship_id != mentorship.pk:
            raise ValidationError({"meeting": "That meeting belongs to another pair."})
        if Pulse.objects.filter(meeting=meeting, author=by).exists():
            raise TransitionError("You already checked in after this meeting.")
    try:
        with transaction.atomic():
            return Pulse.objects.create(
                mentorship=mentorship,
                author=by,
                meeting=meeting,
                score=score,
                comment_to_coordinator=comment_to_coordinator.strip(),
            )
    except IntegrityError as exc:
        raise TransitionError("You already checked in after this meeting.") from exc


@transaction.atomic
def feedback_give(
    *,
    mentorship: Mentorship,
    by: User,
    point: str,
    helped: str,
    change: str = "",
    request: FeedbackRequest | None = None,
) -> Feedback:
    """Structured feedback to the other person. Allowed after the close for the closing point."""
    _require_in_pair(mentorship, by, "give each other feedback")
    if mentorship.status != Mentorship.Status.ACTIVE and point != FeedbackPoint.CLOSURE:
        raise TransitionError("This mentorship has closed; only closing feedback is open.")
    if point not in FeedbackPoint.values:
        raise ValidationError({"point": "Choose when this feedback belongs."})
    if not helped.strip():
        raise ValidationError({"helped": "Say what helped, even briefly."})
    if point == FeedbackPoint.ON_REQUEST:
        if request is None or request.mentorship_id != mentorship.pk:
            raise ValidationError({"point": "Answer a request from your mentor."})
        if by.pk != mentorship.mentee_id:
            raise TransitionError("The mentee answers the mentor's request.")
        if Feedback.objects.filter(request=request).exists():
            raise TransitionError("You already answered this request.")
    elif Feedback.objects.filter(mentorship=mentorship, author=by, point=point).exists():
        raise TransitionError("You already gave feedback at this point.")
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                mentorship=mentorship,
                author=by,
                point=point,
                request=request if point == FeedbackPoint.ON_REQUEST else None,
                helped=helped.strip(),
                change=change.strip(),
            )
    except IntegrityError as exc:
        raise TransitionError("You already gave feedback at this point.") from exc
    email_pair(
        mentorship,
        subject=f"{by.display_name} gave you feedback",
        template="mentorships/email/feedback_received.txt",
        people=[mentorship.other(by)],
        path=reverse("mentorships:feedback", args=[mentorship.pk]),
        context={"feedback": feedback},
    )
    return feedback


@transaction.atomic
def feedback_request_create(
    *, mentorship: Mentorship, by: User, question: str = ""
) -> FeedbackRequest:
    """The mentor asks for feedback on their own mentoring."""
    _require_active_pair(mentorship, by, "ask for feedback")
    if by.pk != mentorship.mentor_id:
        raise TransitionError("The mentor asks for feedback on their mentoring.")
    if mentorship.open_feedback_request() is not None:
        raise TransitionError("Your last request is still open; wait for the answer.")
    request = FeedbackRequest.objects.create(mentorship=mentorship, question=question.strip())
    email_pair(
        mentorship,
        subject=f"{by.display_name} asks for your feedback",
        template="mentorships/email/feedback_asked.txt",
        people=[mentorship.mentee],
        path=reverse("mentorships:feedback", args=[mentorship.pk]),
        context={"request": request},
    )
    return request


# --- Mid-point review ----------------------------------------------------------------------------


@transaction.atomic
def midpoint_review_submit(
    *,
    mentorship: Mentorship,
    by: User,
    agreement_works: bool,
    focus: str = "",
    ratings: dict[int, int] | None = None,
) -> MidpointReview:
    """Half-time: each says whether the agreement still works and what to focus on; the mentee
    re-rates each open goal."""
    _require_active_pair(mentorship, by, "review their mentorship")
    if MidpointReview.objects.filter(mentorship=mentorship, author=by).exists():
        raise TransitionError("You already did your mid-point review.")
    goals = {g.pk: g for g in mentorship.goals.exclude(status=Goal.Status.DROPPED)}
    if by.pk == mentorship.mentee_id:
        missing = [g.title for pk, g in goals.items() if pk not in (ratings or {})]
        if missing:
            raise ValidationError({"ratings": f"Rate every goal: {', '.join(missing)}."})
        for goal_pk, score in (ratings or {}).items():
            if goal_pk not in goals:
                raise ValidationError({"ratings": "That goal is not one of yours."})
            goal_rate(goal=goals[goal_pk], by=by, stage=GoalRating.Stage.MIDPOINT, score=score)
    try:
        with transaction.atomic():
            review = MidpointReview.objects.create(
                mentorship=mentorship,
                author=by,
                agreement_works=agreement_works,
                focus=focus.strip(),
            )
    except IntegrityError as exc:  # the same review, submitted twice at once
        raise TransitionError("You already did your mid-point review.") from exc
    timeline_add(
        mentorship,
        TimelineEntry.Kind.MIDPOINT,
        f"{by.display_name} did the mid-point review.",
        by,
    )
    return review


# --- Closure -------------------------------------------------------------------------------------

PLANNED_CLOSE_WINDOW_DAYS = 30


@transaction.atomic
def closure_start(*, mentorship: Mentorship, by: User, kind: str, reason: str = "") -> Closure:
    """End the mentorship: planned (from a month before its end date) or early with a reason.
    Either person or a coordinator may do it; both are then asked for a final reflection."""
    mentorship = (
        Mentorship.objects.select_for_update(of=("self",))
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
    for meeting in Meeting.objects.filter(
        mentorship=mentorship, status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now()
    ):
        meeting.mentorship = mentorship
        _cancel(meeting, "The mentorship closed.")
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
    _require_in_pair(mentorship, by, "reflect on their mentorship")
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


# --- The coordinators ----------------------------------------------------------------------------


@transaction.atomic
def nudge(*, mentorship: Mentorship, by: User, message: str = "") -> TimelineEntry:
    """ "Check in with this pair": an email to both, recorded on the pair's timeline."""
    if not is_coordinator(by, mentorship.programme):
        raise TransitionError("Only the programme's coordinators check in with a pair.")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise TransitionError("This mentorship has closed.")
    email_pair(
        mentorship,
        subject=f"{by.display_name} is checking in on your mentoring",
        template="mentorships/email/nudge.txt",
        context={"by": by, "message": message.strip()},
    )
    return timeline_add(
        mentorship, TimelineEntry.Kind.NUDGE, f"{by.display_name} checked in with the pair.", by
    )


HEALTH_FIELDS = [
    "quiet_after_days",
    "coordinator_warning_after_days",
    "struggling_pulse",
    "goal_stale_days",
    "feedback_grace_days",
    "reminder_hours_before",
    "feedback_month_one",
    "feedback_midpoint",
    "feedback_closure",
]


@transaction.atomic
def health_settings_update(*, programme: Programme, by: User, **fields: object) -> HealthSettings:
    if not is_coordinator(by, programme):
        raise TransitionError("Only the programme's coordinators change its thresholds.")
    settings_ = HealthSettings.for_programme(programme)
    for name, value in fields.items():
        if name not in HEALTH_FIELDS:
            raise ValidationError({name: "Not a setting."})
        setattr(settings_, name, value)
    settings_.full_clean(exclude=["programme"])
    settings_.save()
    return settings_
