from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships import services
from mentorcraft.mentorships.health import State, board_view, programme_health
from mentorcraft.mentorships.models import FeedbackPoint, HealthSettings, Mentorship

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def age(mentorship: Mentorship, days: int) -> None:
    today = timezone.localdate()
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_on=today - days * DAY, ends_on=today + (365 - days) * DAY
    )
    mentorship.refresh_from_db()


@pytest.fixture
def pairs(pairing, mentorship, alice, mark, mentor_application):  # noqa: ANN001
    """meg's pair (quiet), and two more of mark's: one struggling, one new."""
    second = services.mentorship_create(
        programme=pairing, mentor=mark, mentee=pairing.extra_mentees[0], by=alice
    )
    type(mentor_application).objects.filter(pk=mentor_application.pk).update(mentee_capacity=3)
    third = services.mentorship_create(
        programme=pairing, mentor=mark, mentee=pairing.extra_mentees[1], by=alice
    )
    age(mentorship, 60)
    age(second, 20)
    services.meeting_record(
        mentorship=second, by=mark, starts_at=timezone.now() - 2 * DAY, minutes_spent=40
    )
    services.pulse_submit(
        mentorship=second, by=second.mentee, score=1, comment_to_coordinator="Hard"
    )
    age(third, 3)
    return mentorship, second, third


def test_states_and_order_put_struggling_and_quiet_first(pairs):
    quiet, struggling, new = pairs
    board = programme_health(quiet.programme)
    assert [(h.mentorship.pk, h.state) for h in board] == [
        (struggling.pk, State.STRUGGLING),
        (quiet.pk, State.QUIET),
        (new.pk, State.NEW),
    ]
    assert board[0].meetings_held == 1 and board[0].minutes == 40
    assert board[1].days_quiet == 60
    assert "Feedback overdue (after the first month)" in board[1].flags


def test_thresholds_change_the_states(pairs, alice):
    quiet, struggling, _ = pairs
    services.health_settings_update(
        programme=quiet.programme, by=alice, quiet_after_days=90, struggling_pulse=1
    )
    states = {h.mentorship.pk: h.state for h in programme_health(quiet.programme)}
    assert states[struggling.pk] == State.STRUGGLING  # 1 is still at or below 1
    assert states[quiet.pk] == State.ATTENTION  # not quiet any more; feedback is overdue
    services.health_settings_update(programme=quiet.programme, by=alice, struggling_pulse=2)
    for who in (quiet.mentor, quiet.mentee):
        services.feedback_give(mentorship=quiet, by=who, point=FeedbackPoint.MONTH_ONE, helped="x")
    states = {h.mentorship.pk: h.state for h in programme_health(quiet.programme)}
    assert states[quiet.pk] == State.NEW  # no meeting held yet, nothing overdue


def test_sort_and_filter(pairs):
    board = programme_health(pairs[0].programme)
    assert [h.state for h in board_view(board, state=State.QUIET)] == [State.QUIET]
    assert [h.days_quiet for h in board_view(board, sort="quiet")] == [60, 3, 2]
    names = [h.mentorship.mentee.display_name for h in board_view(board, sort="mentee")]
    assert names == sorted(names, key=str.lower)
    assert board_view(board, sort="nonsense") == board_view(board)


def test_the_board_page_filters_and_is_for_coordinators_only(
    client, pairs, alice, mark, cora, olive
):
    url = reverse("mentorships:board", args=[pairs[0].programme_id])
    client.force_login(alice)
    page = client.get(url, {"state": "struggling"}).text
    assert "Extra Mentee 0" in page and "Meg Mentee" not in page
    assert "Struggling (1)" in page and "Quiet (1)" in page
    # A published programme is visible to every signed-in person (so they can apply); its board
    # is not.
    for person, status in ((mark, 403), (cora, 403), (olive, 403)):
        client.force_login(person)
        assert client.get(url).status_code == status
        assert (
            client.get(f"/api/v1/mentorships/programmes/{pairs[0].programme_id}/health").status_code
            == status
        )


