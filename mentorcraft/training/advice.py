"""A person's training picture, and what to do next: the one place that recommends training.

``advice_for(person)`` reads, in a fixed number of queries, the person's part in programmes,
their completions and registrations, their history and coach status, and the programmes'
requirements; it returns their tiers, how they stand against each programme's requirements,
and their recommendations, most urgent first:

- what a programme they applied to requires before matching (unmet requirements);
- induction, for anyone taking part as a mentor or mentee who has not done one;
- a refresher before a completion expires (or once it has);
- renewal, for veteran mentors with none in the last 24 months;
- the transition modules: a mentor enrolling as a mentee, a mentee who applies, says they
  would mentor, or is invited to;
- coach training, for a nominated or active coach without it;
- the next skills module at their tier.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from mentorcraft.mentorships.models import ClosureReflection
from mentorcraft.people.models import User
from mentorcraft.programmes.access import roles_by_programme
from mentorcraft.programmes.models import (
    Application,
    ApplicationStatus,
    Phase,
    Programme,
    add_months,
)
from mentorcraft.training.models import (
    Audience,
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
    duration_text,
)
from mentorcraft.training.standing import Done, Standing, Standings
from mentorcraft.training.tiers import MENTEE, MENTOR, Tier, Tiers

# A completion is due for a refresher this long before it expires.
REFRESH_WINDOW = datetime.timedelta(days=90)
# Veteran mentors renew their training at least this often (months).
RENEWAL_MONTHS = 24
LIVE_APPLICATION = [*(s for s in ApplicationStatus if s not in ("declined", "withdrawn"))]
AUDIENCE_OF = {MENTOR: Audience.MENTORS, MENTEE: Audience.MENTEES, "coach": Audience.COACHES}
SESSIONS_SHOWN = 3
# What to call training of a kind when no module is named.
KIND_TITLES = {
    Kind.INDUCTION: "Induction",
    Kind.SKILLS: "Skills training",
    Kind.REFRESHER: "Refresher training",
    Kind.RENEWAL: "Renewal training",
    Kind.TO_MENTEE: "From mentor to mentee",
    Kind.TO_MENTOR: "From mentee to mentor",
    Kind.COACH: "Coach training",
    Kind.LEADERSHIP: "Mentoring in leadership development",
}

# The reasons are written so that they read well to the person and to whoever reads their
# record (a coordinator, their line manager): no "you".


@dataclass
class Recommendation:
    key: str
    kind: str
    title: str
    reason: str
    urgency: int
    modules: list[Module]
    due_by: datetime.date | None = None
    programme: Programme | None = None
    sessions: list[Session] = field(default_factory=list)
    registration: Registration | None = None

    @property
    def module(self) -> Module | None:
        return self.modules[0] if self.modules else None


@dataclass
class ProgrammeStanding:
    programme: Programme
    role: str
    status: str  # the application's status
    standing: Standing


@dataclass
class Advice:
    person: User
    today: datetime.date
    tiers: dict[str, Tier]
    completions: list[Completion]
    registrations: list[Registration]
    standings: list[ProgrammeStanding]
    recommendations: list[Recommendation]
    coach: Coach | None
    # Invitations to mentor in a recruiting programme, not yet taken up.
    invitations: list[MentorInvitation] = field(default_factory=list)

    @property
    def upcoming(self) -> list[Registration]:
        now = timezone.now()
        return [r for r in self.registrations if r.session.starts_at > now]

    @property
    def blocking(self) -> list[ProgrammeStanding]:
        return [s for s in self.standings if not s.standing.met]


class _Catalogue:
    """The active modules, and the ones that fit a role and a tier."""

    def __init__(self) -> None:
        self.modules = list(Module.objects.filter(active=True).order_by("kind", "level", "title"))

    def fitting(self, kind: str, role: str, level: str | None = None) -> list[Module]:
        audiences = {AUDIENCE_OF.get(role, Audience.EVERYONE), Audience.EVERYONE}
        found = [m for m in self.modules if m.kind == kind and m.audience in audiences]
        if level is not None:
            at_level = [m for m in found if m.level in (level, Level.ANY)]
            found = at_level or found
        return found


def advice_for(person: User, *, today: datetime.date | None = None) -> Advice:
    today = today or timezone.localdate()
    applications = list(
        Application.objects.filter(applicant=person, status__in=LIVE_APPLICATION)
        .exclude(programme__phase=Phase.CLOSED)
        .select_related("programme")
        .order_by("-programme__start_date")
    )
    roles = roles_by_programme(person)
    programmes = {a.programme_id: a.programme for a in applications}
    requirements: dict[int, list[Requirement]] = defaultdict(list)
    for requirement in Requirement.objects.filter(programme_id__in=programmes).select_related(
        "module"
    ):
        requirements[requirement.programme_id].append(requirement)
    limits = {t.programme_id: t for t in TierSettings.objects.filter(programme_id__in=programmes)}
    completions = list(Completion.objects.filter(person=person).select_related("module", "session"))
    done = [
        Done(c.module_id, c.module.kind, c.minutes, c.completed_on, c.expires_on)
        for c in completions
    ]
    tiers = Tiers([person], today=today)
    coach = Coach.objects.filter(person=person).first()
    catalogue = _Catalogue()
    registrations = list(
        Registration.objects.filter(
            person=person,
            status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED],
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gt=timezone.now(),
        )
        .select_related("session__module", "session__facilitator__profile")
        .order_by("session__starts_at")
    )

    standings = []
    for application in applications:
        programme = application.programme
        # Each programme's own thresholds decide the tier its requirements are for.
        book = Standings(
            programme,
            today=today,
            requirements=requirements.get(programme.pk, []),
            done={person.pk: done},
            tiers=tiers.with_limits(limits.get(programme.pk) or TierSettings(programme=programme)),
        )
        standings.append(
            ProgrammeStanding(
                programme,
                application.role,
                application.status,
                book.of(person.pk, application.role),
            )
        )

    # Taking part now: an application in a programme that has not closed, or a mentorship
    # under way (roles held in closed programmes are history).
    taking_part = {a.role for a in applications}
    history = tiers.history[person.pk]
    if history.active_as_mentor:
        taking_part.add(MENTOR)
    if history.active_as_mentee:
        taking_part.add(MENTEE)
    my_tiers = {role: tiers.of(person, role) for role in (MENTOR, MENTEE)}
    recommendations: dict[str, Recommendation] = {}

    def add(rec: Recommendation) -> None:
        if rec.key not in recommendations or recommendations[rec.key].urgency > rec.urgency:
            recommendations[rec.key] = rec

    def has(kind: str, *, valid: bool = True, within_months: int | None = None) -> bool:
        since = add_months(today, -within_months) if within_months else None
        return any(
            d.kind == kind
            and (not valid or d.valid_on(today))
            and (since is None or d.completed_on >= since)
            for d in done
        )

    # 1. What programmes require before matching.
    for entry in standings:
        if entry.programme.phase in (Phase.RUNNING, Phase.CLOSING, Phase.CLOSED):
            continue
        for requirement in entry.standing.unmet:
            kind = requirement.module.kind if requirement.module_id else requirement.kind
            modules = (
                [requirement.module]
                if requirement.module_id
                else catalogue.fitting(
                    kind, entry.role, entry.standing.tier.level if entry.standing.tier else None
                )
            )
            key = (
                f"module:{requirement.module_id}"
                if requirement.module_id
                else f"{kind}:{entry.role}"
            )
            if requirement.module_id:
                title = requirement.module.title
            else:
                title = KIND_TITLES[kind]
                if requirement.min_minutes:
                    title += f" (at least {duration_text(requirement.min_minutes)})"
            whom = requirement.get_role_display().lower()
            if requirement.tier != Level.ANY:
                whom = f"{requirement.get_tier_display().lower()} {whom}"
            reason = f"{entry.programme.name} requires it of {whom} before matching"
            if requirement.within_months:
                reason += f", done in the last {requirement.within_months} months"
            add(
                Recommendation(
                    key=key,
                    kind=kind,
                    title=title,
                    reason=reason,
                    urgency=10,
                    modules=modules,
                    programme=entry.programme,
                )
            )

    # 2. Induction for newcomers.
    for role in sorted(taking_part):
        audiences = {AUDIENCE_OF[role], Audience.EVERYONE}
        inducted = any(
            c.module.kind == Kind.INDUCTION and c.module.audience in audiences for c in completions
        )
        if not inducted:
            add(
                Recommendation(
                    key=f"{Kind.INDUCTION}:{role}",
                    kind=Kind.INDUCTION,
                    title=f"Induction for {AUDIENCE_OF[role].label.lower()}",
                    reason="Everyone starts here: what mentoring is, how the programme works, "
                    "and how to make the first meetings count",
                    urgency=20,
                    modules=catalogue.fitting(Kind.INDUCTION, role, Level.NEW),
                )
            )

    # 3. Refreshers before a completion expires.
    latest: dict[int, Completion] = {}
    for completion in completions:
        if (
            completion.module_id not in latest
            or completion.completed_on > latest[completion.module_id].completed_on
        ):
            latest[completion.module_id] = completion
    if taking_part or coach is not None:
        for completion in latest.values():
            expires = completion.expires_on
            if expires is None or expires - today > REFRESH_WINDOW:
                continue
            if (today - expires).days > 365:
                continue  # long lapsed: the induction or requirement says what to do
            module = completion.module
            expired = expires <= today
            if module.kind == Kind.RENEWAL or (module.kind == Kind.COACH and expired):
                continue  # the renewal and coach-training rules below say it better
            # A completion is refreshed by taking the module again: only that counts where a
            # programme requires it. A retired module gives way to the others of its kind.
            role = MENTEE if module.audience == Audience.MENTEES else MENTOR
            again = (
                [module]
                if module.active
                else [m for m in catalogue.fitting(module.kind, role) if m.pk != module.pk]
            )
            add(
                Recommendation(
                    key=f"refresh:{module.pk}",
                    kind=module.kind,
                    title=f"Refresh “{module.title}”",
                    reason=(
                        f"It expired on {expires:%-d %B %Y}"
                        if expired
                        else f"It is valid until {expires:%-d %B %Y}"
                    ),
                    urgency=25 if expired else 30,
                    modules=again,
                    due_by=expires,
                )
            )

    # 4. Renewal for veterans.
    veteran = MENTOR in taking_part and my_tiers[MENTOR].level == Level.VETERAN
    if veteran and not has(Kind.RENEWAL, within_months=RENEWAL_MONTHS):
        renewals = [d for d in done if d.kind == Kind.RENEWAL]
        last = max((d.completed_on for d in renewals), default=None)
        add(
            Recommendation(
                key=f"{Kind.RENEWAL}:{MENTOR}",
                kind=Kind.RENEWAL,
                title="Renewal training",
                reason=(
                    f"A veteran mentor ({my_tiers[MENTOR].reason}); "
                    + (
                        f"the last renewal was on {last:%-d %B %Y}"
                        if last
                        else "renewal keeps experienced mentors from going stale"
                    )
                ),
                urgency=35,
                modules=catalogue.fitting(Kind.RENEWAL, MENTOR, Level.VETERAN),
                due_by=add_months(last, RENEWAL_MONTHS) if last else today,
            )
        )

    # 5. Transitions.
    was_mentor = (
        history.completed_as_mentor
        or history.active_as_mentor
        or any(MENTOR in held for held in roles.values())
    )
    enrols_as_mentee = any(a.role == MENTEE for a in applications)
    if was_mentor and enrols_as_mentee and not has(Kind.TO_MENTEE, valid=False):
        add(
            Recommendation(
                key=Kind.TO_MENTEE,
                kind=Kind.TO_MENTEE,
                title="From mentor to mentee",
                reason="A mentor now enrolling as a mentee: sitting in the other "
                "seat is a rich moment to learn, and a different skill",
                urgency=25,
                modules=catalogue.fitting(Kind.TO_MENTEE, MENTEE),
            )
        )
    would_mentor = ClosureReflection.objects.filter(
        author=person,
        closure__mentorship__mentee=person,
        closure__mentorship__kind="mentoring",
        would_mentor__in=[ClosureReflection.WouldMentor.YES, ClosureReflection.WouldMentor.LATER],
    ).exists()
    invitations = list(MentorInvitation.objects.filter(person=person).select_related("programme"))
    was_mentee = history.completed_as_mentee or history.active_as_mentee
    applies_as_mentor = any(a.role == MENTOR for a in applications)
    if ((was_mentee and applies_as_mentor) or would_mentor or invitations) and not has(
        Kind.TO_MENTOR, valid=False
    ):
        add(
            Recommendation(
                key=Kind.TO_MENTOR,
                kind=Kind.TO_MENTOR,
                title="From mentee to mentor",
                reason=(
                    "Invited to mentor in " + invitations[0].programme.name
                    if invitations
                    else "Would mentor someone, as said at the close of the mentorship: this "
                    "module prepares for the other seat"
                ),
                urgency=25 if (applies_as_mentor or invitations) else 40,
                modules=catalogue.fitting(Kind.TO_MENTOR, MENTOR),
            )
        )

    # 6. Coach training.
    if coach is not None and coach.status != Coach.Status.STEPPED_DOWN and not has(Kind.COACH):
        add(
            Recommendation(
                key=Kind.COACH,
                kind=Kind.COACH,
                title="Coach training",
                reason="Required before leading supervision as a mentoring coach",
                urgency=20,
                modules=catalogue.fitting(Kind.COACH, "coach"),
            )
        )

    # 7. The next skills module at the person's tier.
    done_modules = {d.module_id for d in done}
    for role in sorted(taking_part):
        level = my_tiers[role].level
        options = [
            m
            for m in catalogue.fitting(Kind.SKILLS, role, level)
            if m.pk not in done_modules and m.level in (level, Level.ANY)
        ]
        if options and not any(r.urgency <= 20 for r in recommendations.values()):
            add(
                Recommendation(
                    key=f"{Kind.SKILLS}:{role}",
                    kind=Kind.SKILLS,
                    title=f"Next for {'an' if level == Level.EXPERIENCED else 'a'} "
                    f"{Level(level).label.lower()} {role}",
                    reason=f"Skills training at this tier ({my_tiers[role].reason})",
                    urgency=60,
                    modules=options[:2],
                )
            )

    mentor_in = {a.programme_id for a in applications if a.role == MENTOR}
    pending = [
        i
        for i in invitations
        if i.programme.phase == Phase.RECRUITING and i.programme_id not in mentor_in
    ]
    ordered = sorted(recommendations.values(), key=lambda r: (r.urgency, r.title))
    _attach_sessions(ordered, registrations)
    return Advice(
        person=person,
        today=today,
        tiers=my_tiers,
        completions=completions,
        registrations=registrations,
        standings=standings,
        recommendations=ordered,
        coach=coach,
        invitations=pending,
    )


def _attach_sessions(
    recommendations: list[Recommendation], registrations: list[Registration]
) -> None:
    """The next open sessions of each recommendation's modules (one query), and the person's
    own place on one, if they have it."""
    module_ids = {m.pk for r in recommendations for m in r.modules}
    if not module_ids:
        return
    upcoming: dict[int, list[Session]] = defaultdict(list)
    sessions = (
        Session.objects.filter(
            module_id__in=module_ids,
            status=Session.Status.SCHEDULED,
            starts_at__gt=timezone.now(),
        )
        .select_related("module")
        .order_by("starts_at")
    )
    for session in sessions:
        upcoming[session.module_id].append(session)
    mine = {r.session.module_id: r for r in registrations}
    for rec in recommendations:
        rec.sessions = sorted(
            (s for m in rec.modules for s in upcoming.get(m.pk, [])), key=lambda s: s.starts_at
        )[:SESSIONS_SHOWN]
        rec.registration = next((mine[m.pk] for m in rec.modules if m.pk in mine), None)
