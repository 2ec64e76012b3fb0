"""The people app's side of a person's own data: export pages and endpoints, asking to be
erased, who may carry an erasure out, and deactivation. What erasure keeps across the apps is
tested in config/tests/test_personal_data.py (it needs the higher apps' records)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import make_person
from mentorcraft.core import audit
from mentorcraft.people import privacy
from mentorcraft.people.models import ErasureRequest, User
from mentorcraft.people.services import api_token_create


@pytest.fixture
def root(db) -> User:  # noqa: ANN001
    user = make_person("root@example.org", "Root Admin")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def test_a_person_exports_their_profile_and_it_is_audited(client, mentorship, meg):
    meg.profile.bio = "MEG-BIO"
    meg.profile.save(update_fields=["bio"])
    client.force_login(meg)
    download = client.get(reverse("people:my_data_download"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    document = download.json()
    assert document["email"] == "meg@example.org"
    profile = next(s for s in document["sections"] if s["title"] == "Your profile")["rows"][0]
    assert profile["about you"] == "MEG-BIO"
    titles = {section["title"] for section in document["sections"]}
    assert {"Your account", "Your mentorships", "Your private notes", "Your roles"} <= titles
    assert "data exported" in [entry.action for entry in audit.history(meg)]
    page = client.get(reverse("people:my_data"))
    assert page.status_code == 200 and "MEG-BIO" in page.content.decode()
    # Only the file leaving the platform is an export: reading the page is not recorded.
    assert [entry.action for entry in audit.history(meg)].count("data exported") == 1


def test_reading_the_page_is_not_recorded_and_each_download_is(client, meg):
    client.force_login(meg)
    for _ in range(2):
        assert client.get(reverse("people:my_data")).status_code == 200
    assert [entry.action for entry in audit.history(meg)] == []
    client.get(reverse("people:my_data_download"))
    client.get("/api/v1/people/me/export")
    assert [entry.action for entry in audit.history(meg)] == ["data exported", "data exported"]


def test_the_api_exports_only_the_person_asking(client, mentorship, meg, olive):
    client.force_login(olive)
    mine = client.get("/api/v1/people/me/export")
    assert mine.status_code == 200
    assert "meg@example.org" not in mine.content.decode()
    assert mine.json()["email"] == "olive@example.org"
    # There is no way to name someone else: another person's export is not found.
    assert client.get(f"/api/v1/people/{meg.pk}/export").status_code == 404
    assert client.get(f"/people/{meg.pk}/data/").status_code == 404
    client.logout()
    assert client.get("/api/v1/people/me/export").status_code == 401
    assert client.get(reverse("people:my_data")).status_code == 302


def test_a_person_asks_to_be_erased_and_is_told_what_waits(client, mentorship, mark):
    client.force_login(mark)
    page = client.get(reverse("people:erasure_ask"))
    assert page.status_code == 200
    assert "An active mentorship in" in page.content.decode()  # the retention check, for them
    unconfirmed = client.post(reverse("people:erasure_ask"), {"reason": "Leaving <soon>"})
    assert unconfirmed.status_code == 422
    # What they typed comes back with the error (escaped), for them to tick the box and send.
    assert ">Leaving &lt;soon&gt;</textarea>" in unconfirmed.content.decode()
    assert "Tick the box" in unconfirmed.content.decode()
    assert not ErasureRequest.objects.exists()
    done = client.post(reverse("people:erasure_ask"), {"reason": "Leaving", "confirm": "yes"})
    assert done.status_code == 302
    again = client.post(reverse("people:erasure_ask"), {"confirm": "yes"})
    assert again.status_code in (200, 302)
    assert ErasureRequest.objects.filter(person=mark, status="requested").count() == 1
    erasure = ErasureRequest.objects.get()
    assert [entry.action for entry in audit.history(erasure)] == ["erasure requested"]


def test_the_api_takes_a_request_and_a_read_only_token_may_not(client, mark, meg):
    _, read_only = api_token_create(user=meg, name="reader", days=7, read_only=True)
    refused = client.post(
        "/api/v1/people/me/erasure-request",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {read_only}",
    )
    assert refused.status_code == 403
    assert not ErasureRequest.objects.exists()
    _, raw = api_token_create(user=meg, name="writer", days=7)
    made = client.post(
        "/api/v1/people/me/erasure-request",
        {"reason": "Leaving"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert made.status_code == 201
    assert made.json()["status"] == "requested"
    assert made.json()["holds"] == []
    assert ErasureRequest.objects.get().person == meg


def test_only_an_administrator_carries_out_or_refuses(client, mentorship, alice, meg, root):
    erasure = privacy.erasure_request_create(person=meg)
    for person in (alice, meg):  # a coordinator, the person themselves
        client.force_login(person)
        assert client.get(reverse("people:erasure_requests")).status_code == 403
        assert client.get(reverse("people:erasure_request", args=[erasure.pk])).status_code == 403
        erase = reverse("people:erasure_carry_out", args=[erasure.pk])
        assert client.post(erase, {"confirm": "yes"}).status_code == 403
        refuse = reverse("people:erasure_refuse", args=[erasure.pk])
        assert client.post(refuse, {"note": "No"}).status_code == 403
    meg.refresh_from_db()
    assert meg.is_active
    with pytest.raises(Exception, match="administrators"):
        privacy.person_erase(person=meg, by=alice, erasure=erasure)

    client.force_login(root)
    listing = client.get(reverse("people:erasure_requests"))
    assert listing.status_code == 200
    assert "Waits: an active mentorship" in listing.content.decode()
    assert client.get(reverse("people:erasure_request", args=[10**6])).status_code == 404
    blank = client.post(reverse("people:erasure_refuse", args=[erasure.pk]), {"note": " "})
    assert blank.status_code == 302
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.REQUESTED
    client.post(reverse("people:erasure_refuse", args=[erasure.pk]), {"note": "Still mentoring"})
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.REFUSED and erasure.note == "Still mentoring"


def test_a_deactivated_person_leaves_the_board(client, mentorship, alice, mark):
    url = reverse("mentorships:board", args=[mentorship.programme_id])
    client.force_login(alice)
    assert mark.display_name in client.get(url).content.decode()
    mark.is_active = False
    mark.save(update_fields=["is_active"])
    assert mark.display_name not in client.get(url).content.decode()
    assert list(privacy.active_people().filter(pk=mark.pk)) == []


def test_the_pages_say_the_rule_and_link_the_page_and_the_file(client, mentorship, mark, root):
    client.force_login(mark)
    ask = client.get(reverse("people:erasure_ask")).content.decode()
    assert f'href="{reverse("people:my_data")}"' in ask
    assert f'href="{reverse("people:my_data_download")}"' in ask
    assert "active mentoring" not in ask
    privacy.erasure_request_create(person=mark)
    client.force_login(root)
    listing = client.get(reverse("people:erasure_requests")).content.decode()
    assert "docs/privacy.md" not in listing  # a path in the repository, not a page
    assert "The rule:" in listing and "A former participant" in listing


def test_nobody_puts_a_line_manager_on_record_for_an_inactive_person(
    client, mentorship, alice, mark, root
):
    boss = make_person("boss@example.org", "Boss Person")
    profile_url = reverse("people:profile", args=[mark.pk])
    set_url = reverse("people:org_manager", args=[mark.pk])
    for person in (alice, root):  # the programme's coordinator, an administrator
        client.force_login(person)
        assert "Line manager on record" in client.get(profile_url).content.decode()
    mark.is_active = False
    mark.save(update_fields=["is_active"])
    for person in (alice, root):
        client.force_login(person)
        page = client.get(profile_url)
        assert page.status_code == 200 and "Line manager on record" not in page.content.decode()
        assert client.post(set_url, {"manager": boss.pk}).status_code == 403
    mark.profile.refresh_from_db()
    assert mark.profile.org_manager_id is None
