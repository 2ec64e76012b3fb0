"""Writes for supervision: supervisors and their places, circles (by hand, or proposed by the
engine, edited and published), sessions and their registers, topics and their tags, the coach's
own notes, and concerns.

Permission to act is checked by the access helpers in ``selectors``; the rules of the process
(a supervisor's places, a circle's size, who leads a session, who may raise a concern) are
checked here, so that pages, the API and the demo follow the same ones. A supervisor's places
are never oversubscribed: every service that gives a supervisor a mentor locks the supervisor's
row first, then counts.
"""

from __future__ import annotations

import datetime
import string
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core import agreements, audit
from mentorcraft.core.errors import TransitionError
from mentorcraft.matching.engine.groups import Coach as EngineCoach
from mentorcraft.matching.engine.groups import form_groups
from mentorcraft.matching.engine.model import InstanceError, Person, utc_offset_hours
from mentorcraft.matching.engine.peers import peer_pairs
from mentorcraft.mentorships.models import Meeting, Mentorship
from mentorcraft.mentorships.services import mentorship_create_peer
from mentorcraft.notifications.services import absolute_url, email_queue
from mentorcraft.people.models import Profile, User
from mentorcraft.programmes.models import Programme, ProgrammeRole, Role
from mentorcraft.programmes.services import email_coordinators
from mentorcraft.support.ics import session_invitation, session_times
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
    Help,
    PeerMatch,
    PeerRequest,
    PeerRound,
    Practice,
    Reflection,
    SupervisionAgreement,
    SupervisionAgreementSignature,
    SupervisionAgreementVersion,
    SupervisionSession,
    Supervisor,
    SupportAnswer,
    SupportAsk,
    Topic,
    Way,
)
from mentorcraft.support.selectors import agreement_signers, programme_mentors, sessions_for
from mentorcraft.training.selectors import can_lead_supervision
from mentorcraft.training.tiers import MENTOR, tiers_for

# The register opens an hour before the start and stays open two months after it.
ATTENDANCE_OPENS_BEFORE = datetime.timedelta(hours=1)
ATTENDANCE_OPEN_FOR = datetime.timedelta(days=60)
# Members of one circle should be able to meet in working hours.
TIME_ZONE_WINDOW = 4.0


def _require_mentor(programme: Programme, person: User) -> None:
    if not person.programme_roles.filter(programme=programme, role=Role.MENTOR).exists():
        raise ValidationError({"mentor": f"{person.display_name} is not a mentor here."})


def _same_line(a: User, b: User) -> bool:
    """Line manager and direct report, either way round."""
    return (
        getattr(a.profile, "line_manager_id", None) == b.pk
        or getattr(b.profile, "line_manager_id", None) == a.pk
    )


# --- Supervisors and their places -----------------------------------------------------------


@transaction.atomic
def supervisor_add(
    *, programme: Programme, person: User, kind: str, capacity: int, by: User
) -> Supervisor:
    """Someone supervises mentors here. An internal coach must be an active member of the coach
    cadre with valid coach training; an external supervisor is engaged by the programme."""
    if kind not in Supervisor.Kind.values:
        raise ValidationError({"kind": "Choose internal coach or external supervisor."})
    if person.programme_roles.filter(programme=programme, role=Role.MENTEE).exists():
        raise ValidationError(
            {
                "person": f"{person.display_name} is a mentee in this programme; a supervisor "
                "stands outside the pairs they supervise."
            }
        )
    if kind == Supervisor.Kind.INTERNAL and not can_lead_supervision(person):
        raise ValidationError(
            {
                "person": f"{person.display_name} cannot lead supervision yet: an internal coach "
                "is an active member of the coach cadre with valid coach training."
            }
        )
    supervisor, created = Supervisor.objects.get_or_create(
        programme=programme,
        person=person,
        defaults={"kind": kind, "capacity": capacity, "added_by": by},
    )
    if not created:
        if supervisor.active:
            raise ValidationError({"person": f"{person.display_name} already supervises here."})
        supervisor.active, supervisor.kind, supervisor.capacity = True, kind, capacity
        supervisor.save(update_fields=["active", "kind", "capacity", "updated_at"])
    supervisor.full_clean()
    email_queue(
        to=[person.email],
        subject=f"You are supervising mentors in {programme.name}",
        template="support/email/supervisor_added.txt",
        context={
            "person": person,
            "programme": programme,
            "supervisor": supervisor,
            "url": absolute_url("/supervision/"),
        },
    )
    return supervisor


def _kept_loads(programme_id: int, leaving: Iterable[int]) -> dict[int, int]:
    """Each supervisor's mentors now, not counting those about to leave them (one query)."""
    leaving = set(leaving)
    loads: dict[int, int] = {}
    for supervisor_id, mentor_id in Assignment.objects.filter(
        programme=programme_id, ended_at__isnull=True
    ).values_list("supervisor_id", "mentor_id"):
        if mentor_id not in leaving:
            loads[supervisor_id] = loads.get(supervisor_id, 0) + 1
    return loads


def _load(supervisor: Supervisor, *, leaving: Iterable[int] = ()) -> int:
    """Mentors the supervisor has now, not counting those about to leave them."""
    return (
        supervisor.assignments.filter(ended_at__isnull=True)
        .exclude(mentor__in=list(leaving))
        .count()
    )


@transaction.atomic
def supervisor_update(
    *, supervisor: Supervisor, by: User, capacity: int | None = None, active: bool | None = None
) -> Supervisor:
    supervisor = Supervisor.objects.select_for_update(of=("self",)).get(pk=supervisor.pk)
    load = _load(supervisor)
    if capacity is not None:
        if capacity < load:
            raise ValidationError(
                {
                    "capacity": f"They supervise {load} mentors now; the capacity cannot go below "
                    "that. Move mentors to another supervisor first."
                }
            )
        supervisor.capacity = capacity
    if active is False and load:
        raise TransitionError(
            f"{supervisor.person.display_name} still supervises {load} mentors; move them first."
        )
    if active is not None:
        supervisor.active = active
    supervisor.full_clean()
    supervisor.save()
    return supervisor


def _end_assignment(
    programme: Programme, mentor: User, now: datetime.datetime, *, keeping: int | None = None
) -> None:
    """End the mentor's open assignment; individual sessions to come with a supervisor they
    no longer have (not ``keeping``) are cancelled, and everyone invited is told."""
    ending = Assignment.objects.filter(programme=programme, mentor=mentor, ended_at__isnull=True)
    leaving = [a.supervisor.person_id for a in ending.select_related("supervisor")]
    ending.update(ended_at=now)
    if keeping is not None:
        leaving = [pk for pk in leaving if pk != keeping]
    if leaving:
        _cancel_coming(
            SupervisionSession.objects.filter(
                programme=programme,
                kind=SupervisionSession.Kind.INDIVIDUAL,
                mentor=mentor,
                leader__in=leaving,
            )
        )


def _cancel_coming(sessions) -> None:  # noqa: ANN001 - a QuerySet of sessions
    """Cancel the sessions still to come among these, telling everyone invited (CANCEL)."""
    for session in sessions.filter(
        status=SupervisionSession.Status.SCHEDULED,
        starts_at__gt=timezone.now(),
        attendance_taken_at__isnull=True,
    ).select_related("circle", "leader__profile", "mentor__profile", "programme"):
        session.status = SupervisionSession.Status.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence", "updated_at"])
        _invite(session, invitees(session), template="support/email/session_cancelled.txt")


