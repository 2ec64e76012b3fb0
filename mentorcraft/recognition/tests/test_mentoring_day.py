"""National Mentoring Day: around 27 October each mentee is asked to thank each mentor they
have had, until they have done so that year. Every date is an argument: no test depends on
today's."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorcraft.core.extensions import roles_anywhere
from mentorcraft.recognition import hooks, selectors, services
from mentorcraft.recognition.models import ThankYouNote

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year + 3  # any year: the dates below are arguments


def day(year: int, month: int, d: int) -> datetime.date:
    return datetime.date(year, month, d)


def prompts(user, today):  # noqa: ANN001, ANN201
    return [s for s in hooks.next_steps(user, today=today) if s.kind == "thanks"]


def thank(meg, mark, programme, on: datetime.date) -> ThankYouNote:  # noqa: ANN001
    note, _ = services.thanks_send(
        sender=meg, recipient=mark, programme=programme, message=f"Thank you ({on})."
    )
    moment = datetime.datetime.combine(
        on, datetime.time(12), tzinfo=timezone.get_current_timezone()
    )
    ThankYouNote.objects.filter(pk=note.pk).update(created_at=moment)
    return note


def test_a_mentee_is_prompted_inside_the_window_only(mentorship, meg, mark):
    (step,) = prompts(meg, day(YEAR, 10, 27))
    assert step.title == "Thank Mark Mentor on National Mentoring Day"
    assert "27 October is National Mentoring Day" in step.detail
    assert step.url.endswith(f"?mentorship={mentorship.pk}")
    assert prompts(meg, day(YEAR, 10, 20)) and prompts(meg, day(YEAR, 11, 3))
    for outside in (day(YEAR, 10, 19), day(YEAR, 11, 4), day(YEAR, 6, 1), day(YEAR, 12, 31)):
        assert prompts(meg, outside) == [], outside


def test_the_prompt_goes_once_thanked_that_year_and_comes_back_the_next(mentorship, meg, mark):
    thank(meg, mark, mentorship.programme, day(YEAR, 10, 22))
    assert prompts(meg, day(YEAR, 10, 27)) == []
    assert prompts(meg, day(YEAR + 1, 10, 27)), "last year's thanks is last year's"


def test_thanks_earlier_in_the_year_count_but_not_the_year_before(mentorship, meg, mark):
    thank(meg, mark, mentorship.programme, day(YEAR, 1, 2))
    assert prompts(meg, day(YEAR, 10, 27)) == []
    ThankYouNote.objects.update(
        created_at=datetime.datetime(YEAR - 1, 12, 31, 12, tzinfo=timezone.get_current_timezone())
    )
    assert prompts(meg, day(YEAR, 10, 27)), "31 December is the year before"


def test_a_past_mentee_is_prompted_too_and_mentors_are_not(finished, meg, mark):
    assert prompts(meg, day(YEAR, 10, 30))
    assert prompts(mark, day(YEAR, 10, 30)) == []


def test_one_prompt_per_mentor_however_many_mentorships(finished, running, alice, meg, mark, cora):
    from mentorcraft.mentorships import services as mentorships

    again = mentorships.mentorship_create(programme=running, mentor=mark, mentee=meg, by=alice)
    assert again.pk != finished.pk
    (step,) = prompts(meg, day(YEAR, 10, 27))
    assert step.url.endswith(f"?mentorship={again.pk}"), "the latest mentorship"


def test_outside_the_window_it_costs_no_query(mentorship, meg):
    roles_anywhere(meg)  # the navigation has read the roles already
    with CaptureQueriesContext(connection) as outside:
        selectors.mentoring_day_prompts(meg, day(YEAR, 7, 1))
    assert len(outside.captured_queries) == 0
    with CaptureQueriesContext(connection) as inside:
        selectors.mentoring_day_prompts(meg, day(YEAR, 10, 27))
    assert len(inside.captured_queries) == 1


def test_the_pair_page_says_when_it_is_national_mentoring_day(client, mentorship, meg, monkeypatch):
    client.force_login(meg)
    monkeypatch.setattr(
        "mentorcraft.recognition.hooks.timezone.localdate", lambda: day(YEAR, 10, 25)
    )
    assert (
        "National Mentoring Day is on 27 October" in client.get(mentorship.get_absolute_url()).text
    )
    monkeypatch.setattr("mentorcraft.recognition.hooks.timezone.localdate", lambda: day(YEAR, 3, 1))
    page = client.get(mentorship.get_absolute_url()).text
    assert "National Mentoring Day" not in page and "Thank Mark Mentor" in page
