"""Who reads what of a mentorship, role by role, on the pages and through the API.

The pair reads its shared notes, goals' notes and feedback; each person reads only their own
private notes and check-ins. The coordinators read the facts and the check-ins addressed to
them, never notes or feedback; a site administrator reads what a coordinator reads, no more.
Everyone else in the programme gets 403; outsiders get 404.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from conftest import assert_role_matrix, full_scores, items, make_person
from mentorcraft.mentorships import services
from mentorcraft.mentorships.models import FeedbackPoint
from mentorcraft.people.models import User
from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import Role

pytestmark = pytest.mark.django_db

API = "/api/v1/mentorships"
SECRETS = {
    "mark_private": "MARK-PRIVATE-7731",
    "meg_private": "MEG-PRIVATE-1288",
    "shared": "SHARED-NOTES-4410",
    "goal_note": "GOAL-NOTE-9021",
    "feedback": "FEEDBACK-TEXT-5567",
    "coord_comment": "FOR-COORDINATORS-3390",
    "agreement": "AGREEMENT-TEXT-2214",
}


@pytest.fixture
def story(mentorship, mark, meg, alice, pairing):  # noqa: ANN001
    """A mentorship with one of everything, and a second pair in the same programme."""
    services.agreement_propose(mentorship=mentorship, by=meg, text=SECRETS["agreement"])
    goal = services.goal_create(mentorship=mentorship, by=meg, title="Chair the huddle")
    services.goal_note_add(goal=goal, by=meg, text=SECRETS["goal_note"])
    meeting = services.meeting_record(
        mentorship=mentorship,
        by=mark,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        minutes_spent=60,
        shared_notes=SECRETS["shared"],
    )
    services.private_note_add(mentorship=mentorship, by=mark, text=SECRETS["mark_private"])
    services.private_note_add(mentorship=mentorship, by=meg, text=SECRETS["meg_private"])
    services.pulse_submit(
        mentorship=mentorship,
        by=meg,
        score=4,
        comment_to_coordinator=SECRETS["coord_comment"],
        meeting=meeting,
    )
    services.feedback_give(
        mentorship=mentorship, by=meg, point=FeedbackPoint.CLOSURE, helped=SECRETS["feedback"]
    )
    other_mentor = make_person("otto@example.org", "Otto Other", years_experience=20)
    application = programmes.application_submit(
        programme=pairing, applicant=other_mentor, role=Role.MENTOR, statement="Happy to."
    )
    programmes.screening_record(
        application=application, reviewer=alice, scores=full_scores(pairing)
    )
    programmes.application_decide(application=application, by=alice, decision="accept")
    services.mentorship_create(
        programme=pairing, mentor=other_mentor, mentee=pairing.extra_mentees[0], by=alice
    )
    return mentorship


def who(name: str) -> User:
    if name == "admin":
        return User.objects.create_superuser(email="root@example.org", password="x")
    email = {"other_pair": "otto@example.org"}.get(name, f"{name}@example.org")
    return User.objects.get(email=email)


# What each role may read on the pair's page: the secrets they see, and the ones they must not.
PAGE = {
    "mark": {"mark_private", "shared", "goal_note", "agreement"},
    "meg": {"meg_private", "shared", "goal_note", "agreement"},
    "alice": {"coord_comment"},
    "admin": {"coord_comment"},
}


@pytest.mark.parametrize("name", ["mark", "meg", "alice", "admin"])
def test_the_pair_page_shows_each_role_only_its_own_share(client, story, name):
    client.force_login(who(name))
    page = client.get(story.get_absolute_url()).text
    for key, secret in SECRETS.items():
        if key == "feedback":
            continue  # feedback has its own page
        assert (secret in page) == (key in PAGE[name]), f"{name} and {key}"


@pytest.mark.parametrize(
    ("name", "status"),
    [("other_pair", 403), ("cora", 403), ("sam", 403), ("olive", 404)],
)
def test_people_outside_the_pair_cannot_open_it(client, story, olive, name, status):
    client.force_login(who(name))
    assert client.get(story.get_absolute_url()).status_code == status
    for path in ("", "/meetings", "/private-notes", "/pulses", "/feedback", "/goals"):
        assert client.get(f"{API}/{story.pk}{path}").status_code == status, path


@pytest.mark.parametrize("name", ["mark", "meg"])
def test_the_api_returns_only_the_readers_own_private_notes(client, story, name):
    client.force_login(who(name))
    notes = items(client.get(f"{API}/{story.pk}/private-notes"))
    assert [n["text"] for n in notes] == [SECRETS[f"{name}_private"]]
    other = "meg" if name == "mark" else "mark"
    body = " ".join(
        client.get(f"{API}/{story.pk}{path}").text
        for path in ("", "/meetings", "/pulses", "/feedback", "/goals", "/timeline", "/agreement")
    )
    assert SECRETS[f"{other}_private"] not in body
    assert SECRETS["shared"] in body and SECRETS["goal_note"] in body


def test_a_private_note_is_a_404_for_everyone_but_its_author(client, story, mark, meg, alice):
    note = story.private_notes.get(author=mark)
    for reader in (meg, alice):
        client.force_login(reader)
        assert (
            client.get(reverse("mentorships:private_note_edit", args=[note.pk])).status_code == 404
        )
        assert (
            client.patch(
                f"{API}/private-notes/{note.pk}", {"text": "x"}, content_type="application/json"
            ).status_code
            == 404
        )
        assert client.delete(f"{API}/private-notes/{note.pk}").status_code == 404
    client.force_login(mark)
    assert client.get(reverse("mentorships:private_note_edit", args=[note.pk])).status_code == 200


def test_the_other_person_never_sees_a_pulse(client, story, mark, meg):
    client.force_login(mark)
    assert items(client.get(f"{API}/{story.pk}/pulses")) == []
    client.force_login(meg)
    assert [p["comment_to_coordinator"] for p in items(client.get(f"{API}/{story.pk}/pulses"))] == [
        SECRETS["coord_comment"]
    ]


@pytest.mark.parametrize("name", ["alice", "admin"])
def test_coordinators_and_admins_read_facts_not_words(client, story, name):
    client.force_login(who(name))
    assert client.get(f"{API}/{story.pk}/private-notes").status_code == 403
    assert client.get(f"{API}/{story.pk}/feedback").status_code == 403
    assert client.get(reverse("mentorships:feedback", args=[story.pk])).status_code == 403
    meetings = items(client.get(f"{API}/{story.pk}/meetings"))
    assert meetings[0]["minutes_spent"] == 60 and meetings[0]["shared_notes"] is None
    goals = items(client.get(f"{API}/{story.pk}/goals"))
    assert goals[0]["title"] == "Chair the huddle" and goals[0]["notes"] is None
    assert client.get(f"{API}/{story.pk}/agreement").json()["latest"]["text"] is None
    pulses = items(client.get(f"{API}/{story.pk}/pulses"))
    assert pulses[0]["comment_to_coordinator"] == SECRETS["coord_comment"]


def test_coordinators_are_read_only_on_the_pairs_work(client, story, alice):
    client.force_login(alice)
    writes = [
        (f"{API}/{story.pk}/agreement", {"text": "Mine now"}),
        (f"{API}/{story.pk}/goals", {"title": "Theirs"}),
        (f"{API}/{story.pk}/pulses", {"score": 5}),
        (f"{API}/{story.pk}/private-notes", {"text": "Peek"}),
        (
            f"{API}/{story.pk}/meetings",
            {"starts_at": (timezone.now() + datetime.timedelta(days=3)).isoformat()},
        ),
    ]
    for path, payload in writes:
        assert client.post(path, payload, content_type="application/json").status_code == 403, path
    page = client.post(reverse("mentorships:meeting_new", args=[story.pk]), {})
    assert page.status_code == 403
    note = client.post(reverse("mentorships:private_note_add", args=[story.pk]), {"text": "x"})
    assert note.status_code == 403
    # The calendar file carries the place and the agenda, which are the pair's.
    meeting = story.meetings.get()
    assert client.get(reverse("mentorships:meeting_ics", args=[meeting.pk])).status_code == 403
    assert client.get(f"{API}/meetings/{meeting.pk}/ics").status_code == 403


def test_private_notes_are_not_in_the_admin(client, story):
    client.force_login(who("admin"))
    with pytest.raises(NoReverseMatch):
        reverse("admin:mentorships_privatenote_changelist")
    assert client.get("/admin/mentorships/privatenote/").status_code == 404
    page = (
        client.get("/admin/mentorships/meeting/").text
        + client.get(
            reverse("admin:mentorships_meeting_change", args=[story.meetings.get().pk])
        ).text
    )
    assert SECRETS["shared"] not in page


def test_coordinators_read_shared_notes_only_when_both_agree(client, story, mark, meg, alice):
    meeting = story.meetings.get()
    client.force_login(alice)

    def coordinator_sees() -> bool:
        page = client.get(story.get_absolute_url()).text
        api = items(client.get(f"{API}/{story.pk}/meetings"))[0]["shared_notes"]
        assert (SECRETS["shared"] in page) == (api == SECRETS["shared"])
        return api == SECRETS["shared"]

    def log(person, notes=SECRETS["shared"], share=True) -> None:  # noqa: ANN001
        meeting.refresh_from_db()
        services.meeting_log(
            meeting=meeting,
            by=person,
            held=True,
            minutes_spent=60,
            shared_notes=notes,
            share_with_coordinators=share,
        )

    assert not coordinator_sees()
    log(mark)
    assert not coordinator_sees()  # Meg has not agreed
    log(meg)
    assert coordinator_sees()
    log(mark, notes=SECRETS["shared"] + " and more", share=True)
    assert not coordinator_sees()  # changed notes: Meg is asked again
    log(meg, notes=SECRETS["shared"] + " and more", share=False)
    assert not coordinator_sees()
    assert SECRETS["mark_private"] not in client.get(story.get_absolute_url()).text


def pair_urls(story) -> list[tuple[str, str]]:  # noqa: ANN001
    """Every page of a pair, with the method it is used with."""
    meeting = story.meetings.get()
    goal = story.goals.get()
    pk = story.pk
    return [
        ("get", reverse("mentorships:detail", args=[pk])),
        ("get", reverse("mentorships:feedback", args=[pk])),
        ("get", reverse("mentorships:midpoint", args=[pk])),
        ("get", reverse("mentorships:closure", args=[pk])),
        ("get", reverse("mentorships:meeting_new", args=[pk])),
        ("get", reverse("mentorships:meeting_edit", args=[meeting.pk])),
        ("get", reverse("mentorships:meeting_log", args=[meeting.pk])),
        ("get", reverse("mentorships:meeting_ics", args=[meeting.pk])),
        ("post", reverse("mentorships:pulse", args=[pk])),
        ("post", reverse("mentorships:private_note_add", args=[pk])),
        ("post", reverse("mentorships:goal_note", args=[goal.pk])),
        ("post", reverse("mentorships:nudge", args=[pk])),
        ("post", reverse("mentorships:agreement_propose", args=[pk])),
        ("post", reverse("mentorships:agreement_sign", args=[pk])),
        ("post", reverse("mentorships:meeting_cancel", args=[meeting.pk])),
        ("post", reverse("mentorships:feedback_request", args=[pk])),
        ("post", reverse("mentorships:closure_start", args=[pk])),
        ("post", reverse("mentorships:closure_reflect", args=[pk])),
        ("get", reverse("mentorships:goal_create", args=[pk])),
    ]


def test_every_pair_page_is_404_for_outsiders_and_403_for_other_roles(client, story, olive):
    assert_role_matrix(
        client,
        pair_urls(story),
        outsiders=[who("olive")],
        read_only=[who("sam"), who("cora")],
        data={"text": "x", "score": "3"},
    )


def test_coordinators_may_not_write_the_pairs_pages(client, story, alice):
    client.force_login(alice)
    meeting = story.meetings.get()
    writes = [
        reverse("mentorships:meeting_edit", args=[meeting.pk]),
        reverse("mentorships:meeting_log", args=[meeting.pk]),
        reverse("mentorships:pulse", args=[story.pk]),
        reverse("mentorships:goal_note", args=[story.goals.get().pk]),
        reverse("mentorships:midpoint", args=[story.pk]),
        reverse("mentorships:feedback", args=[story.pk]),
    ]
    for url in writes:
        assert client.post(url, {"text": "x", "score": "3", "held": "yes"}).status_code == 403, url


@pytest.mark.parametrize(("name", "status"), [("mark", 403), ("sam", 403), ("olive", 403)])
def test_only_coordinators_change_the_thresholds(client, story, olive, name, status):
    client.force_login(who(name))
    url = reverse("mentorships:health_settings", args=[story.programme_id])
    assert client.get(url).status_code == status
    assert client.post(url, {"quiet_after_days": "30"}).status_code == status