@transaction.atomic
def assign(
    *,
    programme: Programme,
    mentor: User,
    supervisor: Supervisor,
    by: User,
    circle: Circle | None = None,
    notify: bool = True,
) -> Assignment:
    """Give the mentor this supervisor (one to one, or through a circle), ending the one they
    had. Refused when the supervisor has no free place, or would supervise their own line
    manager or direct report."""
    _require_mentor(programme, mentor)
    supervisor = (
        Supervisor.objects.select_for_update(of=("self",))
        .select_related("person__profile")
        .get(pk=supervisor.pk)
    )
    if supervisor.programme_id != programme.pk or not supervisor.active:
        raise ValidationError({"supervisor": "Choose one of this programme's supervisors."})
    if supervisor.person_id == mentor.pk:
        raise ValidationError({"supervisor": "A mentor cannot supervise themselves."})
    if Mentorship.objects.filter(
        programme=programme, mentor=mentor, mentee=supervisor.person_id
    ).exists():
        raise ValidationError(
            {
                "supervisor": f"{supervisor.person.display_name} is {mentor.display_name}'s "
                "mentee; a mentor is never supervised by their own mentee."
            }
        )
    if _same_line(supervisor.person, mentor):
        raise ValidationError(
            {
                "supervisor": f"{supervisor.person.display_name} is {mentor.display_name}'s line "
                "manager or direct report; supervision needs someone outside the line."
            }
        )
    current = Assignment.objects.filter(
        programme=programme, mentor=mentor, ended_at__isnull=True
    ).first()
    if (
        current
        and current.supervisor_id == supervisor.pk
        and current.circle_id == (circle.pk if circle else None)
    ):
        return current
    if _load(supervisor, leaving=[mentor.pk]) >= supervisor.capacity:
        raise ValidationError(
            {
                "supervisor": f"{supervisor.person.display_name} has no free place: all "
                f"{supervisor.capacity} are taken. Raise their capacity or choose someone else."
            }
        )
    now = timezone.now()
    _end_assignment(programme, mentor, now, keeping=supervisor.person_id)
    if circle is None:
        # One to one now: out of any circle they were in.
        CircleMember.objects.filter(
            mentor=mentor, circle__programme=programme, circle__status=Circle.Status.ACTIVE
        ).delete()
    assignment = Assignment.objects.create(
        programme=programme, mentor=mentor, supervisor=supervisor, circle=circle, assigned_by=by
    )
    if notify:
        email_queue(
            to=[mentor.email],
            subject=f"Your supervisor in {programme.name}",
            template="support/email/assigned.txt",
            context={
                "person": mentor,
                "programme": programme,
                "supervisor": supervisor,
                "circle": circle,
                "url": absolute_url("/supervision/"),
            },
        )
    return assignment


@transaction.atomic
def unassign(*, programme: Programme, mentor: User, by: User) -> None:
    if CircleMember.objects.filter(
        mentor=mentor, circle__programme=programme, circle__status=Circle.Status.ACTIVE
    ).exists():
        raise TransitionError(
            f"{mentor.display_name} is in a circle; take them out of the circle instead."
        )
    _end_assignment(programme, mentor, timezone.now())


# --- Circles: proposed by the engine, edited, published ------------------------------------


def _letters(used: Iterable[str]) -> Iterable[str]:
    taken = set(used)
    for size in (1, 2):
        for letters in _combinations(size):
            name = f"Circle {letters}"
            if name not in taken:
                yield name


def _combinations(size: int) -> Iterable[str]:
    if size == 1:
        yield from string.ascii_uppercase
    else:
        for a in string.ascii_uppercase:
            for b in string.ascii_uppercase:
                yield a + b


def _tz_label(offset: float) -> str:
    hours, rest = divmod(abs(offset), 1)
    sign = "-" if offset < 0 else "+"
    return f"UTC{sign}{int(hours)}" + (f":{int(rest * 60):02d}" if rest else "")


def circle_reasons(
    members: list[User],
    supervisor: Supervisor | None,
    tiers: dict[int, object],
    seats: int,
    *,
    chosen: str = "the supervisor with the most room left, nearest in time zone.",
) -> list[str]:
    """Why a circle is as it is, in words: the mix of tiers, the time zones, the line rule, and
    the supervisor's places. ``seats`` is the supervisor's mentors once this circle is theirs."""
    reasons = []
    if len(members) < Circle.MIN_SIZE:
        reasons.append(
            f"{len(members)} mentor{'s' if len(members) != 1 else ''} so far: a circle needs "
            f"{Circle.MIN_SIZE} to {Circle.MAX_SIZE}."
        )
    counts: dict[str, int] = {}
    for person in members:
        tier = tiers.get(person.pk)
        label = tier.label.lower() if tier is not None else "new"
        counts[label] = counts.get(label, 0) + 1
    order = ["veteran", "experienced", "new"]
    mix = ", ".join(f"{counts[k]} {k}" for k in order if k in counts)
    if len(counts) > 1:
        reasons.append(f"Mixes experience: {mix}.")
    elif len(members) >= Circle.MIN_SIZE:
        reasons.append(f"All {mix}: no other tier was left to mix in.")
    offsets = [utc_offset_hours(person.profile.time_zone) for person in members]
    if offsets:
        low, high = min(offsets), max(offsets)
        if low == high:
            reasons.append(f"Everyone is at {_tz_label(low)}.")
        elif high - low <= TIME_ZONE_WINDOW:
            reasons.append(
                f"Time zones from {_tz_label(low)} to {_tz_label(high)}: working hours overlap."
            )
        else:
            reasons.append(
                f"Time zones from {_tz_label(low)} to {_tz_label(high)}, {high - low:g} hours "
                "apart: too few mentors nearby for a circle of their own, so fewer shared "
                "working hours. Consider one-to-one supervision for someone far away."
            )
    clash = [(a, b) for a in members for b in members if a.pk < b.pk and _same_line(a, b)]
    if supervisor is not None:
        clash += [(supervisor.person, m) for m in members if _same_line(supervisor.person, m)]
    reasons.append(
        "Nobody is with their line manager or a direct report, supervisor included."
        if not clash
        else "Breaks the line rule: "
        + "; ".join(f"{a.display_name} and {b.display_name}" for a, b in clash)
        + "."
    )
    if supervisor is not None:
        over = seats > supervisor.capacity
        reasons.append(
            f"{supervisor.person.display_name} supervises it: {seats} of "
            f"{supervisor.capacity} places used"
            + (", more than they have." if over else f"{'; ' + chosen if chosen else '.'}")
        )
    elif chosen.startswith("the supervisor with"):
        reasons.append("No supervisor had a free place: choose one before publishing.")
    else:
        reasons.append("No supervisor yet: choose one before publishing.")
    return reasons


def circle_problems(circles: list[Circle], *, exclude_from_load: Iterable[int] = ()) -> list[str]:
    """What stops these circles (members prefetched as ``members``) from being published:
    sizes, a person twice, line manager and report together, a supervisor over their places
    (counting the mentors they keep outside these circles), a supervisor supervising someone
    in their own line."""
    problems = []
    seen: dict[int, str] = {}
    seats: dict[int, int] = {}
    for circle in circles:
        people = [m.mentor for m in circle.members.all()]
        if not Circle.MIN_SIZE <= len(people) <= Circle.MAX_SIZE:
            problems.append(
                f"{circle.name} has {len(people)} mentor{'s' if len(people) != 1 else ''}; a "
                f"circle has {Circle.MIN_SIZE} to {Circle.MAX_SIZE}."
            )
        for person in people:
            if person.pk in seen:
                problems.append(f"{person.display_name} is in {seen[person.pk]} and {circle.name}.")
            seen[person.pk] = circle.name
        for a in people:
            for b in people:
                if a.pk < b.pk and _same_line(a, b):
                    problems.append(
                        f"{circle.name} puts {a.display_name} with {b.display_name}, their line "
                        "manager or report."
                    )
        if circle.supervisor is not None:
            seats[circle.supervisor_id] = seats.get(circle.supervisor_id, 0) + len(people)
            for person in people:
                if person.pk == circle.supervisor.person_id:
                    problems.append(f"{circle.name}'s supervisor is one of its members.")
                elif _same_line(person, circle.supervisor.person):
                    problems.append(
                        f"{circle.name}: {circle.supervisor.person.display_name} would supervise "
                        f"their own line manager or report, {person.display_name}."
                    )
    leaving = set(exclude_from_load) | set(seen)
    supervisors = {c.supervisor_id: c.supervisor for c in circles if c.supervisor is not None}
    loads = _kept_loads(circles[0].programme_id, leaving) if supervisors else {}
    for pk, supervisor in supervisors.items():
        kept = loads.get(pk, 0)
        if kept + seats[pk] > supervisor.capacity:
            problems.append(
                f"{supervisor.person.display_name} would have {kept + seats[pk]} mentors, over "
                f"their {supervisor.capacity} places."
            )
    return problems


