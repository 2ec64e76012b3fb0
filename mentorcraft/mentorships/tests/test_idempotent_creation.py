"""Issue 10.5: a double submit, or a second try after a slow page, makes nothing twice.

Writing a goal the pair already has open (the same title, any case) returns that goal;
planning a meeting at the start of one already planned returns it and sends no second
invitation; recording a past meeting twice records it once. The page says so, the API answers
200 with the existing row (201 when it made one), and submits that race queue on the pair."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import run_at_once
from mentorcraft.mentorships.models import Goal, Meeting
from mentorcraft.mentorships.services import (
    goal_create,
    goal_note_add,
    meeting_cancel,
    meeting_record,
    meeting_schedule,
)

API = "/api/v1/mentorships"


def soon(days: int = 7) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)


# --- Goals ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_open_goal_twice_is_one_goal(mentorship, meg):
    first = goal_create(mentorship=mentorship, by=meg, title="Chair a meeting", start_rating=2)
    again = goal_create(mentorship=mentorship, by=meg, title="  chair a MEETING ", start_rating=4)
    assert (first.repeated, again.repeated) == (False, True)
    assert again.pk == first.pk
    assert Goal.objects.count() == 1
    assert first.ratings.get().score == 2  # the repeat changed nothing
    other = goal_create(mentorship=mentorship, by=meg, title="Give feedback well")
    assert not other.repeated and Goal.objects.count() == 2


@pytest.mark.django_db
def test_a_goal_achieved_or_dropped_may_be_written_again(mentorship, meg):
    first = goal_create(mentorship=mentorship, by=meg, title="Run a retro")
    goal_note_add(goal=first, by=meg, text="Done it.", status=Goal.Status.ACHIEVED)
    again = goal_create(mentorship=mentorship, by=meg, title="Run a retro")
    assert not again.repeated and again.pk != first.pk


@pytest.mark.django_db
def test_the_goal_page_submitted_twice_adds_one_goal_and_says_so(client, mentorship, meg):
    client.force_login(meg)
    url = reverse("mentorships:goal_create", args=[mentorship.pk])
    data = {"title": "Lead a budget meeting", "why": "Next quarter.", "start_rating": "2"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "You already have the goal “Lead a budget meeting”" in response.text
    assert Goal.objects.count() == 1


@pytest.mark.django_db
def test_the_goal_api_answers_201_then_200_with_the_same_goal(client, mentorship, meg):
    client.force_login(meg)
    url = f"{API}/{mentorship.pk}/goals"
    made = client.post(url, {"title": "Delegate"}, content_type="application/json")
    again = client.post(url, {"title": "delegate"}, content_type="application/json")
    assert (made.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == made.json()["id"]
    assert Goal.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_goal_submits_at_once_make_one_goal_and_no_error(mentorship, meg):
    outcomes = run_at_once(
        [lambda: goal_create(mentorship=mentorship, by=meg, title="Speak up") for _ in range(10)]
    )
    assert outcomes == [None] * 10
    assert Goal.objects.filter(mentorship=mentorship).count() == 1


# --- Meetings ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_planning_the_same_meeting_twice_sends_one_invitation(mentorship, mark):
    mail.outbox.clear()
    starts = soon()
    first = meeting_schedule(mentorship=mentorship, by=mark, starts_at=starts, agenda="Intro")
    sent = len(mail.outbox)
    assert sent >= 1
    again = meeting_schedule(mentorship=mentorship, by=mark, starts_at=starts, agenda="Intro")
    assert (first.repeated, again.repeated, again.pk) == (False, True, first.pk)
    assert Meeting.objects.count() == 1 and len(mail.outbox) == sent
    later = meeting_schedule(
        mentorship=mentorship, by=mark, starts_at=starts + datetime.timedelta(days=7)
    )
    assert not later.repeated and Meeting.objects.count() == 2


@pytest.mark.django_db
def test_a_cancelled_meeting_may_be_planned_again_at_its_time(mentorship, mark):
    starts = soon()
    first = meeting_schedule(mentorship=mentorship, by=mark, starts_at=starts)
    meeting_cancel(meeting=first, by=mark, reason="Ill")
    again = meeting_schedule(mentorship=mentorship, by=mark, starts_at=starts)
    assert not again.repeated and again.pk != first.pk


@pytest.mark.django_db
def test_the_meeting_page_and_api_submitted_twice_make_one_meeting(client, mentorship, meg):
    client.force_login(meg)
    day = timezone.localdate() + datetime.timedelta(days=12)
    url = reverse("mentorships:meeting_new", args=[mentorship.pk])
    data = {"date": day.isoformat(), "time": "09:30", "duration_minutes": "60"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, follow=True)
    assert "That meeting is planned already" in response.text
    assert Meeting.objects.count() == 1

    starts = soon(20).isoformat()
    made = client.post(
        f"{API}/{mentorship.pk}/meetings", {"starts_at": starts}, content_type="application/json"
    )
    again = client.post(
        f"{API}/{mentorship.pk}/meetings", {"starts_at": starts}, content_type="application/json"
    )
    assert (made.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == made.json()["id"]
    assert Meeting.objects.count() == 2


@pytest.mark.django_db
def test_recording_a_past_meeting_twice_records_it_once(mentorship, meg):
    starts = (timezone.now() - datetime.timedelta(hours=3)).replace(microsecond=0)
    if starts.date() < mentorship.paired_on:
        starts = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=5)
    first = meeting_record(mentorship=mentorship, by=meg, starts_at=starts, minutes_spent=45)
    again = meeting_record(mentorship=mentorship, by=meg, starts_at=starts, minutes_spent=45)
    assert (first.repeated, again.repeated, again.pk) == (False, True, first.pk)
    assert Meeting.objects.filter(status=Meeting.Status.HELD).count() == 1


@pytest.mark.django_db(transaction=True)
def test_five_plans_of_one_meeting_at_once_make_one_meeting_and_no_error(mentorship, mark):
    starts = soon()
    outcomes = run_at_once(
        [
            lambda: meeting_schedule(mentorship=mentorship, by=mark, starts_at=starts)
            for _ in range(5)
        ]
    )
    assert outcomes == [None] * 5
    assert Meeting.objects.filter(mentorship=mentorship).count() == 1
