"""Erasing or deleting a person across the apps: their export holds their own private notes and
never their partner's, a coordinator's export holds nothing confidential, an erasure waits for
the retention check and keeps every record the partner shares (mentorcraft/people/privacy.py,
docs/privacy.md). The people app's own rules are in mentorcraft/people/tests/test_privacy.py."""

from __future__ import annotations

import datetime
import json
import re
import zoneinfo

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from mentorcraft.core import audit
from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships import services
from mentorcraft.mentorships.models import (
    Feedback,
    FeedbackPoint,
    Goal,
    GoalNote,
    Meeting,
    Mentorship,
    PrivateNote,
)
from mentorcraft.people import privacy
from mentorcraft.people.models import ErasureRequest, User
from mentorcraft.people.services import api_token_create


@pytest.fixture
def root(db) -> User:  # noqa: ANN001
    user = make_person("root@example.org", "Root Admin")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def filled(mentorship, mark, meg):  # noqa: ANN001
    """The pair with something of each kind: meg's goal with a note from each, a held meeting
    with an agenda, each one's private note, feedback each way."""
    goal = services.goal_create(
        mentorship=mentorship, by=meg, title="Lead a meeting", why="WHY-MEG-GOAL"
    )
    services.goal_note_add(goal=goal, by=meg, text="MEG-GOAL-NOTE")
    services.goal_note_add(goal=goal, by=mark, text="MARK-GOAL-NOTE")
    meeting = services.meeting_schedule(
        mentorship=mentorship,
        by=mark,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        agenda="AGENDA-SECRET",
        location="PLACE-SECRET",
    )
    services.private_note_add(mentorship=mentorship, by=meg, text="MEG-PRIVATE")
    services.private_note_add(mentorship=mentorship, by=mark, text="MARK-PRIVATE")
    services.feedback_give(
        mentorship=mentorship, by=meg, point=FeedbackPoint.MONTH_ONE, helped="MEG-TO-MARK"
    )
    services.feedback_give(
        mentorship=mentorship, by=mark, point=FeedbackPoint.MONTH_ONE, helped="MARK-TO-MEG"
    )
    mentorship.goal, mentorship.meeting = goal, meeting
    return mentorship


def _close(mentorship, by) -> None:  # noqa: ANN001
    services.closure_start(mentorship=mentorship, by=by, kind="early", reason="Moved on.")


