"""Who reads what, on every surface: a note is the sender's and the recipient's (the
coordinators see counts, and a note only when its recipient shows it to them); a certificate is
its holder's and the coordinators'; a record is its owner's alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import assert_role_matrix, items
from mentorcraft.recognition import services
from mentorcraft.recognition.models import Certificate

pytestmark = pytest.mark.django_db
SECRET = "You got me through the worst month of my career."


@pytest.fixture
def note(mentorship, meg, mark):  # noqa: ANN001, ANN201
    return services.thanks_send(
        sender=meg, recipient=mark, programme=mentorship.programme, message=SECRET
    )[0]


def test_a_note_is_read_by_its_sender_and_recipient(
    client, note, meg, mark, alice, cora, sam, olive
):
    page = reverse("recognition:note", args=[note.pk])
    api = f"/api/v1/recognition/thanks/{note.pk}"
    for reader in (meg, mark):
        client.force_login(reader)
        assert SECRET in client.get(page).text
        assert client.get(api).json()["message"] == SECRET
    # Coordinators, coaches and sponsors have a part in the programme: 403; olive: 404.
    assert_role_matrix(
        client, [("get", page), ("get", api)], outsiders=[olive], read_only=[alice, cora, sam]
    )
    for person in (alice, cora, sam, olive):
        client.force_login(person)
        assert SECRET not in client.get(reverse("recognition:mine")).text
        assert items(client.get("/api/v1/recognition/thanks/received")) == []
        assert items(client.get("/api/v1/recognition/thanks/sent")) == []


def test_coordinators_see_how_many_never_what(client, note, alice, mark, programme):
    client.force_login(alice)
    page = client.get(reverse("recognition:programme", args=[programme.pk]))
    assert page.status_code == 200
    assert SECRET not in page.text
    row = next(
        r
        for r in items(client.get(f"/api/v1/recognition/programmes/{programme.pk}/thanks"))
        if r["person"]["id"] == mark.pk
    )
    assert row["total"] == 1 and row["from_mentees"] == 1 and "message" not in row
    assert "1 thank-you note to 1 person" in page.text
    programme_page = client.get(programme.get_absolute_url()).text
    assert "1 thank-you note to 1 person" in programme_page and SECRET not in programme_page


def test_a_note_shown_to_the_coordinators_is_read_by_them_and_nobody_more(
    client, note, mark, alice, cora, sam, olive, programme
):
    services.thanks_show_to_coordinators(note=note, by=mark, shown=True)
    client.force_login(alice)
    assert SECRET in client.get(reverse("recognition:programme", args=[programme.pk])).text
    assert SECRET in client.get(reverse("recognition:note", args=[note.pk])).text
    share = reverse("recognition:note_share", args=[note.pk])
    assert client.post(share, {"shown": "0"}).status_code == 403, "only the recipient decides"
    assert_role_matrix(
        client,
        [("get", reverse("recognition:note", args=[note.pk]))],
        outsiders=[olive],
        read_only=[cora, sam],
    )


def test_the_programme_page_is_for_its_coordinators(client, pairing, cora, sam, mark, olive):
    programme = pairing
    page = reverse("recognition:programme", args=[programme.pk])
    api = f"/api/v1/recognition/programmes/{programme.pk}/thanks"
    assert_role_matrix(
        client, [("get", page), ("get", api)], outsiders=[olive], read_only=[cora, sam, mark]
    )


def test_a_certificate_is_its_holders_and_the_coordinators(
    client, finished, meg, mark, alice, cora, sam, olive
):
    services.certificates_issue()
    mine = Certificate.objects.get(holder=mark)
    for url in (
        mine.get_absolute_url(),
        mine.verify_url(),
        f"/api/v1/recognition/certificates/{mine.reference}",
    ):
        for reader in (mark, alice):
            client.force_login(reader)
            assert client.get(url).status_code == 200, (reader, url)
        # The mentee holds her own certificate, not his.
        assert_role_matrix(client, [("get", url)], outsiders=[olive], read_only=[meg, cora, sam])
    client.force_login(meg)
    assert [c["holder"]["id"] for c in items(client.get("/api/v1/recognition/certificates"))] == [
        meg.pk
    ]


def test_certificates_from_a_pairs_page_follow_the_same_ladder(
    client, finished, meg, mark, alice, cora, sam, olive
):
    mentor_url = reverse("recognition:mentorship_certificate", args=[finished.pk, "mentor"])
    mentee_url = reverse("recognition:mentorship_certificate", args=[finished.pk, "mentee"])
    client.force_login(mark)
    assert client.get(mentor_url).status_code == 302
    assert client.get(mentee_url).status_code == 403
    client.force_login(alice)
    assert client.get(mentee_url).status_code == 302
    assert_role_matrix(client, [("get", mentor_url)], outsiders=[olive], read_only=[cora, sam])


def test_an_unknown_or_malformed_reference_is_not_found(client, mark):
    client.force_login(mark)
    for reference in ("MC-2222-2222", "nonsense", "MC-IIII-OOOO", "x" * 400):
        assert client.get(reverse("recognition:verify", args=[reference])).status_code == 404
        assert client.get(f"/api/v1/recognition/certificates/{reference}").status_code == 404


def test_a_record_is_its_owners_alone(client, note, mark, alice):
    client.force_login(mark)
    assert SECRET in client.get(reverse("recognition:record")).text
    client.force_login(alice)
    record = client.get(reverse("recognition:record"))
    assert record.status_code == 200 and SECRET not in record.text
    assert client.get("/api/v1/recognition/record").json()["thanks_received"] == 0


def test_the_admin_never_shows_what_a_note_says(client, note):
    from mentorcraft.people.models import User

    root = User.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(root)
    change = client.get(reverse("admin:recognition_thankyounote_change", args=[note.pk]))
    assert change.status_code == 200 and SECRET not in change.text
    listing = client.get(reverse("admin:recognition_thankyounote_changelist"))
    assert SECRET not in listing.text
