"""Writes for programmes, roles, the Ideal Mentor Profile, ethics and applications.

Every state change of an application happens here, so that the pages, the API and the demo data
follow the same rules. Callers pass who is acting (``by``); permission to act is checked by the
access helpers in ``selectors`` before a service is called, while the rules of the process itself
(which transitions exist, what must be true first) are checked here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from mentorcraft.core import audit
from mentorcraft.core.errors import TransitionError
from mentorcraft.notifications.services import absolute_url, email_queue
from mentorcraft.people.models import Topic, User
from mentorcraft.programmes.access import forget_roles
from mentorcraft.programmes.models import (
    OPEN_STATUSES,
    PHASE_ORDER,
    Application,
    ApplicationStatus,
    CriterionScore,
    EthicsAcknowledgement,
    EthicsCode,
    IdealMentorCriterion,
    Phase,
    Programme,
    ProgrammeRole,
    Role,
    Screening,
    duplicate_name_message,
)

DEFAULT_CRITERIA = [
    ("Listens well", "Gives the other person room to think; asks more than tells.", 3),
    ("Relevant experience", "Has done work the mentees want to learn about.", 2),
    ("Time and commitment", "Can give about an hour a month for the whole programme.", 2),
    ("Role model of our values", "Colleagues would point to them as an example.", 2),
    ("Wants to develop others", "Has a track record of helping people grow.", 3),
]

DEFAULT_ETHICS_TEXT = (
    "1. Confidentiality. What is said in a mentoring conversation stays there, unless someone is "
    "at risk of harm or the law requires otherwise.\n"
    "2. Respect. Mentors and mentees treat each other as equals, whatever their grade or "
    "background.\n"
    "3. Boundaries. Mentoring is not line management, counselling or therapy; mentors refer "
    "people on when a conversation needs more than mentoring.\n"
    "4. Commitment. Both keep the appointments they make and say early when they cannot.\n"
    "5. No conflicts of interest. A mentor does not mentor someone they manage, assess or "
    "decide about.\n"
    "6. Honesty. Either person may end the relationship, and says so openly to the "
    "coordinator.\n"
)


def email_coordinators(programme: Programme, *, subject: str, template: str, context: dict) -> None:
    """One message to each coordinator of the programme (sent when the transaction commits)."""
    email_queue(
        to=programme.roles.filter(role=Role.COORDINATOR).values_list("user__email", flat=True),
        subject=subject,
        template=template,
        context=context,
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "programme"
    slug, n = base, 2
    while Programme.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def programme_create(
    *,
    by: User,
    name: str,
    purpose: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    meeting_minutes: int = 60,
    meeting_cadence_days: int = 30,
    mentor_capacity_default: int = 1,
    phase: str = Phase.DRAFT,
    with_defaults: bool = True,
) -> Programme:
    """Create a programme coordinated by ``by``, with a starting Ideal Mentor Profile and code."""
    programme = Programme(
        name=name,
        slug=_unique_slug(name),
        purpose=purpose,
        start_date=start_date,
        end_date=end_date,
        meeting_minutes=meeting_minutes,
        meeting_cadence_days=meeting_cadence_days,
        mentor_capacity_default=mentor_capacity_default,
        phase=phase,
        created_by=by,
    )
    programme.full_clean()
    try:
        with transaction.atomic():
            programme.save()
    except IntegrityError:
        # A double submit: the other request's programme won the name (or the slug) meanwhile.
        existing = Programme.named(programme.name).first()
        if existing is None:
            raise
        raise ValidationError({"name": duplicate_name_message(existing.name)}) from None
    ProgrammeRole.objects.create(programme=programme, user=by, role=Role.COORDINATOR)
    forget_roles(by)
    audit.record(
        actor=by,
        action="programme created",
        target=programme,
        detail=f"{by.display_name} created the programme and coordinates it.",
    )
    if with_defaults:
        for position, (title, description, weight) in enumerate(DEFAULT_CRITERIA):
            IdealMentorCriterion.objects.create(
                programme=programme,
                name=title,
                description=description,
                weight=weight,
                position=position,
            )
        EthicsCode.objects.create(programme=programme, version=1, text=DEFAULT_ETHICS_TEXT)
    return programme


PROGRAMME_EDITABLE = {
    "name",
    "purpose",
    "start_date",
    "end_date",
    "meeting_minutes",
    "meeting_cadence_days",
    "mentor_capacity_default",
}


@transaction.atomic
def programme_update(*, programme: Programme, by: User, **fields: object) -> Programme:
    unknown = set(fields) - PROGRAMME_EDITABLE
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.full_clean()
    programme.save(update_fields=[*fields, "updated_at"])
    return programme


@transaction.atomic
def programme_set_phase(*, programme: Programme, by: User, phase: str) -> Programme:
    """Move a programme one phase forward, or one back to correct a mistake."""
    if phase not in PHASE_ORDER:
        raise ValidationError(f"“{phase}” is not a programme phase.")
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    current, target = PHASE_ORDER.index(locked.phase), PHASE_ORDER.index(phase)
    if abs(target - current) != 1:
        raise TransitionError(
            f"A programme moves one phase at a time: from {locked.get_phase_display()} "
            f"it can go to {_neighbour_phases(locked.phase)}."
        )
    if phase == Phase.RECRUITING and programme.current_ethics() is None:
        raise TransitionError(
            "Publish the code of ethics before recruiting: applicants must be able to read it."
        )
    if phase == Phase.RECRUITING and not programme.criteria.exists():
        raise TransitionError("Add at least one Ideal Mentor Profile criterion before recruiting.")
    if phase == Phase.RECRUITING and locked.end_date < timezone.localdate():
        # Nobody could be mentored in a programme that is over: people would apply for nothing.
        raise TransitionError(
            f"This programme ended on {locked.end_date.day} {locked.end_date:%B %Y}: "
            "change its dates before recruiting."
        )
    locked.phase = phase
    locked.save(update_fields=["phase", "updated_at"])
    programme.phase = phase  # the caller's instance follows, so it is never stale
    return locked


def _neighbour_phases(phase: str) -> str:
    index = PHASE_ORDER.index(phase)
    labels = dict(Phase.choices)
    options = [PHASE_ORDER[i] for i in (index - 1, index + 1) if 0 <= i < len(PHASE_ORDER)]
    return " or ".join(labels[o] for o in options)


@transaction.atomic
def programme_role_grant(*, programme: Programme, user: User, role: str, by: User | None) -> None:
    if role not in Role.values:
        raise ValidationError(f"“{role}” is not a role.")
    _, created = ProgrammeRole.objects.get_or_create(programme=programme, user=user, role=role)
    forget_roles(user)
    if created:
        audit.record(
            actor=by,
            action="role granted",
            target=user,
            programme=programme,
            detail=f"{user.display_name} is a {Role(role).label.lower()} in {programme.name}.",
        )


@transaction.atomic
def programme_role_revoke(*, programme: Programme, user: User, role: str, by: User) -> None:
    if role == Role.COORDINATOR:
        others = programme.roles.filter(role=Role.COORDINATOR).exclude(user=user).exists()
        if not others:
            raise TransitionError("A programme needs at least one coordinator.")
    removed, _ = ProgrammeRole.objects.filter(programme=programme, user=user, role=role).delete()
    forget_roles(user)
    if removed:
        audit.record(
            actor=by,
            action="role revoked",
            target=user,
            programme=programme,
            detail=f"{user.display_name} is no longer a {Role(role).label.lower()} in "
            f"{programme.name}.",
        )


# --- Ideal Mentor Profile ------------------------------------------------------------------


@transaction.atomic
def criterion_save(
    *,
    programme: Programme,
    by: User,
    name: str,
    description: str = "",
    weight: int = 1,
    criterion: IdealMentorCriterion | None = None,
) -> IdealMentorCriterion:
    if criterion is None:
        position = (programme.criteria.aggregate(m=Max("position"))["m"] or 0) + 1
        criterion = IdealMentorCriterion(programme=programme, position=position)
    criterion.name, criterion.description, criterion.weight = name.strip(), description, weight
    criterion.full_clean()
    criterion.save()
    # Weights changed: fit scores already recorded must follow.
    for application in programme.applications.filter(screenings__isnull=False).distinct():
        _recompute_fit(application)
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: IdealMentorCriterion, by: User) -> None:
    if criterion.scores.exists():
        raise TransitionError(
            f"“{criterion.name}” has already been used to score applications; "
            "change its weight instead of deleting it."
        )
    criterion.delete()


# --- Code of ethics ------------------------------------------------------------------------


@transaction.atomic
def ethics_draft_save(
    *, programme: Programme, by: User, text: str, summary_of_changes: str = ""
) -> EthicsCode:
    """Create or edit the unpublished next version of the code of ethics."""
    if not text.strip():
        raise ValidationError({"text": "The code of ethics cannot be empty."})
    draft = programme.ethics_codes.filter(published_at__isnull=True).first()
    if draft is None:
        latest = programme.ethics_codes.aggregate(m=Max("version"))["m"] or 0
        draft = EthicsCode(programme=programme, version=latest + 1)
    draft.text, draft.summary_of_changes = text, summary_of_changes
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def ethics_publish(*, programme: Programme, by: User) -> EthicsCode:
    """Publish the draft; everyone in the programme is asked to acknowledge it again."""
    draft = programme.ethics_codes.select_for_update().filter(published_at__isnull=True).first()
    if draft is None:
        raise TransitionError("There is no draft to publish; edit the code of ethics first.")
    draft.published_at, draft.published_by = timezone.now(), by
    draft.save(update_fields=["published_at", "published_by", "updated_at"])
    audit.record(
        actor=by,
        action="code of ethics published",
        target=draft,
        detail=f"Version {draft.version} of the code of ethics is in force.",
    )
    involved = set(programme.roles.values_list("user__email", flat=True)) | set(
        programme.applications.filter(
            status__in=[*OPEN_STATUSES, ApplicationStatus.ACCEPTED]
        ).values_list("applicant__email", flat=True)
    )
    involved.discard(by.email)
    email_queue(
        to=involved,
        subject=f"{programme.name}: please acknowledge the code of ethics (v{draft.version})",
        template="programmes/email/ethics_published.txt",
        context={
            "programme": programme,
            "code": draft,
            "url": absolute_url(reverse("programmes:ethics", args=[programme.pk])),
        },
    )
    return draft


@transaction.atomic
def ethics_acknowledge(*, user: User, code: EthicsCode) -> EthicsAcknowledgement:
    current = code.programme.current_ethics()
    if current is None or current.pk != code.pk:
        raise TransitionError("Only the current version of the code of ethics can be signed.")
    acknowledgement, _ = EthicsAcknowledgement.objects.get_or_create(code=code, user=user)
    return acknowledgement


# --- Applications --------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    programme: Programme,
    applicant: User,
    role: str,
    statement: str,
    topics: Iterable[Topic] = (),
    hours_per_month: int = 1,
    availability: str = "",
    mentee_capacity: int | None = None,
    preferred_qualities: str = "",
    avoid: Iterable[User] = (),
) -> Application:
    if role not in (Role.MENTOR, Role.MENTEE):
        raise ValidationError({"role": "Apply as a mentor or as a mentee."})
    if not programme.is_open_for_applications:
        raise TransitionError(f"{programme.name} is not taking applications at the moment.")
    if (
        Application.objects.filter(programme=programme, applicant=applicant, role=role)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .exists()
    ):
        raise TransitionError(f"You have already applied to {programme.name} as a {role}.")
    if role == Role.MENTEE and not hasattr(applicant, "profile"):
        raise TransitionError("Fill in your profile before applying.")
    avoid = list(avoid)
    if any(person.pk == applicant.pk for person in avoid):
        raise ValidationError({"avoid": "You cannot list yourself among the people to avoid."})
    application = Application(
        programme=programme,
        applicant=applicant,
        role=role,
        statement=statement.strip(),
        hours_per_month=hours_per_month,
        availability=availability.strip(),
        mentee_capacity=(mentee_capacity or programme.mentor_capacity_default)
        if role == Role.MENTOR
        else None,
        preferred_qualities=preferred_qualities.strip(),
    )
    # The unique constraint is left to the database: a racing double submit then surfaces as an
    # IntegrityError below, with the same message as the check above.
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a double submit racing the check above
        raise TransitionError(f"You have already applied to {programme.name} as a {role}.") from exc
    application.topics.set(list(topics))
    application.avoid.set(avoid)
    email_coordinators(
        programme,
        subject=f"{programme.name}: new {role} application from {applicant.display_name}",
        template="programmes/email/application_submitted.txt",
        context={
            "application": application,
            "url": absolute_url(application.get_absolute_url()),
        },
    )
    return application


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    application = _lock(application)
    if application.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED):
        raise TransitionError(
            f"This application is already {application.get_status_display().lower()}."
        )
    was_accepted = application.status == ApplicationStatus.ACCEPTED
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    if was_accepted:
        ProgrammeRole.objects.filter(
            programme=application.programme, user=application.applicant, role=application.role
        ).delete()
        forget_roles(application.applicant)
        forget_roles(by)
    return application


def _recompute_fit(application: Application) -> None:
    weights = dict(application.programme.criteria.values_list("pk", "weight"))
    totals: list[Decimal] = []
    for screening in application.screenings.prefetch_related("scores"):
        scores = [(weights.get(s.criterion_id, 0), s.score) for s in screening.scores.all()]
        weight_sum = sum(w for w, _ in scores)
        value = (
            Decimal(sum(w * s for w, s in scores)) / Decimal(weight_sum)
            if weight_sum
            else Decimal(0)
        ).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if value != screening.weighted_score:
            screening.weighted_score = value
            screening.save(update_fields=["weighted_score", "updated_at"])
        totals.append(value)
    application.fit_score = (
        (sum(totals) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if totals
        else None
    )
    application.save(update_fields=["fit_score", "updated_at"])


@transaction.atomic
def screening_record(
    *,
    application: Application,
    reviewer: User,
    scores: Mapping[int, tuple[int, str]],
    comment: str = "",
) -> Screening:
    """Record (or revise) one reviewer's scores: a score 1–5 and a comment per criterion."""
    application = _lock(application)
    if application.role != Role.MENTOR:
        raise TransitionError("Only mentor applications are screened; mentees are confirmed.")
    if not application.is_open:
        raise TransitionError(
            f"This application is {application.get_status_display().lower()}; "
            "it can no longer be screened."
        )
    if application.applicant_id == reviewer.pk:
        raise TransitionError("You cannot screen your own application.")
    criteria = list(application.programme.criteria.all())
    if not criteria:
        raise TransitionError("This programme has no Ideal Mentor Profile criteria to score.")
    errors: dict[str, str] = {}
    for criterion in criteria:
        entry = scores.get(criterion.pk)
        if entry is None:
            errors[f"score_{criterion.pk}"] = f"Score “{criterion.name}” from 1 to 5."
        elif not isinstance(entry[0], int) or not 1 <= entry[0] <= 5:
            errors[f"score_{criterion.pk}"] = f"“{criterion.name}” needs a score from 1 to 5."
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        errors["scores"] = "Some scores are for criteria this programme does not have."
    if errors:
        raise ValidationError(errors)
    screening, _ = Screening.objects.update_or_create(
        application=application,
        reviewer=reviewer,
        defaults={"comment": comment.strip(), "weighted_score": Decimal(0)},
    )
    screening.scores.all().delete()
    CriterionScore.objects.bulk_create(
        CriterionScore(
            screening=screening,
            criterion=criterion,
            score=scores[criterion.pk][0],
            comment=scores[criterion.pk][1].strip()[:500],
        )
        for criterion in criteria
    )
    if application.status == ApplicationStatus.SUBMITTED:
        application.status = ApplicationStatus.UNDER_REVIEW
        application.save(update_fields=["status", "updated_at"])
    _recompute_fit(application)
    screening.refresh_from_db()
    return screening


