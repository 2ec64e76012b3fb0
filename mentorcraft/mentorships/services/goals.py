"""Learning goals: the mentee writes them and rates their progress; the mentor comments."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from mentorcraft.core.errors import TransitionError
from mentorcraft.core.validators import require_length
from mentorcraft.mentorships.models import (
    Goal,
    GoalNote,
    GoalRating,
    Mentorship,
)
from mentorcraft.mentorships.services.pairs import require_active_pair
from mentorcraft.people.models import User

# A goal still being worked on: writing the same title again returns it (goal_create).
OPEN_GOAL = (Goal.Status.NOT_STARTED, Goal.Status.IN_PROGRESS)


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
    start, so that progress can be shown as a before and after.

    Writing a goal the pair already has open (the same title, whatever the case: a double
    submit, or a second try after a slow page) adds nothing: the open goal is returned, with
    ``repeated`` set, and callers say so. Two submits at once queue on the pair's row."""
    require_active_pair(mentorship, by, "work on their goals")
    if mentorship.is_peer:
        raise TransitionError(
            "A peer partnership keeps no learning goals: bring them to your talks."
        )
    if by.pk != mentorship.mentee_id:
        raise TransitionError("The mentee writes the goals; the mentor comments on them.")
    Mentorship.every.select_for_update().filter(pk=mentorship.pk).first()
    existing = (
        mentorship.goals.filter(title__iexact=title.strip(), status__in=OPEN_GOAL)
        .order_by("created_at", "pk")
        .first()
    )
    if existing is not None:
        existing.repeated = True
        return existing
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
    goal.repeated = False
    return goal


@transaction.atomic
def goal_note_add(*, goal: Goal, by: User, text: str, status: str | None = None) -> GoalNote | None:
    """A dated progress note (the mentee) or a comment (the mentor); the mentee may also move
    the goal's status, with a note or without one (then there is no note: ``None``)."""
    require_active_pair(goal.mentorship, by, "work on their goals")
    text = require_length("text", text, GoalNote.TEXT_LIMIT)
    moving = bool(status) and status != goal.status
    if not text.strip() and not moving:
        raise ValidationError({"text": "Write the note."})
    if status:
        if by.pk != goal.mentorship.mentee_id:
            raise TransitionError("The mentee decides a goal's status.")
        if status not in Goal.Status.values:
            raise ValidationError({"status": "Choose a status from the list."})
        goal.status = status
        goal.save(update_fields=["status", "updated_at"])
    if not text.strip():
        return None
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
