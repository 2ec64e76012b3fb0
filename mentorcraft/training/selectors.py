"""Permission-scoped reads for training, and the one access helper per entity.

Who sees what:

- The catalogue (modules and their sessions) is the organisation's: every signed-in person
  reads it and registers. Retired modules are seen by the training managers only.
- Training managers are coordinators (of any programme) and admins: they keep the catalogue,
  take any register, record external training and run the coach cadre and the pipeline.
  Organisation-wide pages answer 403 to everyone else (their existence is no secret).
- A session's register and its list of people: its facilitator and the managers.
- A person's training record: the person, and whoever may read their profile (their line
  manager, the coordinators and coaches of their programmes); someone who only shares a
  programme with them (a sponsor, a fellow mentor) gets 403; anyone else 404.
- A programme's requirements and the people they block: its coordinators (its coaches and
  sponsor 403, outsiders 404). Sponsors read the training figures in aggregate only.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from mentorcraft.core.extensions import roles_anywhere
from mentorcraft.core.roles import Role
from mentorcraft.mentorships.models import ClosureReflection, Feedback, Mentorship
from mentorcraft.people.models import User
from mentorcraft.people.selectors import people_visible_to
from mentorcraft.programmes.access import (
    first_or_404,
    roles_by_programme,
)
from mentorcraft.programmes.models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    Phase,
    Programme,
    ProgrammeRole,
)
from mentorcraft.programmes.selectors import programme_get_for_role
from mentorcraft.training.models import (
    Coach,
    Completion,
    Kind,
    Level,
    MentorInvitation,
    Module,
    Registration,
    Requirement,
    Session,
    TierSettings,
)
from mentorcraft.training.standing import Standing, Standings, completions_by_person
from mentorcraft.training.tiers import MENTOR, Tier, Tiers

LIVE = [Registration.Status.REGISTERED, Registration.Status.WAITLISTED]
MANAGERS_ONLY = "Only coordinators and admins manage training."


# --- Who manages ----------------------------------------------------------------------------


def can_manage_training(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.COORDINATOR in roles_anywhere(user))


def require_training_manager(user: User, message: str = MANAGERS_ONLY) -> None:
    if not can_manage_training(user):
        raise PermissionDenied(message)


# --- Modules and sessions -------------------------------------------------------------------


def module_get_for_user(user: User, pk: int, *, write: bool = False) -> Module:
    module = first_or_404(Module.objects.all(), pk, "module", user)
    manager = can_manage_training(user)
    if not module.active and not manager:
        raise Http404("No such module.")
    if write and not manager:
        raise PermissionDenied("Only coordinators keep the training catalogue.")
    return module


def catalogue(
    user: User, *, kind: str = "", audience: str = "", level: str = ""
) -> QuerySet[Module]:
    """The modules, each with its next open session (``next_session``) and how many are to come
    (``upcoming``). Managers also see retired modules."""
    now = timezone.now()
    upcoming = Q(sessions__status=Session.Status.SCHEDULED, sessions__starts_at__gt=now)
    modules = Module.objects.annotate(
        next_session=Min("sessions__starts_at", filter=upcoming),
        upcoming=Count("sessions", filter=upcoming),
    )
    if not can_manage_training(user):
        modules = modules.filter(active=True)
    if kind:
        modules = modules.filter(kind=kind)
    if audience:
        modules = modules.filter(audience__in=[audience, "everyone"])
    if level:
        modules = modules.filter(level__in=[level, Level.ANY])
    return modules.annotate(
        kind_order=_order_of("kind", Kind), level_order=_order_of("level", Level)
    ).order_by("-active", "kind_order", "level_order", "title")


def _order_of(field: str, choices: type) -> Case:
    """Sort by the choices' own order (induction first, veteran after experienced)."""
    return Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(choices.values)],
        default=Value(len(choices.values)),
    )


