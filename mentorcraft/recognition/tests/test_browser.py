"""Recognition in a real browser: a mentee thanks her mentor from their pair's page; the mentor
reads it, opens his certificate of completion and prints it (print media: the site around the
certificate is left off the paper)."""

from __future__ import annotations

import pytest

from conftest import SCREENSHOTS, new_page, sign_in
from mentorcraft.recognition.models import ThankYouNote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WORDS = "Thank you for a year of patient questions. I chair the huddle without notes now."


def shot(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(SCREENSHOTS / f"recognition_{name}.png"), full_page=True)


def test_a_mentee_thanks_her_mentor_who_prints_his_certificate(
    browser, live_server, finished, meg, mark
):
    mentee = new_page(browser)
    sign_in(mentee, live_server, meg)
    mentee.goto(f"{live_server.url}{finished.get_absolute_url()}")
    mentee.click("a:has-text('Thank Mark Mentor')")
    assert mentee.locator("select[name=recipient]").input_value().endswith(f"-{mark.pk}")
    mentee.fill("textarea[name=message]", WORDS)
    shot(mentee, "thank_form")
    mentee.click("button:has-text('Send my thanks')")
    assert "Your thanks is on its way to Mark Mentor" in mentee.inner_text("main")
    mentee.go_back()
    mentee.click("button:has-text('Send my thanks')")  # the same form again: still one note
    assert ThankYouNote.objects.count() == 1

    mentor = new_page(browser)
    sign_in(mentor, live_server, mark)
    assert "Meg Mentee thanked you" in mentor.inner_text("main")
    mentor.click("a:has-text('Your record of mentoring')")
    record = mentor.inner_text("main")
    assert WORDS in record and "Completed" in record
    shot(mentor, "record")
    mentor.goto(f"{live_server.url}{finished.get_absolute_url()}")
    mentor.click("a:has-text('Your certificate')")
    certificate = mentor.inner_text("main")
    assert "Certificate of completion" in certificate and "Mark Mentor" in certificate
    assert "3 meetings held" in certificate
    mentor.emulate_media(media="print")
    assert not mentor.locator("header.site-header").is_visible()
    assert mentor.locator("article.certificate").is_visible()
    assert not mentor.locator("text=What this certificate stands for").is_visible()
    shot(mentor, "certificate_print")
    mentor.pdf(path=str(SCREENSHOTS / "recognition_certificate.pdf"))