def circle_warnings(circles: list[Circle]) -> list[str]:
    """What may be published but is worth a look: circles across too many time zones."""
    warnings = []
    for circle in circles:
        offsets = [utc_offset_hours(m.mentor.profile.time_zone) for m in circle.members.all()]
        if offsets and max(offsets) - min(offsets) > TIME_ZONE_WINDOW:
            warnings.append(
                f"{circle.name} spans {max(offsets) - min(offsets):g} hours of time zones: "
                "fewer shared working hours. Someone far away may do better one to one."
            )
    return warnings


def _supervisor_rows(programme: Programme) -> list[Supervisor]:
    return list(
        Supervisor.objects.filter(programme=programme, active=True).select_related(
            "person__profile"
        )
    )


@transaction.atomic
def formation_propose(*, programme: Programme, by: User, whole: bool = False) -> Formation:
    """Ask the engine for circles: tiers mixed, line managers and reports apart, time zones
    within reach, supervisors' caseloads balanced. ``whole`` re-forms every circle (mid-
    programme); otherwise only mentors without a circle are placed. Earlier drafts go."""
    Programme.objects.select_for_update(of=("self",)).filter(pk=programme.pk).first()
    mentors = programme_mentors(programme)
    in_circles = set(
        CircleMember.objects.filter(
            circle__programme=programme, circle__status=Circle.Status.ACTIVE
        ).values_list("mentor_id", flat=True)
    )
    pool = mentors if whole else [m for m in mentors if m.pk not in in_circles]
    if not pool:
        raise TransitionError("Every mentor has a circle. To start again, re-form every circle.")
    if len(pool) < Circle.MIN_SIZE:
        raise TransitionError(
            f"{len(pool)} mentor{'s' if len(pool) != 1 else ''} to place: a circle needs at "
            f"least {Circle.MIN_SIZE}."
            + ("" if whole else " Re-form all circles instead, or add mentors to a circle.")
        )
    tiers = tiers_for(pool, MENTOR, programme)
    people = [
        Person(
            id=str(m.pk),
            name=m.display_name,
            time_zone=m.profile.time_zone,
            manager=str(m.profile.line_manager_id) if m.profile.line_manager_id else None,
            years=float(m.profile.years_experience or 0),
            tier=tiers[m.pk].level,
        )
        for m in pool
    ]
    supervisors = _supervisor_rows(programme)
    pool_ids = {m.pk for m in pool}
    kept = _kept_loads(programme.pk, pool_ids)
    coaches = [
        EngineCoach(
            id=str(s.pk),
            capacity=40,
            time_zone=s.person.profile.time_zone,
            manager=str(s.person.profile.line_manager_id)
            if s.person.profile.line_manager_id
            else None,
            places=max(0, s.capacity - kept.get(s.pk, 0)),
        )
        for s in supervisors
    ]
    # The engine knows coaches by supervisor id; its line rule compares people's ids, so a
    # supervisor's own person id stands in for the check against members.
    by_person = {str(s.pk): str(s.person_id) for s in supervisors}
    for coach in coaches:
        coach.id = by_person[coach.id]
    try:
        result = form_groups(
            people,
            min_size=Circle.MIN_SIZE,
            max_size=Circle.MAX_SIZE,
            coaches=coaches,
            time_zone_window=TIME_ZONE_WINDOW,
        )
        if coaches and None in result.coaches:
            # Supervisors' places may fit smaller circles better (four places take a circle
            # of three, not of five): try as many circles as the sizes allow, keep the better.
            smaller = form_groups(
                people,
                min_size=Circle.MIN_SIZE,
                max_size=Circle.MAX_SIZE,
                coaches=coaches,
                time_zone_window=TIME_ZONE_WINDOW,
                fewest=False,
            )
            if smaller.coaches.count(None) < result.coaches.count(None):
                result = smaller
    except InstanceError as exc:
        raise TransitionError(f"The engine could not form circles: {exc}.") from exc
    Formation.objects.filter(programme=programme, status=Formation.Status.DRAFT).update(
        status=Formation.Status.DISCARDED
    )
    formation = Formation.objects.create(
        programme=programme, created_by=by, whole=whole, stats=result.stats
    )
    supervisor_of = {str(s.person_id): s for s in supervisors}
    # A name the programme has used (an ended circle's too) is not given again.
    used_names = list(
        Circle.objects.filter(programme=programme)
        .exclude(status=Circle.Status.PROPOSED)
        .values_list("name", flat=True)
    )
    names = _letters(used_names)
    by_pk = {m.pk: m for m in pool}
    seats: dict[int, int] = {}
    planned = []
    for members, coach in zip(result.groups, result.coaches, strict=True):
        supervisor = supervisor_of.get(coach) if coach else None
        people_here = [by_pk[int(m)] for m in members]
        used = 0
        if supervisor is not None:
            seats[supervisor.pk] = seats.get(supervisor.pk, 0) + len(people_here)
            used = kept.get(supervisor.pk, 0) + seats[supervisor.pk]
        circle = Circle(
            programme=programme,
            formation=formation,
            name=next(names),
            supervisor=supervisor,
            status=Circle.Status.PROPOSED,
            reasons=circle_reasons(people_here, supervisor, tiers, used),
        )
        planned.append((circle, people_here))
    made = Circle.objects.bulk_create([circle for circle, _ in planned])
    CircleMember.objects.bulk_create(
        [
            CircleMember(circle=circle, mentor=person)
            for circle, (_, people_here) in zip(made, planned, strict=True)
            for person in people_here
        ]
    )
    return formation


def _draft(formation: Formation) -> Formation:
    formation = Formation.objects.select_for_update(of=("self",)).get(pk=formation.pk)
    if formation.status != Formation.Status.DRAFT:
        raise TransitionError(
            "These circles were already published or set aside; propose again to change them."
        )
    return formation


def _refresh_reasons(circle: Circle, *, chosen: str = "chosen by a coordinator.") -> None:
    """Reasons again after an edit, counting places as publishing will leave them: the
    supervisor's mentors outside the draft's circles, plus those in its circles."""
    members = [m.mentor for m in circle.members.select_related("mentor__profile")]
    tiers = tiers_for(members, MENTOR, circle.programme)
    used = 0
    if circle.supervisor is not None:
        if circle.formation_id is not None:
            seats = CircleMember.objects.filter(circle__formation=circle.formation_id)
            leaving = set(seats.values_list("mentor_id", flat=True))
            if circle.formation.whole:
                leaving |= set(
                    Assignment.objects.filter(
                        programme=circle.programme_id, ended_at__isnull=True, circle__isnull=False
                    ).values_list("mentor_id", flat=True)
                )
            kept = _kept_loads(circle.programme_id, leaving).get(circle.supervisor_id, 0)
            used = kept + seats.filter(circle__supervisor=circle.supervisor_id).count()
        else:
            used = circle.supervisor.assignments.filter(ended_at__isnull=True).count()
    circle.reasons = circle_reasons(members, circle.supervisor, tiers, used, chosen=chosen)
    circle.save(update_fields=["reasons", "updated_at"])


@transaction.atomic
def formation_move(*, formation: Formation, mentor: User, to: Circle | None, by: User) -> Circle:
    """Move one mentor to another proposed circle of the same draft, or to a new one
    (``to=None``), which then needs a supervisor and two more mentors."""
    formation = _draft(formation)
    seat = CircleMember.objects.filter(circle__formation=formation, mentor=mentor).first()
    if seat is None:
        raise ValidationError({"mentor": "Choose a mentor from these circles."})
    if to is None:
        used = list(
            Circle.objects.filter(programme=formation.programme).values_list("name", flat=True)
        )
        to = Circle.objects.create(
            programme=formation.programme,
            formation=formation,
            name=next(_letters(used)),
            status=Circle.Status.PROPOSED,
        )
    if to.formation_id != formation.pk:
        raise ValidationError({"circle": "Choose one of these circles."})
    if seat.circle_id == to.pk:
        raise ValidationError({"circle": f"{mentor.display_name} is in {to.name} already."})
    source = seat.circle
    seat.circle = to
    seat.save(update_fields=["circle"])
    if not source.members.exists():
        source.delete()
    else:
        _refresh_reasons(source, chosen="")
    _refresh_reasons(to, chosen="")
    return to


