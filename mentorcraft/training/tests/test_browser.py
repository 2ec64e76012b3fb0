"""Training end to end in a real browser, as the issue's "done when" reads: the coordinator sees
who training blocks from matching and why; a new mentor sees induction as the next step,
registers, and once the register is taken can be matched; a full session queues the next person
and moves them up when someone gives up their place."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import SCREENSHOTS, new_page, sign_in
from mentorcraft.programmes import services as programmes
from mentorcraft.training import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(SCREENSHOTS / f"training_{name}.png"), full_page=True)


def test_a_new_mentor_trains_and_becomes_eligible(
    browser, live_server, pairing, alice, mark, meg, cora, induction
):
    for person in [mark, meg, *pairing.extra_mentees]:
        programmes.ethics_acknowledge(user=person, code=pairing.current_ethics())
    services.requirement_add(
        programme=pairing, by=alice, role="mentor", kind="induction", min_minutes=120
    )
    # The induction starts in half an hour: its register is open already. Late in the evening,
    # half an hour would be tomorrow, and attendance counts from the session's own day: then it
    # starts in two minutes, still today.
    starts_at = timezone.now() + datetime.timedelta(minutes=30)
    if timezone.localdate(starts_at) != timezone.localdate():
        starts_at = timezone.now() + datetime.timedelta(minutes=2)
    session = services.session_create(
        module=induction,
        by=alice,
        starts_at=starts_at,
        facilitator=cora,
        location="https://meet.example.org/induction",
        capacity=8,
    )

    coordinator = new_page(browser)
    sign_in(coordinator, live_server, alice)
    coordinator.click("text=1 person blocked from matching by training")
    blocked = coordinator.inner_text("main")
    assert "Mark Mentor" in blocked and "induction (at least 2 hours)" in blocked
    shot(coordinator, "coordinator_blocked")
    coordinator.goto(f"{live_server.url}{reverse('matching:workspace', args=[pairing.pk])}")
    assert "Has not done the training required: induction" in coordinator.inner_text("main")

    mentor = new_page(browser)
    sign_in(mentor, live_server, mark)
    assert "Induction (at least 2 hours)" in mentor.locator(".steps li").first.inner_text()
    mentor.click("text=Induction (at least 2 hours)")
    mentor.click("button:has-text('Register')")
    assert "You have a place" in mentor.inner_text("main")
    shot(mentor, "mentor_registered")

    facilitator = new_page(browser)
    sign_in(facilitator, live_server, cora)
    facilitator.click("text=Take the register of Mentor induction")
    facilitator.check(f"input[name=person_{mark.pk}][value=attended]")
    facilitator.click("button:has-text('Save the register')")
    assert "Register saved" in facilitator.inner_text("main")
    shot(facilitator, "register_taken")

    mentor.goto(f"{live_server.url}/training/me/")
    record = mentor.inner_text("main")
    assert "Mentor induction" in record and "Attended a session" in record
    assert "You cannot be matched" not in record
    coordinator.goto(f"{live_server.url}{reverse('matching:workspace', args=[pairing.pk])}")
    assert "Has not done the training required" not in coordinator.inner_text("main")
    assert session.registrations.get(person=mark).status == "attended"


def test_a_full_session_queues_and_moves_up(browser, live_server, make_session, mark, meg):
    session = make_session(capacity=1)
    services.registration_create(session=session, person=meg, by=meg)
    url = f"{live_server.url}{session.get_absolute_url()}"

    waiting = new_page(browser)
    sign_in(waiting, live_server, mark)
    waiting.goto(url)
    waiting.click("button:has-text('Join the waitlist')")
    assert "number 1 on the waitlist" in waiting.inner_text("main")
    shot(waiting, "waitlisted")

    leaving = new_page(browser)
    sign_in(leaving, live_server, meg)
    leaving.goto(url)
    mail.outbox.clear()
    leaving.click("summary:has-text('Give up my place')")
    leaving.click("button:has-text('Yes, give up my place')")
    assert "Place given up" in leaving.inner_text("main")

    waiting.reload()
    assert "moved up from the waitlist" in waiting.inner_text("main")
    shot(waiting, "moved_up")
    assert any(m.to == [mark.email] and "A place for you" in m.subject for m in mail.outbox), [
        m.subject for m in mail.outbox
    ]
