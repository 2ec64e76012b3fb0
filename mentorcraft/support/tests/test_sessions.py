"""Sessions: invitations through the shared calendar builder, the register, the summary for
those who attended, topics brought to a session, and what each person is asked to do next."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import assert_role_matrix
from mentorcraft.core.errors import TransitionError
from mentorcraft.core.extensions import next_steps_for
from mentorcraft.support import services
from mentorcraft.support.models import Attendance, SupervisionSession

from .conftest import started

pytestmark = pytest.mark.django_db


def test_a_circle_session_invites_its_members_and_supervisor_with_a_calendar_file(
    programme, alice, circle, vic
):
    mail.outbox.clear()
    session = services.session_schedule(
        programme=programme,
        kind="group",
        by=alice,
        starts_at=timezone.now() + datetime.timedelta(days=5),
        circle=circle,
        place="https://video.example.org/a",
    )
    members = {m.mentor.email for m in circle.members.all()}
    assert {m.to[0] for m in mail.outbox} == members | {vic.email}
    invitation = mail.outbox[0].attachments[0]
    assert "METHOD:REQUEST" in invitation[1]
    assert f"UID:supervision-{session.uid}@mentorcraft" in invitation[1]
    assert session.leader == vic
    mail.outbox.clear()
    services.session_cancel(session=session, by=alice)
    assert all("METHOD:CANCEL" in m.attachments[0][1] for m in mail.outbox)
    with pytest.raises(TransitionError, match="already cancelled"):
        services.session_cancel(session=session, by=alice)


def test_the_introductory_session_is_for_every_mentor(programme, alice, mentors):
    session = services.session_schedule(
        programme=programme,
        kind="intro",
        by=alice,
        starts_at=timezone.now() + datetime.timedelta(days=5),
    )
    assert {p.pk for p in services.invitees(session)} == {m.pk for m in mentors}
    assert "introductory" in session.title


def test_individual_supervision_needs_a_supervisor(programme, alice, mentors, supervisor):
    when = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError, match="has no supervisor yet"):
        services.session_schedule(
            programme=programme, kind="individual", by=alice, starts_at=when, mentor=mentors[4]
        )
    services.assign(programme=programme, mentor=mentors[4], supervisor=supervisor, by=alice)
    session = services.session_schedule(
        programme=programme, kind="individual", by=alice, starts_at=when, mentor=mentors[4]
    )
    assert session.leader == supervisor.person
    with pytest.raises(ValidationError, match="in the future"):
        services.session_schedule(
            programme=programme,
            kind="individual",
            by=alice,
            starts_at=timezone.now() - datetime.timedelta(hours=1),
            mentor=mentors[4],
        )


def test_the_register_opens_an_hour_before_and_summaries_go_to_those_present(
    client, programme, session, circle, vic, mark
):
    members = [m.mentor for m in circle.members.all()]
    with pytest.raises(TransitionError, match="opens an hour before"):
        services.attendance_record(session=session, by=vic, present=[mark.pk])
    session = started(session)
    with pytest.raises(ValidationError, match="Mark only the mentors invited"):
        services.attendance_record(session=session, by=vic, present=[vic.pk])
    services.attendance_record(session=session, by=vic, present=[members[0].pk, members[1].pk])
    assert Attendance.objects.filter(session=session, present=False).count() == 1
    services.summary_save(session=session, by=vic, text="Handing the lead back.")
    page = reverse("support:session", args=[session.pk])
    client.force_login(members[0])
    assert "Handing the lead back." in client.get(page).content.decode()
    client.force_login(members[2])  # absent
    assert "Handing the lead back." not in client.get(page).content.decode()
    # Only the leader takes the register; a member may read the session.
    url = reverse("support:session_attendance", args=[session.pk])
    assert_role_matrix(client, [("post", url)], read_only=[members[0]], data={"present": []})


def test_a_topic_goes_to_a_session_the_mentor_is_invited_to(
    programme, alice, mentors, session, mark
):
    services.topic_bring(
        programme=programme,
        mentor=mark,
        title="Quiet mentee",
        situation="She has cancelled twice.",
        help_wanted=["options", "experience"],
        session=session,
    )
    outside = mentors[4]
    with pytest.raises(ValidationError, match="a session you are invited to"):
        services.topic_bring(
            programme=programme,
            mentor=outside,
            title="Mine",
            situation="Something.",
            help_wanted=["listen"],
            session=session,
        )
    with pytest.raises(ValidationError, match="at least one kind of help"):
        services.topic_bring(
            programme=programme,
            mentor=mark,
            title="No help",
            situation="Something.",
            help_wanted=["telepathy"],
            session=session,
        )


def test_next_steps_ask_for_a_topic_then_for_the_register(programme, session, circle, vic, mark):
    steps = next_steps_for(mark)
    assert any(s.title.startswith("Bring a topic") for s in steps)
    services.topic_bring(
        programme=programme,
        mentor=mark,
        title="Quiet mentee",
        situation="She has cancelled twice.",
        help_wanted=["options"],
        session=session,
    )
    assert not any(s.title.startswith("Bring a topic") for s in next_steps_for(mark))
    started(session)
    assert any(s.title.startswith("Take the register") for s in next_steps_for(vic))


def test_a_bad_session_form_keeps_what_was_typed(client, programme, alice, circle):
    client.force_login(alice)
    url = reverse("support:session_create", args=[programme.pk])
    response = client.post(
        url, {"kind": "group", "date": "", "time": "18:00", "minutes": 60, "place": "Room 9"}
    )
    assert response.status_code == 400
    assert 'value="Room 9"' in response.content.decode()
    assert not SupervisionSession.objects.exists()


def test_supervisors_schedule_their_own_circles_and_mentors_cannot(
    client, programme, circle, vic, mark, wes, alice
):
    url = reverse("support:session_create", args=[programme.pk])
    client.force_login(vic)
    assert client.get(url).status_code == 200
    assert_role_matrix(client, [("get", url)], read_only=[mark])
    services.supervisor_add(programme=programme, person=wes, kind="external", capacity=3, by=alice)
    client.force_login(wes)
    day = (timezone.localdate() + datetime.timedelta(days=4)).isoformat()
    response = client.post(
        url,
        {
            "kind": "group",
            "circle": circle.pk,
            "date": day,
            "time": "10:00",
            "minutes": 60,
            "place": "x",
        },
    )
    assert response.status_code == 400  # not one of wes's circles
    assert not SupervisionSession.objects.exists()