def with_places(sessions: QuerySet[Session], user: User) -> QuerySet[Session]:
    """Sessions with ``taken`` and ``waiting`` counts and the reader's own registration status
    (``mine``), in the same query."""
    mine = (
        Registration.objects.filter(session=OuterRef("pk"), person_id=user.pk)
        .exclude(status=Registration.Status.CANCELLED)
        .values("status")[:1]
    )
    held = Q(registrations__status__in=["registered", "attended", "absent"])
    return sessions.annotate(
        taken=Count("registrations", filter=held, distinct=True),
        waiting=Count("registrations", filter=Q(registrations__status="waitlisted"), distinct=True),
        mine=Subquery(mine),
    )


def sessions_upcoming(user: User, *, kind: str = "") -> QuerySet[Session]:
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED, starts_at__gt=timezone.now(), module__active=True
    ).select_related("module", "facilitator__profile")
    if kind:
        sessions = sessions.filter(module__kind=kind)
    return with_places(sessions, user).order_by("starts_at", "pk")


def sessions_of_module(module: Module, user: User, *, past: bool = False) -> QuerySet[Session]:
    now = timezone.now()
    sessions = module.sessions.select_related("module", "facilitator__profile")
    if past:
        return with_places(sessions.filter(starts_at__lte=now), user).order_by("-starts_at")
    return with_places(
        sessions.filter(starts_at__gt=now, status=Session.Status.SCHEDULED), user
    ).order_by("starts_at")


def sessions_facilitated_by(user: User) -> QuerySet[Session]:
    """The sessions this person runs: those to come, and those of the last two months."""
    since = timezone.now() - datetime.timedelta(days=60)
    return with_places(
        Session.objects.filter(
            facilitator=user, starts_at__gte=since, status="scheduled"
        ).select_related("module", "facilitator__profile"),
        user,
    ).order_by("starts_at")


def can_take_register(user: User, session: Session) -> bool:
    return session.facilitator_id == user.pk or can_manage_training(user)


def session_get_for_user(user: User, pk: int, *, manage: bool = False) -> Session:
    """A session: everyone reads it (while its module is in the catalogue, or they took part);
    its facilitator and the managers change it and take its register (``manage``; 403)."""
    session = first_or_404(
        Session.objects.select_related("module", "facilitator__profile"), pk, "session", user
    )
    hidden = not session.module.active and not can_take_register(user, session)
    if hidden and not session.registrations.filter(person=user).exists():
        raise Http404("No such session.")
    if manage and not can_take_register(user, session):
        raise PermissionDenied("Only the session's facilitator and coordinators manage it.")
    return session


def session_people(session: Session) -> QuerySet[Registration]:
    """Who has a place, then the waitlist in its order, then the cancelled."""
    return (
        session.registrations.select_related("person__profile")
        .exclude(status=Registration.Status.CANCELLED)
        .order_by("created_at", "pk")
    )


def registration_get_for_user(user: User, pk: int) -> Registration:
    """A place: the person gives it up, or a manager does for them; the facilitator sees it
    (403); nobody else learns it exists (404)."""
    registration = first_or_404(
        Registration.objects.select_related("session__module", "person__profile"),
        pk,
        "registration",
        user,
    )
    if registration.person_id == user.pk or can_manage_training(user):
        return registration
    if registration.session.facilitator_id == user.pk:
        raise PermissionDenied("Only the person or a coordinator gives up a place.")
    raise Http404("No such registration.")


