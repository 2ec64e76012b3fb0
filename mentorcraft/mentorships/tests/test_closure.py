from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships import services
from mentorcraft.mentorships.models import (
    Closure,
    ClosureReflection,
    GoalRating,
    Meeting,
    Mentorship,
    MidpointReview,
)

pytestmark = pytest.mark.django_db


def test_early_closure_needs_a_reason_and_tells_the_coordinators(mentorship, meg, mark):
    with pytest.raises(ValidationError, match="why"):
        services.closure_start(mentorship=mentorship, by=meg, kind="early")
    future = services.meeting_schedule(
        mentorship=mentorship, by=mark, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    mail.outbox.clear()
    services.closure_start(mentorship=mentorship, by=meg, kind="early", reason="New job.")
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.CLOSED
    assert mentorship.closed_on == timezone.localdate()
    future.refresh_from_db()
    assert future.status == Meeting.Status.CANCELLED and future.sequence == 1
    assert {m.to[0] for m in mail.outbox} == {
        "mark@example.org",
        "meg@example.org",
        "alice@example.org",
    }
    # The calendars drop the planned meeting: a CANCEL of the same UID to each person.
    cancels = [m for m in mail.outbox if m.attachments]
    assert sorted(m.to[0] for m in cancels) == ["mark@example.org", "meg@example.org"]
    assert all("METHOD:CANCEL" in m.attachments[0][1] for m in cancels)
    with pytest.raises(TransitionError, match="already closed"):
        services.closure_start(mentorship=mentorship, by=mark, kind="early", reason="Again")


def test_a_planned_close_opens_a_month_before_the_end(mentorship, meg):
    with pytest.raises(ValidationError, match="planned close opens"):
        services.closure_start(mentorship=mentorship, by=meg, kind="planned")
    Mentorship.objects.filter(pk=mentorship.pk).update(
        ends_on=timezone.localdate() + datetime.timedelta(days=20)
    )
    mentorship.refresh_from_db()
    closure = services.closure_start(mentorship=mentorship, by=meg, kind="planned")
    assert closure.kind == Closure.Kind.PLANNED


def test_the_coordinator_may_close_but_others_may_not(mentorship, alice, cora):
    with pytest.raises(TransitionError, match="Only the pair or the coordinators"):
        services.closure_start(mentorship=mentorship, by=cora, kind="early", reason="x")
    services.closure_start(mentorship=mentorship, by=alice, kind="early", reason="Left.")


def test_reflections_ask_each_person_their_pipeline_question(mentorship, mark, meg, alice):
    goal = services.goal_create(mentorship=mentorship, by=meg, title="Budget", start_rating=2)
    services.closure_start(mentorship=mentorship, by=mark, kind="early", reason="Moved.")
    with pytest.raises(ValidationError, match="Rate where you are"):
        services.closure_reflect(
            mentorship=mentorship, by=meg, reflection="Good.", would_mentor="yes"
        )
    with pytest.raises(ValidationError, match="would mentor"):
        services.closure_reflect(
            mentorship=mentorship, by=meg, reflection="Good.", ratings={goal.pk: 4}
        )
    mail.outbox.clear()
    services.closure_reflect(
        mentorship=mentorship,
        by=meg,
        reflection="Good.",
        would_mentor="yes",
        wants_rematch=True,
        ratings={goal.pk: 4},
    )
    assert GoalRating.objects.get(goal=goal, stage="closure").score == 4
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "new mentor" in mail.outbox[0].subject
    with pytest.raises(ValidationError, match="support"):
        services.closure_reflect(mentorship=mentorship, by=mark, reflection="Learned a lot.")
    mine = services.closure_reflect(
        mentorship=mentorship, by=mark, reflection="Learned a lot.", wants_support="peer"
    )
    assert mine.would_mentor == "" and not mine.wants_rematch
    with pytest.raises(TransitionError, match="already wrote"):
        services.closure_reflect(
            mentorship=mentorship, by=mark, reflection="Again", wants_support="none"
        )


def test_an_early_close_frees_the_mentee_for_a_new_mentor(mentorship, meg, alice, pairing):
    with pytest.raises(TransitionError, match="already has a mentor"):
        services.mentorship_create(
            programme=pairing, mentor=mentorship.mentor, mentee=meg, by=alice
        )
    services.closure_start(mentorship=mentorship, by=meg, kind="early", reason="Mismatch.")
    again = services.mentorship_create(
        programme=pairing, mentor=mentorship.mentor, mentee=meg, by=alice
    )
    assert again.status == Mentorship.Status.ACTIVE


def test_the_closure_page_walks_the_close_and_keeps_a_bad_reflection(client, mentorship, meg):
    client.force_login(meg)
    url = reverse("mentorships:closure", args=[mentorship.pk])
    assert "closing conversation" in client.get(url).text
    close_url = reverse("mentorships:closure_start", args=[mentorship.pk])
    reflect_url = reverse("mentorships:closure_reflect", args=[mentorship.pk])
    response = client.post(close_url, {"kind": "early", "reason": ""})
    assert response.status_code == 400 and "why" in response.text
    unconfirmed = client.post(close_url, {"kind": "early", "reason": "Moving abroad."})
    assert unconfirmed.status_code == 400 and "Tick the box to confirm" in unconfirmed.text
    assert "Moving abroad." in unconfirmed.text
    client.post(close_url, {"kind": "early", "reason": "Moving abroad.", "confirm": "on"})
    response = client.post(reflect_url, {"reflection": "Kept words", "would_mentor": ""})
    assert response.status_code == 400 and "Kept words" in response.text
    response = client.post(
        reflect_url,
        {
            "reflection": "Kept words",
            "would_mentor": "later",
            "wants_rematch": "on",
        },
    )
    assert response.status_code == 302
    reflection = ClosureReflection.objects.get()
    assert reflection.would_mentor == "later" and reflection.wants_rematch


def test_the_midpoint_review_re_rates_goals_and_can_send_to_the_agreement(
    client, mentorship, meg, mark
):
    goal = services.goal_create(mentorship=mentorship, by=meg, title="Budget", start_rating=2)
    client.force_login(meg)
    url = reverse("mentorships:midpoint", args=[mentorship.pk])
    response = client.post(url, {"agreement_works": "no", "focus": "Kept focus"})
    assert response.status_code == 400 and "Kept focus" in response.text
    response = client.post(
        url, {"agreement_works": "no", "focus": "More practice", f"rating-{goal.pk}": "3"}
    )
    assert response.status_code == 302 and "#agreement-heading" in response["Location"]
    assert GoalRating.objects.get(goal=goal, stage="midpoint").score == 3
    assert not MidpointReview.objects.get(author=meg).agreement_works
    client.force_login(mark)
    assert client.post(url, {"agreement_works": "yes"}).status_code == 302
    assert mentorship.timeline.filter(kind="midpoint").count() == 2


def test_after_the_close_a_meeting_held_before_it_can_still_be_logged(mentorship, mark, meg):
    meeting = services.meeting_schedule(
        mentorship=mentorship, by=mark, starts_at=timezone.now() + datetime.timedelta(hours=1)
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    meeting.refresh_from_db()
    services.closure_start(mentorship=mentorship, by=meg, kind="early", reason="Moved.")
    meeting.refresh_from_db()
    logged = services.meeting_log(meeting=meeting, by=mark, held=True, minutes_spent=40)
    assert logged.status == Meeting.Status.HELD


def test_after_the_close_only_the_closing_rating_is_open(mentorship, mark, meg):
    goal = services.goal_create(mentorship=mentorship, by=meg, title="Budget", start_rating=2)
    services.closure_start(mentorship=mentorship, by=meg, kind="early", reason="Moved.")
    goal.mentorship.refresh_from_db()
    with pytest.raises(TransitionError, match="only the closing rating"):
        services.goal_rate(goal=goal, by=meg, stage="start", score=5)
    assert services.goal_rate(goal=goal, by=meg, stage="closure", score=4).score == 4


def test_no_new_pair_once_the_programme_has_ended(pairing, alice, mark, meg):
    type(pairing).objects.filter(pk=pairing.pk).update(
        start_date=timezone.localdate() - datetime.timedelta(days=400),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    pairing.refresh_from_db()
    with pytest.raises(TransitionError, match="ended on"):
        services.mentorship_create(programme=pairing, mentor=mark, mentee=meg, by=alice)


def test_a_coordinator_reopens_a_mentorship_closed_by_mistake(client, mentorship, alice, mark, meg):
    """Issue 11.4: a close asks to confirm; a coordinator can undo a mistaken one, and the
    meetings it cancelled stay cancelled."""
    meeting = services.meeting_schedule(
        mentorship=mentorship, by=mark, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    services.closure_start(mentorship=mentorship, by=mark, kind="early", reason="Oops")
    url = reverse("mentorships:closure_reopen", args=[mentorship.pk])
    client.force_login(mark)
    assert (
        "Closed by mistake?"
        not in client.get(reverse("mentorships:closure", args=[mentorship.pk])).text
    )
    assert client.post(url, {"confirm": "on"}).status_code == 403
    client.force_login(alice)
    page = client.get(reverse("mentorships:closure", args=[mentorship.pk])).text
    assert "Closed by mistake?" in page
    assert client.post(url, {}).status_code == 400
    mail.outbox.clear()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ACTIVE and mentorship.closed_on is None
    assert not Closure.objects.filter(mentorship=mentorship).exists()
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mark.email, meg.email])
    assert "reopened" in mail.outbox[0].body
    assert mentorship.timeline.filter(summary__startswith="Reopened").exists()
    # Once a reflection is written, the close stands.
    services.closure_start(mentorship=mentorship, by=mark, kind="early", reason="Real this time")
    services.closure_reflect(
        mentorship=mentorship, by=mark, reflection="Done.", wants_support="none"
    )
    with pytest.raises(TransitionError, match="the close stands"):
        services.closure_reopen(mentorship=mentorship, by=alice)


def test_the_closing_mail_names_who_closed_it_and_the_other_person(mentorship, mark, meg):
    """Issue 11.6: when the mentee closes, the mentor's mail said "Meg closed your mentorship
    with Meg"."""
    mail.outbox.clear()
    services.closure_start(mentorship=mentorship, by=meg, kind="early", reason="Moving.")
    to_mark = next(m for m in mail.outbox if m.to == [mark.email])
    to_meg = next(m for m in mail.outbox if m.to == [meg.email])
    assert f"{meg.display_name} closed your mentorship (closed early)" in to_mark.body
    assert f"with {meg.display_name}" not in to_mark.body
    assert f"You closed your mentorship with {mark.display_name}" in to_meg.body


def test_feedback_asked_for_reads_as_an_answer(mentorship, mark, meg):
    asked = services.feedback_request_create(mentorship=mentorship, by=mark, question="Pace?")
    mail.outbox.clear()
    services.feedback_give(
        mentorship=mentorship,
        by=meg,
        point="on_request",
        helped="The pace.",
        change="More",
        request=asked,
    )
    to_mark = next(m for m in mail.outbox if m.to == [mark.email])
    assert f"{meg.display_name} answered your request for feedback" in to_mark.body
    assert "asked for by the mentor" not in to_mark.body
