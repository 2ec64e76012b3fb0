"""The communities' periodic jobs (``manage.py periodic``):

- the daily digest: each person who follows threads gets, once a day, the posts others wrote in
  them the day before (midnight to midnight in the organisation's zone), if any; sent through
  the shared once-only ledger, keyed on the person and the day, so a rerun, or two runs at
  once, sends nothing twice. Hidden posts are left out, and so is anyone no longer taking part;
- roundtable figures: a roundtable about to start (within the hour) whose figures nobody has
  taken yet has them taken, once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from mentorcraft.communities import services
from mentorcraft.communities.models import (
    AUDIENCE_ROLE,
    Audience,
    Event,
    Following,
    Post,
    RoundtableSnapshot,
)
from mentorcraft.notifications.reminders import Due, send_due
from mentorcraft.notifications.services import absolute_url, email_queue
from mentorcraft.people.models import User
from mentorcraft.programmes.models import ProgrammeRole, Role
from mentorcraft.support.models import Supervisor

EXCERPT = 240
FIGURES_BEFORE = datetime.timedelta(hours=1)


def digest_window(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Yesterday, midnight to midnight, in the organisation's zone."""
    zone = timezone.get_default_timezone()
    today = timezone.localdate(now, zone)
    end = datetime.datetime.combine(today, datetime.time.min, tzinfo=zone)
    return end - datetime.timedelta(days=1), end


def _taking_part(posts: list[Post]) -> set[tuple[int, int]]:
    """(community id, person id) for everyone taking part in the communities of these posts
    (two queries)."""
    communities = {p.thread.community for p in posts}
    by_programme: dict[int, list] = defaultdict(list)
    for community in communities:
        by_programme[community.programme_id].append(community)
    allowed: set[tuple[int, int]] = set()
    for programme_id, user_id, role in ProgrammeRole.objects.filter(
        programme__in=list(by_programme), user__is_active=True
    ).values_list("programme_id", "user_id", "role"):
        for community in by_programme[programme_id]:
            if role in (AUDIENCE_ROLE[community.audience], Role.COORDINATOR):
                allowed.add((community.pk, user_id))
    for programme_id, user_id in Supervisor.objects.filter(
        programme__in=list(by_programme), active=True
    ).values_list("programme_id", "person_id"):
        for community in by_programme[programme_id]:
            if community.audience == Audience.MENTORS:
                allowed.add((community.pk, user_id))
    return allowed


def _digests(now: datetime.datetime) -> Iterator[Due]:
    start, end = digest_window(now)
    posts = list(
        Post.objects.filter(created_at__gte=start, created_at__lt=end, hidden_at__isnull=True)
        .select_related("thread__community__programme", "author__profile")
        .order_by("thread_id", "created_at", "pk")
    )
    if not posts:
        return
    followings = Following.objects.filter(
        following=True, thread__in={p.thread_id for p in posts}, person__is_active=True
    ).select_related("person__profile")
    followers: dict[int, list[User]] = defaultdict(list)
    for row in followings:
        followers[row.thread_id].append(row.person)
    allowed = _taking_part(posts)
    news: dict[int, dict[int, list[Post]]] = defaultdict(lambda: defaultdict(list))
    people: dict[int, User] = {}
    for post in posts:
        for person in followers.get(post.thread_id, []):
            if post.author_id == person.pk:
                continue
            if (post.thread.community_id, person.pk) not in allowed:
                continue
            news[person.pk][post.thread_id].append(post)
            people[person.pk] = person
    day = start.date()
    for person_id, threads in news.items():
        person = people[person_id]
        items = [
            {
                "thread": posts_of[0].thread,
                "url": absolute_url(posts_of[0].thread.get_absolute_url()),
                "posts": [
                    {
                        "author": p.author.display_name if p.author else "A former member",
                        "excerpt": p.body[:EXCERPT] + ("…" if len(p.body) > EXCERPT else ""),
                    }
                    for p in posts_of
                ],
            }
            for posts_of in threads.values()
        ]
        count = sum(len(item["posts"]) for item in items)

        def send(person: User = person, items: list = items, count: int = count) -> None:
            email_queue(
                to=[person.email],
                subject=f"{count} new post{'s' if count != 1 else ''} in threads you follow",
                template="communities/email/digest.txt",
                context={"person": person, "items": items, "day": day},
            )

        yield Due("digest", f"community-digest:{person_id}:{day:%Y-%m-%d}", person, send)


def send_digests(now: datetime.datetime | None = None) -> str:
    return send_due(_digests(now or timezone.now()), what="community digest")


def take_roundtable_figures(now: datetime.datetime | None = None) -> str:
    """Figures for every roundtable starting within the hour (or under way) that has none."""
    now = now or timezone.now()
    due = (
        Event.objects.filter(
            kind=Event.Kind.ROUNDTABLE,
            status=Event.Status.SCHEDULED,
            starts_at__lte=now + FIGURES_BEFORE,
            starts_at__gte=now - datetime.timedelta(days=1),
        )
        .exclude(Exists(RoundtableSnapshot.objects.filter(event=OuterRef("pk"))))
        .select_related("community__programme")
    )
    taken = 0
    for event in due:
        if event.ends_at < now:
            continue
        try:
            services.roundtable_figures_take(event=event, by=None)
        except ValidationError:
            continue  # taken meanwhile by the facilitator, or by another run
        taken += 1
    if not taken:
        return "No roundtable figures to take."
    return f"{taken} × roundtable figures taken"
