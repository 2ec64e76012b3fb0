"""The demo's three programmes, made through the programmes' services: one recruiting, with
applications in every state; one matching, with its people accepted and signed; one running
for six months, with a new version of its code of ethics to sign."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from mentorcraft.core.extensions import DemoContext, DemoLogin, DemoSeeder
from mentorcraft.people.models import Topic, User
from mentorcraft.programmes import selectors, services
from mentorcraft.programmes.models import Application, Phase, Programme, Role

# What people write depends on who they are: a goal or an offer is chosen among those that fit
# the person's department (and, for a doctor's offer, their seniority), else among the ones
# anybody could write. A facilities manager does not mentor junior doctors.
MENTEE_GOALS_ANYONE = [
    "I want to get better at giving feedback that lands, especially to people more senior than me.",
    "Returning after two years of parental leave, I want to rebuild my confidence and my network.",
    "I would like to learn to present to the board with confidence, and to write papers that get "
    "decisions made.",
    "I find budget meetings intimidating. I would like to understand how decisions about money "
    "are made and speak up in them.",
    "I lead a project across three teams and want help influencing people I do not manage.",
]

MENTEE_GOALS_BY_DEPARTMENT = {
    "Nursing": [
        "I have just become a ward manager and want to learn how to lead people who were my peers "
        "last month, without losing the friendships.",
        "I want to prepare for a band 7 interview next spring: how to show leadership I already "
        "do but never name.",
    ],
    "Allied health professions": [
        "I am moving from clinical work into a digital role and want someone who has made a "
        "similar jump to help me plan it.",
    ],
    "Quality and safety": [
        "I lead a quality improvement project across three teams and want help influencing "
        "people I do not manage.",
    ],
}

MENTOR_OFFERS_ANYONE = [
    "I have led teams through two reorganisations; happy to talk about change, stakeholders "
    "and looking after yourself while it happens.",
    "I came into a management role late and learned it the hard way; I like helping new "
    "managers find their own style.",
]

MENTOR_OFFERS_BY_DEPARTMENT = {
    "Nursing": [
        "Twenty years in nursing leadership, from staff nurse to director. I like helping new "
        "managers find their own style.",
    ],
    "Allied health professions": [
        "I moved from physiotherapy into operations; happy to talk about career changes and "
        "about leading across professions.",
    ],
    "Finance": [
        "I run our finance business partnering team and enjoy demystifying budgets for clinicians.",
    ],
    "Quality and safety": [
        "Experienced in quality improvement and patient safety; I have mentored informally for "
        "years and would like to do it properly.",
    ],
    "Digital and data": [
        "I have led digital projects in three organisations and can help with change, "
        "stakeholders and resilience.",
    ],
    "Estates and facilities": [
        "I run the estates teams of two hospitals; I can help with leading shift teams, "
        "contractors and budgets, and with being heard by clinical colleagues.",
    ],
}

# Only a senior doctor offers to mentor as one.
SENIOR_DOCTOR_OFFER = (
    "As a consultant and clinical lead I mentor junior doctors already; I would like to support "
    "people from other professions too."
)
SENIOR_DOCTORS = {"Medical director", "Consultant physician"}


def statement_for(rng: random.Random, person: User, role: str) -> str:
    """A goal or an offer that fits the person's department and job (one draw of ``rng``)."""
    profile = person.profile
    department = profile.department.name if profile.department_id else ""
    if role == Role.MENTOR:
        fitting = list(MENTOR_OFFERS_BY_DEPARTMENT.get(department, []))
        if profile.job_title in SENIOR_DOCTORS:
            fitting.append(SENIOR_DOCTOR_OFFER)
        return rng.choice(fitting or MENTOR_OFFERS_ANYONE)
    return rng.choice(MENTEE_GOALS_BY_DEPARTMENT.get(department) or MENTEE_GOALS_ANYONE)


AVAILABILITY = [
    "Tuesday or Thursday mornings",
    "Any lunchtime, online",
    "Friday afternoons",
    "Early mornings before clinics",
    "Flexible, with a week's notice",
]

