from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships import services
from mentorcraft.mentorships.models import Feedback, FeedbackPoint, Mentorship, Pulse
from mentorcraft.mentorships.rhythm import feedback_points_due

pytestmark = pytest.mark.django_db


def test_feedback_points_come_at_month_one_the_mid_point_and_the_close(mentorship):
    start = mentorship.started_on
    points = dict(feedback_points_due(mentorship, start + datetime.timedelta(days=29)))
    assert points == {}
    points = dict(feedback_points_due(mentorship, start + datetime.timedelta(days=30)))
    assert list(points) == [FeedbackPoint.MONTH_ONE]
    points = dict(feedback_points_due(mentorship, mentorship.ends_on))
    assert list(points) == [FeedbackPoint.MONTH_ONE, FeedbackPoint.MIDPOINT, FeedbackPoint.CLOSURE]


def test_each_gives_feedback_once_per_point_and_the_other_is_told(mentorship, mark, meg):
    mail.outbox.clear()
    services.feedback_give(
        mentorship=mentorship, by=meg, point=FeedbackPoint.MONTH_ONE, helped="Listening."
    )
    assert [m.to for m in mail.outbox] == [["mark@example.org"]]
    with pytest.raises(TransitionError, match="already gave"):
        services.feedback_give(
            mentorship=mentorship, by=meg, point=FeedbackPoint.MONTH_ONE, helped="Again."
        )
    services.feedback_give(
        mentorship=mentorship, by=mark, point=FeedbackPoint.MONTH_ONE, helped="Preparation."
    )
    assert Feedback.objects.count() == 2


def test_the_mentor_asks_and_the_mentee_answers(client, mentorship, mark, meg):
    with pytest.raises(TransitionError, match="mentor asks"):
        services.feedback_request_create(mentorship=mentorship, by=meg)
    client.force_login(mark)
    url = reverse("mentorships:feedback", args=[mentorship.pk])
    mail.outbox.clear()
    ask = reverse("mentorships:feedback_request", args=[mentorship.pk])
    response = client.post(ask, {"question": "Do I talk too much?"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["meg@example.org"] and "Do I talk too much?" in mail.outbox[0].body
    assert client.post(ask, {}).status_code == 400  # one open request at a time
    client.force_login(meg)
    page = client.get(url).text
    assert "Do I talk too much?" in page
    response = client.post(url, {"point": "on_request", "helped": "", "change": "Kept change"})
    assert response.status_code == 400 and "Kept change" in response.text
    response = client.post(url, {"point": "on_request", "helped": "Questions.", "change": "Pause."})
    assert response.status_code == 302
    answer = Feedback.objects.get(point="on_request")
    assert answer.request.question == "Do I talk too much?"
    client.force_login(mark)
    assert "Pause." in client.get(url).text


def test_pulses_are_one_to_five_and_once_per_meeting(client, mentorship, meg):
    meeting = services.meeting_record(
        mentorship=mentorship,
        by=meg,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        minutes_spent=30,
    )
    client.force_login(meg)
    url = reverse("mentorships:pulse", args=[mentorship.pk])
    response = client.post(url, {"score": "9", "comment_to_coordinator": "Kept comment"})
    assert response.status_code == 400 and "Kept comment" in response.text
    assert client.post(url, {"score": "4", "meeting": meeting.pk}).status_code == 302
    with pytest.raises(TransitionError, match="already checked in"):
        services.pulse_submit(mentorship=mentorship, by=meg, score=3, meeting=meeting)
    assert Pulse.objects.get().score == 4


def test_nothing_is_written_to_a_closed_mentorship(mentorship, mark, meg):
    services.closure_start(mentorship=mentorship, by=mark, kind="early", reason="Moved.")
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.CLOSED
    with pytest.raises(TransitionError, match="closed"):
        services.pulse_submit(mentorship=mentorship, by=meg, score=3)
    with pytest.raises(TransitionError, match="closed"):
        services.feedback_give(
            mentorship=mentorship, by=meg, point=FeedbackPoint.MIDPOINT, helped="x"
        )
    services.feedback_give(mentorship=mentorship, by=meg, point=FeedbackPoint.CLOSURE, helped="x")


def test_feedback_refused_as_already_given_keeps_the_typed_text(client, mentorship, meg):
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_on=timezone.localdate() - datetime.timedelta(days=40)
    )
    client.force_login(meg)
    url = reverse("mentorships:feedback", args=[mentorship.pk])
    first = {"point": "month_one", "helped": "First tab."}
    assert client.post(url, first).status_code == 302
    response = client.post(url, {"point": "month_one", "helped": "Second tab words."})
    assert response.status_code == 400
    assert "Second tab words." in response.text and "already gave" in response.text
