"""Who meets a programme's training requirements."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import count_queries, make_person
from mentorcraft.training import services
from mentorcraft.training.models import Completion, Requirement
from mentorcraft.training.standing import Done, Standings, meets

from .conftest import past_mentorship

D = datetime.date
TODAY = D(2026, 6, 15)


def requirement(**fields) -> Requirement:  # noqa: ANN003
    fields.setdefault("role", "mentor")
    fields.setdefault("tier", "any")
    return Requirement(**fields)


def test_minutes_add_up_over_distinct_modules_and_a_repeat_counts_once():
    two_hours = requirement(kind="induction", min_minutes=120)
    part_one = Done(1, "induction", 60, D(2026, 1, 10), None)
    part_one_again = Done(1, "induction", 60, D(2026, 2, 10), None)
    part_two = Done(2, "induction", 60, D(2026, 3, 10), None)
    assert not meets(two_hours, [part_one], TODAY)
    assert not meets(two_hours, [part_one, part_one_again], TODAY)
    assert meets(two_hours, [part_one, part_two], TODAY)
    assert not meets(two_hours, [Done(3, "skills", 600, D(2026, 1, 1), None)], TODAY)


def test_only_valid_completions_count():
    any_induction = requirement(kind="induction")
    expired = Done(1, "induction", 120, D(2024, 1, 1), D(2026, 1, 1))
    future = Done(1, "induction", 120, D(2026, 7, 1), None)
    assert not meets(any_induction, [expired], TODAY)
    assert not meets(any_induction, [future], TODAY)
    assert meets(any_induction, [Done(1, "induction", 120, D(2026, 6, 15), None)], TODAY)


def test_a_module_requirement_wants_that_module():
    ethics = requirement(module_id=7)
    assert meets(ethics, [Done(7, "skills", 45, D(2026, 1, 1), D(2028, 1, 1))], TODAY)
    assert not meets(ethics, [Done(8, "skills", 45, D(2026, 1, 1), None)], TODAY)


@pytest.mark.django_db
def test_a_tier_requirement_applies_to_that_tier_only(programme, alice, mark, meg, induction):
    renewal_module = services.module_create(
        by=alice,
        title="Renewal",
        description="For veterans.",
        audience="mentors",
        level="veteran",
        kind="renewal",
        format="workshop",
        duration_minutes=240,
        valid_months=24,
    )
    services.requirement_add(
        programme=programme, by=alice, role="mentor", tier="veteran", kind="renewal"
    )
    veteran = make_person("vet@example.org", "Vera Veteran")
    for n in range(3):
        past_mentorship(programme, veteran, make_person(f"x{n}@example.org", f"X {n}"))
    book = Standings(programme, [veteran.pk, mark.pk])
    assert book.of(mark.pk, "mentor").met  # a new mentor is not asked for renewal
    standing = book.of(veteran.pk, "mentor")
    assert not standing.met
    assert standing.tier.level == "veteran"
    assert standing.blocker_text() == ("has not done the training required: renewal (veterans)")
    Completion.objects.create(
        person=veteran,
        module=renewal_module,
        completed_on=timezone.localdate(),
        expires_on=renewal_module.expiry_for(timezone.localdate()),
        source="external",
        minutes=240,
        evidence="Done elsewhere.",
    )
    assert Standings(programme, [veteran.pk]).of(veteran.pk, "mentor").met


@pytest.mark.django_db
def test_standings_take_a_fixed_number_of_queries(programme, alice, induction):
    services.requirement_add(programme=programme, by=alice, role="mentor", kind="induction")
    services.requirement_add(
        programme=programme, by=alice, role="mentor", tier="veteran", kind="renewal"
    )
    few = [make_person(f"f{n}@example.org", f"F {n}").pk for n in range(2)]
    many = [make_person(f"g{n}@example.org", f"G {n}").pk for n in range(25)]

    def read(ids: list[int]) -> None:
        book = Standings(programme, ids)
        for pk in ids:
            book.of(pk, "mentor")

    # The requirements, the completions, and the tiers (history, coaches, thresholds).
    assert count_queries(lambda: read(few)) == count_queries(lambda: read(many)) == 5