DECLINE_REASONS = [
    "Thank you for applying. This cohort is for people in their first two years as managers; "
    "the autumn cohort for experienced leaders would suit you better, and we will invite you.",
    "We have more mentors than mentees with your background this year. We would love you to "
    "apply again in the spring, and meanwhile to join the mentors' community of practice.",
]
WAITLIST_REASONS = [
    "Your application is strong. We are waiting to see how many mentees ask for finance topics "
    "before confirming; we will tell you by the end of the month.",
]
SCREENING_COMMENTS = [
    "Clear examples of developing others; would be a steady first-time mentor.",
    "Strong listener in the conversation; less time available than ideal.",
    "Very experienced. Tends to tell rather than ask; training would help.",
    "Thoughtful answers on boundaries and confidentiality.",
]


def _programme(ctx: DemoContext, **fields: object) -> Programme:
    programme = services.programme_create(by=ctx.people["coordinator"], **fields)
    services.ethics_publish(programme=programme, by=ctx.people["coordinator"])
    services.programme_role_grant(
        programme=programme, user=ctx.people["coach"], role=Role.COACH, by=None
    )
    services.programme_role_grant(
        programme=programme, user=ctx.people["sponsor"], role=Role.SPONSOR, by=None
    )
    return programme


def _advance(programme: Programme, by: User, to: str) -> None:
    order = [Phase.RECRUITING, Phase.MATCHING, Phase.RUNNING]
    for phase in order[: order.index(to) + 1]:
        services.programme_set_phase(programme=programme, by=by, phase=phase)


def _apply(
    rng: random.Random, programme: Programme, person: User, role: str, topics: list[Topic]
) -> Application:
    statement = statement_for(rng, person, role)
    capacity = rng.choice([1, 1, 2, 2, 3]) if role == Role.MENTOR else None
    profile_topics = list(
        (person.profile.expertise if role == Role.MENTOR else person.profile.learning_topics).all()
    )
    return services.application_submit(
        programme=programme,
        applicant=person,
        role=role,
        statement=statement,
        topics=profile_topics or rng.sample(topics, 2),
        hours_per_month=rng.choice([1, 1, 2]),
        availability=rng.choice(AVAILABILITY),
        mentee_capacity=capacity,
        preferred_qualities=rng.choice(
            [
                "",
                "Someone outside my own profession.",
                "Patient, and honest with me.",
                "Has managed a team through big change.",
            ]
        ),
    )


def _screen(
    rng: random.Random, application: Application, reviewers: list[User], strength: int
) -> None:
    criteria = list(application.programme.criteria.all())
    for reviewer in reviewers:
        scores = {
            c.pk: (max(1, min(5, strength + rng.choice([-1, 0, 0, 1]))), "") for c in criteria
        }
        services.screening_record(
            application=application,
            reviewer=reviewer,
            scores=scores,
            comment=rng.choice(SCREENING_COMMENTS),
        )


def _acknowledge_all(programme: Programme, people: list[User]) -> None:
    code = programme.current_ethics()
    for person in people:
        services.ethics_acknowledge(user=person, code=code)