@transaction.atomic
def circle_set_supervisor(*, circle: Circle, supervisor: Supervisor | None, by: User) -> Circle:
    """Choose a proposed circle's supervisor (or, for an active circle, change it: its mentors'
    assignments follow)."""
    if supervisor is not None and (
        supervisor.programme_id != circle.programme_id or not supervisor.active
    ):
        raise ValidationError({"supervisor": "Choose one of this programme's supervisors."})
    if circle.status == Circle.Status.PROPOSED:
        _draft(circle.formation)
        circle.supervisor = supervisor
        circle.save(update_fields=["supervisor", "updated_at"])
        _refresh_reasons(circle)
        return circle
    if circle.status != Circle.Status.ACTIVE:
        raise TransitionError("This circle has ended.")
    if supervisor is None:
        raise ValidationError({"supervisor": "An active circle needs a supervisor."})
    circle.supervisor = supervisor
    circle.save(update_fields=["supervisor", "updated_at"])
    for seat in circle.members.select_related("mentor__profile"):
        assign(
            programme=circle.programme,
            mentor=seat.mentor,
            supervisor=supervisor,
            by=by,
            circle=circle,
        )
    # The circle's sessions to come are led by the new supervisor; everyone gets the update.
    for session in circle.sessions.filter(
        status=SupervisionSession.Status.SCHEDULED,
        starts_at__gt=timezone.now(),
        attendance_taken_at__isnull=True,
    ).exclude(leader=supervisor.person):
        session.leader = supervisor.person
        session.sequence += 1
        session.save(update_fields=["leader", "sequence", "updated_at"])
        _invite(session, invitees(session), template="support/email/session_invitation.txt")
    _refresh_reasons(circle)
    return circle


@transaction.atomic
def formation_publish(*, formation: Formation, by: User) -> list[Circle]:
    """Make the proposed circles real: each mentor gets the circle's supervisor. Re-forming
    the whole programme ends the circles it had. Refused while any rule is broken."""
    formation = _draft(formation)
    programme = formation.programme
    Programme.objects.select_for_update(of=("self",)).filter(pk=programme.pk).first()
    circles = list(
        formation.circles.select_related("supervisor__person__profile").prefetch_related(
            "members__mentor__profile"
        )
    )
    # Lock the supervisors in one order, so two publishers cannot both take the last place.
    list(
        Supervisor.objects.select_for_update(of=("self",))
        .filter(pk__in={c.supervisor_id for c in circles if c.supervisor_id})
        .order_by("pk")
    )
    problems = circle_problems(circles)
    if any(c.supervisor is None for c in circles):
        problems.append("Every circle needs a supervisor.")
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    old = Circle.objects.filter(programme=programme, status=Circle.Status.ACTIVE)
    if formation.whole:
        ended = list(old)
    else:
        moving = {m.mentor_id for c in circles for m in c.members.all()}
        ended = list(old.filter(members__mentor__in=moving).distinct())
    for circle in ended:
        circle.status, circle.ended_at = Circle.Status.ENDED, now
        circle.save(update_fields=["status", "ended_at", "updated_at"])
        _cancel_coming(SupervisionSession.objects.filter(circle=circle))
    for circle in circles:
        circle.status = Circle.Status.ACTIVE
        circle.save(update_fields=["status", "updated_at"])
    for circle in circles:
        for seat in circle.members.all():
            _end_assignment(programme, seat.mentor, now, keeping=circle.supervisor.person_id)
    for circle in circles:
        for seat in circle.members.all():
            assign(
                programme=programme,
                mentor=seat.mentor,
                supervisor=circle.supervisor,
                by=by,
                circle=circle,
            )
    formation.status, formation.published_at = Formation.Status.PUBLISHED, now
    formation.save(update_fields=["status", "published_at", "updated_at"])
    for circle in circles:
        audit.record(
            actor=by,
            action="circle published",
            target=circle,
            detail=f"{circle.name}: {len(circle.members.all())} mentors with "
            f"{circle.supervisor.person.display_name}.",
        )
    for circle in circles:
        email_queue(
            to=[circle.supervisor.person.email],
            subject=f"{circle.name} in {programme.name}: your supervision circle",
            template="support/email/circle_for_coach.txt",
            context={
                "person": circle.supervisor.person,
                "circle": circle,
                "programme": programme,
                "members": [m.mentor for m in circle.members.all()],
                "url": absolute_url(circle.get_absolute_url()),
            },
        )
    return circles


@transaction.atomic
def formation_discard(*, formation: Formation, by: User) -> None:
    formation = _draft(formation)
    formation.status = Formation.Status.DISCARDED
    formation.save(update_fields=["status", "updated_at"])


@transaction.atomic
def circle_create(
    *, programme: Programme, name: str, supervisor: Supervisor, mentors: list[User], by: User
) -> Circle:
    """A circle formed by hand, active at once; its mentors leave any circle they were in."""
    Programme.objects.select_for_update(of=("self",)).filter(pk=programme.pk).first()
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the circle a name."})
    if Circle.objects.filter(
        programme=programme, status=Circle.Status.ACTIVE, name__iexact=name
    ).exists():
        raise ValidationError({"name": "An active circle has that name already."})
    for mentor in mentors:
        _require_mentor(programme, mentor)
    circle = Circle(programme=programme, name=name, supervisor=supervisor)
    problems = _hand_problems(circle, mentors)
    if problems:
        raise ValidationError({"mentors": problems})
    circle.save()
    now = timezone.now()
    for old in Circle.objects.filter(
        programme=programme, status=Circle.Status.ACTIVE, members__mentor__in=mentors
    ).exclude(pk=circle.pk):
        old.members.filter(mentor__in=mentors).delete()
    CircleMember.objects.bulk_create([CircleMember(circle=circle, mentor=m) for m in mentors])
    for mentor in mentors:
        _end_assignment(programme, mentor, now, keeping=supervisor.person_id)
        assign(programme=programme, mentor=mentor, supervisor=supervisor, by=by, circle=circle)
    _refresh_reasons(circle)
    audit.record(
        actor=by,
        action="circle formed",
        target=circle,
        detail=f"{circle.name}: {len(mentors)} mentors with {supervisor.person.display_name}.",
    )
    return circle


def _hand_problems(circle: Circle, mentors: list[User]) -> list[str]:
    problems = []
    if not Circle.MIN_SIZE <= len(mentors) <= Circle.MAX_SIZE:
        problems.append(f"Choose {Circle.MIN_SIZE} to {Circle.MAX_SIZE} mentors.")
    for a in mentors:
        if a.pk == circle.supervisor.person_id:
            problems.append(f"{a.display_name} supervises the circle; they cannot be a member.")
        elif _same_line(a, circle.supervisor.person):
            problems.append(
                f"{circle.supervisor.person.display_name} is {a.display_name}'s line manager "
                "or report."
            )
        for b in mentors:
            if a.pk < b.pk and _same_line(a, b):
                problems.append(f"{a.display_name} and {b.display_name} are in one line.")
    return problems


@transaction.atomic
def circle_end(*, circle: Circle, by: User) -> Circle:
    if circle.status != Circle.Status.ACTIVE:
        raise TransitionError("This circle is not active.")
    now = timezone.now()
    circle.status, circle.ended_at = Circle.Status.ENDED, now
    circle.save(update_fields=["status", "ended_at", "updated_at"])
    Assignment.objects.filter(circle=circle, ended_at__isnull=True).update(ended_at=now)
    _cancel_coming(SupervisionSession.objects.filter(circle=circle))
    return circle


# --- Sessions and their registers -----------------------------------------------------------


def invitees(session: SupervisionSession) -> list[User]:
    """Who a session is for: the circle's members, the one mentor, or every mentor of the
    programme (the introductory session)."""
    if session.kind == SupervisionSession.Kind.GROUP:
        return [m.mentor for m in session.circle.members.select_related("mentor__profile").all()]
    if session.kind == SupervisionSession.Kind.INDIVIDUAL:
        return [session.mentor]
    return programme_mentors(session.programme)


