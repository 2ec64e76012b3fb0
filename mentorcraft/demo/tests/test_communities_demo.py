"""The demo's communities: what the issue asks the demo to show is there after one seeding."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from mentorcraft.communities import selectors
from mentorcraft.communities.models import Event, Post, Resource, RoundtableSnapshot, Thread
from mentorcraft.demo import communities
from mentorcraft.demo.people import DEMO_DOMAIN
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Programme
from mentorcraft.support import selectors as support
from mentorcraft.training.models import Completion

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_shows_a_community_of_practice(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    now = timezone.now()
    running = Programme.objects.get(name="Nursing Leadership Mentoring 2026")
    community = running.communities.get(audience="mentors")
    events = Event.objects.filter(community=community)
    held = events.filter(attendance_taken_at__isnull=False)
    assert held.count() >= 3 and events.filter(starts_at__gt=now).count() >= 3
    assert set(events.values_list("kind", flat=True)) == set(Event.Kind.values)
    training = held.get(kind=Event.Kind.TRAINING)
    assert Completion.objects.filter(session=training.training_session).count() >= 5

    snapshot = RoundtableSnapshot.objects.get(event__community=community)
    shown = [g for g in snapshot.group if g["median"] is not None]
    assert snapshot.cohort_size >= 5 and len(shown) >= 4
    assert all(g["contributors"] >= 5 for g in shown)
    mentor = User.objects.get(email=f"mentor@{DEMO_DOMAIN}")
    view = selectors.figures_for(mentor, snapshot.event, manages=False)
    assert view.own_shown and any(row.own is not None for row in view.rows)

    threads = Thread.objects.filter(community=community)
    assert threads.count() >= 5 and Post.objects.filter(thread__community=community).count() >= 15
    assert Post.objects.filter(thread__community=community, hidden_at__isnull=False).exists()
    assert threads.filter(locked_at__isnull=False).exists()

    library = Resource.objects.filter(community=community)
    assert library.exclude(url="").count() >= 3
    guide = library.exclude(file="").get()
    client.force_login(mentor)
    response = client.get(f"/communities/resources/{guide.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")

    supports = [s for row in support.coverage(running) for s in row.supports]
    assert any(s.startswith("Community: ") for s in supports)
    for login in communities.LOGINS:  # every hint the communities give is true
        assert login.check(User.objects.get(email=f"{login.key}@{DEMO_DOMAIN}")), login.hint
