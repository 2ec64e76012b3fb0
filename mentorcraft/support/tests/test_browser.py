"""Supervision end to end in a real browser, as the issue's "done when" reads: a coordinator
forms circles from the engine's proposal and publishes them; a mentor brings a topic and says
what help they want; the supervisor takes the register, tags the topic and keeps notes nobody
else reads; a concern reaches the coordinators and nobody else; the caseload shows who needs
attention."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import SCREENSHOTS, new_page, sign_in
from mentorcraft.support import services
from mentorcraft.support.models import Circle, SupervisionSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOTE = "Mark is carrying a lot; ask about his workload first next time."


def shot(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(SCREENSHOTS / f"supervision_{name}.png"), full_page=True)


def test_supervision_from_circles_to_concerns(
    browser, live_server, programme, mentorship, mentors, supervisor, alice, mark, meg, vic
):
    coordinator = new_page(browser)
    sign_in(coordinator, live_server, alice)
    coordinator.goto(f"{live_server.url}{programme.get_absolute_url()}")
    coordinator.click("a.button:has-text('Supervision')")
    assert "5 without a supervisor" in coordinator.inner_text("main")
    coordinator.click("button:has-text('Propose circles')")
    proposal = coordinator.inner_text("main")
    assert "Proposed circles" in proposal and "Every rule holds" in proposal
    assert "Mixes experience" in proposal or "All 5 new" in proposal
    shot(coordinator, "proposal")
    coordinator.click("button:has-text('Publish these circles')")
    assert "1 circle published" in coordinator.inner_text("main")
    circle = Circle.objects.get(status=Circle.Status.ACTIVE)
    session = services.session_schedule(
        programme=programme,
        kind="group",
        by=alice,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        circle=circle,
        place="Room 4",
    )

    mentor = new_page(browser)
    sign_in(mentor, live_server, mark)
    mentor.click(f"text=Bring a topic to {circle.name}: circle session")
    mentor.fill("input[name=title]", "My mentee has gone quiet")
    mentor.fill("textarea[name=situation]", "Two cancelled meetings and short replies.")
    mentor.check("text=Someone to listen without interrupting")
    mentor.check("text=Options for a challenging situation")
    mentor.click("button:has-text('Bring it')")
    assert "Only the two of you read what you wrote" in mentor.inner_text("main")
    shot(mentor, "topic_brought")

    SupervisionSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    coach = new_page(browser)
    sign_in(coach, live_server, vic)
    coach.goto(f"{live_server.url}{session.get_absolute_url()}")
    coach.get_by_label(mark.display_name, exact=True).check()
    coach.click("button:has-text('Save the register')")
    assert "The register is saved" in coach.inner_text("main")
    coach.click("text=My mentee has gone quiet")
    coach.check("text=Restorative: encouragement and strain")
    coach.check("text=The mentor is under strain: follow up")
    coach.click("button:has-text('Save')")
    coach.fill("textarea[name=note-text]", NOTE)
    coach.click("button:has-text('Save my notes')")
    assert "Only you can read them" in coach.inner_text("main")
    shot(coach, "session")
    coach.goto(f"{live_server.url}/supervision/caseload/")
    first_row = coach.locator("tbody tr").first.inner_text()
    assert mark.display_name in first_row and "under strain" in first_row
    shot(coach, "caseload")

    coordinator.goto(f"{live_server.url}{session.get_absolute_url()}")
    assert NOTE not in coordinator.content()

    mentor.goto(f"{live_server.url}{mentorship.get_absolute_url()}")
    mentor.click("a:has-text('Raise a concern')")
    mentor.get_by_label("Safeguarding", exact=True).check()
    mentor.fill("textarea[name=description]", "My mentee mentioned being shouted at on shift.")
    mentor.click("button:has-text('Send to the coordinators')")
    assert "with the programme's coordinators, and nobody else" in mentor.inner_text("main")

    coordinator.goto(f"{live_server.url}/")
    coordinator.click("text=Acknowledge a safeguarding concern")
    assert "shouted at on shift" in coordinator.inner_text("main")
    shot(coordinator, "concern")

    mentee = new_page(browser)
    sign_in(mentee, live_server, meg)
    for url in ("/", mentorship.get_absolute_url(), "/supervision/"):
        mentee.goto(f"{live_server.url}{url}")
        assert "shouted at on shift" not in mentee.content()
        assert "Your safeguarding concern" not in mentee.content()