def _invite(session: SupervisionSession, people: list[User], *, template: str) -> None:
    for person in {p.pk: p for p in [*people, session.leader]}.values():
        email_queue(
            to=[person.email],
            subject=f"{session.title}" + (" (cancelled)" if session.status == "cancelled" else ""),
            template=template,
            context={
                "person": person,
                "session": session,
                "times": session_times(session, person),
                "url": absolute_url(session.get_absolute_url()),
            },
            attachments=[session_invitation(session, person)],
        )


@transaction.atomic
def session_schedule(
    *,
    programme: Programme,
    kind: str,
    by: User,
    starts_at: datetime.datetime,
    minutes: int = 75,
    place: str = "",
    circle: Circle | None = None,
    mentor: User | None = None,
    leader: User | None = None,
) -> SupervisionSession:
    """Schedule a circle's session (led by its supervisor), an individual supervision (led by
    the mentor's supervisor) or the programme's introductory session (led by whoever the
    coordinator names). Everyone invited gets a calendar invitation."""
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": "Choose a time in the future."})
    if kind == SupervisionSession.Kind.GROUP:
        if circle is None or circle.programme_id != programme.pk:
            raise ValidationError({"circle": "Choose one of this programme's circles."})
        if circle.status != Circle.Status.ACTIVE or circle.supervisor is None:
            raise TransitionError("Only an active circle with a supervisor meets.")
        leader, mentor = circle.supervisor.person, None
    elif kind == SupervisionSession.Kind.INDIVIDUAL:
        if mentor is None:
            raise ValidationError({"mentor": "Choose the mentor."})
        assignment = (
            Assignment.objects.filter(programme=programme, mentor=mentor, ended_at__isnull=True)
            .select_related("supervisor__person")
            .first()
        )
        if assignment is None:
            raise ValidationError(
                {"mentor": f"{mentor.display_name} has no supervisor yet; assign one first."}
            )
        leader, circle = assignment.supervisor.person, None
    elif kind == SupervisionSession.Kind.INTRO:
        circle, mentor = None, None
        leader = leader or by
    else:
        raise ValidationError({"kind": "Choose a circle session, individual or introductory."})
    session = SupervisionSession(
        programme=programme,
        kind=kind,
        leader=leader,
        circle=circle,
        mentor=mentor,
        starts_at=starts_at,
        minutes=minutes,
        place=place.strip(),
    )
    session.full_clean()
    session.save()
    _invite(session, invitees(session), template="support/email/session_invitation.txt")
    return session


@transaction.atomic
def session_cancel(*, session: SupervisionSession, by: User) -> SupervisionSession:
    session = SupervisionSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if session.status == SupervisionSession.Status.CANCELLED:
        raise TransitionError("This session was already cancelled.")
    if session.attendance_taken_at is not None:
        raise TransitionError("The register was taken: this session happened.")
    session.status = SupervisionSession.Status.CANCELLED
    session.sequence += 1
    session.save(update_fields=["status", "sequence", "updated_at"])
    _invite(session, invitees(session), template="support/email/session_cancelled.txt")
    return session


def attendance_open(session: SupervisionSession, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        session.status == SupervisionSession.Status.SCHEDULED
        and session.starts_at - ATTENDANCE_OPENS_BEFORE
        <= now
        <= session.ends_at + ATTENDANCE_OPEN_FOR
    )


@transaction.atomic
def attendance_record(
    *, session: SupervisionSession, by: User, present: Iterable[int]
) -> list[Attendance]:
    """The leader marks who came; everyone invited and not marked present was absent."""
    session = SupervisionSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if session.status == SupervisionSession.Status.CANCELLED:
        raise TransitionError("This session was cancelled.")
    now = timezone.now()
    if now < session.starts_at - ATTENDANCE_OPENS_BEFORE:
        raise TransitionError("The register opens an hour before the session starts.")
    if now > session.ends_at + ATTENDANCE_OPEN_FOR:
        raise TransitionError("The register closed two months after the session.")
    people = invitees(session)
    allowed = {p.pk for p in people}
    present = set(present)
    if present - allowed:
        raise ValidationError({"present": "Mark only the mentors invited to this session."})
    session.attendance.all().delete()
    marks = Attendance.objects.bulk_create(
        [Attendance(session=session, mentor=p, present=p.pk in present) for p in people]
    )
    session.attendance_taken_at = now
    session.save(update_fields=["attendance_taken_at", "updated_at"])
    return marks


@transaction.atomic
def summary_save(*, session: SupervisionSession, by: User, text: str) -> SupervisionSession:
    """The summary the mentors who attended read (optional)."""
    if session.starts_at > timezone.now():
        raise TransitionError("Write the summary once the session has started.")
    session.summary = text.strip()
    session.full_clean(exclude=["leader", "programme", "circle", "mentor"])
    session.save(update_fields=["summary", "updated_at"])
    return session


@transaction.atomic
def coach_note_save(*, session: SupervisionSession, by: User, text: str) -> CoachNote | None:
    """The leader's own notes of the session; an empty text deletes them."""
    if by.pk != session.leader_id:
        raise TransitionError("Only the session's leader keeps notes of it.")
    text = text.strip()
    if not text:
        CoachNote.objects.filter(session=session, author=by).delete()
        return None
    note, _ = CoachNote.objects.get_or_create(session=session, author=by, defaults={"text": text})
    note.text = text
    note.full_clean(exclude=["session", "author"])
    note.save()
    return note


# --- Topics mentors bring -------------------------------------------------------------------


def _clean_help(help_wanted: Iterable[str]) -> list[str]:
    chosen = [code for code in Help.values if code in set(help_wanted)]
    if not chosen or len(chosen) != len(set(help_wanted)):
        raise ValidationError({"help_wanted": "Choose at least one kind of help, from the list."})
    return chosen


@transaction.atomic
def topic_bring(
    *,
    programme: Programme,
    mentor: User,
    title: str,
    situation: str,
    help_wanted: Iterable[str],
    session: SupervisionSession | None = None,
) -> Topic:
    """A mentor brings a situation to supervision, to a coming session they are invited to
    (or to their supervisor, for the next time they meet)."""
    _require_mentor(programme, mentor)
    if session is not None:
        if session.programme_id != programme.pk or mentor.pk not in {
            p.pk for p in invitees(session)
        }:
            raise ValidationError({"session": "Choose a session you are invited to."})
        if (
            session.status != SupervisionSession.Status.SCHEDULED
            or session.ends_at < timezone.now()
            or session.attendance_taken_at is not None
        ):
            raise ValidationError({"session": "Choose a session that is still to come."})
    elif not Assignment.objects.filter(
        programme=programme, mentor=mentor, ended_at__isnull=True
    ).exists():
        raise ValidationError(
            {"session": "You have no supervisor yet: bring it to a session you are invited to."}
        )
    # A double click sends the same topic twice: lock the mentor and keep the first.
    User.objects.select_for_update().filter(pk=mentor.pk).first()
    same = Topic.objects.filter(
        programme=programme,
        mentor=mentor,
        session=session,
        title=title.strip(),
        situation=situation.strip(),
        created_at__gte=timezone.now() - datetime.timedelta(minutes=10),
    ).first()
    if same is not None:
        return same
    topic = Topic(
        programme=programme,
        mentor=mentor,
        session=session,
        title=title.strip(),
        situation=situation.strip(),
        help_wanted=_clean_help(help_wanted),
    )
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_withdraw(*, topic: Topic, by: User) -> None:
    """The mentor takes back a topic nobody has worked on yet."""
    if topic.mentor_id != by.pk:
        raise TransitionError("Only the mentor who brought it withdraws a topic.")
    if topic.function or topic.status != Topic.Status.OPEN:
        raise TransitionError("Your supervisor has worked on this topic; ask them instead.")
    if topic.session_id and topic.session.starts_at <= timezone.now():
        raise TransitionError("The session has started; talk about it there.")
    Reflection.objects.filter(topic=topic).update(topic=None)
    topic.delete()


@transaction.atomic
def topic_update(
    *, topic: Topic, by: User, title: str, situation: str, help_wanted: Iterable[str]
) -> Topic:
    """The mentor changes what they wrote while the topic is open."""
    if topic.status != Topic.Status.OPEN:
        raise TransitionError("This topic is resolved.")
    topic.title, topic.situation = title.strip(), situation.strip()
    topic.help_wanted = _clean_help(help_wanted)
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_tag(
    *,
    topic: Topic,
    by: User,
    function: str,
    part: str = "",
    strain: bool = False,
    status: str | None = None,
) -> Topic:
    """The supervisor says which side of supervision the topic is (formative, normative,
    restorative), which part of the relationship it concerns, whether the mentor is under
    strain, and whether it is resolved."""
    topic.function, topic.part, topic.strain = function, part, strain
    if status is not None:
        topic.status = status
    topic.full_clean()
    topic.save()
    return topic


