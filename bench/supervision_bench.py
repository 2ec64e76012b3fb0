"""Benchmark of supervision: proposing circles for 2,000 mentors and 60 supervisors, peer pairs
for 500 mentors who asked, and a supervisor's caseload page as it grows from 10 mentors to 40.

    python bench/supervision_bench.py           # 2,000 mentors, 60 supervisors
    python bench/supervision_bench.py --quick   # 200 mentors, 6 supervisors, 200 asking (CI)

Builds a running programme in a throwaway SQLite database: mentors in two groups of time zones
(Europe, North America), one in ten a line manager of the next three, a past programme that
makes some of them experienced or veteran, and supervisors with 40 places each. Times the whole
proposal as a coordinator asks for it (reading the mentors and their tiers, the engine, and
writing the draft circles with their reasons), checks every rule on the result, and sets it
against a naive split of the same people into fives in the same process (the baseline: fast,
and blind to the rules). Then counts the caseload page's queries with 10 mentors and with 40.
Prints a table and writes bench/supervision-results.json.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
from pathlib import Path

from benchlib import Table, page_queries, setup_django, timed

ZONES = ["Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Warsaw", "Europe/Berlin"]
AMERICAS = ["America/Toronto", "America/New_York", "America/Chicago"]
TABLE = Table(widths=(52, 30))
report = TABLE.report


def build(mentors: int, supervisors: int):  # noqa: ANN201 - (programme, coordinator, users)
    from django.utils import timezone

    from mentorcraft.mentorships.models import Closure, Mentorship
    from mentorcraft.people.models import Profile, User
    from mentorcraft.programmes.models import Phase, Programme, ProgrammeRole
    from mentorcraft.support.models import Supervisor

    today = timezone.localdate()
    programme = Programme.objects.create(
        name="Bench",
        slug="bench",
        purpose="Benchmark.",
        start_date=today - datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=300),
        phase=Phase.RUNNING,
    )
    past = Programme.objects.create(
        name="Past",
        slug="past",
        purpose="History.",
        start_date=today - datetime.timedelta(days=800),
        end_date=today - datetime.timedelta(days=435),
        phase=Phase.CLOSED,
    )
    total = mentors + supervisors + 1 + mentors // 4
    users = User.objects.bulk_create(
        User(email=f"p{i}@bench.example", password="!") for i in range(total)
    )
    mentor_users = users[:mentors]
    coach_users = users[mentors : mentors + supervisors]
    coordinator = users[mentors + supervisors]
    past_mentees = users[mentors + supervisors + 1 :]

    def zone(i: int) -> str:
        return AMERICAS[i % 3] if i % 4 == 0 else ZONES[i % 5]

    Profile.objects.bulk_create(
        Profile(
            user=u,
            full_name=f"Person {i:05d}",
            languages=["English"],
            time_zone=zone(i),
            years_experience=i % 30,
        )
        for i, u in enumerate(users)
    )
    # One mentor in ten manages the next three.
    for i in range(0, mentors - 3, 10):
        Profile.objects.filter(user__in=mentor_users[i + 1 : i + 4]).update(
            line_manager=mentor_users[i]
        )
    ProgrammeRole.objects.bulk_create(
        [ProgrammeRole(programme=programme, user=u, role="mentor") for u in mentor_users]
        + [ProgrammeRole(programme=programme, user=coordinator, role="coordinator")]
    )
    Supervisor.objects.bulk_create(
        Supervisor(programme=programme, person=u, kind="external", capacity=40) for u in coach_users
    )
    # History: one mentor in five has mentored before (one in fifteen three times).
    history = Mentorship.objects.bulk_create(
        Mentorship(
            programme=past,
            mentor=u,
            mentee=past_mentees[(i + j) % len(past_mentees)],
            status="closed",
            started_on=past.start_date,
            ends_on=past.end_date,
            closed_on=past.end_date,
        )
        for i, u in enumerate(mentor_users)
        if i % 5 == 0
        for j in range(3 if i % 15 == 0 else 1)
    )
    Closure.objects.bulk_create(Closure(mentorship=m, kind="planned") for m in history)
    return programme, coordinator, mentor_users


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="200 mentors: a smoke test")
    args = parser.parse_args()
    mentors, supervisors = (200, 6) if args.quick else (2000, 60)
    with tempfile.TemporaryDirectory() as folder:
        setup_django(str(Path(folder) / "bench.sqlite3"))
        from django.test import Client

        from mentorcraft.mentorships.models import Mentorship
        from mentorcraft.people.models import Profile, User
        from mentorcraft.support import selectors, services
        from mentorcraft.support.models import Assignment, Supervisor

        print(f"Supervision benchmark ({mentors:,} mentors, {supervisors} supervisors)")
        TABLE.header()
        programme, coordinator, mentor_users = build(mentors, supervisors)

        def propose():  # noqa: ANN202
            return services.formation_propose(programme=programme, by=coordinator, whole=True)

        propose_s, formation = timed(propose)
        circles = selectors.formation_circles(formation)
        problems = services.circle_problems(circles)
        coachless = sum(1 for c in circles if c.supervisor is None)
        engine_broken = formation.stats.get("violations", 0)
        tiers_mixed = formation.stats.get("mean_tiers_per_group", 0)

        # The baseline: the same mentors, read the same way, dealt into fives in order with
        # supervisors in turn; no rule is looked at.
        def naive() -> list[list[int]]:
            people = selectors.programme_mentors(programme)
            heads = list(Supervisor.objects.filter(programme=programme))
            groups = [people[k : k + 5] for k in range(0, len(people), 5)]
            return [(g, heads[n % len(heads)]) for n, g in enumerate(groups)]

        naive_s, dealt = timed(naive)
        line_clashes = 0
        for group, _ in dealt:
            ids = {p.pk for p in group}
            line_clashes += sum(1 for p in group if p.profile.line_manager_id in ids)
        spans = 0
        from mentorcraft.matching.engine.model import utc_offset_hours

        for group, _ in dealt:
            offsets = [utc_offset_hours(p.profile.time_zone) for p in group]
            spans += max(offsets) - min(offsets) > services.TIME_ZONE_WINDOW
        report(
            f"propose circles: {mentors:,} mentors, {supervisors} supervisors",
            f"{propose_s:.2f} s ({len(circles)} circles)",
            "< 2 s",
        )
        report(
            "propose circles: rules broken",
            f"{len(problems)} publishing, {engine_broken} engine",
            "0",
        )
        report(
            "propose circles: circles without a supervisor",
            f"{coachless}",
            "0",
        )
        report("propose circles: experience tiers per circle", f"{tiers_mixed:g} on average", "")
        report(
            "baseline: fives in order (same process)",
            f"{naive_s:.2f} s; {line_clashes} line, {spans} time-zone breaks",
            "(for reference)",
        )
        report(
            "propose circles: time against the baseline",
            f"{propose_s / naive_s:.1f}× the naive split",
            "(for reference)",
        )

        # Peer pairs for the mentors who asked (500, or 200 in the quick run), against pairing
        # them in order in the same process; the rules are checked on both.
        from mentorcraft.support.models import PeerRequest

        asking = mentor_users[: 200 if args.quick else 500]
        PeerRequest.objects.bulk_create(
            PeerRequest(programme=programme, mentor=m, help_wanted=["experience"]) for m in asking
        )
        peer_s, peer_round = timed(
            lambda: services.peer_round_propose(programme=programme, by=coordinator)
        )
        profiles = {
            p.user_id: p
            for p in Profile.objects.filter(user__in=asking).only(
                "user_id", "line_manager_id", "time_zone"
            )
        }

        def peer_breaks(pairs) -> tuple[int, int]:  # noqa: ANN001
            line = zone = 0
            for a, b in pairs:
                pa, pb = profiles[a], profiles[b]
                line += pa.line_manager_id == b or pb.line_manager_id == a
                gap = abs(utc_offset_hours(pa.time_zone) - utc_offset_hours(pb.time_zone))
                zone += min(gap, 24 - gap) > services.TIME_ZONE_WINDOW
            return line, zone

        made = [(m.first_id, m.second_id) for m in peer_round.matches.all()]
        peer_line, peer_zone = peer_breaks(made)

        def in_order() -> list[tuple[int, int]]:
            ids = list(
                PeerRequest.objects.filter(programme=programme, status="open")
                .order_by("created_at", "pk")
                .values_list("mentor_id", flat=True)
            )
            return [(ids[k], ids[k + 1]) for k in range(0, len(ids) - 1, 2)]

        in_order_s, in_order_pairs = timed(in_order)
        order_line, order_zone = peer_breaks(in_order_pairs)
        report(
            f"propose peer pairs: {len(asking)} mentors who asked",
            f"{peer_s:.2f} s ({len(made)} pairs, {len(peer_round.unpaired)} left)",
            "< 3 s",
        )
        report("propose peer pairs: rules broken", f"{peer_line} line, {peer_zone} time zone", "0")
        report(
            "baseline: pairs in order (same process)",
            f"{in_order_s:.2f} s; {order_line} line, {order_zone} time-zone breaks",
            "(for reference)",
        )

        # The caseload page, for a supervisor of 10 mentors, then 40, with their mentorships.
        person = User.objects.create(email="caseload@bench.example", password="!")
        Profile.objects.create(user=person, full_name="Caseload Coach", languages=["English"])
        head = Supervisor.objects.create(
            programme=programme, person=person, kind="external", capacity=40
        )
        Assignment.objects.filter(programme=programme).delete()
        client = Client()
        client.force_login(person)
        mentees = [
            User.objects.create(email=f"mentee{i}@bench.example", password="!") for i in range(40)
        ]
        Profile.objects.bulk_create(
            Profile(user=u, full_name=f"Mentee {i}", languages=["English"])
            for i, u in enumerate(mentees)
        )

        def give(people: list) -> None:
            Assignment.objects.bulk_create(
                Assignment(programme=programme, mentor=m, supervisor=head) for m in people
            )
            Mentorship.objects.bulk_create(
                Mentorship(
                    programme=programme,
                    mentor=m,
                    mentee=mentees[mentor_users.index(m) % len(mentees)],
                    status="active",
                    started_on=programme.start_date,
                    ends_on=programme.end_date,
                )
                for m in people
            )

        give(mentor_users[:10])
        few = page_queries(client, "/supervision/caseload/")
        give(mentor_users[10:40])
        many = page_queries(client, "/supervision/caseload/")
        page_s, _ = timed(lambda: client.get("/supervision/caseload/"))
        report(
            "caseload page: queries, 10 vs 40 mentors",
            f"{few} vs {many} ({page_s * 1000:.0f} ms at 40)",
            "equal",
        )
        ok = (
            propose_s < 2
            and not problems
            and not engine_broken
            and not coachless
            and few == many
            and peer_s < 3
            and not peer_line
            and not peer_zone
        )
    TABLE.write(
        Path(__file__).with_name(
            "supervision-results-quick.json" if args.quick else "supervision-results.json"
        )
    )
    if not ok:
        print("A target was missed.")
        sys.exit(1)


if __name__ == "__main__":
    main()
