"""Training reminders through the shared ledger: each sent once."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import Phase
from mentorcraft.training import services
from mentorcraft.training.models import Completion
from mentorcraft.training.reminders import send_reminders

from .conftest import held

pytestmark = pytest.mark.django_db


def sent_to(email: str) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [email]]


def test_a_session_soon_is_reminded_once_and_again_if_it_moves(make_session, mark, alice):
    session = make_session(days=1)
    services.registration_create(session=session, person=mark, by=mark)
    mail.outbox.clear()
    assert send_reminders() == "1 × session soon"
    assert sent_to(mark.email) == ["Soon: Mentor induction"]
    assert send_reminders() == "No training reminders due."
    services.session_update(
        session=session, by=alice, starts_at=session.starts_at + datetime.timedelta(hours=2)
    )
    mail.outbox.clear()
    assert send_reminders() == "1 × session soon"


def test_a_completion_about_to_expire_is_reminded_once(mark, ethics_module, programme):
    day = timezone.localdate() - datetime.timedelta(days=710)
    Completion.objects.create(
        person=mark,
        module=ethics_module,
        completed_on=day,
        expires_on=ethics_module.expiry_for(day),
        source="self",
        minutes=45,
    )
    older = timezone.localdate() - datetime.timedelta(days=1440)
    Completion.objects.create(
        person=mark,
        module=ethics_module,
        completed_on=older,
        expires_on=timezone.localdate() + datetime.timedelta(days=3),  # superseded: no news
        source="self",
        minutes=45,
    )
    assert send_reminders() == "1 × completion expiring"
    assert sent_to(mark.email) == ["Expiring: Ethics and boundaries"]
    assert send_reminders() == "No training reminders due."


def test_people_blocked_before_a_match_run_are_told_once(
    pairing, alice, mark, induction, programme
):
    services.requirement_add(programme=pairing, by=alice, role="mentor", kind="induction")
    programmes.programme_set_phase(programme=pairing, by=alice, phase=Phase.MATCHING)
    mail.outbox.clear()
    assert send_reminders() == "1 × training required"
    (message,) = mail.outbox
    assert message.to == [mark.email] and "- induction" in message.body
    assert send_reminders() == "No training reminders due."


def test_the_facilitator_is_asked_for_the_register_once(make_session, mark, cora):
    session = make_session()
    services.registration_create(session=session, person=mark, by=mark)
    held(session)
    mail.outbox.clear()
    assert send_reminders() == "1 × register to take"
    assert sent_to(cora.email) == ["Take the register: Mentor induction"]
    assert send_reminders() == "No training reminders due."