# --- Concerns -------------------------------------------------------------------------------


def may_raise_concern(person: User, mentorship: Mentorship) -> bool:
    """Either person of the mentorship, or the mentor's supervisor in its programme."""
    if person.pk in (mentorship.mentor_id, mentorship.mentee_id):
        return True
    return Assignment.objects.filter(
        programme=mentorship.programme_id,
        mentor=mentorship.mentor_id,
        ended_at__isnull=True,
        supervisor__person=person,
    ).exists()


@transaction.atomic
def concern_raise(
    *,
    mentorship: Mentorship,
    by: User,
    kind: str,
    description: str,
    session: SupervisionSession | None = None,
) -> Concern:
    """An ethics or safeguarding concern about a mentorship goes to the programme's
    coordinators, and to nobody else. The e-mail says a concern was raised and where to read
    it; what it says stays on the page."""
    if not may_raise_concern(by, mentorship):
        raise TransitionError(
            "Only the two people of a mentorship, or the mentor's supervisor, raise a concern "
            "about it."
        )
    concern = Concern(
        programme=mentorship.programme,
        mentorship=mentorship,
        raised_by=by,
        session=session,
        kind=kind,
        description=description.strip(),
    )
    concern.full_clean()
    concern.save()
    audit.record(
        actor=by,
        action="raised",
        target=concern,
        detail=f"{concern.get_kind_display()} concern raised.",
    )
    email_coordinators(
        mentorship.programme,
        subject=f"A {concern.get_kind_display().lower()} concern in {mentorship.programme.name}",
        template="support/email/concern_raised.txt",
        context={"concern": concern, "url": absolute_url(concern.get_absolute_url())},
    )
    return concern


STATUS_ORDER = [s.value for s in Concern.Status]


@transaction.atomic
def concern_set_status(*, concern: Concern, by: User, status: str, note: str = "") -> Concern:
    """A coordinator moves a concern on (raised, acknowledged, in hand, closed), with a note of
    what was done; every step is in the audit log. Closing needs the note."""
    concern = Concern.objects.select_for_update(of=("self",)).get(pk=concern.pk)
    if status not in STATUS_ORDER:
        raise ValidationError({"status": "Choose acknowledged, in hand or closed."})
    if status == concern.status:
        raise TransitionError(f"The concern is {concern.get_status_display().lower()} already.")
    if concern.status == Concern.Status.CLOSED:
        raise TransitionError("This concern is closed. Raise a new one if it comes back.")
    note = note.strip()
    if status == Concern.Status.CLOSED and not note:
        raise ValidationError({"note": "Say how the concern was resolved before closing it."})
    if len(note) > 280:
        raise ValidationError(
            {"note": "Keep the note to 280 characters; the detail stays off the log."}
        )
    concern.status = status
    concern.save(update_fields=["status", "updated_at"])
    label = Concern.Status(status).label
    audit.record(
        actor=by, action=status, target=concern, detail=f"{label}." + (f" {note}" if note else "")
    )
    if concern.raised_by_id != by.pk:
        email_queue(
            to=[concern.raised_by.email],
            subject=f"The concern you raised is {label.lower()}",
            template="support/email/concern_status.txt",
            context={
                "person": concern.raised_by,
                "concern": concern,
                "label": label,
                "url": absolute_url(concern.get_absolute_url()),
            },
        )
    return concern


# --- Supervision agreements (the mechanism is core.agreements, as for a pair) --------------


def agreement_for_circle(circle: Circle) -> SupervisionAgreement:
    agreement, _ = SupervisionAgreement.objects.get_or_create(
        circle=circle, defaults={"programme": circle.programme}
    )
    return agreement


def agreement_for_individual(assignment: Assignment) -> SupervisionAgreement:
    """One mentor's individual supervision (an assignment outside a circle)."""
    if assignment.circle_id is not None:
        return agreement_for_circle(assignment.circle)
    agreement, _ = SupervisionAgreement.objects.get_or_create(
        circle=None,
        supervisor=assignment.supervisor,
        mentor=assignment.mentor,
        defaults={"programme": assignment.programme},
    )
    return agreement


def _agreement_lock(agreement: SupervisionAgreement):  # noqa: ANN202
    return lambda: (
        SupervisionAgreement.objects.select_for_update(of=("self",)).filter(pk=agreement.pk).first()
    )


def _may_sign(agreement: SupervisionAgreement, by: User) -> None:
    if by.pk not in agreement_signers(agreement):
        raise TransitionError("Only the people this agreement is between propose or sign it.")
    if agreement.circle_id is not None and agreement.circle.status != Circle.Status.ACTIVE:
        raise TransitionError("This circle has ended; its agreement can no longer change.")


@transaction.atomic
def supervision_agreement_propose(
    *, agreement: SupervisionAgreement, by: User, text: str
) -> SupervisionAgreementVersion:
    _may_sign(agreement, by)
    return agreements.propose(
        versions=agreement.versions.all(),
        create=lambda **fields: SupervisionAgreementVersion.objects.create(
            agreement=agreement, **fields
        ),
        by=by,
        text=text,
        lock=_agreement_lock(agreement),
    )


@transaction.atomic
def supervision_agreement_sign(
    *, version: SupervisionAgreementVersion, by: User
) -> SupervisionAgreementSignature:
    agreement = version.agreement
    _may_sign(agreement, by)
    signature, _ = agreements.sign(
        version=version,
        versions=agreement.versions.all(),
        by=by,
        signers=agreement_signers(agreement),
        lock=_agreement_lock(agreement),
    )
    return signature


def agreement_state(agreement: SupervisionAgreement) -> dict:
    return agreements.state(agreement.versions.all(), agreement_signers(agreement))


# --- Coordinators' regular check-ins with each mentor ---------------------------------------


def check_in_settings_for(programme: Programme) -> CheckInSettings:
    settings_row, _ = CheckInSettings.objects.get_or_create(programme=programme)
    return settings_row


@transaction.atomic
def check_in_settings_update(
    *, programme: Programme, by: User, every_weeks: int
) -> CheckInSettings:
    row = check_in_settings_for(programme)
    row.every_weeks = every_weeks
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def check_in_record(
    *,
    programme: Programme,
    mentor: User,
    by: User,
    held_on: datetime.date,
    how: str = CheckIn.How.MEETING,
    note: str = "",
) -> CheckIn:
    """A coordinator records a check-in with a mentor (held today or earlier)."""
    _require_mentor(programme, mentor)
    today = timezone.localdate()
    if held_on > today:
        raise ValidationError({"held_on": "Record a check-in once it has happened."})
    if held_on < today - datetime.timedelta(days=366):
        raise ValidationError({"held_on": "That is more than a year ago; check the date."})
    check_in = CheckIn(
        programme=programme, mentor=mentor, by=by, held_on=held_on, how=how, note=note.strip()
    )
    check_in.full_clean()
    check_in.save()
    return check_in


# --- Reflective practice ---------------------------------------------------------------------


@transaction.atomic
def reflection_write(
    *,
    mentorship: Mentorship,
    by: User,
    went_well: Iterable[str] = (),
    to_work_on: str = "",
    note: str = "",
    meeting: Meeting | None = None,
) -> Reflection:
    """The mentor jots a reflection after a meeting, for themselves."""
    if by.pk != mentorship.mentor_id:
        raise TransitionError("Reflections are the mentor's own, about their mentoring.")
    if meeting is not None and (
        meeting.mentorship_id != mentorship.pk or meeting.starts_at > timezone.now()
    ):
        raise ValidationError({"meeting": "Choose a meeting of this pair that has happened."})
    chosen = set(went_well)
    if chosen - set(Practice.values):
        raise ValidationError({"went_well": "Choose from the list."})
    note = note.strip()
    if not chosen and not to_work_on and not note:
        raise ValidationError(
            {"note": "Tick what went well, choose one thing to work on, or write a line."}
        )
    reflection = Reflection(
        author=by,
        mentorship=mentorship,
        meeting=meeting,
        went_well=[code for code in Practice.values if code in chosen],
        to_work_on=to_work_on,
        note=note,
    )
    reflection.full_clean()
    reflection.save()
    return reflection


