"""Supervisors' places, circles by hand and from the engine's proposals: edited, published and
re-formed, with every rule checked."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from mentorcraft.core.errors import TransitionError
from mentorcraft.matching.engine.groups import Coach, form_groups
from mentorcraft.matching.engine.model import Person
from mentorcraft.people.models import Profile
from mentorcraft.support import selectors, services
from mentorcraft.support.models import Assignment, Circle, Formation

from .conftest import add_mentor

pytestmark = pytest.mark.django_db


def open_assignment(mentor, programme):  # noqa: ANN001, ANN201
    return Assignment.objects.filter(
        programme=programme, mentor=mentor, ended_at__isnull=True
    ).first()


def test_an_internal_coach_needs_to_be_able_to_lead(programme, alice, cora):
    with pytest.raises(ValidationError, match="cannot lead supervision yet"):
        services.supervisor_add(
            programme=programme, person=cora, kind="internal", capacity=5, by=alice
        )


def test_a_supervisor_is_told_and_added_once(programme, alice, vic):
    mail.outbox.clear()
    services.supervisor_add(programme=programme, person=vic, kind="external", capacity=5, by=alice)
    assert [m.to for m in mail.outbox] == [[vic.email]]
    with pytest.raises(ValidationError, match="already supervises here"):
        services.supervisor_add(
            programme=programme, person=vic, kind="external", capacity=5, by=alice
        )


def test_places_are_never_exceeded_and_capacity_cannot_drop_below_the_load(
    programme, alice, mentors, supervisor
):
    services.supervisor_update(supervisor=supervisor, by=alice, capacity=2)
    services.assign(programme=programme, mentor=mentors[0], supervisor=supervisor, by=alice)
    services.assign(programme=programme, mentor=mentors[1], supervisor=supervisor, by=alice)
    with pytest.raises(ValidationError, match="has no free place"):
        services.assign(programme=programme, mentor=mentors[2], supervisor=supervisor, by=alice)
    # Re-assigning someone they already have takes no new place.
    services.assign(programme=programme, mentor=mentors[1], supervisor=supervisor, by=alice)
    with pytest.raises(ValidationError, match="cannot go below"):
        services.supervisor_update(supervisor=supervisor, by=alice, capacity=1)
    assert Assignment.objects.filter(supervisor=supervisor, ended_at__isnull=True).count() == 2


def test_a_new_supervisor_ends_the_old_assignment_and_keeps_its_history(
    programme, alice, mentors, supervisor, wes
):
    other = services.supervisor_add(
        programme=programme, person=wes, kind="external", capacity=3, by=alice
    )
    services.assign(programme=programme, mentor=mentors[0], supervisor=supervisor, by=alice)
    services.assign(programme=programme, mentor=mentors[0], supervisor=other, by=alice)
    rows = Assignment.objects.filter(programme=programme, mentor=mentors[0])
    assert rows.count() == 2
    assert open_assignment(mentors[0], programme).supervisor == other


def test_no_one_supervises_their_own_line(programme, alice, mentors, supervisor, vic):
    Profile.objects.filter(user=mentors[1]).update(line_manager=vic)
    mentors[1].refresh_from_db()
    with pytest.raises(ValidationError, match="outside the line"):
        services.assign(programme=programme, mentor=mentors[1], supervisor=supervisor, by=alice)


def test_a_circle_by_hand_keeps_the_rules(programme, alice, mentors, supervisor):
    with pytest.raises(ValidationError, match="Choose 3 to 5 mentors"):
        services.circle_create(
            programme=programme, name="Two", supervisor=supervisor, mentors=mentors[:2], by=alice
        )
    Profile.objects.filter(user=mentors[2]).update(line_manager=mentors[1])
    mentors[2].refresh_from_db()
    with pytest.raises(ValidationError, match="are in one line"):
        services.circle_create(
            programme=programme, name="Line", supervisor=supervisor, mentors=mentors[:3], by=alice
        )
    circle = services.circle_create(
        programme=programme,
        name="Fine",
        supervisor=supervisor,
        mentors=[mentors[0], mentors[1], mentors[3]],
        by=alice,
    )
    assert {a.mentor for a in Assignment.objects.filter(circle=circle)} == {
        mentors[0],
        mentors[1],
        mentors[3],
    }
    assert any("Nobody is with their line manager" in r for r in circle.reasons)


def _programme_of(programme, alice, count: int, zones: list[str]) -> list:  # noqa: ANN001
    people = []
    for n in range(count):
        people.append(
            add_mentor(
                programme,
                alice,
                f"many{n}@example.org",
                f"Many {n:02d}",
                time_zone=zones[n % len(zones)],
                years_experience=n,
            )
        )
    return people


def test_the_engine_proposes_and_the_coordinator_edits_and_publishes(
    programme, alice, mentors, supervisor, wes
):
    other = services.supervisor_add(
        programme=programme, person=wes, kind="external", capacity=6, by=alice
    )
    extra = _programme_of(programme, alice, 5, ["Europe/London"])
    Profile.objects.filter(user=extra[1]).update(line_manager=extra[0])
    formation = services.formation_propose(programme=programme, by=alice)
    circles = selectors.formation_circles(formation)
    assert formation.status == Formation.Status.DRAFT
    assert sum(len(c.members.all()) for c in circles) == 10
    assert all(3 <= len(c.members.all()) <= 5 for c in circles)
    assert services.circle_problems(circles) == []
    for c in circles:
        members = {m.mentor_id for m in c.members.all()}
        assert not {extra[0].pk, extra[1].pk} <= members, "a manager with their report"
        assert c.supervisor is not None and len(c.reasons) == 4
    # Nothing changes until it is published.
    assert not Assignment.objects.filter(programme=programme).exists()
    # Move someone into the bigger circle: six breaks the size rule and publishing is refused.
    small, big = sorted(circles, key=lambda c: len(c.members.all()))
    mover = small.members.first().mentor
    services.formation_move(formation=formation, mentor=mover, to=big, by=alice)
    problems = services.circle_problems(selectors.formation_circles(formation))
    assert any("a circle has 3 to 5" in p for p in problems)
    with pytest.raises(ValidationError):
        services.formation_publish(formation=formation, by=alice)
    services.formation_move(formation=formation, mentor=mover, to=small, by=alice)
    services.circle_set_supervisor(circle=small, supervisor=other, by=alice)
    services.circle_set_supervisor(circle=big, supervisor=supervisor, by=alice)
    mail.outbox.clear()
    published = services.formation_publish(formation=formation, by=alice)
    assert {c.status for c in published} == {Circle.Status.ACTIVE}
    for c in published:
        for seat in c.members.all():
            assert open_assignment(seat.mentor, programme).supervisor == c.supervisor
    # Each supervisor hears of their circle, each mentor of their supervisor, once.
    everyone = [supervisor.person.email, wes.email, *(p.email for p in [*mentors, *extra])]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(everyone)
    with pytest.raises(TransitionError, match="already published"):
        services.formation_publish(formation=formation, by=alice)


def test_publishing_refuses_a_supervisor_over_their_places(programme, alice, mentors, supervisor):
    services.supervisor_update(supervisor=supervisor, by=alice, capacity=5)
    formation = services.formation_propose(programme=programme, by=alice)
    # The engine gave the five mentors to vic, who has five places; meanwhile two late
    # mentors are given to vic one to one.
    outsider = add_mentor(programme, alice, "late@example.org", "Late Mentor")
    other_one = add_mentor(programme, alice, "late2@example.org", "Late Mentor 2")
    services.assign(programme=programme, mentor=outsider, supervisor=supervisor, by=alice)
    services.assign(programme=programme, mentor=other_one, supervisor=supervisor, by=alice)
    with pytest.raises(ValidationError, match="over their 5 places"):
        services.formation_publish(formation=formation, by=alice)
    assert Assignment.objects.filter(supervisor=supervisor, ended_at__isnull=True).count() == 2


def test_re_forming_mid_programme_ends_the_old_circles(programme, alice, mentors, circle):
    old_members = {m.mentor_id for m in circle.members.all()}
    formation = services.formation_propose(programme=programme, by=alice, whole=True)
    circles = selectors.formation_circles(formation)
    assert {m.mentor_id for c in circles for m in c.members.all()} == {m.pk for m in mentors}
    services.formation_publish(formation=formation, by=alice)
    circle.refresh_from_db()
    assert circle.status == Circle.Status.ENDED
    for pk in old_members:
        assert (
            Assignment.objects.get(
                programme=programme, mentor_id=pk, ended_at__isnull=True
            ).circle.formation
            == formation
        )


def test_too_few_to_place_says_so(programme, alice, mentors, circle):
    # Two mentors are outside the circle: not enough for another.
    with pytest.raises(TransitionError, match="2 mentors to place"):
        services.formation_propose(programme=programme, by=alice)


def test_the_engine_counts_a_coachs_places_in_people():
    people = [Person(id=f"p{n}", tier=["new", "veteran"][n % 2]) for n in range(10)]
    coaches = [Coach(id="small", places=4), Coach(id="big", places=6)]
    result = form_groups(people, min_size=3, max_size=5, coaches=coaches)
    assert result.violations == []
    seated = dict.fromkeys(("small", "big"), 0)
    for members, coach in zip(result.groups, result.coaches, strict=True):
        if coach is not None:
            seated[coach] += len(members)
    assert seated["small"] <= 4 and seated["big"] <= 6
    assert sorted(len(g) for g in result.groups) == [5, 5]
    assert result.coaches.count(None) == 1  # five people do not fit in four places
