"""The demo organisation: Northwind Health, a regional health and care provider.

Everything is made through the services, so the demo obeys the same rules as real use. The data
is deterministic (one seeded random generator), and each part is a small function so that later
parts of the product can add theirs.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentorcraft.people.models import Department, Profile, Topic, User
from mentorcraft.programmes import services
from mentorcraft.programmes.models import Application, Phase, Programme, Role

DEMO_PASSWORD = "mentorcraft-demo"
DEMO_DOMAIN = "demo.mentorcraft.org"
STAFF_DOMAIN = "northwind.example"
SEED = 20261124

DEMO_LOGINS = [
    ("coordinator", "Coordinator", "Priya Raman", "Open the Leadership programme's review queue"),
    ("mentor", "Mentor", "Tomasz Nowak", "Sign the new code of ethics; answer requests"),
    ("mentee", "Mentee", "Aisha Bello", "Apply to the recruiting programme"),
    ("coach", "Coach", "Gareth Hughes", "Screen a mentor application"),
    ("sponsor", "Sponsor", "Dame Helen Carter", "Read the application funnel"),
    ("manager", "Line manager", "Rosa Delgado", "Confirm a report as a mentee"),
    ("applicant", "Applicant", "Jonas Berg", "Read the decision on an application"),
    ("matchmentee", "Mentee", "Ruth Adeyemi", "Answer a match offer (Cross-Professional)"),
    ("matchmentor", "Mentor", "Henrik Larsen", "Answer a match offer (Cross-Professional)"),
    ("chooser", "Mentee", "Kofi Mensah", "Find a mentor yourself (Cross-Professional)"),
    ("admin", "Admin", "Sam Okafor", "Open the admin site"),
]

TOPICS = {
    "Leadership": [
        "Leading a team for the first time",
        "Delegation",
        "Giving difficult feedback",
        "Managing change",
        "Building trust",
    ],
    "Career": [
        "Career planning",
        "Preparing for promotion",
        "Moving between professions",
        "Returning from a career break",
    ],
    "Clinical practice": [
        "Clinical supervision",
        "Patient safety",
        "Quality improvement",
        "Research and audit",
    ],
    "Working with others": [
        "Negotiation",
        "Influencing without authority",
        "Working across teams",
        "Conflict resolution",
        "Stakeholder management",
    ],
    "Personal effectiveness": [
        "Time management",
        "Resilience and wellbeing",
        "Public speaking",
        "Writing for decision makers",
        "Confidence",
    ],
    "Business": [
        "Budgeting",
        "Project management",
        "Data and digital",
        "Procurement",
        "Strategy",
        "Equality, diversity and inclusion",
    ],
}

DEPARTMENTS = [
    "Executive office",
    "Nursing",
    "Medicine",
    "Allied health professions",
    "Community care",
    "Mental health services",
    "Finance",
    "People and culture",
    "Digital and data",
    "Estates and facilities",
    "Quality and safety",
]

FIRST_NAMES = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Freya",
    "Grace",
    "Sophia",
    "Chloe",
    "Ella",
    "Zara",
    "Maya",
    "Leila",
    "Hana",
    "Noor",
    "Mei",
    "Ana",
    "Sofia",
    "Ingrid",
    "Katarzyna",
    "Fatima",
    "Chiara",
    "Yuki",
    "Amara",
    "Niamh",
    "Siobhan",
    "Aroha",
    "Priyanka",
    "Oliver",
    "George",
    "Arthur",
    "Noah",
    "Leo",
    "Harry",
    "Oscar",
    "Jack",
    "Theo",
    "Idris",
    "Luca",
    "Mateo",
    "Kwame",
    "Tariq",
    "Ravi",
    "Hiroshi",
    "Piotr",
    "Lars",
    "Eoin",
    "Callum",
    "Dmitri",
    "Emeka",
    "Jamal",
    "Ahmed",
    "Diego",
    "Rhys",
    "Finn",
    "Ezra",
    "Malik",
    "Sven",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Williams",
    "Brown",
    "Taylor",
    "Davies",
    "Evans",
    "Thomas",
    "Johnson",
    "Roberts",
    "Walker",
    "Wright",
    "Robinson",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Patel",
    "Khan",
    "Ali",
    "Singh",
    "Begum",
    "Chen",
    "Wang",
    "Kowalski",
    "Novak",
    "Müller",
    "Schmidt",
    "Rossi",
    "García",
    "Fernández",
    "Silva",
    "Okonkwo",
    "Mensah",
    "Adeyemi",
    "O'Brien",
    "Murphy",
    "Kelly",
    "Byrne",
    "MacDonald",
    "Campbell",
    "Stewart",
    "Nakamura",
    "Tanaka",
    "Kim",
    "Nguyen",
    "Ahmed",
    "Hussain",
    "Ibrahim",
    "Lindqvist",
    "Andersen",
    "Dubois",
    "Martin",
    "Costa",
    "Pereira",
    "Horvat",
    "Popescu",
]
PRONOUNS = ["she/her", "he/him", "they/them", "", "she/her", "he/him", ""]

# Where people work: mostly the UK; some remote colleagues abroad.
PLACES = [
    ("Leeds", "Europe/London", ["English"]),
    ("Leeds", "Europe/London", ["English"]),
    ("York", "Europe/London", ["English"]),
    ("Harrogate", "Europe/London", ["English"]),
    ("Bradford", "Europe/London", ["English", "Urdu"]),
    ("Sheffield", "Europe/London", ["English"]),
    ("Manchester", "Europe/London", ["English"]),
    ("Cardiff", "Europe/London", ["English", "Welsh"]),
    ("Dublin", "Europe/Dublin", ["English", "Irish"]),
    ("Kraków", "Europe/Warsaw", ["Polish", "English"]),
    ("Berlin", "Europe/Berlin", ["German", "English"]),
    ("Lisbon", "Europe/Lisbon", ["Portuguese", "English", "Spanish"]),
    ("Lagos", "Africa/Lagos", ["English", "Yoruba"]),
    ("Toronto", "America/Toronto", ["English", "French"]),
]

JOB_TITLES = {
    "Executive office": ["Chief executive", "Director of strategy", "Executive assistant"],
    "Nursing": [
        "Director of nursing",
        "Ward manager",
        "Staff nurse",
        "Nurse specialist",
        "Healthcare assistant",
    ],
    "Medicine": ["Medical director", "Consultant physician", "Registrar", "Junior doctor"],
    "Allied health professions": [
        "Head of therapies",
        "Physiotherapist",
        "Dietitian",
        "Occupational therapist",
        "Radiographer",
    ],
    "Community care": [
        "Head of community care",
        "District nurse",
        "Health visitor",
        "Care coordinator",
    ],
    "Mental health services": [
        "Head of mental health",
        "Clinical psychologist",
        "Mental health nurse",
        "Peer support worker",
    ],
    "Finance": [
        "Finance director",
        "Management accountant",
        "Financial analyst",
        "Payroll officer",
    ],
    "People and culture": [
        "Director of people",
        "HR business partner",
        "Learning lead",
        "Recruitment adviser",
    ],
    "Digital and data": [
        "Chief digital officer",
        "Data analyst",
        "Software developer",
        "Service desk lead",
    ],
    "Estates and facilities": ["Head of estates", "Facilities manager", "Porter supervisor"],
    "Quality and safety": ["Head of quality", "Patient safety lead", "Audit officer"],
}

MENTEE_GOALS = [
    "I have just become a ward manager and want to learn how to lead people who were my peers "
    "last month, without losing the friendships.",
    "I want to prepare for a band 7 interview next spring: how to show leadership I already do "
    "but never name.",
    "I find budget meetings intimidating. I would like to understand how decisions about money "
    "are made and speak up in them.",
    "I am moving from clinical work into a digital role and want someone who has made a similar "
    "jump to help me plan it.",
    "I want to get better at giving feedback that lands, especially to people more senior than me.",
    "Returning after two years of parental leave, I want to rebuild my confidence and my network.",
    "I lead a quality improvement project across three teams and want help influencing people I "
    "do not manage.",
    "I would like to learn to present to the board with confidence, and to write papers that get "
    "decisions made.",
]

MENTOR_OFFERS = [
    "Twenty years in nursing leadership, from staff nurse to director. I like helping new "
    "managers find their own style.",
    "I moved from physiotherapy into operations; happy to talk about career changes and about "
    "leading across professions.",
    "I run our finance business partnering team and enjoy demystifying budgets for clinicians.",
    "Experienced in quality improvement and patient safety; I have mentored informally for years "
    "and would like to do it properly.",
    "I have led digital projects in three organisations and can help with change, "
    "stakeholders and resilience.",
    "As a consultant and clinical lead I mentor junior doctors already; I would like to support "
    "people from other professions too.",
]

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


@dataclass
class Cast:
    """The named demo people, by the short key used in their login."""

    people: dict[str, User]
    staff: list[User]


def _email_for(first: str, last: str, taken: set[str]) -> str:
    base = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
    base = base.translate(str.maketrans("üéáçãóñ", "ueacaon"))
    email, n = f"{base}@{STAFF_DOMAIN}", 2
    while email in taken:
        email, n = f"{base}{n}@{STAFF_DOMAIN}", n + 1
    taken.add(email)
    return email


def seed_topics() -> list[Topic]:
    topics = []
    for category, names in TOPICS.items():
        for name in names:
            topic, _ = Topic.objects.get_or_create(name=name, defaults={"category": category})
            topics.append(topic)
    return topics


def seed_people(rng: random.Random, topics: list[Topic]) -> Cast:
    """About 230 people in eleven departments, with a real reporting hierarchy."""
    departments = {name: Department.objects.get_or_create(name=name)[0] for name in DEPARTMENTS}
    unusable = make_password(None)
    taken: set[str] = set()
    users: list[User] = []
    specs: list[dict] = []

    def add(
        email: str,
        name: str,
        department: str,
        title: str,
        years: int,
        manager: int | None,
        place: tuple | None = None,
    ) -> int:
        place = place or rng.choice(PLACES)
        users.append(User(email=email, password=unusable))
        specs.append(
            {
                "full_name": name,
                "department": departments[department],
                "job_title": title,
                "years_experience": years,
                "manager": manager,
                "place": place,
            }
        )
        return len(users) - 1

    def random_name() -> tuple[str, str]:
        return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)

    leeds = PLACES[0]
    ceo = add(
        f"ceo@{STAFF_DOMAIN}",
        "Margaret Ellison",
        "Executive office",
        "Chief executive",
        32,
        None,
        leeds,
    )
    named: dict[str, int] = {}
    # Directors report to the chief executive; heads and managers below them; staff below those.
    for department in DEPARTMENTS[1:]:
        first, last = random_name()
        director = add(
            _email_for(first, last, taken),
            f"{first} {last}",
            department,
            JOB_TITLES[department][0],
            rng.randint(20, 32),
            ceo,
        )
        for _ in range(2):
            first, last = random_name()
            manager = add(
                _email_for(first, last, taken),
                f"{first} {last}",
                department,
                JOB_TITLES[department][1],
                rng.randint(10, 22),
                director,
            )
            for _ in range(rng.randint(9, 11)):
                first, last = random_name()
                add(
                    _email_for(first, last, taken),
                    f"{first} {last}",
                    department,
                    rng.choice(JOB_TITLES[department][1:]),
                    rng.randint(0, 14),
                    manager,
                )
    # The demo logins, placed in the hierarchy like everyone else.
    directors = [i for i, s in enumerate(specs) if s["manager"] == ceo]
    people_dept = next(i for i in directors if specs[i]["department"].name == "People and culture")
    nursing = next(i for i in directors if specs[i]["department"].name == "Nursing")
    named["sponsor"] = add(
        f"sponsor@{DEMO_DOMAIN}",
        "Dame Helen Carter",
        "Executive office",
        "Chief operating officer",
        30,
        ceo,
        leeds,
    )
    named["coordinator"] = add(
        f"coordinator@{DEMO_DOMAIN}",
        "Priya Raman",
        "People and culture",
        "Mentoring programme lead",
        14,
        people_dept,
        leeds,
    )
    named["coach"] = add(
        f"coach@{DEMO_DOMAIN}",
        "Gareth Hughes",
        "People and culture",
        "Internal coach",
        24,
        people_dept,
        PLACES[7],
    )
    named["manager"] = add(
        f"manager@{DEMO_DOMAIN}", "Rosa Delgado", "Nursing", "Ward manager", 16, nursing, PLACES[2]
    )
    named["mentor"] = add(
        f"mentor@{DEMO_DOMAIN}",
        "Tomasz Nowak",
        "Digital and data",
        "Head of digital delivery",
        19,
        ceo,
        PLACES[9],
    )
    named["mentee"] = add(
        f"mentee@{DEMO_DOMAIN}", "Aisha Bello", "Nursing", "Staff nurse", 3, named["manager"], leeds
    )
    named["applicant"] = add(
        f"applicant@{DEMO_DOMAIN}",
        "Jonas Berg",
        "Finance",
        "Financial analyst",
        6,
        None,
        PLACES[10],
    )
    named["matchmentee"] = add(
        f"matchmentee@{DEMO_DOMAIN}",
        "Ruth Adeyemi",
        "Community care",
        "Health visitor",
        4,
        None,
        leeds,
    )
    named["matchmentor"] = add(
        f"matchmentor@{DEMO_DOMAIN}",
        "Henrik Larsen",
        "Finance",
        "Head of financial planning",
        21,
        None,
        leeds,
    )
    named["chooser"] = add(
        f"chooser@{DEMO_DOMAIN}",
        "Kofi Mensah",
        "Estates and facilities",
        "Facilities officer",
        2,
        None,
        leeds,
    )
    named["admin"] = add(
        f"admin@{DEMO_DOMAIN}",
        "Sam Okafor",
        "Digital and data",
        "Platform administrator",
        9,
        None,
        leeds,
    )
    for _ in range(4):  # a few more reports for the line manager, to make her team real
        first, last = random_name()
        add(
            _email_for(first, last, taken),
            f"{first} {last}",
            "Nursing",
            "Staff nurse",
            rng.randint(1, 6),
            named["manager"],
            leeds,
        )

    created = User.objects.bulk_create(users)
    demo_password = make_password(DEMO_PASSWORD)
    by_index = dict(enumerate(created))
    for key, index in named.items():
        user = by_index[index]
        user.password = demo_password
        if key == "admin":
            user.is_staff = user.is_superuser = True
    User.objects.bulk_update(
        [by_index[i] for i in named.values()], ["password", "is_staff", "is_superuser"]
    )
    bios = [
        "Outside work I coach a junior football team.",
        "I joined the organisation as an apprentice.",
        "Happiest on a long walk in the Dales.",
        "I care about making services fairer for the people we serve.",
        "Learning Spanish, slowly.",
        "",
    ]
    profiles = []
    for index, spec in enumerate(specs):
        city, tz, languages = spec["place"]
        manager = spec["manager"]
        profiles.append(
            Profile(
                user=by_index[index],
                full_name=spec["full_name"],
                pronouns=rng.choice(PRONOUNS),
                job_title=spec["job_title"],
                department=spec["department"],
                line_manager=by_index[manager] if manager is not None else None,
                location=city,
                time_zone=tz,
                languages=list(languages),
                bio=rng.choice(bios),
                years_experience=spec["years_experience"],
                hours_per_month=rng.choice([1, 1, 2, 2, 3, 4]),
            )
        )
    Profile.objects.bulk_create(profiles)
    expertise_links = []
    learning_links = []
    for profile in Profile.objects.filter(user__in=created):
        chosen = rng.sample(topics, 6)
        senior = profile.years_experience >= 10
        for topic in chosen[: 4 if senior else 1]:
            expertise_links.append(
                Profile.expertise.through(profile_id=profile.pk, topic_id=topic.pk)
            )
        for topic in chosen[4 if senior else 1 :][:3]:
            learning_links.append(
                Profile.learning_topics.through(profile_id=profile.pk, topic_id=topic.pk)
            )
    Profile.expertise.through.objects.bulk_create(expertise_links)
    Profile.learning_topics.through.objects.bulk_create(learning_links)
    coordinator = by_index[named["coordinator"]]
    coordinator.user_permissions.add(Permission.objects.get(codename="add_programme"))
    return Cast(
        people={key: by_index[index] for key, index in named.items()},
        staff=[u for i, u in by_index.items() if i not in named.values()],
    )


def _programme(cast: Cast, **fields: object) -> Programme:
    programme = services.programme_create(by=cast.people["coordinator"], **fields)
    services.ethics_publish(programme=programme, by=cast.people["coordinator"])
    services.programme_role_grant(
        programme=programme, user=cast.people["coach"], role=Role.COACH, by=None
    )
    services.programme_role_grant(
        programme=programme, user=cast.people["sponsor"], role=Role.SPONSOR, by=None
    )
    return programme


def _advance(programme: Programme, by: User, to: str) -> None:
    order = [Phase.RECRUITING, Phase.MATCHING, Phase.RUNNING]
    for phase in order[: order.index(to) + 1]:
        services.programme_set_phase(programme=programme, by=by, phase=phase)


def _apply(
    rng: random.Random, programme: Programme, person: User, role: str, topics: list[Topic]
) -> Application:
    if role == Role.MENTOR:
        statement, capacity = rng.choice(MENTOR_OFFERS), rng.choice([1, 1, 2, 2, 3])
    else:
        statement, capacity = rng.choice(MENTEE_GOALS), None
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


def seed_programmes(rng: random.Random, cast: Cast, topics: list[Topic]) -> list[Programme]:
    coordinator, coach = cast.people["coordinator"], cast.people["coach"]
    today = timezone.localdate()
    pool = list(cast.staff)
    rng.shuffle(pool)
    seniors = [u for u in pool if u.profile.years_experience >= 10]
    juniors = [u for u in pool if u.profile.years_experience < 10]

    # 1. Running: accepted mentors and mentees, all signed; the demo mentor and mentee are in it.
    running = _programme(
        cast,
        name="Nursing Leadership Mentoring 2026",
        purpose="A year of monthly mentoring for nurses in their first leadership role, paired "
        "with experienced leaders from across the organisation.",
        start_date=today - datetime.timedelta(days=190),
        mentor_capacity_default=2,
    )
    _advance(running, coordinator, Phase.RECRUITING)
    running_people = []
    for person in [cast.people["mentor"], *seniors[:14]]:
        application = _apply(rng, running, person, Role.MENTOR, topics)
        _screen(rng, application, [coordinator], 4)
        services.application_decide(application=application, by=coordinator, decision="accept")
        running_people.append(person)
    for person in [cast.people["mentee"], *juniors[:20]]:
        application = _apply(rng, running, person, Role.MENTEE, topics)
        services.application_decide(application=application, by=coordinator, decision="accept")
        running_people.append(person)
    _acknowledge_all(running, [*running_people, coach, cast.people["sponsor"]])
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
    re_signed = [p for p in running_people if p != cast.people["mentor"]][:-5]
    _acknowledge_all(running, [coordinator, cast.people["sponsor"], *re_signed])

    # 2. Matching: screening done, people accepted, matching about to start.
    matching = _programme(
        cast,
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
        person = cast.people[key]
        application = _apply(rng, matching, person, role, topics)
        if role == Role.MENTOR:
            _screen(rng, application, [coordinator], 4)
        services.application_decide(application=application, by=coordinator, decision="accept")
        accepted.insert(0, person)
    _acknowledge_all(matching, [coordinator, coach, cast.people["sponsor"], *accepted[:-4]])
    services.programme_set_phase(programme=matching, by=coordinator, phase=Phase.MATCHING)

    # 3. Recruiting: applications in every state.
    recruiting = _programme(
        cast,
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
    application = _apply(rng, recruiting, cast.people["applicant"], Role.MENTOR, topics)
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
        User.objects.filter(profile__line_manager=cast.people["manager"])
        .exclude(pk=cast.people["mentee"].pk)
        .order_by("pk")
        .first()
    )
    application = _apply(rng, recruiting, report, Role.MENTEE, topics)
    services.application_request_confirmation(application=application, by=coordinator)
    _acknowledge_all(recruiting, [coordinator, coach, cast.people["sponsor"]])
    return [recruiting, matching, running]


def _advance_from(programme: Programme, by: User, start: str, end: str) -> None:
    order = [Phase.DRAFT, Phase.RECRUITING, Phase.MATCHING, Phase.RUNNING]
    for phase in order[order.index(start) + 1 : order.index(end) + 1]:
        services.programme_set_phase(programme=programme, by=by, phase=phase)


def seed_matching(rng: random.Random, cast: Cast, programmes: list[Programme]) -> None:
    """Two past runs to compare and offers in every state in the matching programme; pairs in
    the running programme, the demo mentor and mentee among them."""
    from mentorcraft.matching import services as matching
    from mentorcraft.matching.models import MatchRun, Offer
    from mentorcraft.mentorships.demo import seed_relationships
    from mentorcraft.mentorships.services import mentorship_create

    _, matching_programme, running = programmes
    coordinator = cast.people["coordinator"]
    # Mentees of the matching programme may also choose for themselves.
    matching.matching_settings_update(
        programme=matching_programme,
        by=coordinator,
        self_match=True,
        max_open_requests=2,
        offer_expiry_days=7,
    )
    runs = []
    for mode, weights in (
        ("optimal", {}),
        ("stable", {"topics": 5, "preferences": 2, "experience": 1, "timezone": 2}),
    ):
        run = MatchRun.objects.create(
            programme=matching_programme,
            mode=mode,
            weights=matching.clean_weights(weights),
            created_by=coordinator,
        )
        runs.append(matching.match_run_execute(run_id=run.pk))
    # The demo logins of this programme are left free, for a visitor to match them.
    free = [cast.people[k].pk for k in ("matchmentee", "matchmentor", "chooser", "mentor")]
    proposals = list(
        runs[0]
        .proposals.exclude(mentee_id__in=free)
        .exclude(mentor_id__in=free)
        .order_by("-score")[:6]
    )
    offers = matching.offers_publish(
        run=runs[0], by=coordinator, proposal_ids=[p.pk for p in proposals]
    ).offers
    # Offers in every state: both accepted, one side accepted, declined, expired, withdrawn.
    if len(offers) >= 5:
        matching.offer_respond(offer=offers[0], by=offers[0].mentee, accept=True)
        matching.offer_respond(offer=offers[0], by=offers[0].mentor, accept=True)
        matching.offer_respond(offer=offers[1], by=offers[1].mentee, accept=True)
        matching.offer_respond(
            offer=offers[2],
            by=offers[2].mentor,
            accept=False,
            reason="I start a secondment in January; please pair them with someone else.",
        )
        Offer.objects.filter(pk=offers[3].pk).update(status=Offer.Status.EXPIRED)
        Offer.objects.filter(pk=offers[4].pk).update(
            status=Offer.Status.WITHDRAWN, decline_reason="Withdrawn after a change of role."
        )
    # The running programme: its mentors and mentees in pairs, the demo pair first.
    mentors = list(
        User.objects.filter(
            applications__programme=running,
            applications__role=Role.MENTOR,
            applications__status="accepted",
        ).order_by("pk")
    )
    mentees = list(
        User.objects.filter(
            applications__programme=running,
            applications__role=Role.MENTEE,
            applications__status="accepted",
        ).order_by("pk")
    )
    demo_mentor, demo_mentee = cast.people["mentor"], cast.people["mentee"]
    demo_pair = mentorship_create(
        programme=running, mentor=demo_mentor, mentee=demo_mentee, by=coordinator
    )
    others = [m for m in mentees if m != demo_mentee]
    slots = [m for m in mentors if m != demo_mentor for _ in range(2)]
    for mentee, mentor in zip(others, slots, strict=False):
        try:
            mentorship_create(programme=running, mentor=mentor, mentee=mentee, by=coordinator)
        except ValidationError:
            continue  # a rule (capacity, say) keeps this one unpaired, as in real life
    seed_relationships(rng, running, demo_pair)


def seed_demo() -> Cast:
    rng = random.Random(SEED)
    topics = seed_topics()
    cast = seed_people(rng, topics)
    programmes = seed_programmes(rng, cast, topics)
    seed_matching(rng, cast, programmes)
    return cast


def demo_present() -> bool:
    return User.objects.filter(email=f"coordinator@{DEMO_DOMAIN}").exists()