def my_registration(session: Session, user: User) -> Registration | None:
    """The person's place, queue place, or mark on the register."""
    return (
        session.registrations.filter(person=user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def facilitator_choices(current: User | None = None) -> QuerySet[User]:
    """Who can run a session: coaches of the cadre, coordinators and coaches of programmes
    (and whoever runs it now)."""
    people = Q(coach__status__in=[Coach.Status.NOMINATED, Coach.Status.ACTIVE]) | Q(
        programme_roles__role__in=[Role.COORDINATOR, Role.COACH]
    )
    if current is not None:
        people |= Q(pk=current.pk)
    return (
        User.objects.filter(people, is_active=True, profile__isnull=False)
        .select_related("profile")
        .distinct()
        .order_by("profile__full_name")
    )


# --- Records --------------------------------------------------------------------------------


def shares_a_programme(user: User, person: User) -> bool:
    """Do they take part in (or apply to) one programme together?"""
    mine = set(roles_by_programme(user)) | set(
        Application.objects.filter(applicant=user).values_list("programme_id", flat=True)
    )
    if not mine:
        return False
    return (
        ProgrammeRole.objects.filter(user=person, programme_id__in=mine).exists()
        or Application.objects.filter(applicant=person, programme_id__in=mine).exists()
    )


def record_person_for_user(user: User, pk: int, *, write: bool = False) -> User:
    """Whose training record: see the module docstring. ``write`` (recording external
    training, taking back a completion) is for the managers who may read it."""
    person = first_or_404(User.objects.select_related("profile"), pk, "person", user)
    manager = can_manage_training(user)
    if person.pk == user.pk and not write:
        return person
    if user.is_superuser or people_visible_to(user).filter(pk=person.pk).exists():
        if write and not manager:
            raise PermissionDenied("Only coordinators record training for someone.")
        return person
    if person.pk == user.pk or shares_a_programme(user, person):
        raise PermissionDenied(
            "A training record is read by the person, their line manager and their "
            "programmes' coordinators and coaches."
        )
    raise Http404("No such person.")


def completion_get_for_user(user: User, pk: int) -> Completion:
    completion = first_or_404(
        Completion.objects.select_related("module", "person__profile"), pk, "completion", user
    )
    record_person_for_user(user, completion.person_id, write=True)
    return completion


# --- Programmes -----------------------------------------------------------------------------


def training_programme_for_user(user: User, pk: int) -> Programme:
    return programme_get_for_role(
        user, pk, {Role.COORDINATOR}, "Only this programme's coordinators set its training."
    )


def requirement_get_for_user(user: User, pk: int) -> Requirement:
    requirement = first_or_404(
        Requirement.objects.select_related("programme", "module"), pk, "requirement", user
    )
    # As the programme's training page: 404 to whoever may not see the programme.
    training_programme_for_user(user, requirement.programme_id)
    return requirement


def requirements_of(programme: Programme) -> list[Requirement]:
    return list(
        Requirement.objects.filter(programme=programme)
        .select_related("module")
        .order_by("role", "tier", "kind", "pk")
    )


@dataclass
class PersonStanding:
    application: Application
    standing: Standing

    @property
    def person(self) -> User:
        return self.application.applicant


def programme_standings(
    programme: Programme, *, today: datetime.date | None = None
) -> list[PersonStanding]:
    """Everyone accepted or under consideration in the programme, against its requirements,
    in a fixed number of queries; those blocked first, then by name."""
    applications = list(
        Application.objects.filter(
            programme=programme, status__in=[ApplicationStatus.ACCEPTED, *OPEN_STATUSES]
        )
        .select_related("applicant__profile")
        .order_by("applicant__profile__full_name", "role")
    )
    people = Application.objects.filter(
        programme=programme, status__in=[ApplicationStatus.ACCEPTED, *OPEN_STATUSES]
    ).values("applicant_id")
    book = Standings(programme, people, today=today)
    rows = [PersonStanding(a, book.of(a.applicant_id, a.role)) for a in applications]
    rows.sort(key=lambda r: (r.application.status != ApplicationStatus.ACCEPTED, r.standing.met))
    return rows


def blocked_counts(
    programme_ids: list[int], *, today: datetime.date | None = None
) -> dict[int, int]:
    """For each programme, how many accepted people its training requirements block, in a
    fixed number of queries however many programmes (for coordinators' next steps)."""
    if not programme_ids:
        return {}
    requirements: dict[int, list[Requirement]] = defaultdict(list)
    for requirement in Requirement.objects.filter(programme_id__in=programme_ids).select_related(
        "module"
    ):
        requirements[requirement.programme_id].append(requirement)
    if not requirements:
        return {}
    accepted = Application.objects.filter(
        programme_id__in=list(requirements), status=ApplicationStatus.ACCEPTED
    )
    rows = list(accepted.values_list("programme_id", "applicant_id", "role"))
    people = accepted.values("applicant_id")
    done = completions_by_person(people)
    tiered = any(r.tier != Level.ANY for rs in requirements.values() for r in rs)
    tiers = Tiers(people, today=today) if tiered else None
    limits = (
        {
            t.programme_id: t
            for t in TierSettings.objects.filter(programme_id__in=list(requirements))
        }
        if tiered
        else {}
    )
    counts: Counter[int] = Counter()
    books = {
        pk: Standings(
            Programme(pk=pk),
            today=today,
            requirements=rs,
            done=done,
            tiers=tiers.with_limits(limits.get(pk) or TierSettings()) if tiers else None,
        )
        for pk, rs in requirements.items()
    }
    for programme_id, applicant_id, role in rows:
        if not books[programme_id].of(applicant_id, role).met:
            counts[programme_id] += 1
    return dict(counts)


@dataclass
class TrainingFigures:
    """A programme's training in aggregate (for its sponsor): no names."""

    mentors: int
    mentors_ready: int
    mentees: int
    mentees_ready: int
    hours_per_mentor: float
    leaders_trained: int
    coaches_ready: int


def training_figures(
    programme: Programme, *, today: datetime.date | None = None
) -> TrainingFigures:
    today = today or timezone.localdate()
    accepted = Application.objects.filter(programme=programme, status=ApplicationStatus.ACCEPTED)
    rows = list(accepted.values_list("applicant_id", "role"))
    book = Standings(programme, accepted.values("applicant_id"), today=today)
    mentors = [pk for pk, role in rows if role == MENTOR]
    mentees = [pk for pk, role in rows if role != MENTOR]
    valid = Q(expires_on__isnull=True) | Q(expires_on__gt=today)
    minutes = (
        Completion.objects.filter(
            valid, person_id__in=accepted.filter(role=MENTOR).values("applicant_id")
        ).aggregate(total=Sum("minutes"))["total"]
        or 0
    )
    return TrainingFigures(
        mentors=len(mentors),
        mentors_ready=sum(book.of(pk, MENTOR).met for pk in mentors),
        mentees=len(mentees),
        mentees_ready=sum(book.of(pk, "mentee").met for pk in mentees),
        hours_per_mentor=round(minutes / 60 / len(mentors), 1) if mentors else 0.0,
        leaders_trained=leaders_trained(),
        coaches_ready=len(coaches_ready()),
    )


def leaders_trained() -> int:
    """How many people have done mentoring training that is part of the organisation's
    leadership development programme."""
    return Completion.objects.filter(module__leadership=True).values("person_id").distinct().count()


# --- The coach cadre ------------------------------------------------------------------------


def coach_training(person_ids: list[int] | QuerySet, today: datetime.date) -> dict[int, Completion]:
    """Each person's latest coach training valid today (one query)."""
    found: dict[int, Completion] = {}
    for completion in (
        Completion.objects.filter(person_id__in=person_ids, module__kind=Kind.COACH)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today), completed_on__lte=today)
        .select_related("module")
        .order_by("completed_on")
    ):
        found[completion.person_id] = completion
    return found


