"""Issue 11, from the walk through a pair's day: check-ins, goals, the agreement, the to-do
list (items 12 and 14), and what a mentee and the coordinators see after an early close
(item 10)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.extensions import next_steps
from mentorcraft.mentorships import services
from mentorcraft.mentorships.models import Goal, GoalNote
from mentorcraft.mentorships.services.closure import closure_reflect, closure_start
from mentorcraft.programmes import services as programme_services
from mentorcraft.programmes.models import Phase

pytestmark = pytest.mark.django_db


def test_the_check_in_form_waits_for_the_first_meeting(client, mentorship, meg):
    client.force_login(meg)
    page = client.get(mentorship.get_absolute_url()).text
    assert 'action="' + reverse("mentorships:pulse", args=[mentorship.pk]) not in page
    assert "After your first meeting, say here how it is going" in page
    services.meeting_record(
        mentorship=mentorship,
        by=meg,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        minutes_spent=30,
    )
    page = client.get(mentorship.get_absolute_url()).text
    assert 'action="' + reverse("mentorships:pulse", args=[mentorship.pk]) in page
    assert "Send your check-in" in page


def test_a_goals_status_moves_without_a_note_and_the_labels_say_what_is_needed(
    client, mentorship, meg, mark
):
    goal = services.goal_create(mentorship=mentorship, by=meg, title="Negotiate budgets")
    client.force_login(meg)
    page = client.get(mentorship.get_absolute_url()).text
    assert "Progress note (needed unless you change the status)" in page
    response = client.post(
        reverse("mentorships:goal_note", args=[goal.pk]), {"text": "", "status": "in_progress"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == Goal.Status.IN_PROGRESS and not GoalNote.objects.exists()
    # The same status again with no note is still a note missing.
    response = client.post(
        reverse("mentorships:goal_note", args=[goal.pk]), {"text": "", "status": "in_progress"}
    )
    assert response.status_code == 400 and "Write the note." in response.text
    client.force_login(mark)
    assert "Comment (required)" in client.get(mentorship.get_absolute_url()).text


def test_the_agreement_in_force_reads_as_a_sentence(client, mentorship, mark, meg):
    version = services.agreement_propose(mentorship=mentorship, by=mark, text="We meet monthly.")
    services.agreement_sign(version=version, by=meg)
    client.force_login(meg)
    page = client.get(mentorship.get_absolute_url()).text
    assert "Version 1 is in force: you have both signed it." in page


def test_a_to_do_item_names_the_other_person_once(mentorship, mark, meg):
    steps = [s for provider in next_steps for s in provider(mark)]
    agreement = next(s for s in steps if "working agreement" in s.title)
    assert agreement.title.count("Meg Mentee") == 1
    assert "Meg Mentee" not in agreement.detail
    assert agreement.detail == f"in {mentorship.programme.name}"


def close_early_and_ask_for_a_new_mentor(mentorship, alice, meg):  # noqa: ANN001, ANN201
    closure_start(mentorship=mentorship, by=alice, kind="early", reason="A change of job.")
    mentorship.refresh_from_db()
    closure_reflect(
        mentorship=mentorship,
        by=meg,
        reflection="It helped for a while.",
        would_mentor="later",
        wants_rematch=True,
    )


def test_after_an_early_close_the_mentees_home_shows_the_pair_and_the_rematch(
    client, mentorship, alice, meg, mark, pairing
):
    close_early_and_ask_for_a_new_mentor(mentorship, alice, meg)
    client.force_login(meg)
    home = client.get("/").text
    assert "Closed early" in home and "<strong>Mark Mentor</strong> was your mentor" in home
    assert "You asked for a new mentor: the coordinators are looking for one." in home
    services.mentorship_create(
        programme=pairing, mentor=mark, mentee=meg, by=alice, note="A fresh start."
    )
    home = client.get("/").text
    assert "You have a new mentor in this programme." in home


def test_the_coordinators_home_lists_mentees_who_want_a_new_mentor(
    client, mentorship, alice, meg, mark, pairing
):
    programme_services.programme_set_phase(programme=pairing, by=alice, phase=Phase.MATCHING)
    programme_services.programme_set_phase(programme=pairing, by=alice, phase=Phase.RUNNING)
    close_early_and_ask_for_a_new_mentor(mentorship, alice, meg)
    steps = [s for provider in next_steps for s in provider(alice)]
    rematch = next(s for s in steps if s.kind == "rematch")
    assert rematch.title == "1 mentee would like a new mentor"
    assert "Meg Mentee" in rematch.detail
    client.force_login(alice)
    assert "1 mentee would like a new mentor" in client.get("/").text
    services.mentorship_create(programme=pairing, mentor=mark, mentee=meg, by=alice)
    assert not [s for provider in next_steps for s in provider(alice) if s.kind == "rematch"]
