"""The shared cast of every test: a programme and the people around it.

alice coordinates, mark mentors, meg is a mentee, cora coaches, sam sponsors, and olive is an
outsider with an account but no part in the programme.
"""

from __future__ import annotations

import datetime
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone

from mentorcraft.mentorships.models import Mentorship
from mentorcraft.mentorships.services import mentorship_create
from mentorcraft.people.models import Department, Profile, Topic, User
from mentorcraft.programmes import services
from mentorcraft.programmes.models import Phase, Programme, Role


def pytest_addoption(parser) -> None:  # noqa: ANN001
    parser.addoption(
        "--clock",
        default=os.environ.get("MENTORCRAFT_TEST_CLOCK", ""),
        help="Run the whole suite as if today were this date (YYYY-MM-DD): no test may "
        "depend on the calendar. CI runs it a year ahead.",
    )


def pytest_configure(config) -> None:  # noqa: ANN001
    clock = config.getoption("--clock")
    if clock:
        import time_machine

        moment = datetime.datetime.combine(
            datetime.date.fromisoformat(clock), datetime.time(10), tzinfo=datetime.UTC
        )
        config._mentorcraft_clock = time_machine.travel(moment, tick=True)
        config._mentorcraft_clock.start()


def pytest_report_header(config) -> str | None:  # noqa: ANN001
    clock = config.getoption("--clock")
    return f"clock moved to {clock}" if clock else None


def pytest_sessionfinish(session, exitstatus) -> None:  # noqa: ANN001
    """Remove the WAL side files SQLite leaves next to the file-based test database."""
    from django.conf import settings

    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if name and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        for suffix in ("-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory) -> Path:  # noqa: ANN001
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fast_and_synchronous(settings, _media_root):  # noqa: ANN001
    # Uploaded files (the demo's, a community's) go to a folder of the test run, not var/.
    settings.MEDIA_ROOT = str(_media_root)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REQUIRE_MFA_FOR_STAFF = False
    # Tests look at what each page computes; the home page's cache has tests of its own.
    settings.HOME_CACHE_SECONDS = 0


def make_person(email: str, name: str, **profile: object) -> User:
    user = User.objects.create_user(email=email, password="correct horse battery")
    profile.setdefault("languages", ["English"])
    Profile.objects.create(user=user, full_name=name, **profile)
    return user


@pytest.fixture
def department(db) -> Department:  # noqa: ANN001
    return Department.objects.create(name="Operations")


@pytest.fixture
def topics(db) -> list[Topic]:  # noqa: ANN001
    return [
        Topic.objects.create(name=name, category="Leadership")
        for name in ("Negotiation", "Public speaking", "Budgeting")
    ]


@pytest.fixture
def alice(db) -> User:  # noqa: ANN001
    user = make_person("alice@example.org", "Alice Coordinator", job_title="Mentoring lead")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="add_programme"))
    return user


@pytest.fixture
def mark(db) -> User:  # noqa: ANN001
    return make_person("mark@example.org", "Mark Mentor", years_experience=15)


@pytest.fixture
def lena(db) -> User:  # noqa: ANN001
    """Meg's line manager."""
    return make_person("lena@example.org", "Lena Manager", years_experience=20)


@pytest.fixture
def meg(lena) -> User:  # noqa: ANN001
    return make_person("meg@example.org", "Meg Mentee", years_experience=2, line_manager=lena)


@pytest.fixture
def cora(db) -> User:  # noqa: ANN001
    return make_person("cora@example.org", "Cora Coach", years_experience=25)


@pytest.fixture
def sam(db) -> User:  # noqa: ANN001
    return make_person("sam@example.org", "Sam Sponsor")


@pytest.fixture
def olive(db) -> User:  # noqa: ANN001
    return make_person("olive@example.org", "Olive Outsider")


@pytest.fixture
def programme(alice, cora, sam) -> Programme:  # noqa: ANN001
    """A recruiting programme with the default Ideal Mentor Profile and a published code."""
    programme = services.programme_create(
        by=alice,
        name="Leadership Mentoring 2026",
        purpose="Grow the next generation of team leads.",
        # Three months in, whatever today is: tests must not expire with the calendar.
        start_date=timezone.localdate() - datetime.timedelta(days=91),
    )
    services.ethics_publish(programme=programme, by=alice)
    services.programme_set_phase(programme=programme, by=alice, phase=Phase.RECRUITING)
    services.programme_role_grant(programme=programme, user=cora, role=Role.COACH, by=alice)
    services.programme_role_grant(programme=programme, user=sam, role=Role.SPONSOR, by=alice)
    programme.refresh_from_db()
    return programme


@pytest.fixture
def mentor_application(programme, mark):  # noqa: ANN001
    return services.application_submit(
        programme=programme,
        applicant=mark,
        role=Role.MENTOR,
        statement="Fifteen years of leading teams; I want to give back.",
        mentee_capacity=2,
    )


