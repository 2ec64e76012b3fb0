from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships.ics import meeting_ics
from mentorcraft.mentorships.models import Meeting, TimelineEntry
from mentorcraft.mentorships.services import (
    meeting_cancel,
    meeting_log,
    meeting_record,
    meeting_schedule,
    meeting_update,
)
from mentorcraft.notifications.calendar import CalendarEvent, event_ics

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


@pytest.fixture
def zoned(mentorship, mark, meg):  # noqa: ANN001
    """Mark lives in Warsaw, Meg in New York."""
    mark.profile.time_zone = "Europe/Warsaw"
    mark.profile.save()
    meg.profile.time_zone = "America/New_York"
    meg.profile.save()
    mentorship.refresh_from_db()
    mail.outbox.clear()
    return mentorship


def next_weekday(hour: int, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=10)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=zone)


def ics_field(text: str, name: str) -> str:
    unfolded = text.replace("\r\n ", "")
    return re.search(rf"^{name}[:;](.*)$", unfolded, re.M).group(1).strip()


def test_the_invitation_names_each_persons_own_time_and_carries_utc_in_the_file(zoned, mark):
    starts = next_weekday(18, WARSAW)
    meeting = meeting_schedule(mentorship=zoned, by=mark, starts_at=starts, location="Room 4")
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"mark@example.org", "meg@example.org"}
    expected_utc = starts.astimezone(datetime.UTC)
    new_york = starts.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    mark_body, meg_body = by_person["mark@example.org"].body, by_person["meg@example.org"].body
    assert f"{starts:%H:%M} (Europe/Warsaw) (your time)" in mark_body
    assert f"{new_york:%H:%M} (America/New York) (your time)" in meg_body
    assert f"{starts:%H:%M} (Europe/Warsaw) (Mark Mentor's time)" in meg_body
    name, content, mimetype = by_person["meg@example.org"].attachments[0]
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    assert ics_field(content, "DTSTART") == expected_utc.strftime("%Y%m%dT%H%M%SZ")
    assert ics_field(content, "UID") == f"{meeting.uid}@mentorcraft"
    assert ics_field(content, "SEQUENCE") == "0"
    assert ics_field(content, "LOCATION") == "Room 4"


def test_daylight_saving_is_taken_from_the_date_not_from_today(zoned, mark):
    # A July meeting in Warsaw is UTC+2, a January one UTC+1, whatever the date it is planned on.
    year = timezone.localdate().year + 1
    for month, offset in ((7, 2), (1, 1)):
        starts = datetime.datetime(year, month, 15, 9, 0, tzinfo=WARSAW)
        zoned.ends_on = datetime.date(year, 12, 31)
        zoned.save()
        meeting = meeting_schedule(mentorship=zoned, by=mark, starts_at=starts)
        assert (
            ics_field(meeting_ics(meeting), "DTSTART")
            == f"{year}{month:02d}15T{9 - offset:02d}0000Z"
        )


def test_a_change_and_a_cancellation_keep_the_uid_and_raise_the_sequence(zoned, mark, meg):
    meeting = meeting_schedule(mentorship=zoned, by=mark, starts_at=next_weekday(10, WARSAW))
    uid = ics_field(meeting_ics(meeting), "UID")
    mail.outbox.clear()
    meeting = meeting_update(
        meeting=meeting, by=meg, starts_at=next_weekday(11, WARSAW), duration_minutes=45
    )
    updated = mail.outbox[0].attachments[0][1]
    assert ics_field(updated, "UID") == uid and ics_field(updated, "SEQUENCE") == "1"
    assert ics_field(updated, "METHOD") == "REQUEST"
    mail.outbox.clear()
    meeting_cancel(meeting=meeting, by=mark, reason="Ward inspection")
    cancelled = mail.outbox[0].attachments[0][1]
    assert ics_field(cancelled, "UID") == uid and ics_field(cancelled, "SEQUENCE") == "2"
    assert ics_field(cancelled, "METHOD") == "CANCEL"
    assert ics_field(cancelled, "STATUS") == "CANCELLED"
    with pytest.raises(TransitionError, match="Only a planned meeting"):
        meeting_update(
            meeting=meeting, by=mark, starts_at=next_weekday(12, WARSAW), duration_minutes=60
        )


def test_ics_text_is_escaped_and_long_lines_fold_without_splitting_characters(zoned, mark):
    meeting = meeting_schedule(
        mentorship=zoned,
        by=mark,
        starts_at=next_weekday(10, WARSAW),
        agenda="Budget; staffing, and rotas\nThen: é" * 5,
    )
    text = meeting_ics(meeting)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "Budget\\; staffing\\, and rotas\\nThen: é" in text.replace("\r\n ", "")
    # A line of 74 octets and then a two-octet character folds before the character.
    moment = timezone.now()
    folded = event_ics(CalendarEvent("u", 0, moment, moment, summary="x" * 66 + "é"))
    assert "SUMMARY:" + "x" * 66 + "\r\n é" in folded


