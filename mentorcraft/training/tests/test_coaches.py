"""The coach cadre: veterans nominated, trained, made active; coverage."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from conftest import make_person
from mentorcraft.core.errors import TransitionError
from mentorcraft.training import services
from mentorcraft.training.models import Coach, Completion
from mentorcraft.training.selectors import cadre, can_lead_supervision

from .conftest import past_mentorship

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach_module(alice, programme):  # noqa: ANN001
    return services.module_create(
        by=alice,
        title="Coach foundation",
        description="-",
        audience="coaches",
        level="veteran",
        kind="coach",
        format="workshop",
        duration_minutes=360,
        valid_months=24,
    )


def veteran(programme, name: str):  # noqa: ANN001, ANN201
    person = make_person(f"{name}@example.org", name.title())
    for n in range(3):
        past_mentorship(programme, person, make_person(f"{name}{n}@example.org", f"{name} {n}"))
    return person


def test_only_veterans_are_nominated_and_only_the_trained_lead(
    programme, alice, mark, coach_module
):
    with pytest.raises(TransitionError, match="coaches are veteran mentors"):
        services.coach_nominate(person=mark, by=alice)
    vera = veteran(programme, "vera")
    mail.outbox.clear()
    coach = services.coach_nominate(person=vera, by=alice, capacity=4)
    assert [m.to for m in mail.outbox] == [[vera.email]]
    with pytest.raises(TransitionError, match="already in the coach cadre"):
        services.coach_nominate(person=vera, by=alice)
    with pytest.raises(TransitionError, match="needs valid coach training"):
        services.coach_set_status(coach=coach, by=alice, status="active")
    day = timezone.localdate() - datetime.timedelta(days=10)
    Completion.objects.create(
        person=vera,
        module=coach_module,
        completed_on=day,
        expires_on=coach_module.expiry_for(day),
        source="attendance",
        minutes=360,
    )
    services.coach_set_status(coach=coach, by=alice, status="active")
    assert can_lead_supervision(vera)
    Completion.objects.filter(person=vera).update(
        completed_on=day - datetime.timedelta(days=800),
        expires_on=day - datetime.timedelta(days=70),
    )
    assert not can_lead_supervision(vera)  # the renewal lapsed


def test_coverage_is_the_ready_coaches_capacity_against_mentors_mentoring_now(
    programme, alice, coach_module, mentorship
):
    vera, walt = veteran(programme, "vera"), veteran(programme, "walt")
    today = timezone.localdate()
    for person in (vera, walt):
        Completion.objects.create(
            person=person,
            module=coach_module,
            completed_on=today,
            expires_on=coach_module.expiry_for(today),
            source="external",
            minutes=360,
            evidence="-",
        )
        services.coach_nominate(person=person, by=alice, capacity=3)
    services.coach_set_status(coach=Coach.objects.get(person=vera), by=alice, status="active")
    overview = cadre()
    assert [r.coach.person for r in overview.ready] == [vera]
    assert overview.capacity_ready == 3 and overview.mentors_now == 1
    assert overview.coverage_percent == 100
    assert {p for p, _ in overview.candidates} == set()  # both veterans are in the cadre
