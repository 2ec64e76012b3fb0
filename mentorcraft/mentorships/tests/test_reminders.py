from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from conftest import run_at_once
from mentorcraft.mentorships import services
from mentorcraft.mentorships.models import (
    FeedbackPoint,
    HealthSettings,
    Meeting,
    Mentorship,
    TimelineEntry,
)
from mentorcraft.mentorships.reminders import send_reminders
from mentorcraft.notifications.models import ReminderSent

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def started(mentorship: Mentorship, days_ago: int, *, length: int = 365) -> Mentorship:
    """Move the mentorship's dates back, as if it had begun ``days_ago`` days ago."""
    today = timezone.localdate()
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_on=today - days_ago * DAY, ends_on=today + (length - days_ago) * DAY
    )
    mentorship.refresh_from_db()
    mail.outbox.clear()
    return mentorship


def sent_to(subject_part: str) -> list[str]:
    return sorted(m.to[0] for m in mail.outbox if subject_part in m.subject)


def test_a_new_pair_gets_nothing(mentorship):
    started(mentorship, 2)
    assert send_reminders() == {}
    assert mail.outbox == []


def test_each_reminder_goes_once_however_often_the_job_runs(mentorship):
    started(mentorship, 40)
    first = send_reminders()
    assert first == {"monthly pulse": 2, "feedback request": 2}
    assert sent_to("check-in") == ["mark@example.org", "meg@example.org"]
    assert sent_to("feedback") == ["mark@example.org", "meg@example.org"]
    mail.outbox.clear()
    for _ in range(3):
        assert send_reminders() == {}
    call_command("send_reminders")
    assert mail.outbox == []
    # A month later the monthly pulse is due again; the feedback point is not.
    assert send_reminders(timezone.now() + 30 * DAY)["monthly pulse"] == 2


def test_every_message_has_a_plain_body_and_a_link_to_act(mentorship):
    started(mentorship, 40)
    send_reminders()
    for message in mail.outbox:
        assert f"/mentorships/{mentorship.pk}/" in message.body
        assert "{{" not in message.body and "<" not in message.body


def test_a_meeting_is_reminded_and_reminded_again_when_moved(mentorship, mark, meg):
    started(mentorship, 5)
    meeting = services.meeting_schedule(
        mentorship=mentorship, by=mark, starts_at=timezone.now() + datetime.timedelta(hours=30)
    )
    mail.outbox.clear()
    assert send_reminders() == {}  # more than a day ahead
    in_a_while = timezone.now() + datetime.timedelta(hours=8)
    assert send_reminders(in_a_while) == {"meeting reminder": 1}
    assert sent_to("Reminder") == ["mark@example.org", "meg@example.org"]
    assert send_reminders(in_a_while) == {}
    meeting = services.meeting_update(
        meeting=meeting,
        by=meg,
        starts_at=meeting.starts_at,
        duration_minutes=60,
        agenda="A typo fixed",
    )
    assert send_reminders(in_a_while) == {}  # same time: no second reminder
    services.meeting_update(
        meeting=meeting,
        by=meg,
        starts_at=meeting.starts_at + datetime.timedelta(hours=2),
        duration_minutes=60,
    )
    assert send_reminders(in_a_while) == {"meeting reminder": 1}


def test_an_unlogged_meeting_prompts_a_log_then_a_pulse_for_whoever_has_not_answered(
    mentorship, mark, meg
):
    started(mentorship, 5)
    meeting = services.meeting_schedule(
        mentorship=mentorship, by=mark, starts_at=timezone.now() + datetime.timedelta(hours=2)
    )
    after = timezone.now() + datetime.timedelta(hours=4)
    assert send_reminders(after) == {"log your meeting": 1}  # too late to remind
    assert send_reminders(after) == {}
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    meeting.refresh_from_db()
    services.meeting_log(meeting=meeting, by=meg, held=True, minutes_spent=50)
    services.pulse_submit(mentorship=mentorship, by=meg, score=4, meeting=meeting)
    mail.outbox.clear()
    assert send_reminders() == {"pulse after a meeting": 1}
    assert sent_to("check-in") == ["mark@example.org"]


