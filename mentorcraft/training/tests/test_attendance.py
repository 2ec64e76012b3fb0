"""The register: who came gets the completion, who did not gets none."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_person
from mentorcraft.core.errors import TransitionError
from mentorcraft.training import services
from mentorcraft.training.models import Completion, Registration

from .conftest import held

pytestmark = pytest.mark.django_db


def booked(make_session, people, n=3, **kwargs):  # noqa: ANN001, ANN003, ANN201
    session = make_session(capacity=n, **kwargs)
    for person in people[:n]:
        services.registration_create(session=session, person=person, by=person)
    return session


def test_the_register_opens_an_hour_before_and_closes_two_months_after(make_session, people, cora):
    session = booked(make_session, people)
    with pytest.raises(TransitionError, match="opens an hour before"):
        services.attendance_record(session=session, by=cora, attended={people[0].pk}, absent=set())
    held(session, hours_ago=0.5)  # it started half an hour ago
    services.attendance_record(session=session, by=cora, attended={people[0].pk}, absent=set())
    held(session, hours_ago=24 * 62)
    with pytest.raises(TransitionError, match="two months"):
        services.attendance_record(session=session, by=cora, attended={people[1].pk}, absent=set())


def test_who_came_gets_the_completion_with_its_expiry(make_session, people, cora, alice):
    module = services.module_create(
        by=alice,
        title="Refresher",
        description="Yearly.",
        audience="mentors",
        kind="refresher",
        format="community",
        duration_minutes=60,
        valid_months=12,
    )
    session = held(booked(make_session, people, module=module))
    services.attendance_record(
        session=session, by=cora, attended={people[0].pk, people[1].pk}, absent={people[2].pk}
    )
    day = timezone.localdate(session.starts_at)
    completions = Completion.objects.filter(session=session).order_by("person_id")
    assert [c.person for c in completions] == people[:2]
    assert all(c.completed_on == day and c.minutes == 60 for c in completions)
    assert completions[0].expires_on == module.expiry_for(day)
    statuses = dict(session.registrations.values_list("person_id", "status"))
    assert statuses == {
        people[0].pk: "attended",
        people[1].pk: "attended",
        people[2].pk: "absent",
    }
    session.refresh_from_db()
    assert session.attendance_taken_at is not None


def test_a_corrected_register_takes_a_completion_back_and_a_rerun_adds_nothing(
    make_session, people, cora
):
    session = held(booked(make_session, people))
    services.attendance_record(session=session, by=cora, attended={people[0].pk}, absent=set())
    services.attendance_record(session=session, by=cora, attended={people[0].pk}, absent=set())
    assert Completion.objects.filter(person=people[0]).count() == 1
    services.attendance_record(session=session, by=cora, attended=set(), absent={people[0].pk})
    assert not Completion.objects.filter(person=people[0]).exists()
    with pytest.raises(ValidationError, match="not both"):
        services.attendance_record(
            session=session, by=cora, attended={people[1].pk}, absent={people[1].pk}
        )
    with pytest.raises(ValidationError, match="no place"):
        services.attendance_record(session=session, by=cora, attended={people[5].pk}, absent=set())


def test_someone_who_came_without_a_place_is_marked_there(make_session, people, cora):
    session = booked(make_session, people, n=1)
    queued = services.registration_create(session=session, person=people[1], by=people[1])
    assert queued.status == Registration.Status.WAITLISTED
    held(session)
    walk_in = make_person("walkin@example.org", "Walk In")
    services.attendance_record(
        session=session, by=cora, attended=set(), absent=set(), walk_ins=[walk_in, people[1]]
    )
    assert Completion.objects.filter(session=session, person=walk_in).exists()
    assert Completion.objects.filter(session=session, person=people[1]).exists()
    live = session.registrations.exclude(status="cancelled")
    assert dict(live.values_list("person_id", "status")) == {
        people[0].pk: "registered",  # not marked either way: as it was
        people[1].pk: "attended",
        walk_in.pk: "attended",
    }


def test_self_study_is_declared_by_the_person(ethics_module, induction, mark):
    today = timezone.localdate()
    completion = services.completion_self_declare(
        module=ethics_module, person=mark, completed_on=today
    )
    assert completion.source == "self" and completion.expires_on == ethics_module.expiry_for(today)
    with pytest.raises(TransitionError, match="already recorded"):
        services.completion_self_declare(module=ethics_module, person=mark, completed_on=today)
    with pytest.raises(ValidationError, match="future"):
        services.completion_self_declare(
            module=ethics_module, person=mark, completed_on=today + datetime.timedelta(days=1)
        )
    with pytest.raises(TransitionError, match="attending a session"):
        services.completion_self_declare(module=induction, person=mark, completed_on=today)


def test_external_training_needs_evidence_and_can_be_taken_back(induction, mark, alice):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="what shows"):
        services.completion_record_external(
            person=mark, module=induction, completed_on=today, minutes=600, evidence=" ", by=alice
        )
    completion = services.completion_record_external(
        person=mark,
        module=induction,
        completed_on=today,
        minutes=600,
        evidence="EMCC foundation certificate 1234",
        by=alice,
    )
    assert completion.source == "external" and completion.recorded_by == alice
    services.completion_delete(completion=completion, by=alice)
    assert not Completion.objects.filter(person=mark).exists()
