"""Confidentiality, for every role, on pages, the API and the admin: a topic is read by the
mentor who brought it and their supervisor; a coach's notes by their author alone; a concern
by whoever raised it and the programme's coordinators, never by the other party."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core import mail
from django.urls import reverse

from conftest import assert_role_matrix
from mentorcraft.people.models import User
from mentorcraft.support import services
from mentorcraft.support.models import CoachNote, Concern, Topic

from .conftest import started

pytestmark = pytest.mark.django_db

SECRET = "my mentee cried in our last meeting"
NOTE = "Mark seems close to burning out; ask gently next time."
WORRY = "the mentee mentioned a manager shouting at her"


@pytest.fixture
def cast(programme, alice, mark, meg, sam, olive, mentors, circle, session, vic, wes):  # noqa: ANN001
    """Everyone the rules are about, and one of each confidential thing."""
    other_supervisor = services.supervisor_add(
        programme=programme, person=wes, kind="external", capacity=5, by=alice
    )
    services.assign(programme=programme, mentor=mentors[3], supervisor=other_supervisor, by=alice)
    topic = services.topic_bring(
        programme=programme,
        mentor=mark,
        title="A hard meeting",
        situation=SECRET,
        help_wanted=["listen"],
        session=session,
    )
    held = started(session)
    services.coach_note_save(session=held, by=vic, text=NOTE)
    concern = services.concern_raise(
        mentorship=meg.mentorships_as_mentee.get(), by=mark, kind="safeguarding", description=WORRY
    )
    root = User.objects.create_superuser(email="root@example.org", password="x")
    return {
        "topic": topic,
        "session": held,
        "concern": concern,
        "root": root,
        "circle_mate": mentors[1],
        "other_coach": wes,
    }


def test_a_topic_is_for_its_mentor_and_their_supervisor(
    client, cast, mark, vic, alice, meg, sam, olive
):
    topic = cast["topic"]
    page = reverse("support:topic", args=[topic.pk])
    api = f"/api/v1/supervision/topics/{topic.pk}"
    for reader in (mark, vic):
        client.force_login(reader)
        assert SECRET in client.get(page).content.decode()
        assert client.get(api).json()["situation"] == SECRET
        listed = client.get("/api/v1/supervision/topics").json()["items"]
        assert [t["id"] for t in listed] == [topic.pk]
    nobody_else = [
        cast["circle_mate"],
        meg,
        alice,
        cast["other_coach"],
        sam,
        olive,
        cast["root"],
    ]
    assert_role_matrix(client, [("get", page), ("get", api)], outsiders=nobody_else)
    for person in nobody_else:
        client.force_login(person)
        assert client.get("/api/v1/supervision/topics").json()["items"] == []
    # The mentor reads it but does not tag it.
    assert_role_matrix(
        client,
        [("post", reverse("support:topic_tag", args=[topic.pk]))],
        read_only=[mark],
        data={"function": "formative", "status": "open"},
    )
    assert_role_matrix(
        client,
        [("post", f"/api/v1/supervision/topics/{topic.pk}/tag")],
        read_only=[mark],
        outsiders=[alice, olive],
        data={"function": "formative"},
        json=True,
    )


def test_a_coach_note_is_read_by_its_author_alone(client, cast, vic, mark, alice, meg, sam, olive):
    session = cast["session"]
    page = reverse("support:session", args=[session.pk])
    client.force_login(vic)
    assert NOTE in client.get(page).content.decode()
    for reader in (mark, cast["circle_mate"], alice, cast["root"]):
        client.force_login(reader)
        response = client.get(page)
        assert response.status_code == 200
        assert NOTE not in response.content.decode()
    for reader in (vic, mark, alice, cast["root"]):
        client.force_login(reader)
        for url in (
            f"/api/v1/supervision/sessions/{session.pk}",
            "/api/v1/supervision/sessions",
            "/api/v1/supervision/caseload",
            "/api/v1/supervision/circles",
            f"/api/v1/supervision/programmes/{session.programme_id}/overview",
        ):
            assert NOTE not in client.get(url).content.decode()
    # Others with a part in the programme are refused (403), the rest told there is none.
    assert_role_matrix(
        client, [("get", page)], outsiders=[olive], read_only=[meg, sam, cast["other_coach"]]
    )
    # Not in the admin at all, and no other model's admin shows it.
    assert CoachNote not in admin.site._registry
    assert CoachNote.NOT_IN_ADMIN


def test_the_admin_never_shows_what_a_mentor_wrote(client, cast):
    client.force_login(cast["root"])
    listing = client.get(reverse("admin:support_topic_changelist"))
    assert listing.status_code == 200
    assert SECRET not in listing.content.decode()
    change = client.get(reverse("admin:support_topic_change", args=[cast["topic"].pk]))
    assert SECRET not in change.content.decode()
    probe = client.get(reverse("admin:support_topic_changelist") + "?situation__icontains=cried")
    assert probe.status_code != 200 or SECRET not in probe.content.decode()
    concern = client.get(reverse("admin:support_concern_change", args=[cast["concern"].pk]))
    assert WORRY not in concern.content.decode()


def test_a_concern_reaches_the_coordinators_and_nobody_else(
    client, cast, alice, mark, meg, vic, sam, olive
):
    concern = cast["concern"]
    page = reverse("support:concern", args=[concern.pk])
    api = f"/api/v1/supervision/concerns/{concern.pk}"
    for reader in (alice, mark):
        client.force_login(reader)
        assert WORRY in client.get(page).content.decode()
        assert client.get(api).json()["description"] == WORRY
    assert_role_matrix(
        client,
        [("get", page), ("get", api)],
        outsiders=[meg, vic, cast["circle_mate"], cast["other_coach"], sam, olive, cast["root"]],
    )
    listing = reverse("support:concerns", args=[concern.programme_id])
    assert_role_matrix(
        client,
        [
            ("get", listing),
            ("get", f"/api/v1/supervision/programmes/{concern.programme_id}/concerns"),
        ],
        outsiders=[olive],
        read_only=[sam, mark, meg, cast["root"]],
    )
    # The other party: not on the pair's page, not at home.
    mentorship = concern.mentorship
    client.force_login(meg)
    for url in (mentorship.get_absolute_url(), "/", reverse("support:mine")):
        assert WORRY not in client.get(url).content.decode()
        assert f"/supervision/concerns/{concern.pk}/" not in client.get(url).content.decode()
    client.force_login(mark)
    assert (
        f"/supervision/concerns/{concern.pk}/"
        in client.get(mentorship.get_absolute_url()).content.decode()
    )


def test_the_concern_mail_goes_to_coordinators_without_what_it_says(
    programme, alice, mark, meg, mentorship
):
    mail.outbox.clear()
    services.concern_raise(mentorship=mentorship, by=mark, kind="ethics", description=WORRY)
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert WORRY not in mail.outbox[0].body
    with pytest.raises(Exception, match="Only the two people"):
        services.concern_raise(
            mentorship=mentorship, by=alice, kind="ethics", description="Not mine to raise."
        )
    assert Concern.objects.count() == 1


def test_the_supervision_page_is_for_coordinators(
    client, programme, mark, meg, sam, olive, mentors
):
    url = reverse("support:overview", args=[programme.pk])
    assert_role_matrix(
        client,
        [("get", url), ("get", f"/api/v1/supervision/programmes/{programme.pk}/overview")],
        outsiders=[olive],
        read_only=[sam, mark, meg],
    )
    assert Topic.objects.count() == 0
