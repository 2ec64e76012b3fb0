"""Events: answers within the places and a waitlist that moves up, calendar files that keep
their UID and raise their SEQUENCE, a cancellation that reaches those going, the register,
and a mini-training whose register records the training through the training app."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mentorcraft.communities import services
from mentorcraft.communities.models import Event, Rsvp
from mentorcraft.people.models import Profile
from mentorcraft.training.models import Completion, Module, Registration

from .conftest import soon, started

pytestmark = pytest.mark.django_db
API = "/api/v1/communities"


def ics_of(message) -> str:  # noqa: ANN001
    return next(a[1] for a in message.attachments if a[0].endswith(".ics"))


def field(ics: str, name: str) -> str:
    return next(line.split(":", 1)[1] for line in ics.splitlines() if line.startswith(name))


def test_a_full_event_says_so_and_its_waitlist_moves_up(client, event, mentors, mark):
    for person in mentors[:3]:
        assert services.rsvp_answer(event=event, person=person, going=True).answer == "going"
    client.force_login(mentors[3])
    page = client.get(event.get_absolute_url()).content.decode()
    assert "This event is full: all 3 places are taken" in page and "Join the waitlist" in page
    response = client.post(
        reverse("communities:event_rsvp", args=[event.pk]), {"going": "1"}, follow=True
    )
    assert "This event is full: all 3 places are taken. You are number 1 on the waitlist" in (
        response.content.decode()
    )
    api = client.post(
        f"{API}/events/{event.pk}/rsvp", {"going": True}, content_type="application/json"
    )
    assert api.json()["answer"] == "waitlisted" and api.json()["waitlist_position"] == 1
    mail.outbox.clear()
    services.rsvp_answer(event=event, person=mark, going=False)
    assert Rsvp.objects.get(event=event, person=mentors[3]).answer == "going"
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[mentors[3].email] == f"A place for you: {event.title}"
    assert "METHOD:CANCEL" in ics_of(next(m for m in mail.outbox if m.to == [mark.email]))
    assert event.rsvps.filter(answer="going").count() == 3


def test_calendar_files_keep_their_uid_and_raise_their_sequence(client, event, mentors, alice):
    client.force_login(mentors[0])
    first = client.get(reverse("communities:event_ics", args=[event.pk])).content.decode()
    assert "METHOD:PUBLISH" in first and field(first, "SEQUENCE") == "0"
    uid = field(first, "UID")
    mail.outbox.clear()
    services.rsvp_answer(event=event, person=mentors[0], going=True)
    invitation = ics_of(mail.outbox[-1])
    assert "METHOD:REQUEST" in invitation and field(invitation, "UID") == uid
    mail.outbox.clear()
    services.event_update(event=event, by=alice, starts_at=soon(4), place="Room 9")
    changed = [m for m in mail.outbox if m.to == [mentors[0].email]][0]
    assert changed.subject == f"Changed: {event.title}" and "Room 9" in changed.body
    assert field(ics_of(changed), "SEQUENCE") == "1" and field(ics_of(changed), "UID") == uid
    mail.outbox.clear()
    services.event_cancel(event=event, by=alice)
    cancelled = [m for m in mail.outbox if m.to == [mentors[0].email]][0]
    ics = ics_of(cancelled)
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics
    assert field(ics, "SEQUENCE") == "2" and field(ics, "UID") == uid
    assert cancelled.subject == f"Cancelled: {event.title}"
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Cancelled" in page and "I am going" not in page


def test_cancelling_tells_those_going_and_the_waitlist(event, mentors, alice):
    for person in mentors[:4]:
        services.rsvp_answer(event=event, person=person, going=True)
    services.rsvp_answer(event=event, person=mentors[4], going=False)
    mail.outbox.clear()
    services.event_cancel(event=event, by=alice)
    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {p.email for p in mentors[:4]} | {alice.email}
    assert told[mentors[3].email].attachments == []  # on the waitlist: no calendar entry to drop
    assert "You were on its waitlist" in told[mentors[3].email].body
    with pytest.raises(Exception, match="already cancelled"):
        services.event_cancel(event=event, by=alice)


def test_the_start_is_read_and_shown_in_the_persons_zone(client, community, alice, mark):
    Profile.objects.filter(user=alice).update(time_zone="America/New_York")
    alice.refresh_from_db()
    client.force_login(alice)
    day = (timezone.now() + datetime.timedelta(days=10)).date()
    response = client.post(
        reverse("communities:event_create", args=[community.pk]),
        {
            "kind": "meeting",
            "title": "Evening call",
            "date": day.isoformat(),
            "time": "18:00",
            "minutes": "60",
        },
    )
    assert response.status_code == 302, response.content.decode()
    event = Event.objects.get(title="Evening call")
    local = event.starts_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert (local.date(), local.hour) == (day, 18)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "18:00 (America/New York)" in page


def test_capacity_cannot_go_below_those_going_and_rising_moves_the_waitlist(event, mentors, alice):
    for person in mentors[:5]:
        services.rsvp_answer(event=event, person=person, going=True)
    with pytest.raises(Exception, match="3 people are going"):
        services.event_update(event=event, by=alice, capacity=2)
    services.event_update(event=event, by=alice, capacity=4)
    assert event.rsvps.filter(answer="going").count() == 4
    services.event_update(event=event, by=alice, capacity=None)
    assert event.rsvps.filter(answer="going").count() == 5


def test_the_register_is_taken_by_the_facilitator_or_a_coordinator(client, event, mentors, alice):
    for person in mentors[:3]:
        services.rsvp_answer(event=event, person=person, going=True)
    url = reverse("communities:event_attendance", args=[event.pk])
    client.force_login(alice)
    early = client.post(url, {"present": [str(mentors[0].pk)]})
    assert early.status_code == 400 and "opens an hour before" in early.content.decode()
    assert not event.attendance.exists()
    started(event)
    response = client.post(
        url, {"present": [str(mentors[0].pk), str(mentors[1].pk)], "others": [mentors[4].pk]}
    )
    assert response.status_code == 302
    marks = dict(event.attendance.values_list("person_id", "present"))
    assert marks == {
        mentors[0].pk: True,
        mentors[1].pk: True,
        mentors[2].pk: False,
        mentors[4].pk: True,
    }
    empty = client.post(url, {})
    assert empty.status_code == 400 and "Tick who came" in empty.content.decode()


def test_a_mini_training_records_the_training_through_the_training_app(
    client, community, mentors, alice
):
    module = Module.objects.create(
        title="Asking better questions",
        description="A short practice session.",
        audience="mentors",
        kind="skills",
        format="community",
        duration_minutes=45,
    )
    event = services.event_schedule(
        community=community,
        by=alice,
        kind=Event.Kind.TRAINING,
        title="Mini-training: better questions",
        starts_at=soon(),
        minutes=45,
        module=module,
    )
    for person in mentors[:3]:
        services.rsvp_answer(event=event, person=person, going=True)
    started(event, minutes=60)
    services.attendance_record(
        event=event, by=alice, present=[mentors[0].pk, mentors[1].pk, mentors[3].pk]
    )
    event.refresh_from_db()
    session = event.training_session
    assert session is not None and session.module == module
    done = Completion.objects.filter(module=module, source=Completion.Source.ATTENDANCE)
    assert set(done.values_list("person_id", flat=True)) == {
        mentors[0].pk,
        mentors[1].pk,
        mentors[3].pk,
    }
    assert all(c.minutes == 45 and c.session == session for c in done)
    # A correction on the register corrects the training record, through training's register.
    services.attendance_record(event=event, by=alice, present=[mentors[0].pk, mentors[2].pk])
    assert set(done.values_list("person_id", flat=True)) == {mentors[0].pk, mentors[2].pk}
    assert Registration.objects.get(session=session, person=mentors[1]).status == "absent"
    with pytest.raises(Exception, match="Only a mini-training"):
        services.event_schedule(
            community=community,
            by=alice,
            kind=Event.Kind.MEETING,
            title="Not training",
            starts_at=soon(),
            module=module,
        )
    self_study = Module.objects.create(
        title="Reading list",
        description="Read.",
        audience="mentors",
        kind="skills",
        format="self_study",
        duration_minutes=30,
        link="https://example.org/read",
    )
    with pytest.raises(Exception, match="taught in sessions"):
        services.event_schedule(
            community=community,
            by=alice,
            kind=Event.Kind.TRAINING,
            title="Self-study",
            starts_at=soon(),
            module=self_study,
        )


def test_the_api_schedules_answers_and_refuses_clearly(client, community, mentors, alice, mark):
    client.force_login(alice)
    naive = client.post(
        f"{API}/{community.pk}/events",
        {"title": "Naive", "starts_at": "2030-01-01T10:00:00"},
        content_type="application/json",
    )
    assert naive.status_code == 400 and "time zone" in str(naive.json()["detail"])
    past = client.post(
        f"{API}/{community.pk}/events",
        {"title": "Past", "starts_at": (timezone.now() - datetime.timedelta(days=1)).isoformat()},
        content_type="application/json",
    )
    assert past.status_code == 400 and "in the future" in str(past.json()["detail"])
    made = client.post(
        f"{API}/{community.pk}/events",
        {
            "kind": "roundtable",
            "title": "Roundtable",
            "starts_at": soon(2).isoformat(),
            "capacity": 1,
            "facilitator_id": mark.pk,
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    event = made.json()
    assert event["facilitator"]["id"] == mark.pk and event["going"] == 0
    client.force_login(mentors[1])
    answer = client.post(
        f"{API}/events/{event['id']}/rsvp", {"going": True}, content_type="application/json"
    )
    assert answer.json()["answer"] == "going"
    listed = client.get(f"{API}/{community.pk}/events").json()["items"]
    assert listed[0]["full"] and listed[0]["my_answer"] == "going"
    assert client.get(f"{API}/{community.pk}/events?when=someday").status_code == 400
    client.force_login(mark)  # the facilitator changes it
    changed = client.patch(
        f"{API}/events/{event['id']}", {"no_limit": True}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["capacity"] is None
    taken = client.post(f"{API}/events/{event['id']}/figures", content_type="application/json")
    assert taken.status_code == 201 and taken.json()["cohort_size"] == 5