def test_a_person_exports_their_own_private_notes_and_never_their_partners(client, filled, meg):
    client.force_login(meg)
    download = client.get(reverse("people:my_data_download"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    text = download.content.decode()
    document = json.loads(text)
    assert document["email"] == "meg@example.org"
    assert "MEG-PRIVATE" in text and "MEG-GOAL-NOTE" in text
    assert "MARK-TO-MEG" in text and "MEG-TO-MARK" in text  # feedback received and given
    assert "AGENDA-SECRET" in text  # the pair's own meeting
    assert "MARK-PRIVATE" not in text
    titles = {section["title"] for section in document["sections"]}
    assert {"Your profile", "Your mentorships", "Your private notes", "Your roles"} <= titles
    assert "data exported" in [entry.action for entry in audit.history(meg)]

    page = client.get(reverse("people:my_data"))
    assert page.status_code == 200
    assert "MEG-PRIVATE" in page.content.decode()
    assert "MARK-PRIVATE" not in page.content.decode()


def test_the_page_reads_as_words_in_the_persons_zone_and_the_file_keeps_codes(
    client, filled, mark, meg
):
    meg.profile.time_zone = "Asia/Tokyo"
    meg.profile.save(update_fields=["time_zone"])
    client.force_login(meg)
    page = client.get(reverse("people:my_data"))
    assert page.status_code == 200
    main = page.text.split("<main", 1)[1].split("</main>")[0]
    # Stacked label-and-value lists, not a table that wraps a letter a line on a phone.
    assert "<table" not in main and 'class="data-rows"' in main and '<dl class="kv">' in main
    # Moments in meg's own zone, never ISO text with microseconds.
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}", main)
    local = filled.meeting.starts_at.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert f"{local:%a} {local.day} {local:%b %Y, %H:%M}" in main
    # Choices by their labels; the pair by the other person.
    assert "After the first month" in main and "month_one" not in main
    assert "Not started" in main and "not_started" not in main
    assert f"with {mark.display_name} ({filled.programme.name})" in main
    assert not re.search(r"<dt>Pair</dt><dd>\d", main)  # no bare pair ids
    assert main.count(f"<dt>Pair</dt><dd>with {mark.display_name}") >= 3  # pairs, meetings, goals
    # The file keeps ISO moments and the codes, for a program to read.
    document = client.get(reverse("people:my_data_download")).json()
    rows = {section["title"]: section["rows"] for section in document["sections"]}
    assert rows["Goals"][0]["status"] == "not_started"
    assert rows["Feedback you gave"][0]["point"] == "month_one"
    assert rows["Meetings"][0]["pair"] == filled.pk
    moment = datetime.datetime.fromisoformat(rows["Meetings"][0]["starts"])
    assert moment == filled.meeting.starts_at


def test_a_coordinator_exports_the_programme_without_anything_confidential(
    client, filled, alice, mark, meg, olive
):
    url = reverse("programmes:export", args=[filled.programme_id])
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    document = json.loads(text)
    pairs = next(s for s in document["sections"] if s["title"] == "Pairs")["rows"]
    assert [(row["mentor"], row["mentee"]) for row in pairs] == [
        (mark.display_name, meg.display_name)
    ]
    assert "Lead a meeting" in text  # a goal's title: coordinators read it
    for secret in (
        "MEG-PRIVATE",
        "MARK-PRIVATE",
        "AGENDA-SECRET",
        "PLACE-SECRET",
        "WHY-MEG-GOAL",
        "MEG-GOAL-NOTE",
        "MARK-TO-MEG",
        "MEG-TO-MARK",
    ):
        assert secret not in text, secret
    api = client.get(f"/api/v1/programmes/{filled.programme_id}/export")
    assert api.status_code == 200
    assert "AGENDA-SECRET" not in api.content.decode()

    # The programme is open for all to read, so anyone but its coordinators is refused (403);
    # a programme nobody may see is not found.
    for person in (olive, mark):  # someone outside it, a mentor of it
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.get(f"/api/v1/programmes/{filled.programme_id}/export").status_code == 403
    assert client.get(reverse("programmes:export", args=[10**6])).status_code == 404
    assert client.get(f"/api/v1/programmes/{10**6}/export").status_code == 404


def test_erasure_waits_while_the_mentorship_is_active(filled, mark, root):
    erasure = privacy.erasure_request_create(person=mark)
    holds = privacy.erasure_holds_for(mark)
    assert len(holds) == 1 and holds[0].startswith("an active mentorship in ")
    with pytest.raises(TransitionError, match="must wait"):
        privacy.person_erase(person=mark, by=root, erasure=erasure)
    mark.refresh_from_db()
    assert mark.is_active and mark.email == "mark@example.org"
    _close(filled, mark)
    assert privacy.erasure_holds_for(mark) == []
    privacy.person_erase(person=mark, by=root, erasure=erasure)
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.CARRIED_OUT and erasure.decided_by == root


def test_erasing_a_mentor_keeps_the_mentees_records(client, filled, alice, mark, meg, root):
    _close(filled, meg)
    _, token = api_token_create(user=mark, name="script", days=7)
    client.force_login(mark)
    erasure = privacy.erasure_request_create(person=mark, reason="Leaving the company")

    client.force_login(root)
    check = client.get(reverse("people:erasure_request", args=[erasure.pk]))
    assert check.status_code == 200 and "Nothing holds it back" in check.content.decode()
    response = client.post(
        reverse("people:erasure_carry_out", args=[erasure.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 302

    mark.refresh_from_db()
    assert mark.display_name == privacy.FORMER_PARTICIPANT
    assert not mark.is_active and not mark.has_usable_password()
    assert mark.email.endswith("@erased.invalid") and "mark" not in mark.email
    assert mark.profile.bio == "" and mark.profile.job_title == ""
    assert mark.api_tokens.get().revoked_at is not None
    client.logout()
    assert client.get("/api/v1/people/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    # What only mark wrote for himself is gone; everything shared with meg stays.
    assert not PrivateNote.objects.filter(author=mark).exists()
    assert PrivateNote.objects.filter(author=meg, text="MEG-PRIVATE").exists()
    assert Mentorship.every.filter(pk=filled.pk, mentor=mark).exists()
    assert Goal.objects.filter(mentorship=filled).count() == 1
    assert GoalNote.objects.filter(goal__mentorship=filled).count() == 2
    assert Meeting.objects.filter(mentorship=filled).count() == 1
    assert set(Feedback.objects.filter(mentorship=filled).values_list("helped", flat=True)) == {
        "MEG-TO-MARK",
        "MARK-TO-MEG",
    }
    assert "person erased" in [entry.action for entry in audit.history(mark)]
    erased = next(entry for entry in audit.history(mark) if entry.action == "person erased")
    assert erased.detail.startswith("Erased on their request")  # said, without the old name
    assert "Mark" not in erased.detail and privacy.FORMER_PARTICIPANT in erased.detail
    # Nobody puts a line manager on record for someone erased: no form, and the post refused.
    client.force_login(root)
    profile = client.get(reverse("people:profile", args=[mark.pk]))
    assert profile.status_code == 200 and "Line manager on record" not in profile.text
    on_record = reverse("people:org_manager", args=[mark.pk])
    assert client.post(on_record, {"manager": root.pk}).status_code == 403
    client.logout()
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.CARRIED_OUT and erasure.reason == ""

    # Meg's pages name her former mentor as a former participant, without an error.
    client.force_login(meg)
    page = client.get(reverse("mentorships:detail", args=[filled.pk]))
    assert page.status_code == 200
    assert privacy.FORMER_PARTICIPANT in page.content.decode()
    assert "Mark" not in page.content.decode().split("<main", 1)[-1].split("</main>")[0]
    exported = client.get(reverse("people:my_data_download")).json()
    pairs = next(s for s in exported["sections"] if s["title"] == "Your mentorships")["rows"]
    assert pairs[0]["partner"] == privacy.FORMER_PARTICIPANT
    client.force_login(alice)
    assert client.get(reverse("mentorships:board", args=[filled.programme_id])).status_code == 200
    assert client.get(reverse("programmes:export", args=[filled.programme_id])).status_code == 200


def test_deleting_a_mentor_never_takes_the_mentees_records(client, filled, mark, meg, root):
    with pytest.raises(ProtectedError):
        mark.delete()
    assert PrivateNote.objects.filter(author=meg).exists()
    assert Feedback.objects.filter(mentorship=filled).count() == 2
    client.force_login(root)
    response = client.post(reverse("admin:people_user_delete", args=[mark.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:erasure_requests")
    assert User.objects.filter(pk=mark.pk).exists()
    changelist = client.post(
        reverse("admin:people_user_changelist"),
        {"action": "delete_selected", "_selected_action": [mark.pk], "post": "yes"},
    )
    assert changelist.status_code in (200, 302)
    assert User.objects.filter(pk=mark.pk).exists()