def seed_programmes(
    rng: random.Random, ctx: DemoContext, topics: list[Topic]
) -> dict[str, Programme]:
    coordinator, coach = ctx.people["coordinator"], ctx.people["coach"]
    today = timezone.localdate()
    pool = list(ctx.staff)
    rng.shuffle(pool)
    seniors = [u for u in pool if u.profile.years_experience >= 10]
    juniors = [u for u in pool if u.profile.years_experience < 10]

    # 1. Running: accepted mentors and mentees, all signed; the demo mentor and mentee are in it.
    running = _programme(
        ctx,
        name="Nursing Leadership Mentoring 2026",
        purpose="A year of monthly mentoring for nurses in their first leadership role, paired "
        "with experienced leaders from across the organisation.",
        start_date=today - datetime.timedelta(days=190),
        mentor_capacity_default=2,
    )
    _advance(running, coordinator, Phase.RECRUITING)
    running_people = []
    for person in [ctx.people["mentor"], *seniors[:14]]:
        application = _apply(rng, running, person, Role.MENTOR, topics)
        _screen(rng, application, [coordinator], 4)
        services.application_decide(application=application, by=coordinator, decision="accept")
        running_people.append(person)
    for person in [ctx.people["mentee"], *juniors[:20]]:
        application = _apply(rng, running, person, Role.MENTEE, topics)
        services.application_decide(application=application, by=coordinator, decision="accept")
        running_people.append(person)
    _acknowledge_all(running, [*running_people, coach, ctx.people["sponsor"]])
    _advance_from(running, coordinator, Phase.RECRUITING, Phase.RUNNING)
    # A second version of the code: most have re-signed, the demo mentor has not yet.
    services.ethics_draft_save(
        programme=running,
        by=coordinator,
        text=running.current_ethics().text
        + "7. Social media. Do not discuss mentoring conversations online, even without names.\n",
        summary_of_changes="Added a rule about social media.",
    )
    services.ethics_publish(programme=running, by=coordinator)
    re_signed = [p for p in running_people if p != ctx.people["mentor"]][:-5]
    _acknowledge_all(running, [coordinator, ctx.people["sponsor"], *re_signed])

    # 2. Matching: screening done, people accepted, matching about to start.
    matching = _programme(
        ctx,
        name="Cross-Professional Mentoring 2027",
        purpose="Mentoring across professions: clinicians paired with colleagues in finance, "
        "digital and operations, to build understanding and careers across boundaries.",
        start_date=today + datetime.timedelta(days=30),
    )
    _advance(matching, coordinator, Phase.RECRUITING)
    accepted = []
    for index, person in enumerate(seniors[14:30]):
        application = _apply(rng, matching, person, Role.MENTOR, topics)
        _screen(rng, application, [coordinator, coach], 3 + index % 3)
        if index < 12:
            services.application_decide(application=application, by=coordinator, decision="accept")
            accepted.append(person)
        elif index < 14:
            services.application_decide(
                application=application,
                by=coordinator,
                decision="decline",
                reason=rng.choice(DECLINE_REASONS),
            )
    for index, person in enumerate(juniors[20:44]):
        application = _apply(rng, matching, person, Role.MENTEE, topics)
        if index < 20:
            services.application_decide(application=application, by=coordinator, decision="accept")
            accepted.append(person)
    # Most have signed; a few have not, so the matching page has someone blocked.
    # The demo logins of this programme: accepted, signed, ready to be matched.
    for key, role in (
        ("matchmentor", Role.MENTOR),
        ("mentor", Role.MENTOR),
        ("matchmentee", Role.MENTEE),
        ("chooser", Role.MENTEE),
    ):
        person = ctx.people[key]
        application = _apply(rng, matching, person, role, topics)
        if role == Role.MENTOR:
            _screen(rng, application, [coordinator], 4)
        services.application_decide(application=application, by=coordinator, decision="accept")
        accepted.insert(0, person)
    _acknowledge_all(matching, [coordinator, coach, ctx.people["sponsor"], *accepted[:-4]])
    services.programme_set_phase(programme=matching, by=coordinator, phase=Phase.MATCHING)

    # 3. Recruiting: applications in every state.
    recruiting = _programme(
        ctx,
        name="Leadership Mentoring 2027",
        purpose="Grow the next generation of team leads: a year of monthly mentoring with a senior "
        "leader, plus workshops and a community of practice for mentors.",
        start_date=today + datetime.timedelta(days=90),
    )
    _advance(recruiting, coordinator, Phase.RECRUITING)
    mentors = seniors[30:42]
    mentees = juniors[44:62]
    for index, person in enumerate(mentors):
        application = _apply(rng, recruiting, person, Role.MENTOR, topics)
        if index < 3:
            continue  # submitted: waiting in the review queue
        if index < 6:
            _screen(rng, application, [coach], 3 + index % 2)  # under review
            continue
        _screen(rng, application, [coach, coordinator], 2 + index % 4)
        if index < 8:
            services.application_decide(application=application, by=coordinator, decision="accept")
        elif index < 9:
            services.application_decide(
                application=application,
                by=coordinator,
                decision="waitlist",
                reason=WAITLIST_REASONS[0],
            )
        elif index < 10:
            services.application_decide(
                application=application,
                by=coordinator,
                decision="decline",
                reason=DECLINE_REASONS[1],
            )
        else:
            services.application_withdraw(application=application, by=person)
    # The demo applicant has a decision to read.
    application = _apply(rng, recruiting, ctx.people["applicant"], Role.MENTOR, topics)
    _screen(rng, application, [coach], 3)
    services.application_decide(
        application=application, by=coordinator, decision="waitlist", reason=WAITLIST_REASONS[0]
    )
    for index, person in enumerate(mentees):
        application = _apply(rng, recruiting, person, Role.MENTEE, topics)
        if index < 5:
            continue  # submitted
        if index < 9:
            services.application_decide(application=application, by=coordinator, decision="accept")
        elif index < 10:
            services.application_decide(
                application=application,
                by=coordinator,
                decision="decline",
                reason=DECLINE_REASONS[0],
            )
        elif index < 11:
            services.application_withdraw(application=application, by=person)
    # A report of the demo line manager waits for her confirmation.
    report = (
        User.objects.filter(profile__line_manager=ctx.people["manager"])
        .exclude(pk=ctx.people["mentee"].pk)
        .order_by("pk")
        .first()
    )
    application = _apply(rng, recruiting, report, Role.MENTEE, topics)
    services.application_request_confirmation(application=application, by=coordinator)
    _acknowledge_all(recruiting, [coordinator, coach, ctx.people["sponsor"]])
    return {"recruiting": recruiting, "matching": matching, "running": running}


