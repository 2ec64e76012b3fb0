"""Benchmark of communities: a roundtable's figures for 500 mentors, and a thread of 5,000
posts.

    python bench/communities_bench.py           # 100 and 500 mentors; 50 and 5,000 posts
    python bench/communities_bench.py --quick   # 20 and 100 mentors; 50 and 1,000 posts (CI)

Builds two running programmes in a throwaway SQLite database, the small one and the large one,
each mentor with two pairs that have met, written goals, checked in and given feedback, with
supervision attended and training completed. Takes a roundtable's figures (every member's own
and the group's median and quartiles, written once) in each: the queries must be the same
whatever the number of mentors, and the large one under 300 ms. Then reads a thread's first
and last pages with 50 posts and with 5,000: the same queries each time. Prints a table and
writes bench/communities-results.json.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
from pathlib import Path

from benchlib import Table, page_queries, setup_django, timed

TABLE = Table(widths=(56, 30))
report = TABLE.report


def build(name: str, mentors: int):  # noqa: ANN201 - (programme, coordinator, mentor users)
    from django.utils import timezone

    from mentorcraft.mentorships.models import Feedback, Goal, Meeting, Mentorship, Pulse
    from mentorcraft.people.models import Profile, User
    from mentorcraft.programmes.models import Phase, Programme, ProgrammeRole
    from mentorcraft.support.models import Attendance, SupervisionSession
    from mentorcraft.training.models import Completion, Module

    today = timezone.localdate()
    now = timezone.now()
    programme = Programme.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        purpose="Benchmark.",
        start_date=today - datetime.timedelta(days=150),
        end_date=today + datetime.timedelta(days=200),
        phase=Phase.RUNNING,
    )
    users = User.objects.bulk_create(
        User(email=f"{programme.slug}-{i}@bench.example", password="!")
        for i in range(3 * mentors + 1)
    )
    Profile.objects.bulk_create(
        Profile(user=u, full_name=f"{name} person {i:04d}", languages=["English"])
        for i, u in enumerate(users)
    )
    mentor_users, mentees, coordinator = users[:mentors], users[mentors:-1], users[-1]
    ProgrammeRole.objects.bulk_create(
        [ProgrammeRole(programme=programme, user=u, role="mentor") for u in mentor_users]
        + [ProgrammeRole(programme=programme, user=u, role="mentee") for u in mentees]
        + [ProgrammeRole(programme=programme, user=coordinator, role="coordinator")]
    )
    pairs = Mentorship.objects.bulk_create(
        Mentorship(
            programme=programme,
            mentor=mentor_users[i // 2],
            mentee=mentee,
            started_on=today - datetime.timedelta(days=120 - (i % 60)),
            ends_on=today + datetime.timedelta(days=200),
        )
        for i, mentee in enumerate(mentees)
    )
    Meeting.objects.bulk_create(
        Meeting(
            mentorship=pair,
            starts_at=now - datetime.timedelta(days=10 + 25 * k),
            status="held",
            minutes_spent=60,
        )
        for i, pair in enumerate(pairs)
        for k in range(i % 5)
    )
    Goal.objects.bulk_create(
        Goal(
            mentorship=pair, title=f"Goal {k}", status=("in_progress", "achieved", "not_started")[k]
        )
        for pair in pairs
        for k in range(3)
    )
    Pulse.objects.bulk_create(
        Pulse(
            mentorship=pair,
            author=pair.mentee if k % 2 else pair.mentor,
            score=1 + (i + k) % 5,
            created_at=now - datetime.timedelta(days=5 + 20 * k),
        )
        for i, pair in enumerate(pairs)
        for k in range(3)
    )
    Feedback.objects.bulk_create(
        Feedback(mentorship=pair, author=pair.mentor, point="month_one", helped="Listening.")
        for i, pair in enumerate(pairs)
        if i % 3
    )
    sessions = [
        SupervisionSession.objects.create(
            programme=programme,
            kind="intro",
            leader=coordinator,
            starts_at=now - datetime.timedelta(days=30 * (k + 1)),
        )
        for k in range(3)
    ]
    Attendance.objects.bulk_create(
        Attendance(session=s, mentor=m, present=(i + k) % 3 != 0)
        for k, s in enumerate(sessions)
        for i, m in enumerate(mentor_users)
    )
    module, _ = Module.objects.get_or_create(
        title="Bench module",
        defaults={
            "description": "Bench.",
            "audience": "mentors",
            "kind": "skills",
            "format": "workshop",
            "duration_minutes": 60,
        },
    )
    Completion.objects.bulk_create(
        Completion(
            person=m,
            module=module,
            completed_on=today - datetime.timedelta(days=k * 7),
            source="external",
            minutes=60,
            evidence="Bench",
        )
        for i, m in enumerate(mentor_users)
        for k in range(i % 4)
    )
    return programme, coordinator, mentor_users


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a smoke test (CI runs it)")
    args = parser.parse_args()
    small, large = (20, 100) if args.quick else (100, 500)
    few_posts, many_posts = (50, 1000) if args.quick else (50, 5000)
    with tempfile.TemporaryDirectory() as folder:
        setup_django(str(Path(folder) / "bench.sqlite3"))
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from mentorcraft.communities import services
        from mentorcraft.communities.models import Event, Post, Thread

        settings.MEDIA_ROOT = Path(folder) / "media"
        print(f"Communities benchmark ({small} and {large} mentors; {many_posts:,} posts)")
        TABLE.header()

        def roundtable(community, coordinator):  # noqa: ANN001, ANN202
            return services.event_schedule(
                community=community,
                by=coordinator,
                kind=Event.Kind.ROUNDTABLE,
                title="Roundtable",
                starts_at=timezone.now() + datetime.timedelta(days=1),
            )

        counts, seconds = {}, {}
        built = {}
        for size in (small, large):
            programme, coordinator, mentor_users = build(f"Bench {size}", size)
            community = services.community_ensure(programme=programme, by=coordinator)
            built[size] = (community, coordinator, mentor_users)
            event = roundtable(community, coordinator)
            with CaptureQueriesContext(connection) as captured:
                snapshot = services.roundtable_figures_take(event=event, by=coordinator)
            counts[size] = len(captured.captured_queries)
            assert snapshot.cohort_size == size
            assert all(g["median"] is not None for g in snapshot.group), snapshot.group

            def take(community=community, coordinator=coordinator) -> None:  # noqa: ANN001
                services.roundtable_figures_take(
                    event=roundtable(community, coordinator), by=coordinator
                )

            seconds[size], _ = timed(take)
        report(
            f"roundtable figures: queries, {small} vs {large} mentors",
            f"{counts[small]} vs {counts[large]}",
            "equal",
        )
        report(
            f"roundtable figures: {large} mentors (all taken and written)",
            f"{seconds[large] * 1000:.0f} ms ({seconds[small] * 1000:.0f} ms at {small})",
            "< 300 ms",
        )

        community, coordinator, mentor_users = built[large]
        event = Event.objects.filter(community=community, snapshot__isnull=False).first()
        services.rsvp_answer(event=event, person=mentor_users[0], going=True)
        client = Client()
        client.force_login(mentor_users[0])
        figures_queries = page_queries(client, event.get_absolute_url())
        page_s, _ = timed(lambda: client.get(event.get_absolute_url()))
        report(
            f"roundtable page with your figures ({large} mentors)",
            f"{figures_queries} queries, {page_s * 1000:.0f} ms",
            "(for reference)",
        )

        thread = services.thread_start(
            community=community, by=mentor_users[0], title="A long thread", body="Opening."
        )

        def posts(n: int) -> None:
            Post.objects.bulk_create(
                Post(thread=thread, author=mentor_users[k % 50], body=f"Post {k}: " + "x" * 300)
                for k in range(n)
            )
            Thread.objects.filter(pk=thread.pk).update(last_posted_at=timezone.now())

        posts(few_posts - 1)
        url = thread.get_absolute_url()
        first_few = page_queries(client, url)
        last_few = page_queries(client, url + "?page=999999")
        posts(many_posts - few_posts)
        first_many = page_queries(client, url)
        last_many = page_queries(client, url + "?page=999999")
        last_s, _ = timed(lambda: client.get(url + "?page=999999"))
        community_few = page_queries(client, community.get_absolute_url())
        report(
            f"thread page 1: queries, {few_posts} vs {many_posts:,} posts",
            f"{first_few} vs {first_many}",
            "equal",
        )
        report(
            f"thread last page: queries, {few_posts} vs {many_posts:,} posts",
            f"{last_few} vs {last_many} ({last_s * 1000:.0f} ms)",
            "equal",
        )
        for k in range(60):
            services.thread_start(
                community=community, by=mentor_users[k], title=f"Thread {k}", body="Opening."
            )
        community_many = page_queries(client, community.get_absolute_url())
        report(
            "community page: queries, 2 vs 62 threads",
            f"{community_few} vs {community_many}",
            "equal",
        )
        ok = (
            counts[small] == counts[large]
            and seconds[large] < 0.3
            and first_few == first_many
            and last_few == last_many
            and community_few == community_many
        )
    TABLE.write(
        Path(__file__).with_name(
            "communities-results-quick.json" if args.quick else "communities-results.json"
        )
    )
    if not ok:
        print("A target was missed.")
        sys.exit(1)


if __name__ == "__main__":
    main()
