"""The demo's training: what the issue asks the demo to show is there after one seeding."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from mentorcraft.demo.people import DEMO_DOMAIN
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Phase, Programme
from mentorcraft.training.advice import advice_for
from mentorcraft.training.models import (
    Coach,
    Completion,
    Kind,
    Level,
    Module,
    Registration,
    Session,
)
from mentorcraft.training.selectors import (
    blocked_counts,
    cadre,
    pipeline_candidates,
    pipeline_reflections,
    programme_standings,
)
from mentorcraft.training.tiers import MENTOR, Tiers

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def login(key: str) -> User:
    return User.objects.get(email=f"{key}@{DEMO_DOMAIN}")


def test_the_demo_shows_every_part_of_training():
    call_command("seed_demo")
    today, now = timezone.localdate(), timezone.now()
    # A catalogue covering every kind and level.
    assert set(Module.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert set(Module.objects.values_list("level", flat=True)) == set(Level.values)
    assert Module.objects.filter(leadership=True).exists()
    # Past sessions with their registers, sessions to come, one full, one cancelled.
    past = Session.objects.filter(starts_at__lt=now, attendance_taken_at__isnull=False)
    assert past.count() >= 10
    assert Registration.objects.filter(status="absent").exists()
    upcoming = Session.objects.filter(starts_at__gt=now, status="scheduled")
    assert any(s.registrations.filter(status="registered").count() == s.capacity for s in upcoming)
    assert Session.objects.filter(status="cancelled").exists()
    # Completions valid, expiring within a month, and expired; self-declared and external.
    valid_until = set(
        Completion.objects.exclude(expires_on=None).values_list("expires_on", flat=True)
    )
    assert any(d <= today for d in valid_until)
    assert any(today < d <= today + timezone.timedelta(days=31) for d in valid_until)
    assert set(Completion.objects.values_list("source", flat=True)) == {
        "attendance",
        "self",
        "external",
    }
    # Mentors in every tier.
    mentors = User.objects.filter(mentorships_as_mentor__isnull=False).distinct()
    tiers = Tiers(list(mentors.values_list("pk", flat=True)))
    levels = {tiers.of(pk, MENTOR).level for pk in mentors.values_list("pk", flat=True)}
    assert levels == {Level.NEW, Level.EXPERIENCED, Level.VETERAN}
    # People blocked from matching by training, for more than one reason.
    matching = Programme.objects.get(phase=Phase.MATCHING)
    assert blocked_counts([matching.pk])[matching.pk] >= 5
    missing = {
        r.kind or "module" for row in programme_standings(matching) for r in row.standing.unmet
    }
    assert {"induction", "module", "renewal"} <= missing
    # The cadre: one coach ready, one whose coach training lapsed, one nominated.
    overview = cadre()
    assert len(overview.ready) == 1 and overview.candidates
    assert Coach.objects.filter(status="nominated").exists()
    assert any(r.coach.status == "active" and not r.can_lead for r in overview.rows)
    # Pipeline candidates, one invited and one who applied.
    candidates = pipeline_candidates(list(pipeline_reflections(login("coordinator"))))
    assert len(candidates) >= 4
    assert any(c.invited for c in candidates) and any(c.applied for c in candidates)
    # The logins' own stories.
    assert [r.kind for r in advice_for(login("newmentor")).recommendations][0] == Kind.INDUCTION
    assert Kind.RENEWAL in [r.kind for r in advice_for(login("veteran")).recommendations]
    assert Kind.TO_MENTOR in [r.kind for r in advice_for(login("graduate")).recommendations]
    assert advice_for(login("veteran")).tiers[MENTOR].level == Level.VETERAN
