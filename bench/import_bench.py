"""Benchmark of the people import (``people.imports``): a file of every person in an
organisation, with job titles, teams and line managers.

    python bench/import_bench.py           # 5,000 people (as manage.py import_people takes)
    python bench/import_bench.py --quick   # 500: a smoke test (CI runs it)

Builds the people in a throwaway SQLite database, then times, in this process:
- the baseline: writing the same changes with one ``bulk_update`` (no checks at all, the
  cheapest way a database can take them);
- a check of the file (the whole import, rolled back);
- the first import (every row changes, every line manager is put on record);
- the same file again (nothing changes).
Prints each time, its ratio to the baseline and its queries per row, and writes
bench/import-results.json (import-results-quick.json with --quick).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from benchlib import ROOT, setup_django


def build(people: int) -> str:
    """``people`` accounts in teams of ten, each team under a manager who reports to a director;
    returns the HR file that renames every job and puts every line manager on record."""
    from django.contrib.auth.hashers import make_password

    from mentorcraft.people.models import Department, Profile, User

    password = make_password("not used")
    users = User.objects.bulk_create(
        [User(email=f"p{i}@example.org", password=password) for i in range(people)]
    )
    teams = Department.objects.bulk_create(
        [Department(name=f"Team {t}") for t in range(people // 10 + 1)]
    )
    Profile.objects.bulk_create(
        [
            Profile(user=u, full_name=f"Person {i}", job_title="Clerk", languages=["English"])
            for i, u in enumerate(users)
        ]
    )
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(["email", "full name", "job title", "team", "location", "line manager email"])
    for i, user in enumerate(users):
        manager = "" if i == 0 else users[0 if i % 10 == 0 else i - i % 10].email
        rows.writerow(
            [
                user.email,
                f"Person {i}",
                f"Officer grade {i % 7}",
                teams[i // 10].name,
                "Leeds",
                manager,
            ]
        )
    return out.getvalue()


def baseline(text: str) -> float:
    """The same field changes written with one bulk_update, rolled back."""
    from django.db import transaction

    from mentorcraft.people.models import Department, Profile

    rows = list(csv.DictReader(io.StringIO(text)))
    started = time.perf_counter()
    with transaction.atomic():
        teams = {d.name: d for d in Department.objects.all()}
        profiles = {p.user.email: p for p in Profile.objects.select_related("user")}
        for row in rows:
            profile = profiles[row["email"]]
            profile.job_title = row["job title"]
            profile.location = row["location"]
            profile.department = teams[row["team"]]
        Profile.objects.bulk_update(
            profiles.values(), ["job_title", "location", "department"], batch_size=500
        )
        transaction.set_rollback(True)
    return time.perf_counter() - started


def timed(text: str, *, check_only: bool) -> tuple[float, int, object]:
    from django.db import connection

    from mentorcraft.people.imports import COMMAND_MAX_ROWS, people_import

    count = [0]

    def counting(execute, sql, params, many, context):  # noqa: ANN001, ANN202
        count[0] += 1
        return execute(sql, params, many, context)

    # A wrapper counts every query (the test utilities keep only the last 9,000).
    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        result = people_import(
            text=text,
            by=None,
            check_only=check_only,
            file_name="bench.csv",
            max_rows=COMMAND_MAX_ROWS,  # 5,000 is over the page's 2,000: the command's size
        )
        elapsed = time.perf_counter() - started
    assert not result.errors, result.errors[:3]
    return elapsed, count[0], result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="500 people: a smoke test")
    args = parser.parse_args()
    people = 500 if args.quick else 5_000
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "import.sqlite3"))
        text = build(people)
        base = baseline(text)
        runs = {}
        for name, check_only in (("check", True), ("first import", False), ("again", False)):
            elapsed, queries, result = timed(text, check_only=check_only)
            runs[name] = {
                "seconds": round(elapsed, 3),
                "ratio_to_baseline": round(elapsed / base, 1),
                "queries_per_row": round(queries / people, 2),
                "changed": result.changed,
                "managers_set": result.managers_set,
            }
    print(f"People import: {people:,} rows; baseline (one bulk_update) {base:.3f} s")
    print(f"  {'run':<14}{'seconds':>9}{'x baseline':>12}{'queries/row':>13}{'changed':>9}")
    for name, run in runs.items():
        print(
            f"  {name:<14}{run['seconds']:>9.3f}{run['ratio_to_baseline']:>12.1f}"
            f"{run['queries_per_row']:>13.2f}{run['changed']:>9}"
        )
    # What must hold: every row checked and written, a manager put on record, in a handful of
    # queries a row; the same file again writes nothing and costs a fixed few queries.
    verdicts = [
        ("first import changes every row", runs["first import"]["changed"] == people),
        ("first import: at most 12 queries a row", runs["first import"]["queries_per_row"] <= 12),
        ("the same file again changes nothing", runs["again"]["changed"] == 0),
        ("the same file again: under 0.1 queries a row", runs["again"]["queries_per_row"] < 0.1),
    ]
    for what, ok in verdicts:
        print(f"  {'met' if ok else 'MISSED'}: {what}")
    out = ROOT / "bench" / ("import-results-quick.json" if args.quick else "import-results.json")
    out.write_text(
        json.dumps({"people": people, "baseline_seconds": round(base, 3), "runs": runs}, indent=2)
        + "\n"
    )
    if not all(ok for _, ok in verdicts):
        sys.exit(1)


if __name__ == "__main__":
    main()
