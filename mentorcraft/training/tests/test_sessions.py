"""Places on a session, its waitlist, and the invitations that go with them."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentorcraft.core.errors import TransitionError
from mentorcraft.notifications.models import ReminderSent
from mentorcraft.training import services
from mentorcraft.training.models import Registration

from .conftest import held

pytestmark = pytest.mark.django_db


def register(session, person):  # noqa: ANN001, ANN201
    return services.registration_create(session=session, person=person, by=person)


def test_a_place_comes_with_a_calendar_invitation_for_that_person_only(make_session, people):
    session = make_session(capacity=3)
    mail.outbox.clear()
    registration = register(session, people[0])
    assert registration.status == Registration.Status.REGISTERED
    (message,) = mail.outbox
    assert message.to == [people[0].email]
    assert "You have a place" in message.body
    name, ics, mimetype = message.attachments[0]
    assert mimetype == "text/calendar; method=REQUEST"
    assert f"UID:{session.uid}@mentorcraft" in ics
    assert people[0].email in ics and people[1].email not in ics


def test_a_full_session_queues_people_in_order(make_session, people):
    session = make_session(capacity=2)
    for person in people[:2]:
        register(session, person)
    mail.outbox.clear()
    third, fourth = register(session, people[2]), register(session, people[3])
    assert third.status == fourth.status == Registration.Status.WAITLISTED
    assert services.waitlist_position(third) == 1
    assert services.waitlist_position(fourth) == 2
    assert "number 1" in mail.outbox[0].body and not mail.outbox[0].attachments
    with pytest.raises(TransitionError, match="already on the waitlist"):
        register(session, people[2])


def test_a_freed_place_goes_to_the_first_in_the_queue_who_is_told_once(make_session, people):
    session = make_session(capacity=2)
    first, _ = register(session, people[0]), register(session, people[1])
    waiting = [register(session, people[2]), register(session, people[3])]
    mail.outbox.clear()
    moved = services.registration_cancel(registration=first, by=people[0])
    assert [r.person for r in moved] == [people[2]]
    waiting[0].refresh_from_db()
    assert waiting[0].status == Registration.Status.REGISTERED and waiting[0].moved_up_at
    told = [m for m in mail.outbox if m.to == [people[2].email]]
    assert len(told) == 1 and "A place for you" in told[0].subject
    assert "method=REQUEST" in told[0].attachments[0][2]
    cancelled = [m for m in mail.outbox if m.to == [people[0].email]]
    assert "METHOD:CANCEL" in cancelled[0].attachments[0][1]
    assert ReminderSent.objects.filter(key=f"training-moved-up:{waiting[0].pk}").exists()
    assert session.registrations.filter(status="registered").count() == 2
    # Leaving the waitlist frees no place: nobody moves.
    assert services.registration_cancel(registration=waiting[1], by=people[3]) == []


def test_registration_closes_when_the_session_starts(make_session, people):
    session = make_session()
    registration = register(session, people[0])
    held(session, hours_ago=0.1)
    with pytest.raises(TransitionError, match="registration is closed"):
        register(session, people[1])
    with pytest.raises(TransitionError, match="has started"):
        services.registration_cancel(registration=registration, by=people[0])


def test_capacity_never_drops_below_the_places_taken_and_more_places_fill_the_queue(
    make_session, people, alice
):
    session = make_session(capacity=2)
    for person in people[:4]:
        register(session, person)
    with pytest.raises(ValidationError, match="2 people have places"):
        services.session_update(session=session, by=alice, capacity=1)
    services.session_update(session=session, by=alice, capacity=3)
    statuses = list(session.registrations.order_by("pk").values_list("status", flat=True))
    assert statuses == ["registered", "registered", "registered", "waitlisted"]


def test_moving_a_session_updates_everyone_with_a_place(make_session, people, alice):
    session = make_session(capacity=1)
    register(session, people[0])
    register(session, people[1])  # waitlisted: no calendar entry to update
    mail.outbox.clear()
    later = session.starts_at + datetime.timedelta(days=1)
    services.session_update(session=session, by=alice, starts_at=later)
    session.refresh_from_db()
    assert session.sequence == 1
    (message,) = mail.outbox
    assert message.to == [people[0].email] and "SEQUENCE:1" in message.attachments[0][1]
    mail.outbox.clear()
    services.session_update(session=session, by=alice, capacity=1)  # no move: nobody told
    assert mail.outbox == []


def test_cancelling_a_session_tells_everyone(make_session, people, alice):
    session = make_session(capacity=1)
    register(session, people[0])
    register(session, people[1])
    mail.outbox.clear()
    services.session_cancel(session=session, by=alice)
    by_person = {m.to[0]: m for m in mail.outbox}
    assert "METHOD:CANCEL" in by_person[people[0].email].attachments[0][1]
    assert not by_person[people[1].email].attachments  # they had no place
    with pytest.raises(TransitionError, match="cancelled"):
        register(session, people[2])


def test_self_study_modules_have_no_sessions_and_retired_modules_take_none(
    ethics_module, induction, alice
):
    starts = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(TransitionError, match="Self-study"):
        services.session_create(
            module=ethics_module, by=alice, starts_at=starts, location="-", capacity=5
        )
    services.module_set_active(module=induction, by=alice, active=False)
    with pytest.raises(TransitionError, match="retired"):
        services.session_create(
            module=induction, by=alice, starts_at=starts, location="Room", capacity=5
        )


def test_module_rules(alice, programme):
    with pytest.raises(ValidationError) as error:
        services.module_create(
            by=alice,
            title="Reading",
            description="Read.",
            audience="everyone",
            kind="skills",
            format="self_study",
            duration_minutes=30,
        )
    assert "link" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.module_create(
            by=alice,
            title="Talk",
            description="Talk.",
            audience="everyone",
            kind="skills",
            format="workshop",
            duration_minutes=30,
            self_declared=True,
        )
    assert "self_declared" in error.value.message_dict


def test_places_marked_on_the_register_still_count(make_session, people, cora):
    session = make_session(capacity=2, days=1 / 48)  # starts in half an hour: register open
    for person in people[:2]:
        register(session, person)
    services.attendance_record(
        session=session, by=cora, attended={people[0].pk}, absent={people[1].pk}
    )
    late = register(session, people[2])
    assert late.status == Registration.Status.WAITLISTED  # the marked still hold the places
    with pytest.raises(TransitionError, match="on this session's register already"):
        register(session, people[0])
