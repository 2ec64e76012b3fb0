"""Recognition over JSON, with the same rules as the pages: 201 for a new note, 200 for a
repeat, 400 for words the rules refuse, 403 and 404 by the access ladder, 422 for a body that
is not one."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail

from conftest import assert_role_matrix, items
from mentorcraft.recognition.models import MESSAGE_LIMIT, ThankYouNote

pytestmark = pytest.mark.django_db
API = "/api/v1/recognition"


def post(client, url: str, data: dict):  # noqa: ANN001, ANN201
    return client.post(url, data, content_type="application/json")


def body(mentorship, **extra) -> dict:  # noqa: ANN001, ANN003
    return {
        "recipient_id": mentorship.mentor_id,
        "programme_id": mentorship.programme_id,
        "message": "Thank you for every question.",
        **extra,
    }


def test_send_list_and_repeat(client, mentorship, meg, mark):
    client.force_login(meg)
    (whom,) = items(client.get(f"{API}/thanks/recipients"))
    assert whom["person"]["id"] == mark.pk and whom["mentorship_id"] == mentorship.pk
    token = str(uuid.uuid4())
    first = post(client, f"{API}/thanks", body(mentorship, token=token))
    assert first.status_code == 201, first.content
    note = first.json()
    assert note["kind"] == "mentee" and note["mentorship_id"] == mentorship.pk
    again = post(client, f"{API}/thanks", body(mentorship, token=token))
    assert again.status_code == 200 and again.json()["id"] == note["id"]
    assert ThankYouNote.objects.count() == 1
    assert len([m for m in mail.outbox if m.subject.endswith("says thank you")]) == 1
    assert [n["id"] for n in items(client.get(f"{API}/thanks/sent"))] == [note["id"]]
    assert items(client.get(f"{API}/thanks/received")) == []
    client.force_login(mark)
    received = items(client.get(f"{API}/thanks/received"))
    assert [n["message"] for n in received] == ["Thank you for every question."]
    shown = post(client, f"{API}/thanks/{note['id']}/shown", {"shown": True})
    assert shown.status_code == 200 and shown.json()["shown_to_coordinators"] is True
    client.force_login(meg)
    assert post(client, f"{API}/thanks/{note['id']}/shown", {"shown": False}).status_code == 403


def test_errors_are_400_403_404_and_422_never_500(client, mentorship, meg, mark, cora, olive):
    client.force_login(meg)
    too_long = post(client, f"{API}/thanks", body(mentorship, message="x" * (MESSAGE_LIMIT + 1)))
    assert too_long.status_code == 422
    blank = post(client, f"{API}/thanks", body(mentorship, message="   "))
    assert blank.status_code == 400 and "few words" in str(blank.json()["detail"])
    not_hers = post(client, f"{API}/thanks", body(mentorship, recipient_id=cora.pk))
    assert not_hers.status_code == 400 and "recipient" in not_hers.json()["detail"]
    assert post(client, f"{API}/thanks", body(mentorship, programme_id=999999)).status_code == 404
    assert post(client, f"{API}/thanks", body(mentorship, recipient_id=0)).status_code == 404
    assert post(client, f"{API}/thanks", body(mentorship, mentorship_id=2**70)).status_code in (
        404,
        422,
    )
    assert post(client, f"{API}/thanks", {"message": "no one"}).status_code == 422
    assert client.get(f"{API}/thanks/999999").status_code == 404
    note = post(client, f"{API}/thanks", body(mentorship)).json()
    assert_role_matrix(
        client, [("get", f"{API}/thanks/{note['id']}")], outsiders=[olive], read_only=[cora]
    )
    client.logout()
    assert client.get(f"{API}/thanks/received").status_code == 401


def test_an_outsider_learns_no_name_and_no_programme_from_a_refusal(client, mentorship, olive):
    """From review: any signed-in person could read anyone's name (and any programme's) off
    the refusal by trying ids."""
    client.force_login(olive)
    refused = post(client, f"{API}/thanks", body(mentorship))
    assert refused.status_code == 404
    text = refused.content.decode()
    assert mentorship.mentor.display_name not in text
    assert mentorship.programme.name not in text


def test_certificates_and_the_record(client, finished, meg, mark):
    client.force_login(mark)
    (certificate,) = items(client.get(f"{API}/certificates"))
    assert certificate["kind"] == "mentorship" and certificate["holder_as"] == "mentor"
    assert certificate["meetings"] == 3 and certificate["url"].endswith(
        f"{certificate['reference']}/"
    )
    got = client.get(f"{API}/certificates/{certificate['reference'].lower()}")
    assert got.status_code == 200 and got.json()["reference"] == certificate["reference"]
    record = client.get(f"{API}/record").json()
    (row,) = record["mentorships"]
    assert row["state"] == "completed" and row["meetings_held"] == 3 and row["minutes"] == 165
    assert row["mentee"]["name"] == "Meg Mentee"
    assert [c["reference"] for c in record["certificates"]] == [certificate["reference"]]
    client.force_login(meg)
    assert client.get(f"{API}/certificates/{certificate['reference']}").status_code == 403
