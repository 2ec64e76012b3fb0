"""Permission-scoped reads for supervision, and one access helper per entity.

Who reads what:

- the programme's supervision page, its proposals and its supervisors: coordinators (anyone
  else with a part in the programme gets 403, everyone else 404);
- a circle: its members, its supervisor and the coordinators;
- a session: the people invited, its leader and the coordinators; the register, the summary
  and the coach's notes are written by the leader; the summary is read by those who attended;
  the coach's notes by their author alone;
- a topic: the mentor who brought it and their supervisor (or the session's leader), nobody
  else, coordinators included: 404;
- a concern: whoever raised it and the programme's coordinators; 404 for everyone else, the
  other party of the mentorship first of all;
- a caseload: the supervisor whose caseload it is.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from mentorcraft.core import extensions
from mentorcraft.core.ids import require_id
from mentorcraft.mentorships.health import State, programme_health
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.people.models import User
from mentorcraft.programmes.access import (
    is_coordinator,
    refuse,
    roles_by_programme,
)
from mentorcraft.programmes.models import Phase, Programme, ProgrammeRole, Role
from mentorcraft.support.models import (
    Assignment,
    Attendance,
    CheckIn,
    CheckInSettings,
    Circle,
    CircleMember,
    CoachNote,
    Concern,
    ExternalSupport,
    Formation,
    Function,
    PeerMatch,
    PeerRequest,
    PeerRound,
    Reflection,
    SupervisionAgreement,
    SupervisionSession,
    Supervisor,
    SupportAnswer,
    SupportAsk,
    Topic,
    Way,
)
from mentorcraft.training.standing import Standings
from mentorcraft.training.tiers import MENTOR

# A mentor with no supervision attended for this long needs a look.
QUIET_SUPERVISION = datetime.timedelta(days=75)


def programme_mentors(programme: Programme) -> list[User]:
    """The people who hold the mentor role in the programme."""
    return list(
        User.objects.filter(
            programme_roles__programme=programme, programme_roles__role=Role.MENTOR, is_active=True
        )
        .select_related("profile")
        .distinct()
        .order_by("profile__full_name", "pk")
    )


def supervisor_loads(programme: Programme) -> dict[int, int]:
    """Open assignments per supervisor of the programme (one query)."""
    return dict(
        Assignment.objects.filter(programme=programme, ended_at__isnull=True)
        .values("supervisor")
        .annotate(n=Count("pk"))
        .values_list("supervisor", "n")
    )


def supervises_in(user: User, programme: Programme) -> bool:
    return Supervisor.objects.filter(programme=programme, person=user, active=True).exists()


def _refuse(user: User, programme: Programme, message: str, *, what: str) -> NoReturn:
    """The access ladder for supervision: 403 with ``message`` to anyone with a part in the
    programme (a supervisor in it counts), 404 "No such <what>" to everyone else."""
    refuse(user, programme, message, what=what, known=supervises_in(user, programme))


def _get(queryset: QuerySet, pk: int, what: str, user: User):  # noqa: ANN202
    found = queryset.filter(pk=require_id(pk, what)).first()
    if found is None or not user.is_authenticated:
        raise Http404(f"No such {what}.")
    return found


def programme_for_coordinator(user: User, pk: int, message: str) -> Programme:
    """The programme, for its coordinators; 403 to others with a part in it, 404 to the rest."""
    programme = _get(Programme.objects.all(), pk, "programme", user)
    if not is_coordinator(user, programme):
        _refuse(user, programme, message, what="programme")
    return programme


def supervisor_get_for_user(user: User, pk: int) -> Supervisor:
    supervisor = _get(
        Supervisor.objects.select_related("programme", "person__profile"), pk, "supervisor", user
    )
    if not is_coordinator(user, supervisor.programme):
        _refuse(
            user,
            supervisor.programme,
            "Only the programme's coordinators manage its supervisors.",
            what="supervisor",
        )
    return supervisor


def formation_get_for_user(user: User, pk: int) -> Formation:
    formation = _get(Formation.objects.select_related("programme"), pk, "proposal", user)
    if not is_coordinator(user, formation.programme):
        _refuse(
            user,
            formation.programme,
            "Only the programme's coordinators form circles.",
            what="proposal",
        )
    return formation


def circle_get_for_user(user: User, pk: int, *, write: bool = False) -> Circle:
    circle = _get(
        Circle.objects.select_related("programme", "supervisor__person__profile"),
        pk,
        "circle",
        user,
    )
    coordinator = is_coordinator(user, circle.programme)
    if write and not coordinator:
        _refuse(
            user,
            circle.programme,
            "Only the programme's coordinators change circles.",
            what="circle",
        )
    if coordinator or write:
        return circle
    if circle.status != Circle.Status.PROPOSED and (
        (circle.supervisor is not None and circle.supervisor.person_id == user.pk)
        or circle.members.filter(mentor=user).exists()
    ):
        return circle
    _refuse(
        user,
        circle.programme,
        "This circle is for its members and their supervisor.",
        what="circle",
    )


def invited(user: User, session: SupervisionSession) -> bool:
    if session.kind == SupervisionSession.Kind.GROUP:
        return session.circle.members.filter(mentor=user).exists()
    if session.kind == SupervisionSession.Kind.INDIVIDUAL:
        return session.mentor_id == user.pk
    return Role.MENTOR in roles_by_programme(user).get(session.programme_id, set())


def session_get_for_user(
    user: User, pk: int, *, lead: bool = False, manage: bool = False
) -> SupervisionSession:
    """Read: those invited, the leader, coordinators. ``lead``: the leader alone (register,
    summary, notes). ``manage``: the leader or a coordinator (cancel)."""
    session = _get(
        SupervisionSession.objects.select_related(
            "programme", "circle", "leader__profile", "mentor__profile"
        ),
        pk,
        "session",
        user,
    )
    leader = session.leader_id == user.pk
    coordinator = is_coordinator(user, session.programme)
    if lead and leader:
        return session
    if manage and (leader or coordinator):
        return session
    if not (lead or manage) and (leader or coordinator or invited(user, session)):
        return session
    readable = leader or coordinator or invited(user, session)
    refuse(
        user,
        session.programme,
        "Only the session's leader does that."
        if lead
        else "Only the leader or a coordinator changes this session.",
        what="session",
        known=readable or supervises_in(user, session.programme),
    )


def agreement_signers(agreement: SupervisionAgreement) -> set[int]:
    """Who signs: the circle's members and supervisor, or the mentor and their supervisor."""
    if agreement.circle_id is not None:
        circle = agreement.circle
        people = set(circle.members.values_list("mentor_id", flat=True))
        if circle.supervisor is not None:
            people.add(circle.supervisor.person_id)
        return people
    return {agreement.mentor_id, agreement.supervisor.person_id}


