"""The demo organisation's people: Northwind Health, a regional health and care provider, with
about 230 people in eleven departments and a real reporting hierarchy, and the demo logins
placed in it like everyone else. Deterministic: one seeded random generator."""

from __future__ import annotations

import csv
import io
import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission

from mentorcraft.core.extensions import DemoContext, DemoLogin, DemoSeeder
from mentorcraft.people.imports import people_import
from mentorcraft.people.models import Department, Profile, Topic, User

DEMO_PASSWORD = "mentorcraft-demo"
DEMO_DOMAIN = "demo.mentorcraft.org"
STAFF_DOMAIN = "northwind.example"
SEED = 20261124

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


def seed_people(rng: random.Random, topics: list[Topic]) -> tuple[dict[str, User], list[User]]:
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
    # The training logins: a mentor new to mentoring, a veteran mentor, a mentee who finished.
    named["newmentor"] = add(
        f"newmentor@{DEMO_DOMAIN}",
        "Leila Haddad",
        "Allied health professions",
        "Physiotherapy team lead",
        11,
        None,
        leeds,
    )
    named["veteran"] = add(
        f"veteran@{DEMO_DOMAIN}",
        "Margaret O'Neill",
        "Nursing",
        "Matron",
        28,
        nursing,
        PLACES[2],
    )
    named["graduate"] = add(
        f"graduate@{DEMO_DOMAIN}",
        "Daniel Osei",
        "Community care",
        "District nurse",
        5,
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
    _import_nursing_record(specs, by_index)
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
    people = {key: by_index[index] for key, index in named.items()}
    staff = [u for i, u in by_index.items() if i not in named.values()]
    return people, staff


def _import_nursing_record(specs: list[dict], by_index: dict[int, User]) -> None:
    """Nursing's reporting lines come from the HR system, through the people import as a
    nightly feed would run it (``manage.py import_people``): the organisation's record wins over
    what a nurse picks on their profile, and the import page lists the run."""
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(["email", "job title", "team", "line manager email"])
    for index, spec in enumerate(specs):
        if spec["manager"] is not None and spec["department"].name == "Nursing":
            manager = by_index[spec["manager"]]
            rows.writerow([by_index[index].email, spec["job_title"], "Nursing", manager.email])
    result = people_import(text=out.getvalue(), by=None, file_name="hr-nursing.csv")
    if result.errors:  # the demo's own data: a mistake here is a bug in the seeder
        raise RuntimeError(f"The demo's HR import failed: {result.errors[:3]}")


def seed(ctx: DemoContext) -> None:
    topics = seed_topics()
    ctx.people, ctx.staff = seed_people(ctx.rng, topics)


SEEDER = DemoSeeder("people", seed)
LOGINS = [
    DemoLogin(
        "admin", "Admin", "Sam Okafor", "Open the admin site", lambda user: user.is_superuser
    ),
]
