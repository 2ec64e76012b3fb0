"""Permission-scoped reads for programmes and applications.

Every page and API endpoint that touches a programme or an application goes through
``programme_get_for_user`` or ``application_get_for_user``: outsiders get 404 (they learn
nothing), people who may look but not act get 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from mentorcraft.core.ids import require_id
from mentorcraft.people.models import User
from mentorcraft.programmes.access import (
    REVIEWER_ROLES,
    can_see_programme,
    first_or_404,
    has_role,
    is_coordinator,
    refuse,
    require_role,
)
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


def can_create_programmes(user: User) -> bool:
    return user.is_authenticated and user.has_perm("programmes.add_programme")


def programme_get_for_user(user: User, pk: int, *, write: bool = False) -> Programme:
    """The programme if the user may see it (404 if not) and change it when ``write`` (403)."""
    programme = Programme.objects.filter(pk=require_id(pk, "programme")).first()
    if programme is None or not can_see_programme(user, programme):
        raise Http404("No such programme.")
    if write:
        require_role(
            user, programme, {Role.COORDINATOR}, "Only this programme's coordinators can change it."
        )
    return programme


def programme_get_for_role(user: User, pk: int, roles: Iterable[str], message: str) -> Programme:
    """A programme page or endpoint for some roles only: outsiders 404, everyone else 403."""
    programme = programme_get_for_user(user, pk)
    require_role(user, programme, roles, message)
    return programme


def programme_list_for_user(user: User) -> QuerySet[Programme]:
    qs = Programme.objects.all()
    if not user.is_superuser:
        mine = ProgrammeRole.objects.filter(user=user).values("programme_id")
        qs = qs.filter(~Q(phase=Phase.DRAFT) | Q(pk__in=mine))
    return qs.order_by("phase", "-start_date", "pk")


def with_people_counts(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    """Each programme with ``people_count``: how many people hold a role in it (a correlated
    count, so a page of programmes costs no more than its rows)."""
    people = (
        ProgrammeRole.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(n=Count("user", distinct=True))
        .values("n")
    )
    return programmes.annotate(people_count=Coalesce(Subquery(people), 0))


# Who besides the applicant may do each thing with an application (the applicant reads and
# withdraws their own).
APPLICATION_ACTIONS = {
    "read": REVIEWER_ROLES,
    "screen": REVIEWER_ROLES,
    "decide": {Role.COORDINATOR},
    "withdraw": set(),
}


def application_get_for_user(user: User, pk: int, *, action: str = "read") -> Application:
    """An application for one of ``read``, ``screen``, ``decide`` or ``withdraw``.

    The applicant may read and withdraw their own application. Coordinators read, screen and
    decide; coaches read and screen. Sponsors know the programme but see no individual
    applications (403). Anyone else gets 404.
    """
    assert action in APPLICATION_ACTIONS, action
    application = first_or_404(
        Application.objects.select_related("programme", "applicant__profile", "decided_by"),
        pk,
        "application",
        user,
    )
    programme = application.programme
    own = application.applicant_id == user.pk
    if own and action in {"read", "withdraw"}:
        return application
    if has_role(user, programme, APPLICATION_ACTIONS[action]):
        return application
    refuse(
        user,
        programme,
        "Your role in this programme does not allow that.",
        what="application",
        known=own,
    )


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
    """Open applications that still need this reviewer: mentors to screen, and for a
    coordinator mentees to confirm (a coach cannot act on a mentee's application)."""
    reviewed = Q(screenings__reviewer=reviewer)
    queue = (
        application_list_for_programme(programme)
        .filter(status__in=OPEN_STATUSES)
        .exclude(Q(role=Role.MENTOR) & reviewed)
        .exclude(status=ApplicationStatus.WAITLISTED)
    )
    if not is_coordinator(reviewer, programme):
        queue = queue.filter(role=Role.MENTOR)
    return queue


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
    """Current codes of ethics this person must acknowledge, one per programme they are in (a
    role, or an application still open or accepted; a waitlisted one waits, and signs if it is
    accepted): one query, returning only the codes still to sign."""
    roles = ProgrammeRole.objects.filter(user=user).values("programme_id")
    applied = (
        Application.objects.filter(applicant=user)
        .exclude(
            status__in=[
                ApplicationStatus.WITHDRAWN,
                ApplicationStatus.DECLINED,
                ApplicationStatus.WAITLISTED,
            ]
        )
        .values("programme_id")
    )
    latest = (
        EthicsCode.objects.filter(programme=OuterRef("programme"), published_at__isnull=False)
        .order_by("-version")
        .values("pk")[:1]
    )
    signed = EthicsAcknowledgement.objects.filter(code=OuterRef("pk"), user=user)
    return list(
        EthicsCode.objects.filter(Q(programme_id__in=roles) | Q(programme_id__in=applied))
        .filter(published_at__isnull=False, pk=Subquery(latest))
        .exclude(programme__phase=Phase.CLOSED)
        .exclude(Exists(signed))
        .select_related("programme")
        .order_by("programme__name", "programme_id")
    )


def ethics_status_for_programme(programme: Programme) -> QuerySet[ProgrammeRole]:
    """Everyone holding a role, annotated with whether they acknowledged the current code."""
    code = programme.current_ethics()
    roles = programme.roles.select_related("user__profile").order_by(
        "role", "user__profile__full_name", "user__email"
    )
    if code is None:
        return roles.annotate(acknowledged=Value(False, output_field=BooleanField()))
    return roles.annotate(
        acknowledged=Exists(
            EthicsAcknowledgement.objects.filter(code=code, user_id=OuterRef("user_id"))
        )
    )


def review_counts_for(reviewer: User) -> list[tuple[int, str, int]]:
    """(programme id, programme name, how many applications wait for this reviewer) for each
    programme where some do: the size of each ``review_queue``, in one query."""
    led = ProgrammeRole.objects.filter(user=reviewer, role__in=REVIEWER_ROLES).values(
        "programme_id"
    )
    coordinated = ProgrammeRole.objects.filter(user=reviewer, role=Role.COORDINATOR).values(
        "programme_id"
    )
    waiting = (
        Application.objects.filter(programme_id__in=led, status__in=OPEN_STATUSES)
        .exclude(Q(role=Role.MENTOR) & Q(screenings__reviewer=reviewer))
        # A coach cannot act on a mentee's application: only coordinators see those.
        .filter(Q(role=Role.MENTOR) | Q(programme_id__in=coordinated))
        .exclude(status=ApplicationStatus.WAITLISTED)
        .values("programme_id", "programme__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("programme__name")
    )
    return [(row["programme_id"], row["programme__name"], row["n"]) for row in waiting]


def confirmations_waiting_for(manager: User) -> QuerySet[Application]:
    """Mentee applications waiting for this line manager's confirmation."""
    return Application.objects.filter(
        applicant__profile__line_manager=manager,
        status=ApplicationStatus.AWAITING_CONFIRMATION,
    ).select_related("applicant__profile", "programme")


def programmes_open_to(user: User) -> QuerySet[Programme]:
    """Recruiting programmes this person has not applied to and does not run or sponsor."""
    applied = (
        Application.objects.filter(applicant=user)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .values("programme_id")
    )
    return (
        Programme.objects.filter(phase=Phase.RECRUITING)
        .exclude(pk__in=applied)
        .exclude(roles__user=user, roles__role__in=[Role.COORDINATOR, Role.SPONSOR])
    )