def assignment_get_for_user(user: User, pk: int) -> Assignment:
    """An open assignment, for the mentor and their supervisor."""
    assignment = _get(
        Assignment.objects.filter(ended_at__isnull=True).select_related(
            "programme", "supervisor__person", "mentor", "circle"
        ),
        pk,
        "supervision",
        user,
    )
    if user.pk in (assignment.mentor_id, assignment.supervisor.person_id):
        return assignment
    _refuse(
        user,
        assignment.programme,
        "This supervision is the mentor's and their supervisor's.",
        what="supervision",
    )


def agreement_get_for_user(user: User, pk: int, *, sign: bool = False) -> SupervisionAgreement:
    """Read: the people it is between, and the programme's coordinators. ``sign``: the people
    it is between."""
    agreement = _get(
        SupervisionAgreement.objects.select_related(
            "programme", "circle__supervisor__person", "supervisor__person", "mentor__profile"
        ),
        pk,
        "agreement",
        user,
    )
    between = user.pk in agreement_signers(agreement)
    if between or (not sign and is_coordinator(user, agreement.programme)):
        return agreement
    _refuse(
        user,
        agreement.programme,
        "Only the people this agreement is between sign it.",
        what="agreement",
    )


def topics_readable(user: User) -> QuerySet[Topic]:
    """Topics the person brought, and those brought to them as supervisor."""
    supervised = Assignment.objects.filter(supervisor__person=user, ended_at__isnull=True).values(
        "mentor_id"
    )
    return (
        Topic.objects.filter(
            Q(mentor=user)
            | Q(session__leader=user)
            | Q(session__isnull=True, mentor__in=supervised)
        )
        .select_related("mentor__profile")
        .order_by("-created_at")
    )


@dataclass
class Scope:
    """What one person may schedule in a programme."""

    kinds: list[str]
    circles: QuerySet[Circle]
    mentors: list[User]


def scheduling_scope(user: User, programme: Programme) -> Scope:
    """Coordinators schedule anything; a supervisor their own circles' sessions and individual
    supervision of their own mentors; anyone else is refused (403 with a part, else 404)."""
    circles = Circle.objects.filter(programme=programme, status=Circle.Status.ACTIVE)
    assignments = Assignment.objects.filter(programme=programme, ended_at__isnull=True)
    if is_coordinator(user, programme):
        kinds = list(SupervisionSession.Kind.values)
    elif supervises_in(user, programme):
        kinds = [SupervisionSession.Kind.GROUP, SupervisionSession.Kind.INDIVIDUAL]
        circles = circles.filter(supervisor__person=user)
        assignments = assignments.filter(supervisor__person=user)
    else:
        refuse(
            user,
            programme,
            "Coordinators and supervisors schedule supervision.",
            what="programme",
        )
    mentors = [a.mentor for a in assignments.select_related("mentor__profile")]
    return Scope(kinds, circles, mentors)


def require_scheduler(
    user: User,
    programme: Programme,
    kind: str,
    circle: Circle | None,
    mentor: User | None,
) -> None:
    scope = scheduling_scope(user, programme)
    if kind not in scope.kinds:
        raise PermissionDenied("Only coordinators schedule the introductory session.")
    if circle is not None and not scope.circles.filter(pk=circle.pk).exists():
        raise PermissionDenied("You schedule sessions for the circles you supervise.")
    if mentor is not None and mentor.pk not in {m.pk for m in scope.mentors}:
        raise PermissionDenied("You schedule individual supervision for your own mentors.")