def coaches_ready(today: datetime.date | None = None) -> list[Coach]:
    """Active coaches whose coach training is valid: who can lead supervision now."""
    today = today or timezone.localdate()
    active = Coach.objects.filter(status=Coach.Status.ACTIVE).select_related("person__profile")
    trained = coach_training(active.values("person_id"), today)
    return [c for c in active if c.person_id in trained]


def can_lead_supervision(person: User, today: datetime.date | None = None) -> bool:
    """An active coach with valid coach training (supervision reads this)."""
    today = today or timezone.localdate()
    if not Coach.objects.filter(person=person, status=Coach.Status.ACTIVE).exists():
        return False
    return person.pk in coach_training([person.pk], today)


@dataclass
class CoachRow:
    coach: Coach
    tier: Tier
    training: Completion | None

    @property
    def can_lead(self) -> bool:
        return self.coach.status == Coach.Status.ACTIVE and self.training is not None


@dataclass
class Cadre:
    rows: list[CoachRow]
    candidates: list[tuple[User, Tier]]
    mentors_now: int
    capacity_ready: int

    @property
    def coverage_percent(self) -> int | None:
        if not self.mentors_now:
            return None
        return min(100, round(100 * self.capacity_ready / self.mentors_now))

    @property
    def coverage_bar(self) -> int:
        """The coverage to the nearest ten, for the bar's width class."""
        return round((self.coverage_percent or 0) / 10) * 10

    @property
    def ready(self) -> list[CoachRow]:
        return [r for r in self.rows if r.can_lead]


