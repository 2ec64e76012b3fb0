"""The community in a real browser, as the issue's "done when" reads for a mentor: go in from
the navigation, post in a thread, open a resource from the library; and a coordinator who
moderates: hides a post with a reason and locks the thread."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import SCREENSHOTS, new_page, sign_in
from mentorcraft.communities import services

from .conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REPLY = "I count to five before I answer; she usually fills the silence herself."


def shot(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(SCREENSHOTS / f"communities_{name}.png"), full_page=True)


def test_a_mentor_posts_and_opens_a_resource_and_a_coordinator_moderates(
    browser, live_server, community, thread, mentors, mark, alice, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    services.resource_add(
        community=community,
        by=alice,
        title="Questions for a first meeting",
        kind="guide",
        upload=SimpleUploadedFile("first-meeting.pdf", PDF, content_type="application/pdf"),
    )
    mentor = new_page(browser)
    sign_in(mentor, live_server, mentors[1])
    mentor.click("nav >> text=Communities")
    mentor.click("text=Go in")
    mentor.click(f"text={thread.title}")
    mentor.fill("textarea[name=body]", REPLY)
    mentor.click("button:has-text('Post the reply')")
    assert "Your reply is posted" in mentor.inner_text("main")
    assert REPLY in mentor.inner_text("main") and "you follow this thread" in mentor.inner_text(
        "main"
    )
    shot(mentor, "thread")

    mentor.click("text=Mentors' community of practice")
    mentor.click("nav.subnav >> text=Resource library")
    with mentor.expect_download() as caught:
        mentor.click("a.button:has-text('Download')")
    download = caught.value
    assert download.suggested_filename == "first-meeting.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF
    shot(mentor, "library")

    coordinator = new_page(browser)
    sign_in(coordinator, live_server, alice)
    coordinator.goto(f"{live_server.url}{thread.get_absolute_url()}")
    post = coordinator.locator("article.post", has_text=REPLY)
    post.locator("summary:has-text('Hide')").click()
    post.locator("input[name=reason]").fill("Please keep it kind: no quoting your mentee.")
    post.locator("button:has-text('Hide this post')").click()
    assert "its author sees your reason" in coordinator.inner_text("main")
    coordinator.click("button:has-text('Lock the thread')")
    assert "it takes no new replies" in coordinator.inner_text("main")
    shot(coordinator, "moderated")

    mark_page = new_page(browser)
    sign_in(mark_page, live_server, mark)
    mark_page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    text = mark_page.inner_text("main")
    assert REPLY not in text and "This post was hidden by a moderator." in text
    assert "Locked by Alice Coordinator" in text and "Post the reply" not in text
    mentor.goto(f"{live_server.url}{thread.get_absolute_url()}")
    text = mentor.inner_text("main")
    assert REPLY in text and "no quoting your mentee" in text  # its author still reads it
