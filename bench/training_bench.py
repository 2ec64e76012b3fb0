"""Benchmark of training: eligibility with training requirements for 10,000 applicants, and the
training record and session list pages as their rows grow.

    python bench/training_bench.py           # 10,000 accepted applicants
    python bench/training_bench.py --quick   # 1,000: a smoke test (CI runs it)

Builds a programme in a throwaway SQLite database: accepted mentors and mentees, four
requirements (mentors: induction of two hours, an ethics module, and renewal for veterans;
mentees: induction), completions valid, expired and missing, and past mentorships that make
some mentors veterans. Then times matching's training check on everyone against the same check
run person by person (the baseline, measured here on a sample of the same data), counts its
queries against a programme a tenth of the size, and counts the queries of the training record
and the session list with few rows and with many. Prints a table and writes
bench/training-results.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROWS: list[tuple[str, str, str]] = []


def report(name: str, measured: str, target: str) -> None:
    ROWS.append((name, measured, target))
    print(f"  {name:<58} {measured:<34} {target}")


def setup_django(path: str) -> None:
    os.environ["SQLITE_PATH"] = path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.ALLOWED_HOSTS = ["*"]
    settings.HOME_CACHE_SECONDS = 0
    call_command("migrate", verbosity=0)


def build(applicants: int, slug: str) -> object:
    """A matching programme with ``applicants`` accepted people, half mentors, their training
    and history."""
    from django.utils import timezone

    from mentorcraft.mentorships.models import Closure, Mentorship
    from mentorcraft.people.models import Profile, User
    from mentorcraft.programmes.models import Application, Phase, Programme
    from mentorcraft.training.models import Completion, Module, Requirement

    today = timezone.localdate()
    programme = Programme.objects.create(
        name=f"Bench {slug}",
        slug=slug,
        purpose="Benchmark.",
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=395),
        phase=Phase.MATCHING,
    )
    past = Programme.objects.create(
        name=f"Past {slug}",
        slug=f"past-{slug}",
        purpose="History.",
        start_date=today - datetime.timedelta(days=800),
        end_date=today - datetime.timedelta(days=435),
        phase=Phase.CLOSED,
    )
    users = User.objects.bulk_create(
        User(email=f"{slug}{i}@bench.example", password="!") for i in range(applicants)
    )
    Profile.objects.bulk_create(
        Profile(user=u, full_name=f"Person {i}", languages=["English"]) for i, u in enumerate(users)
    )
    Application.objects.bulk_create(
        Application(
            programme=programme,
            applicant=u,
            role="mentor" if i % 2 == 0 else "mentee",
            status="accepted",
            statement="-",
        )
        for i, u in enumerate(users)
    )
    modules = {m.kind + m.audience: m for m in Module.objects.all()}
    if not modules:
        for title, kind, audience, months in (
            ("Mentor induction", "induction", "mentors", None),
            ("Mentee induction", "induction", "mentees", None),
            ("Ethics", "skills", "everyone", 24),
            ("Renewal", "renewal", "mentors", 24),
        ):
            module = Module.objects.create(
                title=title,
                description="-",
                audience=audience,
                kind=kind,
                format="workshop",
                duration_minutes=120,
                valid_months=months,
            )
            modules[kind + audience] = module
    ethics = modules["skillseveryone"]
    Requirement.objects.bulk_create(
        [
            Requirement(programme=programme, role="mentor", kind="induction", min_minutes=120),
            Requirement(programme=programme, role="mentor", module=ethics),
            Requirement(
                programme=programme, role="mentor", tier="veteran", kind="renewal", within_months=24
            ),
            Requirement(programme=programme, role="mentee", kind="induction"),
        ]
    )
    done = []
    for i, u in enumerate(users):
        mentor = i % 2 == 0
        if i % 10 != 3:  # nine in ten inducted
            induction = modules["inductionmentors" if mentor else "inductionmentees"]
            done.append((u, induction, 200, None))
        if mentor:
            ago = 100 if i % 7 else 800  # one in seven has let ethics lapse
            done.append((u, ethics, ago, ethics.expiry_for(today - datetime.timedelta(days=ago))))
        if mentor and i % 20 == 0 and i % 40 == 0:
            renewal = modules["renewalmentors"]
            done.append((u, renewal, 300, renewal.expiry_for(today - datetime.timedelta(days=300))))
    Completion.objects.bulk_create(
        Completion(
            person=u,
            module=m,
            completed_on=today - datetime.timedelta(days=ago),
            expires_on=expires,
            source="external",
            minutes=120,
            evidence="-",
        )
        for u, m, ago, expires in done
    )
    # One mentor in twenty is a veteran: three completed mentorships in the past programme.
    veterans = [u for i, u in enumerate(users) if i % 20 == 0]
    mentees = [u for i, u in enumerate(users) if i % 2 == 1]
    history = Mentorship.objects.bulk_create(
        Mentorship(
            programme=past,
            mentor=v,
            mentee=mentees[(3 * k + j) % len(mentees)],
            status="closed",
            started_on=past.start_date,
            ends_on=past.end_date,
            closed_on=past.end_date,
        )
        for k, v in enumerate(veterans)
        for j in range(3)
    )
    Closure.objects.bulk_create(Closure(mentorship=m, kind="planned") for m in history)
    return programme


def timed(function, repeat: int = 3) -> tuple[float, object]:  # noqa: ANN001
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def page_queries(client, url: str) -> int:  # noqa: ANN001
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="1,000 applicants: a smoke test")
    args = parser.parse_args()
    applicants = 1000 if args.quick else 10_000
    with tempfile.TemporaryDirectory() as folder:
        setup_django(str(Path(folder) / "bench.sqlite3"))
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from mentorcraft.matching.eligibility import programme_eligibility
        from mentorcraft.training.hooks import check_training
        from mentorcraft.training.models import Completion, Module, Registration, Session
        from mentorcraft.training.standing import Standings

        print(f"Training benchmark ({applicants:,} accepted applicants)")
        print(f"  {'measure':<58} {'measured':<34} target")
        small = build(applicants // 10, "small")
        big = build(applicants, "big")
        candidates = programme_eligibility(big)
        everyone = [*candidates.mentors, *candidates.mentees]
        for c in everyone:
            c.blockers.clear()

        def check() -> int:
            for c in everyone:
                c.blockers.clear()
            check_training(big, everyone)
            return sum(1 for c in everyone if "training" in c.blocker_codes)

        check_s, blocked = timed(check)
        with CaptureQueriesContext(connection) as many:
            check_training(big, everyone)
        few = [*programme_eligibility(small).mentors, *programme_eligibility(small).mentees]
        with CaptureQueriesContext(connection) as some:
            check_training(small, few)
        sample = everyone[:: max(1, len(everyone) // 200)]

        def one_by_one() -> None:
            for c in sample:
                Standings(big, [c.user.pk]).of(c.user.pk, c.role)

        per_person_s, _ = timed(one_by_one, repeat=1)
        baseline = per_person_s * len(everyone) / len(sample)
        report(
            f"training check: {applicants:,} applicants",
            f"{check_s:.2f} s ({blocked:,} blocked)",
            "< 1 s",
        )
        report(
            f"training check: queries, {applicants:,} vs {applicants // 10:,} applicants",
            f"{len(many.captured_queries)} vs {len(some.captured_queries)}",
            "equal",
        )
        report(
            "training check: speed-up over checking person by person",
            f"{baseline / check_s:.0f}× ({baseline:.1f} s est.)",
            ">= 20×",
        )
        eligibility_s, _ = timed(lambda: programme_eligibility(big))
        report(
            f"all of matching's eligibility, {applicants:,} applicants",
            f"{eligibility_s:.2f} s",
            "(for reference)",
        )

        # The training record and the session list, with few rows and with many.
        person = candidates.mentors[1].user
        client = Client()
        client.force_login(person)
        record_few = page_queries(client, "/training/me/")
        module = Module.objects.get(title="Mentor induction")
        today = timezone.localdate()
        Completion.objects.bulk_create(
            Completion(
                person=person,
                module=module,
                completed_on=today - datetime.timedelta(days=d),
                source="external",
                minutes=60,
                evidence="-",
            )
            for d in range(1, 200)
        )
        record_many = page_queries(client, "/training/me/")
        report(
            "training record: queries, 1 vs 200 completions",
            f"{record_few} vs {record_many}",
            "equal",
        )

        def sessions(n: int) -> None:
            made = Session.objects.bulk_create(
                Session(
                    module=module,
                    starts_at=timezone.now() + datetime.timedelta(days=1 + d),
                    duration_minutes=120,
                    location="Room",
                    capacity=20,
                    facilitator=person,
                )
                for d in range(n)
            )
            Registration.objects.bulk_create(
                Registration(session=s, person=person, status="registered") for s in made
            )

        sessions(3)
        list_few = page_queries(client, "/training/sessions/")
        sessions(300)
        list_many = page_queries(client, "/training/sessions/")
        list_s, _ = timed(lambda: client.get("/training/sessions/"))
        report(
            "session list: queries, 3 vs 303 sessions",
            f"{list_few} vs {list_many} ({list_s * 1000:.0f} ms a page)",
            "equal",
        )
        ok = (
            check_s < 1
            and len(many.captured_queries) == len(some.captured_queries)
            and baseline / check_s >= 20
            and record_few == record_many
            and list_few == list_many
        )
    out = Path(__file__).with_name(
        "training-results-quick.json" if args.quick else "training-results.json"
    )
    out.write_text(
        json.dumps(
            [dict(zip(("measure", "measured", "target"), r, strict=True)) for r in ROWS], indent=2
        )
        + "\n"
    )
    if not ok:
        print("A target was missed.")
        sys.exit(1)


if __name__ == "__main__":
    main()