def cadre(today: datetime.date | None = None) -> Cadre:
    """The coaches with their training, the veteran mentors who could be nominated, and the
    coverage: how many of the mentors mentoring now the ready coaches can supervise. A fixed
    number of queries."""
    today = today or timezone.localdate()
    coaches = list(
        Coach.objects.select_related("person__profile").order_by(
            "status", "person__profile__full_name"
        )
    )
    ever_mentored = Mentorship.objects.values("mentor_id")
    tiers = Tiers(ever_mentored, today=today)
    coach_tiers = Tiers([c.person_id for c in coaches], today=today) if coaches else None
    trained = coach_training([c.person_id for c in coaches], today)
    rows = [
        CoachRow(
            c, coach_tiers.of(c.person_id, MENTOR, count_coaching=False), trained.get(c.person_id)
        )
        for c in coaches
    ]
    in_cadre = {c.person_id for c in coaches if c.status != Coach.Status.STEPPED_DOWN}
    veteran_ids = [
        pk
        for pk in tiers.history
        if pk not in in_cadre and tiers.of(pk, MENTOR).level == Level.VETERAN
    ]
    candidates = [
        (person, tiers.of(person.pk, MENTOR))
        for person in User.objects.filter(pk__in=veteran_ids, is_active=True)
        .select_related("profile")
        .order_by("profile__full_name")
    ]
    mentors_now = (
        Mentorship.objects.filter(status=Mentorship.Status.ACTIVE)
        .values("mentor_id")
        .distinct()
        .count()
    )
    capacity = sum(r.coach.capacity for r in rows if r.can_lead)
    return Cadre(rows, candidates, mentors_now, capacity)


def coach_get_for_user(user: User, pk: int) -> Coach:
    coach = first_or_404(Coach.objects.select_related("person__profile"), pk, "coach", user)
    if can_manage_training(user):
        return coach
    if coach.person_id == user.pk:
        raise PermissionDenied("Coordinators change the coach cadre.")
    raise Http404("No such coach.")


# --- The pipeline ---------------------------------------------------------------------------


def coordinated_programme_ids(user: User) -> list[int]:
    if user.is_superuser:
        return list(Programme.objects.values_list("pk", flat=True))
    return [pk for pk, roles in roles_by_programme(user).items() if Role.COORDINATOR in roles]


