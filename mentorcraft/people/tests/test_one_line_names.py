"""A person's name is one line: a line break is refused on the page and in the API (a mail with
such a name in its subject used to fail silently), and mail never fails on one anyway."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from mentorcraft.core.validators import one_line
from mentorcraft.notifications.services import email_queue
from mentorcraft.people.tests.test_views import profile_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", ["Meg\nMentee", "Meg\rMentee", "Meg\tMentee", "Meg\u2028Mentee"])
def test_the_profile_page_refuses_a_name_on_two_lines_and_keeps_what_was_typed(client, meg, bad):
    client.force_login(meg)
    response = client.post(reverse("people:profile_edit"), profile_post(full_name=bad, bio="Kept"))
    assert response.status_code == 200
    assert "one line" in response.text
    assert "Kept" in response.text
    meg.profile.refresh_from_db()
    assert meg.profile.full_name == "Meg Mentee"


@pytest.mark.parametrize("field", ["full_name", "job_title", "pronouns", "location"])
def test_the_api_refuses_a_line_break_in_a_one_line_field(client, meg, field):
    client.force_login(meg)
    response = client.patch(
        "/api/v1/people/me", {field: "two\nlines"}, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert field in str(response.json()["detail"])
    meg.profile.refresh_from_db()
    assert "\n" not in getattr(meg.profile, field)


def test_a_name_with_an_apostrophe_or_accent_is_fine(client, meg):
    client.force_login(meg)
    response = client.patch(
        "/api/v1/people/me", {"full_name": "Siân O'Neill-Ødegård"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "Siân O'Neill-Ødegård"


def test_the_bio_has_the_same_limit_on_the_page_as_in_the_api(client, meg):
    client.force_login(meg)
    too_long = "x" * 5001
    page = client.post(reverse("people:profile_edit"), profile_post(bio=too_long))
    assert page.status_code == 200
    api = client.patch("/api/v1/people/me", {"bio": too_long}, content_type="application/json")
    assert api.status_code == 422
    meg.profile.refresh_from_db()
    assert meg.profile.bio == ""
    assert (
        client.post(reverse("people:profile_edit"), profile_post(bio="x" * 5000)).status_code == 302
    )


def test_a_subject_with_a_line_break_still_sends(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(
            to=["meg@example.org"],
            subject="Meeting with Meg\nMentee",
            template="people/email/invitation.txt",
            context={"invitation": None, "url": "http://x", "inviter": None},
        )
    assert [m.subject for m in mail.outbox] == ["Meeting with Meg Mentee"]


def test_one_line_collapses_control_characters_to_single_spaces():
    assert one_line("a\r\n b\tc\x00d") == "a b c d"
