"""Peer partnerships in a real browser, as the issue's "done when" reads: a mentor asks for a
peer partner saying what help they want; the coordinator proposes peer pairs, reads the
reasons and publishes them; the partner reads what the other wants on their shared page."""

from __future__ import annotations

import pytest

from conftest import SCREENSHOTS, new_page, sign_in
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.support import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(SCREENSHOTS / f"peers_{name}.png"), full_page=True)


def test_asking_proposing_publishing_and_the_partners_page(
    browser, live_server, programme, mentors, alice
):
    asker, other = mentors[1], mentors[2]
    services.peer_request_create(programme=programme, mentor=other, help_wanted=["listen"])

    mentor = new_page(browser)
    sign_in(mentor, live_server, asker)
    mentor.goto(f"{live_server.url}/supervision/")
    mentor.click("#peer a:has-text('Ask for a peer partner')")
    mentor.check("text=Another mentor's experience of something similar")
    mentor.fill("textarea[name=about]", "A mentee who wants me to decide for her.")
    mentor.click("button:has-text('Ask for a peer partner')")
    assert "You asked on" in mentor.inner_text("#peer")
    shot(mentor, "asked")

    coordinator = new_page(browser)
    sign_in(coordinator, live_server, alice)
    coordinator.click("text=2 mentors ask for a peer partner")
    assert "A mentee who wants me to decide for her." in coordinator.inner_text("main")
    coordinator.click("button:has-text('Propose peer pairs')")
    proposal = coordinator.inner_text("main")
    assert "Not in each other's management line" in proposal
    shot(coordinator, "proposal")
    coordinator.click("button:has-text('Publish 1 pair')")
    assert "1 peer partnership started" in coordinator.inner_text("main")
    partnership = Mentorship.peers.get()

    mentor.goto(f"{live_server.url}{partnership.get_absolute_url()}")
    page = mentor.inner_text("main")
    assert "Peer partnership with" in page
    assert "Someone to listen without interrupting" in page
    shot(mentor, "partnership")