def programme_get(user: User, pk: int) -> Programme:
    return _get(Programme.objects.all(), pk, "programme", user)


def topic_supervisor_id(topic: Topic) -> int | None:
    """Who supervises this topic: the leader of the session it was brought to, or else the
    mentor's supervisor in the programme now."""
    if topic.session_id is not None:
        return topic.session.leader_id
    assignment = (
        Assignment.objects.filter(
            programme=topic.programme_id, mentor=topic.mentor_id, ended_at__isnull=True
        )
        .select_related("supervisor")
        .first()
    )
    return assignment.supervisor.person_id if assignment else None


def topic_get_for_user(user: User, pk: int, *, tag: bool = False, edit: bool = False) -> Topic:
    """Read: the mentor and their supervisor. ``tag``: the supervisor. ``edit``: the mentor.
    Anyone else, coordinators included, is told there is no such topic."""
    topic = _get(
        Topic.objects.select_related("programme", "session__leader", "mentor__profile"),
        pk,
        "topic",
        user,
    )
    mine = topic.mentor_id == user.pk
    supervising = topic_supervisor_id(topic) == user.pk
    if not (mine or supervising):
        raise Http404("No such topic.")
    if tag and not supervising:
        raise PermissionDenied("Only the supervisor tags a topic.")
    if edit and not mine:
        raise PermissionDenied("Only the mentor who brought it changes what it says.")
    return topic


def coordinates(user: User, programme: Programme) -> bool:
    """Holds the coordinator role in the programme itself: a concern goes to the programme's
    coordinators only, so here an administrator does not count as one."""
    return Role.COORDINATOR in roles_by_programme(user).get(programme.pk, set())


def concern_get_for_user(user: User, pk: int, *, manage: bool = False) -> Concern:
    concern = _get(
        Concern.objects.select_related(
            "programme", "mentorship__mentor__profile", "mentorship__mentee__profile", "raised_by"
        ),
        pk,
        "concern",
        user,
    )
    if coordinates(user, concern.programme):
        return concern
    if concern.raised_by_id == user.pk:
        if manage:
            raise PermissionDenied("The programme's coordinators move a concern on.")
        return concern
    raise Http404("No such concern.")


# --- The coordinator's view of a programme ---------------------------------------------------


@dataclass
class MentorRow:
    mentor: User
    assignment: Assignment | None
    circle: Circle | None
    last_supervision: datetime.datetime | None
    tier: object = None

    @property
    def supervisor(self) -> Supervisor | None:
        return self.assignment.supervisor if self.assignment else None


@dataclass
class Overview:
    programme: Programme
    supervisors: list[Supervisor]
    loads: dict[int, int]
    mentors: list[MentorRow]
    circles: list[Circle]
    draft: Formation | None
    upcoming: list[SupervisionSession]
    past: list[SupervisionSession]
    open_concerns: int

    @property
    def without(self) -> list[MentorRow]:
        return [row for row in self.mentors if row.assignment is None]

    @property
    def places(self) -> int:
        return sum(s.capacity for s in self.supervisors if s.active)

    @property
    def free_places(self) -> int:
        return sum(
            max(0, s.capacity - self.loads.get(s.pk, 0)) for s in self.supervisors if s.active
        )


def last_supervision(programme: Programme, people: list[int]) -> dict[int, datetime.datetime]:
    """The last session each mentor attended in the programme (one query)."""
    return dict(
        Attendance.objects.filter(
            session__programme=programme,
            mentor__in=people,
            present=True,
            session__status=SupervisionSession.Status.SCHEDULED,
        )
        .values("mentor")
        .annotate(last=Max("session__starts_at"))
        .values_list("mentor", "last")
    )


def _coming(session: SupervisionSession, now: datetime.datetime) -> bool:
    """Still to come (or under way): scheduled, not over, register not yet taken."""
    return (
        session.status == SupervisionSession.Status.SCHEDULED
        and session.ends_at >= now
        and session.attendance_taken_at is None
    )