def test_a_nudge_emails_both_and_lands_on_the_timeline(client, pairs, alice, mark):
    quiet = pairs[0]
    mail.outbox.clear()
    client.force_login(alice)
    response = client.post(
        reverse("mentorships:nudge", args=[quiet.pk]),
        {"message": "Shall we find a date?", "next": "board"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/relationships/")
    assert sorted(m.to[0] for m in mail.outbox) == ["mark@example.org", "meg@example.org"]
    assert all(
        "Shall we find a date?" in m.body and quiet.get_absolute_url() in m.body
        for m in mail.outbox
    )
    # "Reply to this e-mail" reaches the coordinator (issue 11.6).
    assert all(m.reply_to == [alice.email] for m in mail.outbox)
    entry = quiet.timeline.get(kind="nudge")
    assert "Alice" in entry.summary
    client.force_login(mark)
    assert client.post(reverse("mentorships:nudge", args=[quiet.pk])).status_code == 403
    with pytest.raises(TransitionError):
        services.nudge(mentorship=quiet, by=mark)


def test_threshold_settings_form_keeps_bad_input(client, pairs, alice):
    url = reverse("mentorships:health_settings", args=[pairs[0].programme_id])
    client.force_login(alice)
    response = client.post(
        url,
        {
            "quiet_after_days": "2",
            "struggling_pulse": "2",
            "goal_stale_days": "60",
            "feedback_grace_days": "14",
            "reminder_hours_before": "24",
            "coordinator_warning_after_days": "14",
        },
    )
    assert response.status_code == 400 and 'value="2"' in response.text
    assert not HealthSettings.objects.exists()
    response = client.post(
        url,
        {
            "quiet_after_days": "30",
            "struggling_pulse": "2",
            "goal_stale_days": "60",
            "feedback_grace_days": "14",
            "reminder_hours_before": "24",
            "coordinator_warning_after_days": "14",
            "feedback_midpoint": "on",
        },
    )
    assert response.status_code == 302
    saved = HealthSettings.objects.get()
    assert saved.quiet_after_days == 30 and not saved.feedback_month_one and saved.feedback_midpoint


def test_goals_without_progress_are_counted_per_goal(pairs, meg):
    from mentorcraft.mentorships.models import Goal, GoalNote

    quiet = pairs[0]
    old = timezone.now() - 90 * DAY
    noted = services.goal_create(mentorship=quiet, by=meg, title="Noted long ago")
    for _ in range(4):
        services.goal_note_add(goal=noted, by=meg, text="Old note")
    GoalNote.objects.update(created_at=old)
    services.goal_create(mentorship=quiet, by=meg, title="Never noted")
    fresh = services.goal_create(mentorship=quiet, by=meg, title="Noted today")
    services.goal_note_add(goal=fresh, by=meg, text="Today")
    Goal.objects.update(created_at=old)
    flags = next(h for h in programme_health(quiet.programme) if h.mentorship == quiet).flags
    assert "2 goals without progress" in flags


def test_a_planned_meeting_keeps_a_pair_off_the_quiet_list(pairs, mark):
    quiet = pairs[0]
    services.meeting_schedule(mentorship=quiet, by=mark, starts_at=timezone.now() + 3 * DAY)
    state = next(h for h in programme_health(quiet.programme) if h.mentorship == quiet).state
    assert state != State.QUIET


def test_the_board_costs_the_same_queries_for_three_pairs_as_for_one(
    pairs, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    programme = pairs[0].programme
    with CaptureQueriesContext(connection) as one:
        programme_health(programme, only=pairs[0].pk)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(programme_health(programme)) == 3


def test_the_coordinators_home_page_points_to_troubled_pairs(client, pairs, alice):
    from mentorcraft.programmes.models import Phase

    type(pairs[0].programme).objects.filter(pk=pairs[0].programme_id).update(phase=Phase.RUNNING)
    client.force_login(alice)
    home = client.get("/").text
    assert "2 pairs struggling or quiet" in home
    assert reverse("mentorships:board", args=[pairs[0].programme_id]) in home


def test_a_closed_pairs_page_does_not_count_days_since_it_met(client, pairs, alice, mark):
    second = pairs[1]
    services.closure_start(mentorship=second, by=mark, kind="early", reason="Moved.")
    client.force_login(alice)
    page = client.get(second.get_absolute_url()).text
    assert "Closed early" in page and "days ago" not in page
