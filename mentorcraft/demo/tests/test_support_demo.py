"""The demo's supervision: what the issue asks the demo to show is there after one seeding."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from mentorcraft.demo.people import DEMO_DOMAIN
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Programme
from mentorcraft.support import selectors
from mentorcraft.support.models import (
    Circle,
    CoachNote,
    Concern,
    Function,
    SupervisionSession,
    Topic,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_shows_supervision():
    call_command("seed_demo")
    now = timezone.now()
    running = Programme.objects.get(name="Nursing Leadership Mentoring 2026")
    circles = Circle.objects.filter(programme=running, status=Circle.Status.ACTIVE)
    assert circles.count() == 3
    sessions = SupervisionSession.objects.filter(programme=running)
    assert sessions.filter(starts_at__lt=now, attendance_taken_at__isnull=False).count() >= 6
    assert sessions.filter(starts_at__gt=now).count() >= 2
    assert sessions.filter(kind="intro").exists() and sessions.filter(kind="individual").exists()
    assert {t.function for t in Topic.objects.filter(programme=running)} >= set(Function.values)
    assert Topic.objects.filter(strain=True, status="open").exists()
    assert CoachNote.objects.exists()
    assert Concern.objects.filter(status__in=["acknowledged", "in_hand"]).count() == 2
    view = selectors.overview(running)
    assert len(view.without) >= 3, "mentors without a supervisor, for the coordinator to place"
    coach = User.objects.get(email=f"coach@{DEMO_DOMAIN}")
    mentor = User.objects.get(email=f"mentor@{DEMO_DOMAIN}")
    assert any(row.strain for row in selectors.caseload(coach))
    assert selectors.my_supervision(mentor).assignments