def overview(programme: Programme) -> Overview:
    """Everything the coordinator needs on one page, in a fixed number of queries."""
    mentors = programme_mentors(programme)
    ids = [m.pk for m in mentors]
    assignments = {
        a.mentor_id: a
        for a in Assignment.objects.filter(
            programme=programme, ended_at__isnull=True
        ).select_related("supervisor__person__profile", "circle")
    }
    last = last_supervision(programme, ids)
    rows = [MentorRow(m, assignments.get(m.pk), None, last.get(m.pk)) for m in mentors]
    circles = list(
        Circle.objects.filter(programme=programme, status=Circle.Status.ACTIVE)
        .select_related("supervisor__person__profile")
        .prefetch_related("members__mentor__profile")
    )
    seat = {m.mentor_id: c for c in circles for m in c.members.all()}
    for row in rows:
        row.circle = seat.get(row.mentor.pk)
    rows.sort(key=lambda r: (r.assignment is not None, r.mentor.display_name))
    now = timezone.now()
    sessions = list(
        SupervisionSession.objects.filter(programme=programme)
        .select_related("circle", "leader__profile", "mentor__profile", "programme")
        .annotate(present=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("starts_at")
    )
    return Overview(
        programme=programme,
        supervisors=list(
            Supervisor.objects.filter(programme=programme).select_related("person__profile")
        ),
        loads=supervisor_loads(programme),
        mentors=rows,
        circles=circles,
        draft=Formation.objects.filter(programme=programme, status=Formation.Status.DRAFT).first(),
        upcoming=[s for s in sessions if _coming(s, now)],
        past=[s for s in sessions if not _coming(s, now)][::-1][:20],
        open_concerns=Concern.objects.filter(programme=programme)
        .exclude(status=Concern.Status.CLOSED)
        .count(),
    )


def formation_circles(formation: Formation) -> list[Circle]:
    return list(
        formation.circles.select_related("supervisor__person__profile").prefetch_related(
            Prefetch("members", queryset=CircleMember.objects.select_related("mentor__profile"))
        )
    )


def programme_for_concerns(user: User, pk: int) -> Programme:
    programme = _get(Programme.objects.all(), pk, "programme", user)
    if not coordinates(user, programme):
        _refuse(
            user,
            programme,
            "Only the programme's coordinators read its concerns.",
            what="programme",
        )
    return programme


def concerns_for_programme(programme: Programme) -> QuerySet[Concern]:
    """Open concerns first (newest first), then the closed ones."""
    return (
        Concern.objects.filter(programme=programme)
        .select_related(
            "mentorship__mentor__profile", "mentorship__mentee__profile", "raised_by__profile"
        )
        .annotate(
            closed=Case(
                When(status=Concern.Status.CLOSED, then=1), default=0, output_field=IntegerField()
            )
        )
        .order_by("closed", "-created_at")
    )


def concerns_raised_by(user: User) -> QuerySet[Concern]:
    return Concern.objects.filter(raised_by=user).select_related(
        "programme", "mentorship__mentor__profile", "mentorship__mentee__profile"
    )


# --- A person's own supervision --------------------------------------------------------------


@dataclass
class MySupervision:
    """What one person sees on /supervision/: as a mentor, their supervisor, circle, sessions
    and topics; as a supervisor, their circles, mentors and sessions."""

    assignments: list[Assignment] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    upcoming: list[SupervisionSession] = field(default_factory=list)
    past: list[SupervisionSession] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    supervising: list[Supervisor] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)
    reflections: list = field(default_factory=list)
    brought_to_me: list[Topic] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.assignments or self.circles or self.upcoming or self.supervising)


def sessions_for(user: User) -> QuerySet[SupervisionSession]:
    """Sessions the person leads or is invited to, in any programme."""
    mentor_in = [pk for pk, roles in roles_by_programme(user).items() if Role.MENTOR in roles]
    return (
        SupervisionSession.objects.filter(
            Q(leader=user)
            | Q(mentor=user)
            | Q(circle__members__mentor=user, kind=SupervisionSession.Kind.GROUP)
            | Q(kind=SupervisionSession.Kind.INTRO, programme__in=mentor_in)
        )
        .select_related("programme", "circle", "leader__profile", "mentor__profile")
        .distinct()
        .order_by("starts_at")
    )


def my_supervision(user: User) -> MySupervision:
    now = timezone.now()
    sessions = list(sessions_for(user))
    return MySupervision(
        assignments=list(
            Assignment.objects.filter(mentor=user, ended_at__isnull=True).select_related(
                "programme", "supervisor__person__profile", "circle"
            )
        ),
        circles=list(
            Circle.objects.filter(
                Q(members__mentor=user) | Q(supervisor__person=user), status=Circle.Status.ACTIVE
            )
            .select_related("programme", "supervisor__person__profile")
            .prefetch_related("members__mentor__profile")
            .distinct()
        ),
        upcoming=[s for s in sessions if _coming(s, now)],
        past=[s for s in sessions if not _coming(s, now)][::-1][:12],
        topics=list(Topic.objects.filter(mentor=user).select_related("session", "programme")[:30]),
        supervising=list(
            Supervisor.objects.filter(person=user, active=True).select_related("programme")
        ),
        concerns=list(concerns_raised_by(user)[:10]),
        reflections=list(reflections_of(user)[:10]),
        brought_to_me=list(
            topics_readable(user)
            .exclude(mentor=user)
            .select_related("session")
            .order_by("status", "-created_at")[:30]
        ),
    )


def mentor_programmes(user: User) -> list[Programme]:
    ids = [pk for pk, roles in roles_by_programme(user).items() if Role.MENTOR in roles]
    return list(Programme.objects.filter(pk__in=ids).order_by("name"))


def topics_for_session(session: SupervisionSession, user: User) -> list[Topic]:
    """The leader sees every topic brought to the session; a mentor sees their own."""
    topics = session.topics.select_related("mentor__profile").order_by("created_at")
    if session.leader_id != user.pk:
        topics = topics.filter(mentor=user)
    return list(topics)