@transaction.atomic
def reflection_bring(*, reflection: Reflection, by: User) -> Topic:
    """In one click, the reflection becomes a topic for supervision: for the next session the
    mentor is invited to, or for their supervisor."""
    if reflection.author_id != by.pk:
        raise TransitionError("Only its author brings a reflection to supervision.")
    if reflection.topic_id is not None:
        raise TransitionError("This reflection is already with your supervisor.")
    programme = reflection.mentorship.programme
    now = timezone.now()
    session = (
        sessions_for(by)
        .filter(
            programme=programme,
            status=SupervisionSession.Status.SCHEDULED,
            starts_at__gt=now,
        )
        .exclude(leader=by)
        .first()
    )
    day = (
        reflection.meeting.starts_at.date() if reflection.meeting else reflection.created_at.date()
    )
    lines = []
    if reflection.went_well:
        lines.append("Went well: " + "; ".join(reflection.went_well_labels).lower() + ".")
    if reflection.to_work_on:
        lines.append(f"To work on: {reflection.to_work_on_label.lower()}.")
    if reflection.note:
        lines.append(reflection.note)
    topic = topic_bring(
        programme=programme,
        mentor=by,
        title=f"Reflecting on my meeting of {day.day} {day:%B}",
        situation="\n".join(lines),
        help_wanted=[Help.ACKNOWLEDGE, Help.OPTIONS],
        session=session,
    )
    reflection.topic = topic
    reflection.save(update_fields=["topic", "updated_at"])
    return topic


# --- Support outside the programme -----------------------------------------------------------

# What a person says of an outside support (the form's fields, the API's too).
EXTERNAL_FIELDS = ("kind", "who", "how_often", "funded", "notes")


@transaction.atomic
def external_support_record(
    *,
    programme: Programme,
    mentor: User,
    by: User,
    kind: str,
    who: str,
    how_often: str = "",
    funded: bool = False,
    notes: str = "",
) -> ExternalSupport:
    """A mentor's support outside the programme, recorded by them or a coordinator."""
    _require_mentor(programme, mentor)
    support = ExternalSupport(
        programme=programme,
        mentor=mentor,
        kind=kind,
        who=who.strip(),
        how_often=how_often.strip(),
        funded=funded,
        notes=notes.strip(),
        recorded_by=by,
    )
    support.full_clean()
    support.save()
    return support


@transaction.atomic
def external_support_end(*, support: ExternalSupport, by: User) -> ExternalSupport:
    if support.ended_on is not None:
        raise TransitionError("This support has ended already.")
    support.ended_on = timezone.localdate()
    support.save(update_fields=["ended_on", "updated_at"])
    return support


# --- "What support would you appreciate?" ----------------------------------------------------


@transaction.atomic
def support_ask_send(*, programme: Programme, by: User, message: str = "") -> SupportAsk:
    """Ask every mentor of the programme, by e-mail and on their home page."""
    ask = SupportAsk(programme=programme, asked_by=by, message=message.strip())
    ask.full_clean()
    ask.save()
    for mentor in programme_mentors(programme):
        email_queue(
            to=[mentor.email],
            subject=f"What support would you appreciate as a mentor? ({programme.name})",
            template="support/email/support_ask.txt",
            context={
                "person": mentor,
                "ask": ask,
                "programme": programme,
                "url": absolute_url(ask.get_absolute_url()),
            },
        )
    return ask


@transaction.atomic
def support_answer(
    *,
    ask: SupportAsk,
    mentor: User,
    help_wanted: Iterable[str],
    ways: Iterable[str],
    comment: str = "",
) -> SupportAnswer:
    """A mentor's answer (a second answer replaces the first)."""
    _require_mentor(ask.programme, mentor)
    help_wanted, ways = set(help_wanted), set(ways)
    if help_wanted - set(Help.values) or ways - set(Way.values):
        raise ValidationError({"ways": "Choose from the lists."})
    if not help_wanted and not ways and not comment.strip():
        raise ValidationError({"ways": "Tick the help or the ways you would use, or write a line."})
    answer, _ = SupportAnswer.objects.update_or_create(
        ask=ask,
        mentor=mentor,
        defaults={
            "help_wanted": [c for c in Help.values if c in help_wanted],
            "ways": [c for c in Way.values if c in ways],
            "comment": comment.strip(),
        },
    )
    answer.full_clean()
    return answer


# --- Peer partnerships -----------------------------------------------------------------------
# A partnership is a mentorship of kind "peer" (made by mentorships.services.
# mentorship_create_peer, which keeps one partner per mentor even under concurrent pairing);
# here are the asking, the engine's proposal and the pairing by hand.


def _managers_above(person: User, depth: int = 20) -> set[int]:
    """Everyone above the person in their management line (a query a level)."""
    above: set[int] = set()
    boss = getattr(person.profile, "line_manager_id", None)
    while boss and boss not in above and len(above) < depth:
        above.add(boss)
        boss = (
            Profile.objects.filter(user_id=boss).values_list("line_manager_id", flat=True).first()
        )
    return above


def _in_one_line(a: User, b: User) -> bool:
    """One manages the other, directly or further up: the rule the engine keeps for peers."""
    return a.pk in _managers_above(b) or b.pk in _managers_above(a)


def time_zone_gap(a: User, b: User) -> float:
    """Hours between two people's time zones (a winter day, as the engine reads them)."""
    gap = abs(utc_offset_hours(a.profile.time_zone) - utc_offset_hours(b.profile.time_zone))
    return min(gap, 24 - gap)


def _active_peer(programme: Programme, person: User) -> Mentorship | None:
    return (
        Mentorship.peers.filter(programme=programme, status=Mentorship.Status.ACTIVE)
        .filter(Q(mentor=person) | Q(mentee=person))
        .first()
    )


@transaction.atomic
def peer_request_create(
    *, programme: Programme, mentor: User, help_wanted: Iterable[str], about: str = ""
) -> PeerRequest:
    """A mentor asks for a peer partner, saying what they would want from one. Asking again
    while the request is open changes it; the coordinators hear of a new one."""
    _require_mentor(programme, mentor)
    partner = _active_peer(programme, mentor)
    if partner is not None:
        raise TransitionError(
            f"You have a peer partner already: {partner.other(mentor).display_name}."
        )
    wanted = set(help_wanted)
    if not wanted and not about.strip():
        raise ValidationError(
            {"help_wanted": "Tick what you would want from a peer partner, or write a line."}
        )
    codes = _clean_help(wanted) if wanted else []
    # Lock the mentor's role row: two quick submits queue here and the second changes the first.
    ProgrammeRole.objects.select_for_update().filter(
        programme=programme, user=mentor, role=Role.MENTOR
    ).first()
    request = PeerRequest.objects.filter(
        programme=programme, mentor=mentor, status=PeerRequest.Status.OPEN
    ).first()
    new = request is None
    if new:
        request = PeerRequest(programme=programme, mentor=mentor)
    request.help_wanted, request.about = codes, about.strip()
    request.full_clean(validate_constraints=False)
    request.save()
    if new:
        email_coordinators(
            programme,
            subject=f"{mentor.display_name} asks for a peer partner ({programme.name})",
            template="support/email/peer_request.txt",
            context={
                "request": request,
                "programme": programme,
                "url": absolute_url(reverse("support:peers", args=[programme.pk])),
            },
        )
    return request


@transaction.atomic
def peer_request_withdraw(*, request: PeerRequest, by: User) -> PeerRequest:
    if request.mentor_id != by.pk:
        raise TransitionError("Only the mentor who asked can withdraw the request.")
    if request.status != PeerRequest.Status.OPEN:
        raise TransitionError("This request is no longer open.")
    request.status = PeerRequest.Status.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    return request


