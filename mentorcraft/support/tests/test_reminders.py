"""Supervision reminders: each sent once, by the periodic job."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from mentorcraft.support import reminders, services
from mentorcraft.support.models import Concern, SupervisionSession

from .conftest import started

pytestmark = pytest.mark.django_db


def test_a_session_soon_is_reminded_once_with_a_word_on_topics(
    programme, session, circle, mark, vic
):
    SupervisionSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() + datetime.timedelta(hours=20)
    )
    services.topic_bring(
        programme=programme,
        mentor=mark,
        title="Quiet",
        situation="Cancelled twice.",
        help_wanted=["listen"],
        session=session,
    )
    mail.outbox.clear()
    assert "3 × session soon" in reminders.send_reminders()
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Your topic is with Vic Supervisor" in bodies[mark.email]
    others = [m for m in (s.mentor for s in circle.members.all()) if m != mark]
    assert all("Bring it as a topic" in bodies[m.email] for m in others)
    mail.outbox.clear()
    assert reminders.send_reminders() == "No supervision reminders due."
    assert mail.outbox == []


def test_the_leader_is_reminded_of_the_register_and_coordinators_of_a_waiting_concern(
    programme, session, vic, alice, mark, mentorship
):
    held = started(session, minutes=120)
    concern = services.concern_raise(
        mentorship=mentorship, by=mark, kind="ethics", description="Worried."
    )
    Concern.objects.filter(pk=concern.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=30)
    )
    mail.outbox.clear()
    outcome = reminders.send_reminders()
    assert "1 × register to take" in outcome and "1 × concern waiting" in outcome
    assert {m.to[0] for m in mail.outbox} == {vic.email, alice.email}
    services.attendance_record(session=held, by=vic, present=[mark.pk])
    assert reminders.send_reminders() == "No supervision reminders due."