def coach_note_for(session: SupervisionSession, user: User) -> CoachNote | None:
    """The reader's own note of the session, and nobody else's."""
    return CoachNote.objects.filter(session=session, author=user).first()


def summary_readable(session: SupervisionSession, user: User) -> bool:
    if session.leader_id == user.pk:
        return True
    return session.attendance.filter(mentor=user, present=True).exists()


# --- A supervisor's caseload ------------------------------------------------------------------


@dataclass
class CaseRow:
    mentor: User
    programme: Programme
    circle: Circle | None
    pairs: list = field(default_factory=list)  # PairHealth of the mentor's mentorships
    mentees: int = 0
    last_supervision: datetime.datetime | None = None
    open_topics: dict[str, int] = field(default_factory=dict)
    strain: bool = False
    training_due: str = ""

    @property
    def troubled(self) -> list:
        return [
            p for p in self.pairs if p.state in (State.STRUGGLING, State.QUIET, State.ATTENTION)
        ]

    @property
    def attention(self) -> list[str]:
        """Why this mentor needs a look, most pressing first."""
        reasons = []
        if self.strain:
            reasons.append("under strain (a restorative topic)")
        for pair in self.troubled:
            reasons.append(
                f"mentorship with {pair.mentorship.mentee.display_name}: {pair.state_label.lower()}"
            )
        if self.last_supervision is None:
            reasons.append("no supervision attended yet")
        elif timezone.now() - self.last_supervision > QUIET_SUPERVISION:
            day = self.last_supervision.date()
            reasons.append(f"no supervision since {day.day} {day:%B}")
        if self.training_due:
            reasons.append(self.training_due)
        return reasons

    @property
    def untagged(self) -> int:
        return self.open_topics.get("", 0)


