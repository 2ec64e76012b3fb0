"""Benchmark of the relationships board and the reminder job on a large programme.

    python bench/board_bench.py           # 2,000 pairs
    python bench/board_bench.py --quick   # 200 pairs, a smoke test (CI runs it)

Builds a programme in a throwaway SQLite database (pairs with a year of meetings, check-ins,
goals and notes), then times the board against the same board built one pair at a time (the
baseline, run here on the same data), counts the queries, and times a run of the reminder job
and a second run that must send nothing. Prints a table and writes bench/board-results.json.
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

    settings.DEBUG = False  # no query log growing without bound
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("migrate", verbosity=0)


def build(pairs: int) -> object:
    """A running programme with ``pairs`` mentorships, each a few months into a year."""
    from django.utils import timezone

    from mentorcraft.mentorships.models import (
        Goal,
        GoalNote,
        Meeting,
        Mentorship,
        Pulse,
    )
    from mentorcraft.people.models import Profile, User
    from mentorcraft.programmes.models import Phase, Programme

    today = timezone.localdate()
    start = today - datetime.timedelta(days=150)
    programme = Programme.objects.create(
        name="Bench",
        slug="bench",
        purpose="Benchmark.",
        start_date=start,
        end_date=start + datetime.timedelta(days=365),
        phase=Phase.RUNNING,
    )
    users = User.objects.bulk_create(
        User(email=f"p{i}@bench.example", password="!") for i in range(2 * pairs)
    )
    Profile.objects.bulk_create(
        Profile(user=u, full_name=f"Person {i}", languages=["English"]) for i, u in enumerate(users)
    )
    mentorships = Mentorship.objects.bulk_create(
        Mentorship(
            programme=programme,
            mentor=users[2 * i],
            mentee=users[2 * i + 1],
            started_on=start,
            ends_on=programme.end_date,
        )
        for i in range(pairs)
    )
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        Meeting(
            mentorship=m,
            starts_at=now - datetime.timedelta(days=30 * k + (i % 40)),
            status=Meeting.Status.HELD,
            minutes_spent=60,
            logged_at=now - datetime.timedelta(days=30 * k + (i % 40)),
        )
        for i, m in enumerate(mentorships)
        for k in range(5)
    )
    by_pk = {m.pk: m for m in mentorships}
    Pulse.objects.bulk_create(
        Pulse(
            mentorship_id=meeting.mentorship_id,
            author_id=author,
            meeting=meeting,
            score=1 + (meeting.pk + author) % 5,
            created_at=meeting.starts_at + datetime.timedelta(hours=2),
        )
        for meeting in meetings
        for author in (
            by_pk[meeting.mentorship_id].mentor_id,
            by_pk[meeting.mentorship_id].mentee_id,
        )
    )
    goals = Goal.objects.bulk_create(
        Goal(mentorship=m, title=f"Goal {k}") for m in mentorships for k in range(2)
    )
    GoalNote.objects.bulk_create(
        GoalNote(goal=g, author_id=by_pk[g.mentorship_id].mentee_id, text="Progress.")
        for g in goals
    )
    return programme


def timed(function, repeat: int = 3) -> tuple[float, object]:  # noqa: ANN001
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="200 pairs: a smoke test")
    args = parser.parse_args()
    pairs = 200 if args.quick else 2000
    with tempfile.TemporaryDirectory() as folder:
        setup_django(str(Path(folder) / "bench.sqlite3"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from mentorcraft.mentorships.health import programme_health
        from mentorcraft.mentorships.reminders import send_reminders

        print(f"Relationships board benchmark ({pairs:,} pairs)")
        print(f"  {'measure':<58} {'measured':<34} target")
        programme = build(pairs)
        ids = list(programme.mentorships.values_list("pk", flat=True))
        board_s, board = timed(lambda: programme_health(programme))
        with CaptureQueriesContext(connection) as many:
            programme_health(programme)
        with CaptureQueriesContext(connection) as one:
            programme_health(programme, only=ids[0])
        sample = ids[: max(1, pairs // 10)]
        per_pair_s, _ = timed(
            lambda: [programme_health(programme, only=pk) for pk in sample], repeat=1
        )
        baseline = per_pair_s * pairs / len(sample)
        report(
            f"board: {pairs:,} pairs",
            f"{board_s:.2f} s ({len(board)} rows)",
            "< 2 s",
        )
        report(
            "board: queries, all pairs vs one pair",
            f"{len(many.captured_queries)} vs {len(one.captured_queries)}",
            "equal",
        )
        report(
            "board: speed-up over building it pair by pair",
            f"{baseline / board_s:.0f}× ({baseline:.1f} s est.)",
            ">= 10×",
        )
        first_s, first = timed(send_reminders, repeat=1)
        again_s, again = timed(send_reminders, repeat=1)
        report(
            "reminder job: first run",
            f"{first_s:.2f} s, {sum(first.values()):,} sent",
            "< 30 s",
        )
        with CaptureQueriesContext(connection) as rerun:
            send_reminders()
        report(
            "reminder job: second run sends nothing",
            f"{again_s:.2f} s, {sum(again.values())} sent, {len(rerun.captured_queries)} queries",
            "0 sent, a few queries per 200 pairs",
        )
        ok = (
            board_s < 2
            and len(many.captured_queries) == len(one.captured_queries)
            and baseline / board_s >= 10
            and not again
            and len(rerun.captured_queries) <= 5 * (pairs // 200 + 1) + 5
        )
    out = Path(__file__).with_name(
        "board-results-quick.json" if args.quick else "board-results.json"
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