def _advance_from(programme: Programme, by: User, start: str, end: str) -> None:
    order = [Phase.DRAFT, Phase.RECRUITING, Phase.MATCHING, Phase.RUNNING]
    for phase in order[order.index(start) + 1 : order.index(end) + 1]:
        services.programme_set_phase(programme=programme, by=by, phase=phase)


def seed(ctx: DemoContext) -> None:
    topics = list(Topic.objects.order_by("pk"))
    ctx.programmes = seed_programmes(ctx.rng, ctx, topics)


def _reviews_waiting(user: User, *, mentors_only: bool = False) -> bool:
    waiting = selectors.review_counts_for(user)
    if not mentors_only:
        return bool(waiting)
    return any(
        selectors.review_queue(Programme(pk=programme_id), user).filter(role=Role.MENTOR).exists()
        for programme_id, _name, _n in waiting
    )


def _has_funnel_to_read(user: User) -> bool:
    return Application.objects.filter(
        programme__roles__user=user, programme__roles__role=Role.SPONSOR
    ).exists()


SEEDER = DemoSeeder("programmes", seed)
LOGINS = [
    DemoLogin(
        "coordinator",
        "Coordinator",
        "Priya Raman",
        "Open the Leadership programme's review queue",
        _reviews_waiting,
    ),
    DemoLogin(
        "mentor",
        "Mentor",
        "Tomasz Nowak",
        "Sign the new code of ethics",
        lambda user: bool(selectors.ethics_pending_for_user(user)),
    ),
    DemoLogin(
        "mentee",
        "Mentee",
        "Aisha Bello",
        "Apply to the recruiting programme",
        lambda user: selectors.programmes_open_to(user).exists(),
    ),
    DemoLogin(
        "coach",
        "Coach",
        "Gareth Hughes",
        "Screen a mentor application",
        lambda user: _reviews_waiting(user, mentors_only=True),
    ),
    DemoLogin(
        "sponsor",
        "Sponsor",
        "Dame Helen Carter",
        "Read the application funnel",
        _has_funnel_to_read,
    ),
    DemoLogin(
        "manager",
        "Line manager",
        "Rosa Delgado",
        "Confirm a report as a mentee",
        lambda user: selectors.confirmations_waiting_for(user).exists(),
    ),
    DemoLogin(
        "applicant",
        "Applicant",
        "Jonas Berg",
        "Read the decision on an application",
        lambda user: user.applications.exclude(decision_reason="").exists(),
    ),
]