@pytest.fixture
def mentee_application(programme, meg):  # noqa: ANN001
    return services.application_submit(
        programme=programme,
        applicant=meg,
        role=Role.MENTEE,
        statement="I want to learn to negotiate budgets with confidence.",
    )


@pytest.fixture
def pairing(programme, alice, mark, meg, mentor_application, mentee_application):  # noqa: ANN001
    """mark accepted as a mentor for two mentees; meg and two more accepted as mentees."""
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    services.application_decide(application=mentor_application, by=alice, decision="accept")
    services.application_decide(application=mentee_application, by=alice, decision="accept")
    extra = []
    for n in range(2):
        person = make_person(f"extra{n}@example.org", f"Extra Mentee {n}", years_experience=1)
        application = services.application_submit(
            programme=programme, applicant=person, role=Role.MENTEE, statement="Learn."
        )
        services.application_decide(application=application, by=alice, decision="accept")
        extra.append(person)
    programme.extra_mentees = extra
    return programme


@pytest.fixture
def mentorship(pairing, alice, mark, meg):  # noqa: ANN001
    """mark mentoring meg, paired yesterday: a meeting "three hours ago" falls inside the
    pairing whatever the time of day (just after midnight it was before it)."""
    made = mentorship_create(programme=pairing, mentor=mark, mentee=meg, by=alice)
    made.started_on -= datetime.timedelta(days=1)
    made.created_at -= datetime.timedelta(days=1)
    Mentorship.objects.filter(pk=made.pk).update(
        started_on=made.started_on, created_at=made.created_at
    )
    return made  # its programme is still the pairing fixture's, with its extra mentees


def full_scores(programme: Programme, score: int = 4) -> dict[int, tuple[int, str]]:
    return {c.pk: (score, "") for c in programme.criteria.all()}


def assert_role_matrix(
    client,  # noqa: ANN001
    requests: list[tuple[str, str]],
    *,
    outsiders: list[User] = (),
    read_only: list[User] = (),
    data: dict | None = None,
    json: bool = False,
) -> None:
    """The access ladder on pages or endpoints (``(method, url)`` pairs): every outsider gets
    404 (they learn nothing), every read-only role 403. ``json`` sends the data as an API body."""
    for people, status in ((outsiders, 404), (read_only, 403)):
        for person in people:
            client.force_login(person)
            for method, url in requests:
                if json and method != "get":
                    response = getattr(client, method)(
                        url, data or {}, content_type="application/json"
                    )
                else:
                    response = getattr(client, method)(url, data or {})
                assert response.status_code == status, (
                    f"{person.email} {method.upper()} {url}: {response.status_code}, "
                    f"expected {status}"
                )


def items(response) -> list:  # noqa: ANN001
    """The items of one page of a paginated API list (checking the answer was a 200)."""
    assert response.status_code == 200, response.content
    return response.json()["items"]


def fetcher(client, url: str) -> Callable[[], object]:  # noqa: ANN001
    """A function that GETs ``url`` with this client and checks the answer is a 200."""

    def fetch():  # noqa: ANN202
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return fetch


def count_queries(fetch: Callable[[], object]) -> int:
    """How many database queries one call of ``fetch`` makes (a page, say)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fetch()
    return len(captured.captured_queries)


def assert_queries_do_not_grow(
    fetch: Callable[[], object], grow: Callable[[], object], *, what: str = "the page"
) -> int:
    """``fetch`` (which must succeed) makes as many queries after ``grow`` added rows as before.
    Start with some rows already (an empty list skips its page query), and note that the first
    fetch is a warm-up: a page may create its settings row on its first visit. Returns the
    count."""
    fetch()
    before = count_queries(fetch)
    grow()
    after = count_queries(fetch)
    assert after == before, f"{what}: {before} queries, then {after} after adding rows"
    return after


def run_at_once(functions: list[Callable[[], object]]) -> list[BaseException | None]:
    """Start every function at the same moment in its own thread (each with its own database
    connection); return what each raised, or None. For tests that race writers."""
    from django.db import connection

    barrier = threading.Barrier(len(functions))
    outcomes: list[BaseException | None] = [None] * len(functions)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            functions[index]()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(functions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


# --- Real browser tests: Debian's Chromium driven by Playwright; nothing is downloaded. ---------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))


@pytest.fixture
def browser(live_server):  # noqa: ANN001
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing.")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium).")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):  # noqa: ANN001
    return new_page(browser)


def new_page(browser):  # noqa: ANN001, ANN201
    """A fresh browser window with its own cookies: one per person in a test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def sign_in(page, live_server, user: User, password: str = "a long demo password") -> None:  # noqa: ANN001
    user.set_password(password)
    user.save()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