def test_a_quiet_pair_is_warned_then_the_coordinators_are_told(mentorship, alice):
    started(mentorship, 50)
    services.feedback_give(
        mentorship=mentorship, by=mentorship.mentor, point=FeedbackPoint.MONTH_ONE, helped="x"
    )
    services.feedback_give(
        mentorship=mentorship, by=mentorship.mentee, point=FeedbackPoint.MONTH_ONE, helped="x"
    )
    services.pulse_submit(mentorship=mentorship, by=mentorship.mentor, score=3)
    services.pulse_submit(mentorship=mentorship, by=mentorship.mentee, score=3)
    mail.outbox.clear()
    assert send_reminders() == {"quiet pair": 1}
    assert sent_to("a while") == ["mark@example.org", "meg@example.org"]
    assert mentorship.timeline.filter(kind=TimelineEntry.Kind.WARNING).count() == 1
    later = timezone.now() + 10 * DAY
    sent = send_reminders(later)
    assert sent["quiet pair (coordinators)"] == 1 and "quiet pair" not in sent
    assert sent_to("A quiet pair") == ["alice@example.org"]
    assert send_reminders(later) == {}


def test_a_planned_meeting_means_the_pair_is_not_quiet(mentorship, mark):
    started(mentorship, 50)
    services.meeting_schedule(mentorship=mentorship, by=mark, starts_at=timezone.now() + 5 * DAY)
    assert "quiet pair" not in send_reminders()


def test_thresholds_are_the_programmes(mentorship, alice):
    started(mentorship, 20)
    services.health_settings_update(
        programme=mentorship.programme, by=alice, quiet_after_days=14, feedback_month_one=False
    )
    assert send_reminders() == {"quiet pair": 1}


def test_mid_point_and_closure_prompts(mentorship, mark, meg):
    started(mentorship, 100, length=190)  # half-way at 95 days; ends in 90
    services.midpoint_review_submit(mentorship=mentorship, by=mark, agreement_works=True)
    sent = send_reminders()
    assert sent["mid-point review"] == 1
    assert sent_to("Half-way") == ["meg@example.org"]
    assert "closure prompt" not in sent
    assert send_reminders(timezone.now() + 75 * DAY)["closure prompt"] == 1
    assert sent_to("coming to a close") == ["mark@example.org", "meg@example.org"]


def test_a_closed_mentorship_gets_no_reminders(mentorship, mark):
    started(mentorship, 60)
    services.closure_start(mentorship=mentorship, by=mark, kind="early", reason="Moved away.")
    mail.outbox.clear()
    assert send_reminders() == {}


@pytest.mark.django_db(transaction=True)
def test_two_jobs_at_the_same_moment_send_each_reminder_once(mentorship):
    HealthSettings.objects.create(programme=mentorship.programme)
    started(mentorship, 40)
    outcomes = run_at_once([send_reminders, send_reminders, send_reminders])
    assert outcomes == [None, None, None]
    assert ReminderSent.objects.count() == 4
    assert len(sent_to("check-in")) == 2 and len(sent_to("feedback")) == 2


def test_the_periodic_command_runs_every_job_once(mentorship):
    started(mentorship, 40)
    out = io.StringIO()
    call_command("periodic", stdout=out)
    assert "offers expired" in out.getvalue()
    assert "2 × monthly pulse" in out.getvalue()
    assert ReminderSent.objects.count() == 4


def test_what_is_due_shows_on_the_home_page_and_the_pair_page(client, mentorship, meg):
    started(mentorship, 40)
    client.force_login(meg)
    home = client.get("/").text
    assert "Give Mark Mentor feedback (after the first month)" in home
    assert "Agree your working agreement with Mark Mentor" in home
    services.feedback_give(
        mentorship=mentorship, by=meg, point=FeedbackPoint.MONTH_ONE, helped="Listening."
    )
    page = client.get(mentorship.get_absolute_url()).text
    assert "Give Mark Mentor feedback" not in page
    assert "Plan your next meeting with Mark Mentor" in page


def test_one_broken_reminder_does_not_stop_the_others(mentorship, monkeypatch):
    started(mentorship, 40)
    from mentorcraft.mentorships import reminders

    real = reminders.email_pair

    def flaky(m, **kwargs):  # noqa: ANN001, ANN003
        if kwargs["template"].endswith("feedback_due.txt"):
            raise RuntimeError("template broken")
        return real(m, **kwargs)

    monkeypatch.setattr(reminders, "email_pair", flaky)
    sent = send_reminders()
    assert sent == {"monthly pulse": 2, "failed": 2}
    assert not ReminderSent.objects.filter(key__startswith="feedback:").exists()
    monkeypatch.setattr(reminders, "email_pair", real)
    assert send_reminders() == {"feedback request": 2}  # tried again, once
