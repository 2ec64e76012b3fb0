"""Demo training: Northwind's catalogue (every kind and level), sessions held and to come with
their registers, two closed programmes of past mentoring that give people their experience
tiers, completions valid, expiring and expired, requirements that block some of the people
about to be matched, a coach cadre, and mentees who finished and would mentor.

Made through the training services; history is dated back afterwards (a register can only be
taken around its session, so past sessions are held "now" and then moved to their day).
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Q
from django.utils import timezone

from mentorcraft.core.extensions import DemoContext, DemoLogin, DemoSeeder
from mentorcraft.demo.programmes import _advance, _apply, _programme, _screen
from mentorcraft.mentorships.models import (
    Closure,
    ClosureReflection,
    Feedback,
    FeedbackPoint,
    Mentorship,
    TimelineEntry,
)
from mentorcraft.mentorships.services import closure_start, goal_create, mentorship_create
from mentorcraft.people.models import Topic, User
from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import (
    Application,
    ApplicationStatus,
    Phase,
    Programme,
    Role,
    add_months,
)
from mentorcraft.training import services
from mentorcraft.training.advice import advice_for
from mentorcraft.training.models import (
    Coach,
    Completion,
    Kind,
    Level,
    Module,
    Registration,
    Session,
)
from mentorcraft.training.selectors import blocked_counts, pipeline_reflections

INTRANET = "https://intranet.northwind.example/learning"

CATALOGUE = {
    "mentor_induction": {
        "title": "Mentor induction: the first steps",
        "description": "What mentoring is and is not, the programme's rhythm (an hour a month for "
        "up to a year), the working agreement, learning goals, confidentiality and the code of "
        "ethics, and how to make the first two meetings count. Required before matching.",
        "audience": "mentors",
        "level": Level.NEW,
        "kind": Kind.INDUCTION,
        "format": "workshop",
        "duration_minutes": 120,
    },
    "mentee_induction": {
        "title": "Mentee induction: getting the most from mentoring",
        "description": "How to choose goals worth a mentor's time, prepare for a meeting, ask for "
        "feedback and say when something is not working.",
        "audience": "mentees",
        "level": Level.NEW,
        "kind": Kind.INDUCTION,
        "format": "online",
        "duration_minutes": 90,
    },
    "ethics": {
        "title": "Ethics and boundaries in mentoring",
        "description": "Confidentiality and its limits, conflicts of interest, when to refer "
        "someone on, and mentoring across grades. Forty-five minutes of reading and three short "
        "cases.",
        "audience": "everyone",
        "level": Level.ANY,
        "kind": Kind.SKILLS,
        "format": "self_study",
        "duration_minutes": 45,
        "valid_months": 24,
        "link": f"{INTRANET}/mentoring-ethics",
        "self_declared": True,
    },
    "listening": {
        "title": "Listening and powerful questions",
        "description": "A practice workshop for new mentors: listening for meaning, open "
        "questions, silence, and resisting the urge to fix. Half of it is practice in threes.",
        "audience": "mentors",
        "level": Level.NEW,
        "kind": Kind.SKILLS,
        "format": "workshop",
        "duration_minutes": 180,
    },
    "goals": {
        "title": "Learning goals that hold",
        "description": "A community-of-practice mini-session: turning a wish into a goal with a "
        "measure, and reviewing it at the mid-point.",
        "audience": "everyone",
        "level": Level.NEW,
        "kind": Kind.SKILLS,
        "format": "community",
        "duration_minutes": 60,
    },
    "proactive": {
        "title": "Being a proactive mentee",
        "description": "Short reading on owning the relationship: setting the agenda, following "
        "up, and giving your mentor feedback.",
        "audience": "mentees",
        "level": Level.ANY,
        "kind": Kind.SKILLS,
        "format": "self_study",
        "duration_minutes": 30,
        "link": f"{INTRANET}/proactive-mentee",
        "self_declared": True,
    },
    "stretch": {
        "title": "Support and challenge: stretching your mentee well",
        "description": "For mentors with a relationship or two behind them: building enough trust "
        "to challenge, candid feedback balanced with compassion, and checking assumptions.",
        "audience": "mentors",
        "level": Level.EXPERIENCED,
        "kind": Kind.SKILLS,
        "format": "workshop",
        "duration_minutes": 150,
    },
    "difference": {
        "title": "Mentoring across difference",
        "description": "Mentoring across professions, grades, cultures and generations: what "
        "changes, and what experienced mentors get wrong.",
        "audience": "mentors",
        "level": Level.EXPERIENCED,
        "kind": Kind.SKILLS,
        "format": "online",
        "duration_minutes": 90,
    },
    "refresher": {
        "title": "Refresher: mentoring practice in an hour",
        "description": "A yearly community-of-practice session: what has changed in the programme, "
        "a case from the group, and one skill practised again.",
        "audience": "mentors",
        "level": Level.ANY,
        "kind": Kind.REFRESHER,
        "format": "community",
        "duration_minutes": 60,
        "valid_months": 12,
    },
    "renewal": {
        "title": "Renewal for veteran mentors",
        "description": "Half a day for mentors with years behind them: habits that have crept in, "
        "what current research says, and mentoring mentors. Renew every two years.",
        "audience": "mentors",
        "level": Level.VETERAN,
        "kind": Kind.RENEWAL,
        "format": "workshop",
        "duration_minutes": 240,
        "valid_months": 24,
    },
    "to_mentee": {
        "title": "From mentor to mentee: sitting in the other seat",
        "description": "For experienced mentors who enrol as mentees: letting go of the mentor's "
        "habits, asking for help, and learning from someone who may be junior in other ways.",
        "audience": "mentees",
        "level": Level.ANY,
        "kind": Kind.TO_MENTEE,
        "format": "online",
        "duration_minutes": 60,
    },
    "to_mentor": {
        "title": "From mentee to mentor: stepping up",
        "description": "For people who were mentored and now mentor: what you learned from the "
        "other seat, and what to do differently from your own mentor.",
        "audience": "mentors",
        "level": Level.NEW,
        "kind": Kind.TO_MENTOR,
        "format": "workshop",
        "duration_minutes": 120,
    },
    "coach": {
        "title": "Mentoring coach foundation",
        "description": "For veteran mentors joining the coach cadre: supervising mentors one to "
        "one and in circles of three to five, the formative, normative and restorative sides of "
        "supervision, and when to escalate. Renew every two years.",
        "audience": "coaches",
        "level": Level.VETERAN,
        "kind": Kind.COACH,
        "format": "workshop",
        "duration_minutes": 360,
        "valid_months": 24,
    },
    "leadership": {
        "title": "Mentoring as a leadership competency",
        "description": "Part of Northwind's leadership development programme: every leader should "
        "know how to be a mentor, how to find one, and how to support mentoring in their team.",
        "audience": "everyone",
        "level": Level.ANY,
        "kind": Kind.LEADERSHIP,
        "format": "workshop",
        "duration_minutes": 180,
        "leadership": True,
    },
}

ROOMS = ["Learning centre, room 2", "Boardroom, Trust HQ", "Education centre, seminar room A"]
VIDEO = "https://meet.northwind.example/training"


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


HOLIDAYS = {(12, 24), (12, 25), (12, 26), (12, 31), (1, 1)}


def _workday(day: datetime.date, step: int = 1) -> datetime.date:
    """The day, or the nearest working day after it (``step`` -1: before it)."""
    while day.weekday() >= 5 or (day.month, day.day) in HOLIDAYS:
        day += datetime.timedelta(days=step)
    return day


def _accepted(programme: Programme, role: str) -> list[User]:
    return [
        a.applicant
        for a in Application.objects.filter(
            programme=programme, role=role, status=ApplicationStatus.ACCEPTED
        )
        .select_related("applicant__profile")
        .order_by("pk")
    ]


class Seeder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng: random.Random = ctx.rng
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.coordinator = ctx.people["coordinator"]
        self.coach = ctx.people["coach"]
        self.modules: dict[str, Module] = {}

    # --- Catalogue and sessions ------------------------------------------------------------

    def catalogue(self) -> None:
        for key, fields in CATALOGUE.items():
            # The catalogue is the organisation's: a second demo organisation in the same
            # database (the page benchmark seeds many) shares it.
            existing = Module.objects.filter(title=fields["title"]).first()
            self.modules[key] = existing or services.module_create(by=self.coordinator, **fields)

    def session(
        self,
        key: str,
        *,
        days: int,
        hour: int = 10,
        capacity: int = 16,
        facilitator: User | None = None,
        online: bool = False,
    ) -> Session:
        module = self.modules[key]
        return services.session_create(
            module=module,
            by=self.coordinator,
            starts_at=_at(_workday(self.today + datetime.timedelta(days=days)), hour),
            facilitator=facilitator or self.rng.choice([self.coach, self.coordinator]),
            location=VIDEO if online or module.format == "online" else self.rng.choice(ROOMS),
            capacity=capacity,
        )

    def register(self, session: Session, people: list[User]) -> None:
        for person in people:
            services.registration_create(session=session, person=person, by=person)

    def held(
        self,
        key: str,
        attended: list[User],
        *,
        days_ago: int,
        absent: list[User] = (),
        hour: int = 10,
    ) -> Session:
        """A session that took place ``days_ago`` with its register taken: planned, booked,
        held and marked now, then moved to its day with its completions."""
        people = list(dict.fromkeys([*attended, *absent]))
        session = self.session(key, days=7, hour=hour, capacity=max(8, len(people)))
        self.register(session, people)
        just_ended = self.now - datetime.timedelta(minutes=session.duration_minutes + 30)
        Session.objects.filter(pk=session.pk).update(starts_at=just_ended)
        session.refresh_from_db()
        services.attendance_record(
            session=session,
            by=session.facilitator,
            attended={p.pk for p in attended},
            absent={p.pk for p in absent},
        )
        day = _workday(self.today - datetime.timedelta(days=days_ago), -1)
        when = _at(day, hour)
        Session.objects.filter(pk=session.pk).update(
            starts_at=when, attendance_taken_at=when + datetime.timedelta(hours=4), created_at=when
        )
        Registration.objects.filter(session=session).update(
            created_at=when - datetime.timedelta(days=14)
        )
        Completion.objects.filter(session=session).update(
            completed_on=day, expires_on=session.module.expiry_for(day)
        )
        session.refresh_from_db()
        return session

    def declared(self, key: str, person: User, days_ago: int) -> Completion:
        return services.completion_self_declare(
            module=self.modules[key],
            person=person,
            completed_on=self.today - datetime.timedelta(days=days_ago),
        )

    # --- Past programmes: where people's tiers come from ------------------------------------

    def past_programme(
        self,
        *,
        name: str,
        started_days_ago: int,
        pairs: list[tuple[User, User, str]],
        topics: list[Topic],
    ) -> Programme:
        """A programme that ran for twelve months and closed, with its pairs: each pair is
        (mentor, mentee, how it ended: "planned" or "early")."""
        start = self.today - datetime.timedelta(days=20)
        programme = _programme(
            self.ctx,
            name=name,
            purpose="A year of monthly mentoring for clinicians stepping into leadership.",
            start_date=start,
            mentor_capacity_default=2,
        )
        _advance(programme, self.coordinator, Phase.RECRUITING)
        mentors = list(dict.fromkeys(m for m, _, _ in pairs))
        for mentor in mentors:
            application = _apply(self.rng, programme, mentor, Role.MENTOR, topics)
            Application.objects.filter(pk=application.pk).update(mentee_capacity=3)
            _screen(self.rng, application, [self.coordinator], 4)
            programmes.application_decide(
                application=application, by=self.coordinator, decision="accept"
            )
        for _, mentee, _ in pairs:
            application = _apply(self.rng, programme, mentee, Role.MENTEE, topics)
            programmes.application_decide(
                application=application, by=self.coordinator, decision="accept"
            )
        for phase in (Phase.MATCHING, Phase.RUNNING):
            programmes.programme_set_phase(programme=programme, by=self.coordinator, phase=phase)
        began = self.today - datetime.timedelta(days=started_days_ago)
        ended = add_months(began, 12)
        for mentor, mentee, how in pairs:
            m = mentorship_create(
                programme=programme, mentor=mentor, mentee=mentee, by=self.coordinator
            )
            goal_create(
                mentorship=m,
                by=mentee,
                title=self.rng.choice(
                    [
                        "Lead my team through the ward move",
                        "Chair the governance meeting with confidence",
                        "Build and defend my unit's budget",
                        "Have the difficult conversations I avoid",
                    ]
                ),
                why="",
                measure="",
                target_date=None,
                start_rating=2,
            )
            Mentorship.objects.filter(pk=m.pk).update(ends_on=self.today)
            m.refresh_from_db()
            if how == "planned":
                closure = closure_start(mentorship=m, by=mentee, kind=Closure.Kind.PLANNED)
                closed_on = ended
            else:
                closure = closure_start(
                    mentorship=m,
                    by=mentor,
                    kind=Closure.Kind.EARLY,
                    reason="A change of role made the meetings impossible to keep.",
                )
                closed_on = began + datetime.timedelta(days=120)
            Mentorship.objects.filter(pk=m.pk).update(
                started_on=began, ends_on=ended, closed_on=closed_on
            )
            Closure.objects.filter(pk=closure.pk).update(created_at=_at(closed_on, 12))
            TimelineEntry.objects.filter(mentorship=m).update(created_at=_at(began, 9))
            Feedback.objects.create(
                mentorship=m,
                author=mentee,
                point=FeedbackPoint.CLOSURE if how == "planned" else FeedbackPoint.MONTH_ONE,
                helped="Honest questions, and time to think before answering.",
                change="",
                created_at=_at(closed_on, 15),
            )
            ClosureReflection.objects.create(
                closure=closure,
                author=mentee,
                reflection="I am braver in meetings, and I plan my week instead of reacting.",
                would_mentor=self.rng.choice(
                    [ClosureReflection.WouldMentor.LATER, ClosureReflection.WouldMentor.NO]
                ),
                created_at=_at(closed_on + datetime.timedelta(days=1), 12),
            )
        for phase in (Phase.CLOSING, Phase.CLOSED):
            programmes.programme_set_phase(programme=programme, by=self.coordinator, phase=phase)
        Programme.objects.filter(pk=programme.pk).update(start_date=began, end_date=ended)
        return programme

    # --- All of it -----------------------------------------------------------------------

    def run(self) -> None:
        ctx, people = self.ctx, self.ctx.people
        topics = list(Topic.objects.order_by("pk"))
        matching, recruiting, running = (
            ctx.programmes["matching"],
            ctx.programmes["recruiting"],
            ctx.programmes["running"],
        )
        mentor, veteran, graduate, newmentor = (
            people["mentor"],
            people["veteran"],
            people["graduate"],
            people["newmentor"],
        )
        self.catalogue()

        # The running programme's mentors (other than the demo mentor), for history and coaches.
        running_mentors = [m for m in _accepted(running, Role.MENTOR) if m != mentor]
        nominee, lapsed, seasoned = running_mentors[0], running_mentors[1], running_mentors[2]
        used = {p.pk for p in [*_accepted(running, Role.MENTEE), *_accepted(matching, Role.MENTEE)]}
        juniors = [u for u in ctx.staff if u.profile.years_experience < 8 and u.pk not in used]
        self.rng.shuffle(juniors)

        # Two closed programmes: experience for the veteran, the coach, the demo mentor, and
        # the graduate who finished as a mentee and would mentor.
        self.past_programme(
            name="Nursing Leadership Mentoring 2024",
            started_days_ago=1000,
            topics=topics,
            pairs=[
                (self.coach, juniors[0], "planned"),
                (self.coach, juniors[1], "planned"),
                (veteran, juniors[2], "planned"),
                (veteran, juniors[3], "planned"),
                (nominee, juniors[4], "planned"),
                (lapsed, juniors[5], "planned"),
                (seasoned, juniors[6], "planned"),
                (seasoned, juniors[7], "early"),
            ],
        )
        p2025 = self.past_programme(
            name="Leadership Mentoring 2025",
            started_days_ago=560,
            topics=topics,
            pairs=[
                (self.coach, juniors[8], "planned"),
                (veteran, graduate, "planned"),
                (nominee, juniors[9], "planned"),
                (lapsed, juniors[10], "planned"),
                (mentor, juniors[11], "planned"),
                (seasoned, juniors[12], "early"),
            ],
        )
        # The graduate said yes; two others from 2025 would mentor too: one has already applied
        # in the recruiting programme, one was invited.
        for person, answer in (
            (graduate, ClosureReflection.WouldMentor.YES),
            (juniors[9], ClosureReflection.WouldMentor.YES),
            (juniors[10], ClosureReflection.WouldMentor.YES),
        ):
            ClosureReflection.objects.filter(
                closure__mentorship__programme=p2025, author=person
            ).update(would_mentor=answer)
        _apply(self.rng, recruiting, juniors[9], Role.MENTOR, topics)
        services.mentor_invite(person=juniors[10], programme=recruiting, by=self.coordinator)
        # A mentor of the running programme enrols as a mentee: the transition module is
        # offered to them.
        _apply(self.rng, recruiting, seasoned, Role.MENTEE, topics)

        # The veteran is accepted in the programme about to be matched (its applications
        # reopened for a moment, as a coordinator would to add a late mentor)...
        programmes.programme_set_phase(
            programme=matching, by=self.coordinator, phase=Phase.RECRUITING
        )
        application = _apply(self.rng, matching, veteran, Role.MENTOR, topics)
        _screen(self.rng, application, [self.coordinator], 5)
        programmes.application_decide(
            application=application, by=self.coordinator, decision="accept"
        )
        # ...and the new mentor too: signed, ready, but for her induction.
        application = _apply(self.rng, matching, newmentor, Role.MENTOR, topics)
        _screen(self.rng, application, [self.coordinator], 4)
        programmes.application_decide(
            application=application, by=self.coordinator, decision="accept"
        )
        for person in (veteran, newmentor):
            programmes.ethics_acknowledge(user=person, code=matching.current_ethics())
        programmes.programme_set_phase(
            programme=matching, by=self.coordinator, phase=Phase.MATCHING
        )

        # Who is blocked in the matching programme, and by what.
        matching_mentors = [
            m for m in _accepted(matching, Role.MENTOR) if m not in (veteran, newmentor)
        ]
        matching_mentees = _accepted(matching, Role.MENTEE)
        keep = {people[k].pk for k in ("mentor", "matchmentor", "matchmentee", "chooser")}
        staff_mentors = [m for m in matching_mentors if m.pk not in keep]
        no_induction = staff_mentors[:2]
        ethics_lapsed = staff_mentors[2]
        external = staff_mentors[3]
        staff_mentees = [m for m in matching_mentees if m.pk not in keep]
        no_mentee_induction = staff_mentees[:2]

        # Mentor inductions: the running programme's mentors before they started, the matching
        # programme's this autumn (one of them trained elsewhere).
        self.held("mentor_induction", [mentor, *running_mentors], days_ago=215)
        inducted = [
            m for m in matching_mentors if m not in no_induction and m != external and m != mentor
        ]
        half = len(inducted) // 2
        self.held("mentor_induction", inducted[:half], days_ago=75, absent=no_induction[:1])
        self.held("mentor_induction", [*inducted[half:], veteran], days_ago=40, hour=14)
        services.completion_record_external(
            person=external,
            module=self.modules["mentor_induction"],
            completed_on=self.today - datetime.timedelta(days=400),
            minutes=720,
            evidence="EMCC-accredited Foundation Certificate in Mentoring, two days, with "
            "Northern Coaching Partnership; certificate EMCC-48213.",
            by=self.coordinator,
        )
        # Today's induction, in about an hour: places left for the new mentor.
        start = self.now + datetime.timedelta(minutes=60)
        start = start.replace(minute=(start.minute // 5) * 5, second=0, microsecond=0)
        today_session = services.session_create(
            module=self.modules["mentor_induction"],
            by=self.coordinator,
            starts_at=start,
            facilitator=self.coach,
            location=VIDEO,
            capacity=12,
        )
        recruiting_mentors = _accepted(recruiting, Role.MENTOR)
        self.register(today_session, [*no_induction, *recruiting_mentors[:3]])
        later = self.session("mentor_induction", days=21, capacity=16)
        self.register(later, recruiting_mentors[3:4])

        # Mentee inductions.
        self.held("mentee_induction", _accepted(running, Role.MENTEE), days_ago=210)
        self.held(
            "mentee_induction",
            [m for m in matching_mentees if m not in no_mentee_induction],
            days_ago=60,
            hour=13,
        )
        self.register(self.session("mentee_induction", days=9, hour=13), no_mentee_induction[:1])

        # Ethics (self-study): done by nearly everyone; the demo mentor's lapses next month, one
        # mentor's lapsed last month.
        for index, person in enumerate([*matching_mentors, *running_mentors, veteran, newmentor]):
            if person in (mentor, ethics_lapsed):
                continue
            self.declared("ethics", person, days_ago=[8, 30, 90, 200, 320][index % 5])
        self.declared("ethics", mentor, days_ago=700)
        self.declared("ethics", ethics_lapsed, days_ago=760)
        for person in matching_mentees[:6]:
            self.declared("proactive", person, days_ago=50)

        # Skills: the listening workshop is full (the demo mentor holds a place), with no one
        # waiting yet.
        self.held("listening", running_mentors[3:9], days_ago=120)
        listening = self.session("listening", days=6, capacity=10)
        self.register(listening, list(dict.fromkeys([mentor, *matching_mentors]))[:10])
        self.held("difference", [mentor, seasoned, lapsed], days_ago=30, hour=15)
        self.register(self.session("difference", days=35, hour=15), [nominee])
        stretch = self.session("stretch", days=18)
        self.register(stretch, running_mentors[5:9])
        goals = self.session("goals", days=8, hour=12, online=True)
        self.register(goals, matching_mentees[:3])
        services.session_cancel(session=goals, by=self.coordinator)
        self.session("goals", days=29, hour=12, online=True)

        # Refresher: last year's is about to lapse for its six mentors.
        self.held("refresher", running_mentors[:6], days_ago=340, hour=16)
        self.register(self.session("refresher", days=14, hour=16), running_mentors[:2])

        # Renewal: the veteran's lapsed a month ago.
        self.held("renewal", [veteran, self.coach], days_ago=760)
        self.register(self.session("renewal", days=24, capacity=8), [nominee])

        # Transitions.
        self.held("to_mentor", [juniors[9]], days_ago=90)
        self.session("to_mentor", days=12)
        self.session("to_mentee", days=16, hour=12)

        # The coach cadre: the demo coach ready, one nominated (training booked), one active
        # whose coach training lapsed.
        self.held("coach", [self.coach, lapsed], days_ago=7)
        for person in (self.coach, lapsed, nominee):
            services.coach_nominate(person=person, by=self.coordinator, capacity=5)
        for person in (self.coach, lapsed):
            services.coach_set_status(
                coach=Coach.objects.get(person=person), by=self.coordinator, status="active"
            )
        lapsed_on = self.today - datetime.timedelta(days=790)
        Completion.objects.filter(person=lapsed, module=self.modules["coach"]).update(
            completed_on=lapsed_on, expires_on=self.modules["coach"].expiry_for(lapsed_on)
        )
        Completion.objects.filter(person=self.coach, module=self.modules["coach"]).update(
            completed_on=self.today - datetime.timedelta(days=300),
            expires_on=self.modules["coach"].expiry_for(self.today - datetime.timedelta(days=300)),
        )
        self.register(self.session("coach", days=45, capacity=10), [nominee])

        # Leadership development: directors and managers trained to mentor.
        leaders = [u for u in ctx.staff if u.profile.years_experience >= 18][:14]
        self.held("leadership", leaders, days_ago=100, hour=9)
        self.session("leadership", days=30, hour=9)

        # What the programmes require before matching.
        for programme in (matching, recruiting):
            services.requirement_add(
                programme=programme,
                by=self.coordinator,
                role="mentor",
                kind=Kind.INDUCTION,
                min_minutes=120,
            )
        services.requirement_add(
            programme=matching, by=self.coordinator, role="mentor", module=self.modules["ethics"]
        )
        services.requirement_add(
            programme=matching,
            by=self.coordinator,
            role="mentor",
            tier=Level.VETERAN,
            kind=Kind.RENEWAL,
            within_months=24,
        )
        services.requirement_add(
            programme=matching, by=self.coordinator, role="mentee", kind=Kind.INDUCTION
        )


def seed(ctx: DemoContext) -> None:
    Seeder(ctx).run()


# --- What to try, and the checks that keep each hint true -------------------------------------


def _blocks_someone(user: User) -> bool:
    coordinated = list(
        Programme.objects.filter(
            roles__user=user, roles__role=Role.COORDINATOR, phase=Phase.MATCHING
        ).values_list("pk", flat=True)
    )
    return any(blocked_counts(coordinated).values())


def _can_invite(user: User) -> bool:
    recruiting = Programme.objects.filter(
        roles__user=user, roles__role=Role.COORDINATOR, phase=Phase.RECRUITING
    ).exists()
    return recruiting and pipeline_reflections(user).exists()


SOON = datetime.timedelta(hours=2)


def _induction_next(user: User) -> bool:
    """Blocked by induction, with an induction session open for registration very soon."""
    advice = advice_for(user)
    blocked = any(r.kind == Kind.INDUCTION for s in advice.blocking for r in s.standing.unmet)
    now = timezone.now()
    soon = Session.objects.filter(
        module__kind=Kind.INDUCTION,
        status=Session.Status.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + SOON,
    )
    return blocked and soon.exists()


def _full_session_with_place(user: User) -> bool:
    for registration in Registration.objects.filter(
        person=user, status=Registration.Status.REGISTERED, session__starts_at__gt=timezone.now()
    ).select_related("session"):
        session = registration.session
        if session.registrations.filter(status="registered").count() >= session.capacity:
            return True
    return False


def _register_to_take(user: User) -> bool:
    """Facilitates a session whose register opens within the next two hours or is open now
    and not taken."""
    now = timezone.now()
    return Session.objects.filter(
        facilitator=user,
        status=Session.Status.SCHEDULED,
        attendance_taken_at__isnull=True,
        starts_at__lte=now + SOON,
        starts_at__gte=now - datetime.timedelta(days=1),
    ).exists()


def _recommended(kind: str):  # noqa: ANN202
    return lambda user: any(r.kind == kind for r in advice_for(user).recommendations)


def _sponsor_figures(user: User) -> bool:
    return Programme.objects.filter(
        Q(roles__user=user, roles__role=Role.SPONSOR), training_requirements__isnull=False
    ).exists()


SEEDER = DemoSeeder("training", seed)
LOGINS = [
    DemoLogin(
        "coordinator",
        "Coordinator",
        "Priya Raman",
        "see who training blocks from matching (Cross-Professional › Training requirements)",
        _blocks_someone,
    ),
    DemoLogin(
        "coordinator",
        "Coordinator",
        "Priya Raman",
        "invite a mentee who finished to mentor (Training › Mentor pipeline)",
        _can_invite,
    ),
    DemoLogin(
        "newmentor",
        "New mentor",
        "Leila Haddad",
        "Induction is your next step: register for today's session (it starts within the "
        "hour; once the coach takes the register you can be matched); then join the waitlist "
        "of the full listening workshop",
        _induction_next,
    ),
    DemoLogin(
        "coach",
        "Coach",
        "Gareth Hughes",
        "take the register of today's mentor induction",
        _register_to_take,
    ),
    DemoLogin(
        "mentor",
        "Mentor",
        "Tomasz Nowak",
        "give up your place on the full listening workshop: the first on the waitlist moves up",
        _full_session_with_place,
    ),
    DemoLogin(
        "veteran",
        "Veteran",
        "Margaret O'Neill",
        "Renewal training is due: see your training record",
        _recommended(Kind.RENEWAL),
    ),
    DemoLogin(
        "graduate",
        "Former mentee",
        "Daniel Osei",
        "You finished as a mentee and said you would mentor: the mentor path is on your home page",
        _recommended(Kind.TO_MENTOR),
    ),
    DemoLogin(
        "sponsor",
        "Sponsor",
        "Dame Helen Carter",
        "read the training figures (the Cross-Professional programme's page)",
        _sponsor_figures,
    ),
]