def caseload(user: User) -> list[CaseRow]:
    """Each mentor the person supervises (in any programme), with their mentorships' health,
    mentee load, last supervision, open topics by function, strain and training due; the ones
    needing attention first. A fixed number of queries per programme, whatever the caseload."""
    assignments = list(
        Assignment.objects.filter(
            supervisor__person=user, supervisor__active=True, ended_at__isnull=True
        ).select_related("programme", "mentor__profile", "circle")
    )
    by_programme: dict[int, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_programme[a.programme_id].append(a)
    rows: list[CaseRow] = []
    for items in by_programme.values():
        programme = items[0].programme
        ids = [a.mentor_id for a in items]
        health = defaultdict(list)
        for pair in programme_health(programme):
            if pair.mentorship.mentor_id in ids:
                health[pair.mentorship.mentor_id].append(pair)
        last = last_supervision(programme, ids)
        topics: dict[int, dict[str, int]] = defaultdict(dict)
        strain: set[int] = set()
        for mentor_id, function, strained, n in (
            Topic.objects.filter(programme=programme, mentor__in=ids, status=Topic.Status.OPEN)
            .values("mentor", "function", "strain")
            .annotate(n=Count("pk"))
            .values_list("mentor", "function", "strain", "n")
        ):
            topics[mentor_id][function] = topics[mentor_id].get(function, 0) + n
            if strained:
                strain.add(mentor_id)
        standings = Standings(programme, ids)
        for a in items:
            pairs = health.get(a.mentor_id, [])
            standing = standings.of(a.mentor_id, MENTOR)
            rows.append(
                CaseRow(
                    mentor=a.mentor,
                    programme=programme,
                    circle=a.circle,
                    pairs=pairs,
                    mentees=sum(
                        1 for p in pairs if p.mentorship.status == Mentorship.Status.ACTIVE
                    ),
                    last_supervision=last.get(a.mentor_id),
                    open_topics=topics.get(a.mentor_id, {}),
                    strain=a.mentor_id in strain,
                    training_due="" if standing.met else standing.blocker_text(),
                )
            )
    rows.sort(key=lambda r: (not r.strain, -len(r.attention), r.mentor.display_name))
    return rows


FUNCTIONS = list(Function.choices)


# --- Coordinators' check-ins with mentors ----------------------------------------------------


@dataclass
class CheckInRow:
    mentor: User
    last: CheckIn | None
    due_on: datetime.date

    @property
    def due(self) -> bool:
        return self.due_on <= timezone.localdate()


def check_ins(programme: Programme) -> tuple[int, list[CheckInRow]]:
    """Every mentor of the programme with their last check-in and when the next is due (the
    start of the programme counts as the first), those due first. Three queries."""
    every = (
        CheckInSettings.objects.filter(programme=programme)
        .values_list("every_weeks", flat=True)
        .first()
        or CheckInSettings._meta.get_field("every_weeks").default
    )
    mentors = programme_mentors(programme)
    last: dict[int, CheckIn] = {}
    for row in CheckIn.objects.filter(programme=programme).select_related("by__profile"):
        if row.mentor_id not in last:  # newest first
            last[row.mentor_id] = row
    step = datetime.timedelta(weeks=every)
    rows = [
        CheckInRow(
            mentor=m,
            last=last.get(m.pk),
            due_on=(last[m.pk].held_on if m.pk in last else programme.start_date) + step,
        )
        for m in mentors
    ]
    rows.sort(key=lambda r: (r.due_on, r.mentor.display_name))
    return every, rows


def check_ins_due(programme_ids: list[int]) -> dict[int, int]:
    """How many mentors are due a check-in, per running programme (three queries)."""
    today = timezone.localdate()
    programmes = {
        p.pk: p for p in Programme.objects.filter(pk__in=programme_ids, phase=Phase.RUNNING)
    }
    if not programmes:
        return {}
    weeks = dict(
        CheckInSettings.objects.filter(programme__in=programmes).values_list(
            "programme_id", "every_weeks"
        )
    )
    default = CheckInSettings._meta.get_field("every_weeks").default
    last = {
        (row["programme"], row["mentor"]): row["last"]
        for row in CheckIn.objects.filter(programme__in=programmes)
        .values("programme", "mentor")
        .annotate(last=Max("held_on"))
    }
    due: dict[int, int] = {}
    for programme_id, mentor_id in ProgrammeRole.objects.filter(
        programme__in=programmes, role=Role.MENTOR, user__is_active=True
    ).values_list("programme_id", "user_id"):
        start = last.get((programme_id, mentor_id)) or programmes[programme_id].start_date
        step = datetime.timedelta(weeks=weeks.get(programme_id, default))
        if start + step <= today:
            due[programme_id] = due.get(programme_id, 0) + 1
    return due


# --- Reflections -----------------------------------------------------------------------------


def reflection_get_for_user(user: User, pk: int) -> Reflection:
    """A reflection is its author's alone: anyone else is told there is none."""
    reflection = _get(
        Reflection.objects.select_related("mentorship__mentee__profile", "topic", "meeting"),
        pk,
        "reflection",
        user,
    )
    if reflection.author_id != user.pk:
        raise Http404("No such reflection.")
    return reflection


def reflections_of(user: User) -> QuerySet[Reflection]:
    return Reflection.objects.filter(author=user).select_related(
        "mentorship__mentee__profile", "topic", "meeting"
    )


def agreements_to_sign(user: User) -> list[SupervisionAgreement]:
    """Supervision agreements this person is between whose latest version they have not
    signed (active circles they are in or lead, their individual supervision). Four queries."""
    circles = Circle.objects.filter(
        Q(members__mentor=user) | Q(supervisor__person=user), status=Circle.Status.ACTIVE
    ).values("pk")
    individual = Assignment.objects.filter(
        Q(mentor=user) | Q(supervisor__person=user), ended_at__isnull=True, circle__isnull=True
    )
    pairs = {(a.supervisor_id, a.mentor_id) for a in individual}
    agreements = list(
        SupervisionAgreement.objects.filter(
            Q(circle__in=circles)
            | Q(circle__isnull=True, supervisor__person=user)
            | Q(circle__isnull=True, mentor=user)
        )
        .select_related("circle", "mentor__profile")
        .prefetch_related("versions__signatures")
    )
    waiting = []
    for agreement in agreements:
        if (
            agreement.circle_id is None
            and (agreement.supervisor_id, agreement.mentor_id) not in pairs
        ):
            continue
        versions = sorted(agreement.versions.all(), key=lambda v: -v.number)
        if versions and user.pk not in {s.user_id for s in versions[0].signatures.all()}:
            agreement.waiting_number = versions[0].number
            waiting.append(agreement)
    return waiting


def without_supervisor(programme_ids: list[int]) -> list[tuple[Programme, int]]:
    """Running programmes with supervisors where some mentors have none, and how many (three
    queries)."""
    programmes = {
        p.pk: p
        for p in Programme.objects.filter(
            pk__in=programme_ids,
            phase=Phase.RUNNING,
            supervisors__active=True,
        ).distinct()
    }
    if not programmes:
        return []
    mentors: dict[int, set[int]] = defaultdict(set)
    for programme_id, user_id in ProgrammeRole.objects.filter(
        programme__in=programmes, role=Role.MENTOR, user__is_active=True
    ).values_list("programme_id", "user_id"):
        mentors[programme_id].add(user_id)
    for programme_id, user_id in Assignment.objects.filter(
        programme__in=programmes, ended_at__isnull=True
    ).values_list("programme_id", "mentor_id"):
        mentors[programme_id].discard(user_id)
    return [(programmes[pk], len(left)) for pk, left in sorted(mentors.items()) if left]


# --- Support outside the programme, and every mentor's coverage ------------------------------


def external_support_get_for_user(user: User, pk: int) -> ExternalSupport:
    """The mentor it is theirs and the programme's coordinators; others are refused."""
    support = _get(
        ExternalSupport.objects.select_related("programme", "mentor__profile"),
        pk,
        "support",
        user,
    )
    if support.mentor_id == user.pk or is_coordinator(user, support.programme):
        return support
    _refuse(
        user,
        support.programme,
        "A mentor's outside support is theirs and the coordinators'.",
        what="support",
    )


def external_supports_of(user: User) -> QuerySet[ExternalSupport]:
    return ExternalSupport.objects.filter(mentor=user, ended_on__isnull=True).select_related(
        "programme"
    )


@dataclass
class CoverageRow:
    mentor: User
    assignment: Assignment | None
    circle: Circle | None
    external: list[ExternalSupport]
    last_check_in: datetime.date | None
    answer: SupportAnswer | None = None
    peer: Mentorship | None = None
    # Support other apps report through ``extensions.mentor_supports`` (a community, say).
    elsewhere: list[str] = field(default_factory=list)

    @property
    def supports(self) -> list[str]:
        """Each support in words: "Supervisor: Gareth Hughes (Circle A)", "External
        supervisor: ..."."""
        found = []
        if self.assignment is not None:
            where = self.circle.name if self.circle else "one to one"
            found.append(f"Supervisor: {self.assignment.supervisor.person.display_name} ({where})")
        if self.peer is not None:
            found.append(f"Peer partner: {self.peer.other(self.mentor).display_name}")
        for support in self.external:
            how = f", {support.how_often}" if support.how_often else ""
            funded = ", funded" if support.funded else ""
            found.append(f"{support.get_kind_display()}: {support.who}{how}{funded}")
        return found + self.elsewhere

    @property
    def covered(self) -> bool:
        return bool(self.supports)


def coverage(programme: Programme) -> list[CoverageRow]:
    """Every mentor of the programme with the support they have (supervision, a circle, a
    peer partner, support outside the programme, and what other apps report) and their last
    check-in with a coordinator; those with none first. A fixed number of queries, whatever
    the number of mentors."""
    mentors = programme_mentors(programme)
    assignments = {
        a.mentor_id: a
        for a in Assignment.objects.filter(
            programme=programme, ended_at__isnull=True
        ).select_related("supervisor__person__profile", "circle")
    }
    external: dict[int, list[ExternalSupport]] = defaultdict(list)
    for support in ExternalSupport.objects.filter(programme=programme, ended_on__isnull=True):
        external[support.mentor_id].append(support)
    checked = dict(
        CheckIn.objects.filter(programme=programme)
        .values("mentor")
        .annotate(last=Max("held_on"))
        .values_list("mentor", "last")
    )
    rows = [
        CoverageRow(
            mentor=m,
            assignment=assignments.get(m.pk),
            circle=assignments[m.pk].circle if m.pk in assignments else None,
            external=external.get(m.pk, []),
            last_check_in=checked.get(m.pk),
        )
        for m in mentors
    ]
    ask = latest_ask(programme)
    answers = (
        {a.mentor_id: a for a in SupportAnswer.objects.filter(ask=ask)} if ask is not None else {}
    )
    elsewhere = extensions.mentor_supports_for(programme, [m.pk for m in mentors])
    peers: dict[int, Mentorship] = {}
    for partnership in peer_partnerships(programme):
        peers[partnership.mentor_id] = peers[partnership.mentee_id] = partnership
    for row in rows:
        row.answer = answers.get(row.mentor.pk)
        row.peer = peers.get(row.mentor.pk)
        row.elsewhere = elsewhere.get(row.mentor.pk, [])
    rows.sort(key=lambda r: (r.covered, len(r.supports), r.mentor.display_name))
    return rows


def latest_ask(programme: Programme) -> SupportAsk | None:
    return SupportAsk.objects.filter(programme=programme).first()


def ask_get_for_user(user: User, pk: int) -> SupportAsk:
    """The programme's coordinators and mentors; others are refused."""
    ask = _get(SupportAsk.objects.select_related("programme"), pk, "question", user)
    roles = roles_by_programme(user).get(ask.programme_id, set())
    if Role.MENTOR in roles or is_coordinator(user, ask.programme):
        return ask
    _refuse(
        user,
        ask.programme,
        "The question is for the programme's mentors.",
        what="question",
    )


def asks_unanswered(user: User) -> list[SupportAsk]:
    """The latest question of each programme the person mentors in, if unanswered and
    asked in the last 60 days (two queries)."""
    mentor_in = [pk for pk, roles in roles_by_programme(user).items() if Role.MENTOR in roles]
    if not mentor_in:
        return []
    since = timezone.now() - datetime.timedelta(days=60)
    latest: dict[int, SupportAsk] = {}
    for ask in SupportAsk.objects.filter(
        programme__in=mentor_in, created_at__gte=since
    ).select_related("programme"):
        latest.setdefault(ask.programme_id, ask)
    answered = set(
        SupportAnswer.objects.filter(mentor=user, ask__in=list(latest.values())).values_list(
            "ask_id", flat=True
        )
    )
    return [a for a in latest.values() if a.pk not in answered]


# --- Peer partnerships -----------------------------------------------------------------------

PEERS_COORDINATORS = "Only the programme's coordinators pair mentors with peers."


def peer_request_get_for_user(user: User, pk: int) -> PeerRequest:
    """The mentor who asked and the programme's coordinators; others are refused."""
    request = _get(
        PeerRequest.objects.select_related("programme", "mentor__profile"),
        pk,
        "request",
        user,
    )
    if request.mentor_id == user.pk or is_coordinator(user, request.programme):
        return request
    _refuse(
        user,
        request.programme,
        "A request for a peer partner is the mentor's and the coordinators'.",
        what="request",
    )


def peer_round_get_for_user(user: User, pk: int) -> PeerRound:
    round_ = _get(PeerRound.objects.select_related("programme"), pk, "proposal", user)
    if not is_coordinator(user, round_.programme):
        _refuse(user, round_.programme, PEERS_COORDINATORS, what="proposal")
    return round_


def peer_match_get_for_user(user: User, pk: int) -> PeerMatch:
    match = _get(
        PeerMatch.objects.select_related("round__programme", "first", "second"), pk, "pair", user
    )
    if not is_coordinator(user, match.round.programme):
        _refuse(user, match.round.programme, PEERS_COORDINATORS, what="pair")
    return match


def peer_partnerships(programme: Programme, *, active: bool = True) -> QuerySet[Mentorship]:
    found = Mentorship.peers.filter(programme=programme).select_related(
        "mentor__profile", "mentee__profile"
    )
    if active:
        found = found.filter(status=Mentorship.Status.ACTIVE)
    return found.order_by("-started_on", "pk")


@dataclass
class PeersOverview:
    requests: list[PeerRequest]
    round: PeerRound | None
    matches: list[PeerMatch]
    unpaired: list[tuple[User, str]]
    partnerships: list[Mentorship]
    opted_in: int  # mentors whose answer names a peer partnership, without one


def peers_overview(programme: Programme) -> PeersOverview:
    """The coordinator's page: who asked, the draft proposal, the partnerships (six queries)."""
    requests = list(
        PeerRequest.objects.filter(programme=programme, status=PeerRequest.Status.OPEN)
        .select_related("mentor__profile")
        .order_by("created_at", "pk")
    )
    round_ = PeerRound.objects.filter(programme=programme, status=PeerRound.Status.DRAFT).first()
    matches = (
        list(round_.matches.select_related("first__profile", "second__profile"))
        if round_ is not None
        else []
    )
    people = (
        {
            u.pk: u
            for u in User.objects.filter(
                pk__in=[row["mentor"] for row in round_.unpaired]
            ).select_related("profile")
        }
        if round_ is not None and round_.unpaired
        else {}
    )
    unpaired = [
        (people[row["mentor"]], row["reason"])
        for row in (round_.unpaired if round_ is not None else [])
        if row["mentor"] in people
    ]
    partnerships = list(peer_partnerships(programme))
    partnered = {p.mentor_id for p in partnerships} | {p.mentee_id for p in partnerships}
    asked = {r.mentor_id for r in requests}
    ask = latest_ask(programme)
    opted_in = (
        sum(
            1
            for mentor_id, ways in SupportAnswer.objects.filter(ask=ask).values_list(
                "mentor_id", "ways"
            )
            if Way.PEER in ways and mentor_id not in partnered | asked
        )
        if ask is not None
        else 0
    )
    return PeersOverview(requests, round_, matches, unpaired, partnerships, opted_in)


@dataclass
class MyPeer:
    programme: Programme
    partnership: Mentorship | None
    request: PeerRequest | None


def my_peers(user: User) -> list[MyPeer]:
    """For each programme the person mentors in: their peer partner, or their open request
    (three queries)."""
    today = timezone.localdate()
    programmes = [p for p in mentor_programmes(user) if p.end_date > today]
    if not programmes:
        return []
    partnerships = {
        m.programme_id: m
        for m in Mentorship.peers.filter(
            Q(mentor=user) | Q(mentee=user),
            programme__in=programmes,
            status=Mentorship.Status.ACTIVE,
        ).select_related("mentor__profile", "mentee__profile")
    }
    requests = {
        r.programme_id: r
        for r in PeerRequest.objects.filter(
            mentor=user, programme__in=programmes, status=PeerRequest.Status.OPEN
        )
    }
    return [MyPeer(p, partnerships.get(p.pk), requests.get(p.pk)) for p in programmes]


@dataclass
class PeerWant:
    help_labels: list[str]
    words: str


def peer_wants(mentorship: Mentorship) -> dict[int, PeerWant]:
    """What each partner said they would want from a peer partner, in the request this
    partnership answered. Nothing else: a request withdrawn or made for an earlier pairing was
    not written for this partner, and an answer to "what support would you appreciate?" was
    given to the coordinators alone. One query."""
    return {
        r.mentor_id: PeerWant(r.help_labels, r.about)
        for r in PeerRequest.objects.filter(partnership=mentorship)
    }


@dataclass(frozen=True)
class Attended:
    """One supervision session a mentor attended: marked present, not cancelled."""

    mentor_id: int
    programme_id: int
    starts_at: datetime.datetime
    minutes: int


def supervision_attended(mentor_ids: list[int]) -> list[Attended]:
    """Every session each of these mentors attended, in any programme, oldest first (one
    query). The recognition app reads it for a mentor's record and the supervision year."""
    return [
        Attended(*row)
        for row in Attendance.objects.filter(
            mentor__in=mentor_ids,
            present=True,
            session__status=SupervisionSession.Status.SCHEDULED,
        )
        .order_by("session__starts_at", "session_id")
        .values_list("mentor_id", "session__programme_id", "session__starts_at", "session__minutes")
    ]
