"""Check-ins (pulses), two-way feedback, the mentor's request for feedback, and the mid-point
review."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships.models import (
    Feedback,
    FeedbackPoint,
    FeedbackRequest,
    Goal,
    GoalRating,
    Meeting,
    Mentorship,
    MidpointReview,
    Pulse,
    TimelineEntry,
)
from mentorcraft.mentorships.services.goals import goal_rate
from mentorcraft.mentorships.services.pairs import (
    email_pair,
    require_active_pair,
    require_in_pair,
    timeline_add,
)
from mentorcraft.people.models import User


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
    require_active_pair(mentorship, by, "answer their check-ins")
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
    require_in_pair(mentorship, by, "give each other feedback")
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
    if feedback.request_id is not None:
        FeedbackRequest.objects.filter(pk=feedback.request_id).update(open=False)
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
    require_active_pair(mentorship, by, "ask for feedback")
    if by.pk != mentorship.mentor_id:
        raise TransitionError("The mentor asks for feedback on their mentoring.")
    if mentorship.open_feedback_request() is not None:
        raise TransitionError("Your last request is still open; wait for the answer.")
    try:
        with transaction.atomic():
            request = FeedbackRequest.objects.create(
                mentorship=mentorship, question=question.strip()
            )
    except IntegrityError as exc:  # another request of the same moment won
        raise TransitionError("Your last request is still open; wait for the answer.") from exc
    email_pair(
        mentorship,
        subject=f"{by.display_name} asks for your feedback",
        template="mentorships/email/feedback_asked.txt",
        people=[mentorship.mentee],
        path=reverse("mentorships:feedback", args=[mentorship.pk]),
        context={"request": request},
    )
    return request


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
    if mentorship.is_peer:
        raise TransitionError("A peer partnership has no mid-point review.")
    require_active_pair(mentorship, by, "review their mentorship")
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