def peer_pool(programme: Programme, *, everyone: bool) -> tuple[list[User], dict[int, list[str]]]:
    """Mentors to pair, with what each wants: those who asked, those whose answer to "what
    support would you appreciate?" names a peer partnership, or (``everyone``) every mentor
    without a partner. Nobody who has a partner already."""
    mentors = {m.pk: m for m in programme_mentors(programme)}
    partnered = set()
    for a, b in Mentorship.peers.filter(
        programme=programme, status=Mentorship.Status.ACTIVE
    ).values_list("mentor_id", "mentee_id"):
        partnered.update((a, b))
    wants: dict[int, list[str]] = {}
    for request in PeerRequest.objects.filter(programme=programme, status=PeerRequest.Status.OPEN):
        wants[request.mentor_id] = list(request.help_wanted)
    ask = SupportAsk.objects.filter(programme=programme).first()
    if ask is not None:
        for answer in SupportAnswer.objects.filter(ask=ask):
            if Way.PEER in answer.ways or everyone:
                wants.setdefault(answer.mentor_id, list(answer.help_wanted))
    chosen = mentors if everyone else {pk: m for pk, m in mentors.items() if pk in wants}
    pool = [m for pk, m in chosen.items() if pk not in partnered]
    return pool, wants


@transaction.atomic
def peer_round_propose(*, programme: Programme, by: User, everyone: bool = False) -> PeerRound:
    """Ask the engine for peer pairs: an experience difference, shared topics, never in the
    same management line, time zones within reach. Earlier drafts go."""
    Programme.objects.select_for_update(of=("self",)).filter(pk=programme.pk).first()
    pool, wants = peer_pool(programme, everyone=everyone)
    if len(pool) < 2:
        raise TransitionError(
            "Fewer than two mentors are waiting for a peer partner"
            + ("." if everyone else ": include every mentor without one, or pair two by hand.")
        )
    tiers = tiers_for(pool, MENTOR, programme)
    topics: dict[int, dict[str, float]] = defaultdict(dict)
    for person_id, name in Profile.expertise.through.objects.filter(
        profile__user__in=pool
    ).values_list("profile__user_id", "topic__name"):
        topics[person_id][name] = 1.0
    people = [
        Person(
            id=str(m.pk),
            name=m.display_name,
            time_zone=m.profile.time_zone,
            manager=str(m.profile.line_manager_id) if m.profile.line_manager_id else None,
            years=float(m.profile.years_experience or 0),
            tier=tiers[m.pk].level,
            topics=topics.get(m.pk, {}),
        )
        for m in pool
    ]
    # The whole organisation's lines, so that a skip-level manager counts too (one query).
    managers = {
        str(user): str(boss)
        for user, boss in Profile.objects.filter(line_manager__isnull=False).values_list(
            "user_id", "line_manager_id"
        )
    }
    try:
        result = peer_pairs(
            people,
            wants={str(k): frozenset(v) for k, v in wants.items()},
            managers=managers,
            time_zone_window=TIME_ZONE_WINDOW,
        )
    except InstanceError as exc:
        raise TransitionError(f"The engine could not pair mentors: {exc}.") from exc
    PeerRound.objects.filter(programme=programme, status=PeerRound.Status.DRAFT).update(
        status=PeerRound.Status.DISCARDED
    )
    round_ = PeerRound.objects.create(
        programme=programme,
        created_by=by,
        stats=result.stats,
        unpaired=[
            {"mentor": int(pid), "reason": str(reason)} for pid, reason in result.unpaired.items()
        ],
    )
    PeerMatch.objects.bulk_create(
        PeerMatch(
            round=round_,
            first_id=int(pair.first),
            second_id=int(pair.second),
            score=pair.score,
            reasons=[str(r) for r in pair.reasons],
        )
        for pair in result.pairs
    )
    return round_


def _draft_round(round_: PeerRound) -> PeerRound:
    locked = PeerRound.objects.select_for_update(of=("self",)).get(pk=round_.pk)
    if locked.status != PeerRound.Status.DRAFT:
        raise TransitionError(f"This proposal is {locked.get_status_display().lower()} already.")
    return locked


@transaction.atomic
def peer_match_remove(*, match: PeerMatch, by: User) -> PeerRound:
    """Take a proposed pair out; both go back to the unpaired, with why."""
    round_ = _draft_round(match.round)
    round_.unpaired = round_.unpaired + [
        {"mentor": match.first_id, "reason": "taken out of a pair by a coordinator"},
        {"mentor": match.second_id, "reason": "taken out of a pair by a coordinator"},
    ]
    round_.save(update_fields=["unpaired", "updated_at"])
    match.delete()
    return round_


def _tell_partners(partnership: Mentorship, wants: dict[int, PeerRequest]) -> None:
    for person in (partnership.mentor, partnership.mentee):
        other = partnership.other(person)
        email_queue(
            to=[person.email],
            subject=f"Your peer partner: {other.display_name} ({partnership.programme.name})",
            template="support/email/peer_partner.txt",
            context={
                "person": person,
                "other": other,
                "their_request": wants.get(other.pk),
                "partnership": partnership,
                "url": absolute_url(partnership.get_absolute_url()),
            },
        )


def _pair_up(
    programme: Programme, first: User, second: User, *, by: User, source: str, note: str = ""
) -> Mentorship:
    partnership = mentorship_create_peer(
        programme=programme, mentor=first, partner=second, by=by, source=source, note=note
    )
    requests = {
        r.mentor_id: r
        for r in PeerRequest.objects.filter(
            programme=programme, mentor__in=[first, second], status=PeerRequest.Status.OPEN
        )
    }
    PeerRequest.objects.filter(pk__in=[r.pk for r in requests.values()]).update(
        status=PeerRequest.Status.PAIRED, partnership=partnership, updated_at=timezone.now()
    )
    _tell_partners(partnership, requests)
    audit.record(actor=by, action="peer partnership made", target=partnership)
    return partnership


@transaction.atomic
def peer_round_publish(*, round: PeerRound, by: User) -> list[Mentorship]:  # noqa: A002
    """Every proposed pair becomes a partnership, or none does: a pair that can no longer be
    made (one of them found a partner meanwhile) stops the publishing, with its names."""
    round_ = _draft_round(round)
    matches = list(round_.matches.select_related("first__profile", "second__profile"))
    if not matches:
        raise TransitionError("There is no pair to publish. Propose again, or pair by hand.")
    made = []
    for match in matches:
        try:
            partnership = _pair_up(
                round_.programme,
                match.first,
                match.second,
                by=by,
                source=Mentorship.Source.PROPOSED,
                note="; ".join(match.reasons)[:240],
            )
        except TransitionError as exc:
            raise TransitionError(
                f"{match.first.display_name} and {match.second.display_name}: "
                f"{' '.join(exc.messages)} Nothing was published; propose again."
            ) from exc
        match.partnership = partnership
        match.save(update_fields=["partnership"])
        made.append(partnership)
    round_.status = PeerRound.Status.PUBLISHED
    round_.published_at = timezone.now()
    round_.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        actor=by,
        action="peer round published",
        target=round_,
        detail=f"{len(made)} peer partnerships made.",
    )
    return made


@transaction.atomic
def peer_round_discard(*, round: PeerRound, by: User) -> None:  # noqa: A002
    round_ = _draft_round(round)
    round_.status = PeerRound.Status.DISCARDED
    round_.save(update_fields=["status", "updated_at"])


@transaction.atomic
def peer_pair_by_hand(
    *, programme: Programme, first: User, second: User, by: User, note: str = ""
) -> Mentorship:
    """A coordinator pairs two mentors themselves; the line rule still holds."""
    if first.pk == second.pk:
        raise ValidationError({"second": "Choose two different mentors."})
    for person in (first, second):
        _require_mentor(programme, person)
    if _in_one_line(first, second):
        raise ValidationError(
            {
                "second": f"{first.display_name} and {second.display_name} are in one line "
                "of management: one manages the other, directly or further up."
            }
        )
    tiers = tiers_for([first, second], MENTOR, programme)
    rank = {"new": 0, "experienced": 1, "veteran": 2}

    def experience(person: User) -> tuple[int, float]:
        return (rank.get(tiers[person.pk].level, 0), float(person.profile.years_experience or 0))

    if experience(second) > experience(first):
        first, second = second, first
    return _pair_up(
        programme, first, second, by=by, source=Mentorship.Source.MANUAL, note=note[:240]
    )
