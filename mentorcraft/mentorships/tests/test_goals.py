from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from conftest import items
from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships.models import Goal, GoalNote, GoalRating
from mentorcraft.mentorships.services import (
    goal_create,
    goal_note_add,
    goal_rate,
)

pytestmark = pytest.mark.django_db


def goal_post(**extra: object) -> dict:
    data = {
        "title": "Lead a budget meeting",
        "why": "I present next quarter.",
        "measure": "I chair one and my manager says it went well.",
        "target_date": (datetime.date.today() + datetime.timedelta(days=90)).isoformat(),
        "start_rating": "2",
    }
    data.update(extra)
    return data


def test_the_mentee_writes_a_goal_and_rates_the_start(client, mentorship, meg):
    client.force_login(meg)
    response = client.post(reverse("mentorships:goal_create", args=[mentorship.pk]), goal_post())
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.ratings.get(stage="start").score == 2
    page = client.get(mentorship.get_absolute_url())
    assert "Lead a budget meeting" in page.text and "2 at the start" in page.text


def test_a_bad_goal_keeps_what_was_typed(client, mentorship, meg):
    client.force_login(meg)
    response = client.post(
        reverse("mentorships:goal_create", args=[mentorship.pk]),
        goal_post(title="", why="Kept reason"),
    )
    assert response.status_code == 400
    assert "Kept reason" in response.text
    assert not Goal.objects.exists()


def test_the_mentor_comments_but_does_not_write_goals(mentorship, mark, meg):
    with pytest.raises(TransitionError, match="mentee writes the goals"):
        goal_create(mentorship=mentorship, by=mark, title="Mine")
    goal = goal_create(mentorship=mentorship, by=meg, title="Negotiate", start_rating=1)
    goal_note_add(goal=goal, by=mark, text="Try the BATNA exercise.")
    with pytest.raises(TransitionError, match="mentee decides"):
        goal_note_add(goal=goal, by=mark, text="Done?", status="achieved")
    goal_note_add(goal=goal, by=meg, text="Tried it.", status="in_progress")
    goal_rate(goal=goal, by=meg, stage=GoalRating.Stage.MIDPOINT, score=3)
    goal.refresh_from_db()
    assert goal.status == "in_progress" and goal.notes.count() == 2


def test_notes_are_added_with_htmx(client, mentorship, meg):
    goal = goal_create(mentorship=mentorship, by=meg, title="Negotiate")
    client.force_login(meg)
    response = client.post(
        reverse("mentorships:goal_note", args=[goal.pk]),
        {"text": "First try went well.", "status": "in_progress"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "First try went well." in response.text and "<html" not in response.text
    empty = client.post(
        reverse("mentorships:goal_note", args=[goal.pk]),
        {"text": ""},
        headers={"HX-Request": "true"},
    )
    assert empty.status_code == 400 and "Write the note." in empty.text
    assert GoalNote.objects.count() == 1


def test_coordinators_see_titles_and_statuses_but_not_notes(client, mentorship, meg, alice):
    goal = goal_create(mentorship=mentorship, by=meg, title="Negotiate", why="Private why")
    goal_note_add(goal=goal, by=meg, text="Private progress")
    client.force_login(alice)
    page = client.get(mentorship.get_absolute_url())
    assert "Negotiate" in page.text
    assert "Private progress" not in page.text and "Private why" not in page.text
    response = client.post(reverse("mentorships:goal_note", args=[goal.pk]), {"text": "Hi"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "who,status", [("olive", 404), ("sam", 403), ("cora", 403), ("alice", 403)]
)
def test_only_the_pair_works_on_goals(client, request, mentorship, meg, who, status):
    goal = goal_create(mentorship=mentorship, by=meg, title="Negotiate")
    client.force_login(request.getfixturevalue(who))
    assert (
        client.post(
            reverse("mentorships:goal_create", args=[mentorship.pk]), goal_post()
        ).status_code
        == status
    )
    assert (
        client.post(
            reverse("mentorships:goal_rate", args=[goal.pk]), {"stage": "midpoint", "score": 4}
        ).status_code
        == status
    )
    assert Goal.objects.count() == 1 and not GoalRating.objects.exists()


def test_a_refused_note_without_javascript_keeps_the_page_and_the_error(client, mentorship, meg):
    goal = goal_create(mentorship=mentorship, by=meg, title="Budget")
    client.force_login(meg)
    response = client.post(reverse("mentorships:goal_note", args=[goal.pk]), {"text": "  "})
    assert response.status_code == 400 and "Write the note." in response.text
    response = client.post(
        reverse("mentorships:private_note_add", args=[mentorship.pk]), {"text": " "}
    )
    assert response.status_code == 400 and "Write the note." in response.text


def test_coordinators_see_goal_titles_and_status_not_ratings(client, mentorship, meg, alice):
    goal_create(mentorship=mentorship, by=meg, title="Budget", start_rating=2)
    client.force_login(alice)
    page = client.get(mentorship.get_absolute_url()).text
    assert "Budget" in page and "Self-rating" not in page
    goals = items(client.get(f"/api/v1/mentorships/{mentorship.pk}/goals"))
    assert goals[0]["ratings"] == {} and goals[0]["title"] == "Budget"