def test_meetings_must_be_in_the_future_and_a_past_one_is_recorded_instead(zoned, mark):
    with pytest.raises(Exception, match="future"):
        meeting_schedule(
            mentorship=zoned, by=mark, starts_at=timezone.now() - datetime.timedelta(hours=1)
        )
    met = meeting_record(
        mentorship=zoned,
        by=mark,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        minutes_spent=50,
        shared_notes="Talked rotas.",
    )
    assert met.status == Meeting.Status.HELD and met.minutes_spent == 50
    assert zoned.timeline.filter(kind=TimelineEntry.Kind.MEETING).exists()


def test_a_meeting_is_logged_after_it_started_and_held_needs_minutes(zoned, mark, meg):
    meeting = meeting_schedule(mentorship=zoned, by=mark, starts_at=next_weekday(10, WARSAW))
    with pytest.raises(TransitionError, match="not started"):
        meeting_log(meeting=meeting, by=meg, held=True, minutes_spent=60)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    meeting.refresh_from_db()
    with pytest.raises(Exception, match="how many minutes"):
        meeting_log(meeting=meeting, by=meg, held=True)
    logged = meeting_log(meeting=meeting, by=meg, held=True, minutes_spent=55, shared_notes="ok")
    assert logged.status == Meeting.Status.HELD and logged.logged_by == meg


def test_the_schedule_page_reads_times_in_the_readers_zone(client, zoned, meg):
    client.force_login(meg)  # New York
    day = timezone.localdate() + datetime.timedelta(days=12)
    response = client.post(
        reverse("mentorships:meeting_new", args=[zoned.pk]),
        {"date": day.isoformat(), "time": "09:30", "duration_minutes": "60", "location": "Zoom"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    local = meeting.starts_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert (local.date(), local.hour, local.minute) == (day, 9, 30)
    page = client.get(zoned.get_absolute_url())
    assert "09:30 (America/New York)" in page.text
    ics = client.get(reverse("mentorships:meeting_ics", args=[meeting.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert f"UID:{meeting.uid}@mentorcraft" in ics.content.decode()


def test_a_bad_meeting_form_keeps_what_was_typed(client, zoned, meg):
    client.force_login(meg)
    response = client.post(
        reverse("mentorships:meeting_new", args=[zoned.pk]),
        {"date": "2001-01-01", "time": "09:30", "duration_minutes": "60", "agenda": "Kept agenda"},
    )
    assert response.status_code == 400
    assert "Kept agenda" in response.text and "future" in response.text
    assert not Meeting.objects.exists()


def test_the_change_page_shows_the_planned_date_and_time_in_the_readers_zone(client, zoned, mark):
    starts = next_weekday(18, WARSAW)
    meeting = meeting_schedule(mentorship=zoned, by=mark, starts_at=starts)
    client.force_login(mark)
    page = client.get(reverse("mentorships:meeting_edit", args=[meeting.pk])).text
    assert f'value="{starts.date().isoformat()}"' in page and 'value="18:00"' in page
    log = client.get(reverse("mentorships:meeting_log", args=[meeting.pk])).text
    assert "has not started yet" in log and 'name="held"' not in log


def test_the_home_page_names_the_next_meeting_in_the_readers_zone(client, zoned, mark, meg):
    client.force_login(meg)
    assert "Plan your next meeting" in client.get("/").text
    starts = next_weekday(18, WARSAW)
    meeting_schedule(mentorship=zoned, by=mark, starts_at=starts)
    new_york = starts.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert (
        f"Next meeting: {new_york:%A} {new_york.day} {new_york:%B %Y, %H:%M}"
        in client.get("/").text
    )


def test_names_in_attendee_parameters_are_quoted(zoned, mark):
    mark.profile.full_name = 'Mark "Sparky" Mentor, Jr.; MBE'
    mark.profile.save()
    meeting = meeting_schedule(mentorship=zoned, by=mark, starts_at=next_weekday(10, WARSAW))
    unfolded = meeting_ics(meeting).replace("\r\n ", "")
    assert 'ORGANIZER;CN="Mark Sparky Mentor, Jr.; MBE":mailto:mark@example.org' in unfolded


def test_a_pair_made_before_the_start_may_record_what_it_may_plan(client, mentorship, mark, alice):
    """Issue 11.5: one rule for planning and recording: from the day the pair was made, even
    before the programme starts; the board never shows a negative 'since last met', nor a
    'since' for a pair that never met."""
    from mentorcraft.mentorships.models import Mentorship

    programme = mentorship.programme
    made = timezone.now() - datetime.timedelta(days=3)
    starts = timezone.localdate() + datetime.timedelta(days=30)
    type(programme).objects.filter(pk=programme.pk).update(start_date=starts)
    Mentorship.objects.filter(pk=mentorship.pk).update(started_on=starts, created_at=made)
    mentorship.refresh_from_db()
    client.force_login(alice)
    board = client.get(reverse("mentorships:board", args=[programme.pk])).text
    assert "not met yet" in board and "-30 d" not in board and "-" + "29 d" not in board
    with pytest.raises(ValidationError, match="before you were paired"):
        meeting_record(
            mentorship=mentorship,
            by=mark,
            starts_at=made - datetime.timedelta(days=1),
            minutes_spent=45,
        )
    held = meeting_record(
        mentorship=mentorship,
        by=mark,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        minutes_spent=45,
    )
    assert held.status == Meeting.Status.HELD
    board = client.get(reverse("mentorships:board", args=[programme.pk])).text
    assert "not met yet" not in board
    assert re.search(r">\s*1 d<", board)
