"""What each person should do next, by tier and history."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import make_person
from mentorcraft.mentorships.models import Closure, ClosureReflection
from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import Role
from mentorcraft.training import services
from mentorcraft.training.advice import advice_for
from mentorcraft.training.hooks import next_steps
from mentorcraft.training.models import Coach, Completion

from .conftest import past_mentorship

pytestmark = pytest.mark.django_db


def kinds(person) -> list[str]:  # noqa: ANN001
    return [r.kind for r in advice_for(person).recommendations]


def module(alice, kind, **fields):  # noqa: ANN001, ANN003, ANN201
    fields.setdefault("audience", "mentors")
    fields.setdefault("format", "workshop")
    return services.module_create(
        by=alice,
        title=fields.pop("title", kind.title()),
        description="-",
        kind=kind,
        duration_minutes=fields.pop("duration_minutes", 60),
        **fields,
    )


def test_a_new_mentor_is_offered_induction_first_with_its_next_session(
    mentor_application, mark, induction, make_session
):
    session = make_session()
    advice = advice_for(mark)
    first = advice.recommendations[0]
    assert first.kind == "induction" and first.modules == [induction]
    assert first.sessions == [session]
    assert advice.tiers["mentor"].reason == "no mentoring yet"
    services.registration_create(session=session, person=mark, by=mark)
    assert advice_for(mark).recommendations[0].registration.session == session


def test_what_a_programme_requires_comes_first_and_is_a_next_step(
    mentor_application, mark, alice, induction, programme
):
    services.requirement_add(
        programme=programme, by=alice, role="mentor", kind="induction", min_minutes=120
    )
    first = advice_for(mark).recommendations[0]
    assert first.title == "Induction (at least 2 hours)"
    assert first.reason == f"{programme.name} requires it of mentors before matching"
    assert first.urgency == 10
    step = next_steps(mark)[0]
    assert step.title == "Induction (at least 2 hours)" and step.urgency == 12
    assert step.url == induction.get_absolute_url()


def test_a_refresher_before_a_completion_expires(mentor_application, mark, alice, induction):
    refresher = module(alice, "refresher", format="community", valid_months=12)
    Completion.objects.create(
        person=mark,
        module=induction,
        completed_on=timezone.localdate() - datetime.timedelta(days=100),
        source="external",
        minutes=120,
        evidence="-",
    )
    day = timezone.localdate() - datetime.timedelta(days=340)
    Completion.objects.create(
        person=mark,
        module=refresher,
        completed_on=day,
        expires_on=refresher.expiry_for(day),
        source="attendance",
        minutes=60,
    )
    (rec,) = [r for r in advice_for(mark).recommendations if r.key.startswith("refresh:")]
    assert rec.title == "Refresh “Refresher”" and rec.due_by == refresher.expiry_for(day)
    assert rec.reason.startswith("It is valid until")


def test_a_veteran_mentor_is_due_renewal(programme, mentor_application, mark, alice, induction):
    renewal = module(alice, "renewal", level="veteran", valid_months=24)
    for n in range(3):
        past_mentorship(programme, mark, make_person(f"v{n}@example.org", f"V {n}"))
    rec = next(r for r in advice_for(mark).recommendations if r.kind == "renewal")
    assert rec.modules == [renewal]
    assert rec.reason.startswith("A veteran mentor (3 completed mentorships)")
    assert rec.due_by == timezone.localdate()
    done = timezone.localdate() - datetime.timedelta(days=30)
    Completion.objects.create(
        person=mark, module=renewal, completed_on=done, source="external", minutes=240, evidence="-"
    )
    assert "renewal" not in kinds(mark)


def test_a_mentor_who_enrols_as_a_mentee_is_offered_the_transition(
    programme, mark, meg, alice, induction
):
    to_mentee = module(alice, "to_mentee", audience="mentees", format="online")
    past_mentorship(programme, mark, meg)  # mark has mentored
    programmes.application_submit(
        programme=programme, applicant=mark, role=Role.MENTEE, statement="Now I learn."
    )
    rec = next(r for r in advice_for(mark).recommendations if r.kind == "to_mentee")
    assert rec.modules == [to_mentee]


def test_a_mentee_who_finished_and_would_mentor_is_offered_the_mentor_path(
    programme, mark, meg, alice, induction
):
    to_mentor = module(alice, "to_mentor")
    mentorship = past_mentorship(programme, mark, meg)
    ClosureReflection.objects.create(
        closure=Closure.objects.get(mentorship=mentorship),
        author=meg,
        reflection="-",
        would_mentor="yes",
    )
    rec = next(r for r in advice_for(meg).recommendations if r.kind == "to_mentor")
    assert rec.modules == [to_mentor] and rec.urgency == 40
    assert "as said at the close of the mentorship" in rec.reason


def test_a_nominated_coach_is_told_to_train(cora, alice, programme):
    coach_module = module(alice, "coach", audience="coaches", valid_months=24)
    Coach.objects.create(person=cora, status=Coach.Status.NOMINATED)
    rec = next(r for r in advice_for(cora).recommendations if r.kind == "coach")
    assert rec.modules == [coach_module]
    assert rec.reason == "Required before leading supervision as a mentoring coach"


def test_someone_with_no_part_in_any_programme_is_told_nothing(olive, induction):
    assert advice_for(olive).recommendations == []
