"""Permission-scoped reads for programmes and applications.

Every page and API endpoint that touches a programme or an application goes through
``programme_get_for_user`` or ``application_get_for_user``: outsiders get 404 (they learn
nothing), people who may look but not act get 403.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from mentorcraft.core.ids import require_id
from mentorcraft.people.models import User
from mentorcraft.programmes.models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    EthicsAcknowledgement,
    EthicsCode,
    Phase,
    Programme,
    ProgrammeRole,
    Role,
)

# Roles that may review mentor applications against the Ideal Mentor Profile.
REVIEWER_ROLES = {Role.COORDINATOR, Role.COACH}


def roles_for(user: User, programme: Programme) -> set[str]:
    if not user.is_authenticated:
        return set()
    cache = getattr(user, "_programme_roles_cache", None)
    if cache is None:
        cache = {}
        user._programme_roles_cache = cache
    if programme.pk not in cache:
        cache[programme.pk] = set(
            ProgrammeRole.objects.filter(programme=programme, user=user).values_list(
                "role", flat=True
            )
        )
    return cache[programme.pk]


def can_create_programmes(user: User) -> bool:
    return user.is_authenticated and user.has_perm("programmes.add_programme")


def is_coordinator(user: User, programme: Programme) -> bool:
    return user.is_superuser or Role.COORDINATOR in roles_for(user, programme)


def _is_visible(user: User, programme: Programme) -> bool:
    if user.is_superuser or roles_for(user, programme):
        return True
    if programme.phase == Phase.DRAFT:
        return False
    # Published programmes are visible to every signed-in person, so they can apply.
    return user.is_authenticated


def programme_get_for_user(user: User, pk: int, *, write: bool = False) -> Programme:
    """The programme if the user may see it (404 if not) and change it when ``write`` (403)."""
    programme = Programme.objects.filter(pk=require_id(pk, "programme")).first()
    if programme is None or not _is_visible(user, programme):
        raise Http404("No such programme.")
    if write and not is_coordinator(user, programme):
        raise PermissionDenied("Only this programme's coordinators can change it.")
    return programme


def programme_list_for_user(user: User) -> QuerySet[Programme]:
    qs = Programme.objects.all()
    if not user.is_superuser:
        mine = ProgrammeRole.objects.filter(user=user).values("programme_id")
        qs = qs.filter(~Q(phase=Phase.DRAFT) | Q(pk__in=mine))
    return qs.annotate(
        people_count=Count("roles__user", distinct=True),
    ).order_by("phase", "-start_date")


APPLICATION_ACTIONS = {"read", "screen", "decide", "withdraw"}


def application_get_for_user(user: User, pk: int, *, action: str = "read") -> Application:
    """An application for one of ``read``, ``screen``, ``decide`` or ``withdraw``.

    The applicant may read and withdraw their own application. Coordinators read, screen and
    decide; coaches read and screen. Sponsors know the programme but see no individual
    applications (403). Anyone else gets 404.
    """
    assert action in APPLICATION_ACTIONS, action
    application = (
        Application.objects.select_related("programme", "applicant__profile", "decided_by")
        .filter(pk=require_id(pk, "application"))
        .first()
    )
    if application is None or not user.is_authenticated:
        raise Http404("No such application.")
    programme = application.programme
    roles = roles_for(user, programme)
    if user.is_superuser:
        roles = roles | {Role.COORDINATOR}
    own = application.applicant_id == user.pk
    if own and action in {"read", "withdraw"}:
        return application
    if action == "read" and roles & (REVIEWER_ROLES):
        return application
    if action == "screen" and roles & REVIEWER_ROLES:
        return application
    if action == "decide" and Role.COORDINATOR in roles:
        return application
    if own or roles:
        raise PermissionDenied("Your role in this programme does not allow that.")
    raise Http404("No such application.")


def application_list_for_applicant(user: User) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("programme")


def application_list_for_programme(
    programme: Programme, *, status: str | None = None, role: str | None = None
) -> QuerySet[Application]:
    qs = programme.applications.select_related("applicant__profile").annotate(
        screening_count=Count("screenings", distinct=True)
    )
    if status:
        qs = qs.filter(status=status)
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("created_at")


def review_queue(programme: Programme, reviewer: User) -> QuerySet[Application]:
    """Open applications that still need this reviewer: mentors to screen, mentees to confirm."""
    reviewed = Q(screenings__reviewer=reviewer)
    return (
        application_list_for_programme(programme)
        .filter(status__in=OPEN_STATUSES)
        .exclude(Q(role=Role.MENTOR) & reviewed)
        .exclude(status=ApplicationStatus.WAITLISTED)
    )


@dataclass(frozen=True)
class FunnelRow:
    status: str
    label: str
    mentors: int
    mentees: int


def programme_funnel(programme: Programme) -> list[FunnelRow]:
    counts = {
        (row["role"], row["status"]): row["n"]
        for row in programme.applications.values("role", "status").annotate(n=Count("id"))
    }
    return [
        FunnelRow(
            status=status.value,
            label=status.label,
            mentors=counts.get((Role.MENTOR, status.value), 0),
            mentees=counts.get((Role.MENTEE, status.value), 0),
        )
        for status in ApplicationStatus
    ]


def ethics_pending_for_user(user: User) -> list[EthicsCode]:
    """Current codes of ethics this person must acknowledge: one per programme they are in."""
    involved = set(
        ProgrammeRole.objects.filter(user=user).values_list("programme_id", flat=True)
    ) | set(
        Application.objects.filter(applicant=user)
        .exclude(status__in=[ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED])
        .values_list("programme_id", flat=True)
    )
    if not involved:
        return []
    codes = (
        EthicsCode.objects.filter(programme_id__in=involved, published_at__isnull=False)
        .exclude(programme__phase=Phase.CLOSED)
        .select_related("programme")
        .order_by("programme_id", "-version")
    )
    current: dict[int, EthicsCode] = {}
    for code in codes:
        current.setdefault(code.programme_id, code)
    acknowledged = set(
        EthicsAcknowledgement.objects.filter(
            user=user, code__in=[c.pk for c in current.values()]
        ).values_list("code_id", flat=True)
    )
    return [code for code in current.values() if code.pk not in acknowledged]


def ethics_status_for_programme(programme: Programme) -> QuerySet[ProgrammeRole]:
    """Everyone holding a role, annotated with whether they acknowledged the current code."""
    code = programme.current_ethics()
    roles = programme.roles.select_related("user__profile").order_by("role", "user__email")
    if code is None:
        return roles.annotate(acknowledged=Value(False, output_field=BooleanField()))
    return roles.annotate(
        acknowledged=Exists(
            EthicsAcknowledgement.objects.filter(code=code, user_id=OuterRef("user_id"))
        )
    )


@dataclass(frozen=True)
class NextStep:
    title: str
    detail: str
    url: str
    kind: str


def next_steps_for_user(user: User) -> list[NextStep]:
    """What this person should do next, most urgent first, for their home page."""
    from django.urls import reverse

    steps: list[NextStep] = []
    for code in ethics_pending_for_user(user):
        steps.append(
            NextStep(
                title=f"Acknowledge the code of ethics of {code.programme.name}",
                detail=f"Version {code.version} was published; please read and sign it.",
                url=reverse("programmes:ethics", args=[code.programme_id]),
                kind="ethics",
            )
        )
    coordinated = Programme.objects.filter(
        roles__user=user, roles__role__in=REVIEWER_ROLES
    ).distinct()
    for programme in coordinated:
        waiting = review_queue(programme, user).count()
        if waiting:
            steps.append(
                NextStep(
                    title=f"Review {waiting} application{'s' if waiting != 1 else ''}",
                    detail=f"in {programme.name}",
                    url=reverse("programmes:review_queue", args=[programme.pk]),
                    kind="review",
                )
            )
    from mentorcraft.mentorships.health import State, programme_health

    running = Programme.objects.filter(
        roles__user=user, roles__role=Role.COORDINATOR, phase__in=[Phase.RUNNING, Phase.CLOSING]
    ).distinct()
    for programme in running:
        board = programme_health(programme)
        troubled = [h for h in board if h.state in (State.STRUGGLING, State.QUIET)]
        if troubled:
            steps.append(
                NextStep(
                    title=f"{len(troubled)} pair{'s' if len(troubled) != 1 else ''} "
                    "struggling or quiet",
                    detail=f"in {programme.name}: "
                    + ", ".join(h.mentorship.mentee.display_name for h in troubled[:3]),
                    url=reverse("mentorships:board", args=[programme.pk]),
                    kind="pairs",
                )
            )
    to_confirm = Application.objects.filter(
        applicant__profile__line_manager=user,
        status=ApplicationStatus.AWAITING_CONFIRMATION,
    ).select_related("applicant__profile", "programme")
    for application in to_confirm:
        steps.append(
            NextStep(
                title=f"Confirm {application.applicant.display_name} as a mentee",
                detail=f"Your report asked to join {application.programme.name}.",
                url=reverse("programmes:confirm", args=[application.confirmation_token]),
                kind="confirm",
            )
        )
    from mentorcraft.matching.models import Offer

    waiting = Offer.objects.filter(
        Q(mentee=user, mentee_accepted_at__isnull=True)
        | Q(mentor=user, mentor_accepted_at__isnull=True),
        status=Offer.Status.PENDING,
    ).select_related("programme", "mentee__profile", "mentor__profile")
    for offer in waiting:
        other = offer.mentor if offer.mentee_id == user.pk else offer.mentee
        steps.append(
            NextStep(
                title=f"Answer the suggestion to pair with {other.display_name}",
                detail=f"in {offer.programme.name}, by {offer.expires_at:%d %b}",
                url=reverse("matching:offers"),
                kind="match",
            )
        )
    from mentorcraft.mentorships.models import Mentorship
    from mentorcraft.mentorships.selectors import due_for

    pairs = (
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
        .filter(
            Q(status=Mentorship.Status.ACTIVE)
            | Q(closed_on__gte=timezone.localdate() - datetime.timedelta(days=60))
        )
        .select_related("programme", "mentor__profile", "mentee__profile")
    )
    for mentorship in pairs:
        other = mentorship.other(user)
        for step in due_for(user, mentorship)[:3]:
            steps.append(
                NextStep(
                    title=step.title,
                    detail=f"with {other.display_name}, {mentorship.programme.name}",
                    url=step.url,
                    kind="mentorship",
                )
            )
    from mentorcraft.matching.models import MatchRequest

    for match_request in MatchRequest.objects.filter(
        mentor=user, status=MatchRequest.Status.OPEN
    ).select_related("mentee__profile", "programme"):
        steps.append(
            NextStep(
                title=f"{match_request.mentee.display_name} asks you to be their mentor",
                detail=f"in {match_request.programme.name}",
                url=reverse("matching:requests"),
                kind="request",
            )
        )
    applied = (
        Application.objects.filter(applicant=user)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .values("programme_id")
    )
    open_programmes = (
        Programme.objects.filter(phase=Phase.RECRUITING)
        .exclude(pk__in=applied)
        .exclude(roles__user=user, roles__role__in=[Role.COORDINATOR, Role.SPONSOR])
    )
    for programme in open_programmes:
        steps.append(
            NextStep(
                title=f"Apply to {programme.name}",
                detail="Applications are open, as a mentor or as a mentee.",
                url=reverse("programmes:apply", args=[programme.pk]),
                kind="apply",
            )
        )
    return steps