@dataclass
class Candidate:
    """A mentee who finished and said they would mentor, with their readiness."""

    reflection: ClosureReflection
    completed: bool
    feedback_given: int
    to_mentor_done: bool
    induction_done: bool
    applied: list[Application]
    invited: list[MentorInvitation]
    invitable: list[Programme] = field(default_factory=list)

    def offer(self, programmes: list[Programme]) -> None:
        """The recruiting programmes they could still be invited to."""
        taken = {a.programme_id for a in self.applied} | {i.programme_id for i in self.invited}
        self.invitable = [p for p in programmes if p.pk not in taken]

    @property
    def person(self) -> User:
        return self.reflection.author

    @property
    def mentorship(self) -> Mentorship:
        return self.reflection.closure.mentorship

    @property
    def readiness(self) -> int:
        """0 to 4: completed as planned, gave feedback, and the two trainings."""
        return sum(
            [self.completed, self.feedback_given > 0, self.to_mentor_done, self.induction_done]
        )


def pipeline_reflections(user: User) -> QuerySet[ClosureReflection]:
    """The closing reflections of mentees who would mentor, in the programmes the person
    coordinates: those who said yes before those who said maybe later, then the newest."""
    return (
        ClosureReflection.objects.filter(
            closure__mentorship__programme_id__in=coordinated_programme_ids(user),
            author=F("closure__mentorship__mentee"),
            closure__mentorship__kind="mentoring",
            would_mentor__in=[
                ClosureReflection.WouldMentor.YES,
                ClosureReflection.WouldMentor.LATER,
            ],
        )
        .select_related(
            "author__profile",
            "closure__mentorship__programme",
            "closure__mentorship__mentor__profile",
        )
        .order_by("-would_mentor", "-created_at", "-pk")  # "yes" sorts after "later"
    )


def pipeline_candidates(
    reflections: list[ClosureReflection], *, today: datetime.date | None = None
) -> list[Candidate]:
    """The readiness of a page of candidates, in a fixed number of queries."""
    today = today or timezone.localdate()
    ids = [r.author_id for r in reflections]
    feedback = Counter(
        dict(
            Feedback.objects.filter(
                author_id__in=ids,
                mentorship__mentee_id=F("author_id"),
                mentorship__kind="mentoring",
            )
            .values_list("author_id")
            .annotate(n=Count("id"))
            .values_list("author_id", "n")
        )
    )
    done = completions_by_person(ids)
    applications: dict[int, list[Application]] = defaultdict(list)
    for application in (
        Application.objects.filter(applicant_id__in=ids, role=MENTOR)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("programme")
    ):
        applications[application.applicant_id].append(application)
    invitations: dict[int, list[MentorInvitation]] = defaultdict(list)
    for invitation in MentorInvitation.objects.filter(person_id__in=ids).select_related(
        "programme"
    ):
        invitations[invitation.person_id].append(invitation)
    inductions = set(
        Completion.objects.filter(
            person_id__in=ids,
            module__kind=Kind.INDUCTION,
            module__audience__in=["mentors", "everyone"],
        ).values_list("person_id", flat=True)
    )
    return [
        Candidate(
            reflection=r,
            completed=r.closure.kind == "planned",
            feedback_given=feedback.get(r.author_id, 0),
            to_mentor_done=any(d.kind == Kind.TO_MENTOR for d in done.get(r.author_id, [])),
            induction_done=r.author_id in inductions,
            applied=applications.get(r.author_id, []),
            invited=invitations.get(r.author_id, []),
        )
        for r in reflections
    ]


def programmes_to_invite_to(user: User) -> QuerySet[Programme]:
    return Programme.objects.filter(
        pk__in=coordinated_programme_ids(user), phase=Phase.RECRUITING
    ).order_by("start_date", "name")


def pipeline_person_for_user(user: User, pk: int) -> User:
    """Someone a coordinator may invite: a mentee of one of their programmes' closed pairs
    who said they would mentor."""
    require_training_manager(user)
    person = first_or_404(User.objects.select_related("profile"), pk, "person", user)
    if not pipeline_reflections(user).filter(author=person).exists():
        raise Http404("No such candidate.")
    return person