DECISIONS = {
    "accept": ApplicationStatus.ACCEPTED,
    "waitlist": ApplicationStatus.WAITLISTED,
    "decline": ApplicationStatus.DECLINED,
}


@transaction.atomic
def application_decide(
    *, application: Application, by: User, decision: str, reason: str = ""
) -> Application:
    """Accept, waitlist or decline. The reason is shown to the applicant."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": "Choose accept, waitlist or decline."})
    application = _lock(application)
    status = DECISIONS[decision]
    if not application.is_open or application.status == status:
        raise TransitionError(
            f"This application is already {application.status_label.lower()}; "
            f"it cannot be moved to {status.label.lower()}."
        )
    if application.role == Role.MENTOR and not application.screenings.exists():
        raise TransitionError(
            "Screen this mentor against the Ideal Mentor Profile before deciding."
        )
    reason = reason.strip()
    if status != ApplicationStatus.ACCEPTED and not reason:
        raise ValidationError({"reason": "Give the applicant a reason; they will see it."})
    application.status = status
    application.decision_reason = reason
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save(
        update_fields=["status", "decision_reason", "decided_by", "decided_at", "updated_at"]
    )
    # The reason is the applicant's to read; the log says only what was decided.
    audit.record(
        actor=by,
        action=f"application {status.label.lower()}",
        target=application,
        detail=f"{application.applicant.display_name}'s application as "
        f"{Role(application.role).label.lower()}: {status.label.lower()}.",
    )
    if status == ApplicationStatus.ACCEPTED:
        programme_role_grant(
            programme=application.programme,
            user=application.applicant,
            role=application.role,
            by=by,
        )
    outcome = application.status_label.lower()
    email_queue(
        to=[application.applicant.email],
        subject=f"{application.programme.name}: your application is {outcome}",
        template="programmes/email/application_decided.txt",
        context={
            "application": application,
            "url": absolute_url(application.get_absolute_url()),
        },
    )
    return application


@transaction.atomic
def application_request_confirmation(*, application: Application, by: User) -> Application:
    """Ask the mentee's line manager to confirm them, through a confirmation page."""
    application = _lock(application)
    if application.role != Role.MENTEE:
        raise TransitionError("Only mentee applications are confirmed by a line manager.")
    if application.status not in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.AWAITING_CONFIRMATION,
    ):
        raise TransitionError(
            f"This application is {application.status_label.lower()}; "
            "there is nothing for a line manager to confirm."
        )
    profile = getattr(application.applicant, "profile", None)
    manager = profile.line_manager if profile else None
    if manager is None:
        raise TransitionError(
            f"{application.applicant.display_name} has no line manager on their profile; "
            "confirm the application yourself."
        )
    application.status = ApplicationStatus.AWAITING_CONFIRMATION
    token = application.new_confirmation_token()
    application.confirmation_requested_at = timezone.now()
    application.save(
        update_fields=["status", "confirmation_token", "confirmation_requested_at", "updated_at"]
    )
    email_queue(
        to=[manager.email],
        subject=f"Please confirm {application.applicant.display_name} for {application.programme}",
        template="programmes/email/confirmation_requested.txt",
        context={
            "application": application,
            "manager": manager,
            "url": absolute_url(reverse("programmes:confirm", args=[token])),
        },
    )
    return application


@transaction.atomic
def application_confirm_by_line_manager(
    *, application: Application, by: User, confirm: bool, reason: str = ""
) -> Application:
    application = _lock(application)
    if application.status != ApplicationStatus.AWAITING_CONFIRMATION:
        raise TransitionError("This request has already been answered.")
    manager_id = application.applicant.profile.line_manager_id
    if manager_id != by.pk:
        raise TransitionError("Only the applicant's line manager can answer this request.")
    application.confirmation_token = ""
    application.save(update_fields=["confirmation_token", "updated_at"])
    # The manager's answer is recorded as the decision itself, with the same rules.
    return application_decide(
        application=application, by=by, decision="accept" if confirm else "decline", reason=reason
    )
