"""Writes for mentorships. Every way a mentorship starts (by hand, from an accepted offer, from
a self-match request) goes through ``mentorship_create``, which keeps capacity and the one-mentor
rule even when many people act at the same moment."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships.models import (
    AgreementSignature,
    AgreementVersion,
    Goal,
    GoalNote,
    GoalRating,
    Mentorship,
)
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Application, ApplicationStatus, Programme, Role


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
    return mentorship


@transaction.atomic
def agreement_propose(*, mentorship: Mentorship, by: User, text: str) -> AgreementVersion:
    """A new version of the working agreement; whoever proposes it signs it at once. Any
    change after signing needs both to sign again, because the new version has no other
    signature yet."""
    if by.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        raise TransitionError("Only the mentor and the mentee write their agreement.")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise TransitionError("This mentorship has closed; its agreement can no longer change.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the agreement, or keep the current one."})
    Mentorship.objects.select_for_update().filter(pk=mentorship.pk).first()
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
    if by.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        raise TransitionError("Only the mentor and the mentee sign their agreement.")
    latest = mentorship.agreement_versions.order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        raise TransitionError("Only the latest version can be signed; read it first.")
    signature, _ = AgreementSignature.objects.get_or_create(version=version, user=by)
    return signature


def _require_pair(mentorship: Mentorship, by: User) -> None:
    if by.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        raise TransitionError("Only the mentor and the mentee work on their goals.")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise TransitionError("This mentorship has closed.")


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
    _require_pair(mentorship, by)
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
    _require_pair(goal.mentorship, by)
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
    if stage not in GoalRating.Stage.values:
        raise ValidationError({"stage": "Rate at the start, the mid-point or the close."})
    if not 1 <= int(score) <= 5:
        raise ValidationError({"score": "Rate from 1 to 5."})
    rating, _ = GoalRating.objects.update_or_create(
        goal=goal, stage=stage, defaults={"score": int(score)}
    )
    return rating
