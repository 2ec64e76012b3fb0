"""The mentorship end to end in a real browser, as the issue's "done when" reads: the mentor and
the mentee agree, set a goal, plan and log meetings, keep private notes, give each other
feedback and close; the coordinator sees the board and checks in with the pair."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from conftest import SCREENSHOTS, new_page, sign_in
from mentorcraft.mentorships.models import (
    ClosureReflection,
    Feedback,
    Meeting,
    Mentorship,
    PrivateNote,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(SCREENSHOTS / f"pair_{name}.png"), full_page=True)


def test_a_pair_works_together_and_closes_and_the_coordinator_checks_in(
    browser, live_server, mentorship, mark, meg, alice
):
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_on=timezone.localdate() - datetime.timedelta(days=40)
    )
    url = f"{live_server.url}{mentorship.get_absolute_url()}"

    # Meg proposes the agreement from the template, writes a goal, plans a meeting and keeps a
    # private note.
    meg_page = new_page(browser)
    sign_in(meg_page, live_server, meg)
    meg_page.click("text=Agree your working agreement with Mark Mentor")
    meg_page.click("button:has-text('Propose and sign')")
    assert "Version 1 saved and signed by you" in meg_page.inner_text("main")
    meg_page.click("text=Add a goal")
    meg_page.fill("input[name=title]", "Chair the ward huddle")
    meg_page.fill("textarea[name=measure]", "Three huddles, and the team says they helped.")
    meg_page.check("input[name=start_rating][value='2']")
    meg_page.click("button:has-text('Add the goal')")
    meg_page.click("text=Plan a meeting")
    day = timezone.localdate() + datetime.timedelta(days=7)
    meg_page.fill("input[name=date]", day.isoformat())
    meg_page.fill("input[name=time]", "10:00")
    meg_page.fill("input[name=location]", "https://meet.example.org/mm")
    meg_page.fill("textarea[name=agenda]", "The huddle plan.")
    meg_page.click("button:has-text('Plan it and send the invitations')")
    assert "Meeting planned" in meg_page.inner_text("main")
    meg_page.click("button:has-text('Keep this note')")  # empty: refused in place
    meg_page.wait_for_selector("#private-notes .error:has-text('Write the note.')")
    meg_page.fill("#private-note-text", "Ask about the budget overspend story.")
    meg_page.click("button:has-text('Keep this note')")
    meg_page.wait_for_selector("text=Ask about the budget overspend story.")
    shot(meg_page, "mentee")

    # Mark signs, records the meeting they had yesterday, checks in, gives feedback and asks
    # for some. He never sees Meg's private note.
    mark_page = new_page(browser)
    sign_in(mark_page, live_server, mark)
    mark_page.goto(url)
    assert "Ask about the budget overspend story." not in mark_page.content()
    mark_page.click("button:has-text('Sign version 1')")
    assert "In force" in mark_page.inner_text("main")
    mark_page.click("text=Record a past meeting")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    mark_page.fill("input[name=date]", yesterday.isoformat())
    mark_page.fill("input[name=time]", "16:00")
    mark_page.fill("input[name=minutes_spent]", "55")
    mark_page.fill("textarea[name=shared_notes]", "Planned the first huddle together.")
    mark_page.click("button:has-text('Record it')")
    assert "Planned the first huddle together." in mark_page.inner_text("main")
    mark_page.check("#pulse input[name=score][value='4']")
    mark_page.click("#pulse button:has-text('Send')")
    assert "Thank you for checking in." in mark_page.inner_text("main")
    mark_page.click("text=Give Meg Mentee feedback (after the first month)")
    mark_page.fill("#helped-month_one", "You come prepared with one clear question.")
    mark_page.click("button:has-text('Send to Meg Mentee')")
    mark_page.fill("input[name=question]", "Do I give you enough room to think?")
    mark_page.click("button:has-text('Ask')")
    assert "Request sent." in mark_page.inner_text("main")
    shot(mark_page, "mentor_feedback")

    # The coordinator sees the pair on the board and checks in with them.
    alice_page = new_page(browser)
    sign_in(alice_page, live_server, alice)
    alice_page.goto(f"{live_server.url}/programmes/{mentorship.programme_id}/relationships/")
    assert "Meg Mentee" in alice_page.inner_text("main")
    alice_page.click("button:has-text('Check in')")
    assert "it is on the pair's timeline" in alice_page.inner_text("main")
    shot(alice_page, "board")

    # Meg answers the request, then closes early and writes her reflection.
    meg_page.goto(url)
    meg_page.click("text=Mark Mentor asked for your feedback")
    meg_page.fill("#helped-on_request", "Yes: the silences help me think.")
    meg_page.click("button:has-text('Send your answer')")
    meg_page.goto(url)
    assert "checked in with the pair" in meg_page.inner_text("main")
    meg_page.click("text=Closing")
    meg_page.check("input[name=kind][value=early]")
    meg_page.fill("textarea[name=reason]", "I move to another trust next month.")
    meg_page.check("input[name=confirm]")
    meg_page.click("button:has-text('Close the mentorship')")
    meg_page.fill("textarea[name=reflection]", "I learned to prepare and to ask.")
    goal = mentorship.goals.get()
    meg_page.check(f"input[name=rating-{goal.pk}][value='4']")
    meg_page.check("input[name=would_mentor][value=later]")
    meg_page.check("input[name=wants_rematch]")
    meg_page.click("button:has-text('Save my reflection')")
    assert "Your reflection is saved" in meg_page.inner_text("main")
    shot(meg_page, "closed")

    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.CLOSED
    assert Meeting.objects.get(status=Meeting.Status.CANCELLED)  # the planned one
    assert Meeting.objects.get(status=Meeting.Status.HELD).minutes_spent == 55
    assert PrivateNote.objects.get().author == meg
    assert Feedback.objects.filter(point="on_request", author=meg).exists()
    assert ClosureReflection.objects.get().wants_rematch
    assert mentorship.timeline.filter(kind="nudge").exists()
