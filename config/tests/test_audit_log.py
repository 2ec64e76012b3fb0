"""The audit log across the apps: the services record decisions, role grants, publications,
offers, closures and concerns, and never what people wrote; a programme's coordinators read its
log on a page and over the API, nobody else in it may, outsiders learn nothing; admins read
every entry in the admin; nobody changes or deletes an entry."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from conftest import assert_queries_do_not_grow, assert_role_matrix, fetcher, items, make_person
from mentorcraft.core import audit
from mentorcraft.core.models import AuditEntry
from mentorcraft.core.tests.test_audit import everything_logged, words
from mentorcraft.matching import services as matching
from mentorcraft.matching.models import Offer
from mentorcraft.mentorships import services as mentorships
from mentorcraft.mentorships.models import FeedbackPoint
from mentorcraft.people.models import User
from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import Application
from mentorcraft.support import services as support

pytestmark = pytest.mark.django_db

API = "/api/v1/programmes"

SECRETS = {
    "private_note": "PRIVATE-NOTE-7731",
    "feedback": "FEEDBACK-TEXT-5567",
    "agreement": "AGREEMENT-TEXT-2214",
    "close_reason": "EARLY-CLOSE-REASON-4410",
    "reflection": "REFLECTION-TEXT-9021",
    "decline_reason": "DECLINE-REASON-3390",
    "concern": "CONCERN-DESCRIPTION-1288",
    "statement": "Fifteen years of leading teams",  # mark's application (conftest)
}


@pytest.fixture
def bob(db) -> User:  # noqa: ANN001
    return make_person("bob@example.org", "Bob Elsewhere")


@pytest.fixture
def other(bob):  # noqa: ANN001, ANN201
    """A second programme, still a draft, coordinated by bob alone, with an entry of its own."""
    made = programmes.programme_create(
        by=bob, name="Another programme", purpose="Elsewhere.", start_date=timezone.localdate()
    )
    audit.record(actor=bob, action="noted", target=made, detail="ONLY-IN-THE-OTHER-PROGRAMME")
    return made


def test_the_services_record_the_steps_and_never_what_people_wrote(
    programme, alice, mark, meg, mentorship, mentor_application
):
    mentorships.agreement_propose(mentorship=mentorship, by=meg, text=SECRETS["agreement"])
    mentorships.private_note_add(mentorship=mentorship, by=mark, text=SECRETS["private_note"])
    mentorships.feedback_give(
        mentorship=mentorship, by=meg, point=FeedbackPoint.CLOSURE, helped=SECRETS["feedback"]
    )
    support.concern_raise(
        mentorship=mentorship, by=meg, kind="ethics", description=SECRETS["concern"]
    )
    expires = timezone.now() + datetime.timedelta(days=3)
    first, second = programme.extra_mentees
    accepted = Offer.objects.create(
        programme=programme, mentee=first, mentor=mark, expires_at=expires, created_by=alice
    )
    matching.offer_respond(offer=accepted, by=first, accept=True)
    matching.offer_respond(offer=accepted, by=mark, accept=True)
    declined = Offer.objects.create(
        programme=programme, mentee=second, mentor=mark, expires_at=expires, created_by=alice
    )
    matching.offer_respond(
        offer=declined, by=second, accept=False, reason=SECRETS["decline_reason"]
    )
    mentorships.closure_start(
        mentorship=mentorship, by=meg, kind="early", reason=SECRETS["close_reason"]
    )
    mentorships.closure_reflect(
        mentorship=mentorship, by=meg, reflection=SECRETS["reflection"], would_mentor="yes"
    )

    recorded = set(words(programme))
    assert {
        "programme created",
        "code of ethics published",
        "role granted",
        "application accepted",
        "offer accepted",
        "offer declined",
        "mentorship closed",
        "raised",
    } <= recorded
    grants = [
        e for e in audit.for_programme(programme) if e.additional_data["action"] == "role granted"
    ]
    assert {e.object_id for e in grants} >= {mark.pk, meg.pk}  # accepted applicants get roles
    logged = everything_logged()
    for key, secret in SECRETS.items():
        assert secret not in logged, f"the {key} is in the audit log"


def test_a_coordinator_reads_their_programme_and_no_other(client, programme, alice, other):
    client.force_login(alice)
    page = client.get(reverse("programmes:audit", args=[programme.pk]))
    assert page.status_code == 200
    assert "Alice Coordinator created the programme" in page.text
    assert "ONLY-IN-THE-OTHER-PROGRAMME" not in page.text
    listed = items(client.get(f"{API}/{programme.pk}/audit"))
    assert {e["action"] for e in listed} >= {"programme created", "role granted"}
    assert "noted" not in {e["action"] for e in listed}
    newest = listed[0]
    assert newest["actor"] == "Alice Coordinator" and newest["actor_id"] == alice.pk
    assert newest["target_type"] and newest["target"] and newest["at"]
    # The other programme's log: alice has no part in it (a draft), so it does not exist for her.
    assert client.get(reverse("programmes:audit", args=[other.pk])).status_code == 404
    assert client.get(f"{API}/{other.pk}/audit").status_code == 404


def test_the_page_links_each_entry_to_what_it_is_about(client, programme, alice, mentorship):
    client.force_login(alice)
    page = client.get(reverse("programmes:audit", args=[programme.pk])).text
    assert f'href="{reverse("people:profile", args=[mentorship.mentor_id])}"' in page
    application = Application.objects.get(applicant=mentorship.mentor, programme=programme)
    assert f'href="{application.get_absolute_url()}"' in page
    assert (
        reverse("programmes:audit", args=[programme.pk])
        in client.get(programme.get_absolute_url()).text
    )


def test_only_coordinators_read_the_log(
    client, programme, mentorship, mark, meg, cora, sam, olive, other
):
    mine = [
        ("get", reverse("programmes:audit", args=[programme.pk])),
        ("get", f"{API}/{programme.pk}/audit"),
    ]
    theirs = [
        ("get", reverse("programmes:audit", args=[other.pk])),
        ("get", f"{API}/{other.pk}/audit"),
    ]
    assert_role_matrix(client, mine, read_only=[mark, meg, cora, sam])
    assert_role_matrix(client, theirs, outsiders=[olive, mark])


def test_the_page_and_the_api_grow_in_pages_not_queries(client, programme, alice, mentorship):
    client.force_login(alice)
    # One query per kind of record on the page: the first fetch already shows each kind.
    audit.record(actor=alice, action="looked", target=mentorship, detail="First look.")

    def grow() -> None:
        for n in range(5):
            audit.record(actor=alice, action="looked", target=mentorship, detail=f"Look {n}.")
            audit.record(actor=alice, action="looked", target=programme, detail=f"Look {n}.")

    assert_queries_do_not_grow(
        fetcher(client, reverse("programmes:audit", args=[programme.pk])), grow
    )
    assert_queries_do_not_grow(fetcher(client, f"{API}/{programme.pk}/audit"), grow)
    assert len(items(client.get(f"{API}/{programme.pk}/audit?limit=3"))) == 3


def test_nobody_writes_or_deletes_an_entry_over_the_api(client, programme, alice):
    client.force_login(alice)
    url = f"{API}/{programme.pk}/audit"
    before = LogEntry.objects.count()
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code == 405, method
    assert LogEntry.objects.count() == before


def test_admins_read_every_entry_in_the_admin_and_change_none(client, programme, other):
    root = User.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(root)
    changelist = client.get(reverse("admin:core_auditentry_changelist"))
    assert changelist.status_code == 200
    assert (
        "programme created" in changelist.text and "ONLY-IN-THE-OTHER-PROGRAMME" in changelist.text
    )
    entry = AuditEntry.objects.order_by("pk").first()
    change = reverse("admin:core_auditentry_change", args=[entry.pk])
    assert client.get(change).status_code == 200  # read only
    assert client.post(change, {"changes_text": "rewritten"}).status_code == 403
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    delete = reverse("admin:core_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:core_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    entry.refresh_from_db()
    assert entry.changes_text != "rewritten"
    assert not admin.site.is_registered(LogEntry)  # one view of the log, read only


def test_circles_and_peer_partnerships_made_are_recorded(programme, alice):
    mentors = []
    for n in range(4):
        person = make_person(f"peer{n}@example.org", f"Peer Mentor {n}", years_experience=10)
        programmes.programme_role_grant(programme=programme, user=person, role="mentor", by=alice)
        mentors.append(person)
    vic = make_person("vic@example.org", "Vic Supervisor", years_experience=30)
    supervisor = support.supervisor_add(
        programme=programme, person=vic, kind="external", capacity=6, by=alice
    )
    circle = support.circle_create(
        programme=programme, name="Circle A", supervisor=supervisor, mentors=mentors[:3], by=alice
    )
    partnership = support.peer_pair_by_hand(
        programme=programme, first=mentors[2], second=mentors[3], by=alice, note="PEER-NOTE-5150"
    )
    circles = audit.history(circle)
    assert [e.action for e in circles] == ["circle formed"]
    assert circles[0].detail == "Circle A: 3 mentors with Vic Supervisor."
    assert [e.action for e in audit.history(partnership)] == ["peer partnership made"]
    assert {"circle formed", "peer partnership made"} <= set(words(programme))
    assert "PEER-NOTE-5150" not in everything_logged()


def test_the_admin_lists_newest_first_names_the_actor_and_filters_by_what_is_logged(
    client, programme, alice
):
    root = User.objects.create_superuser(email="root@example.org", password="x")
    older = audit.record(actor=alice, action="noted", target=programme, detail="OLDER-ENTRY")
    newer = audit.record(actor=None, action="noted", target=programme, detail="NEWER-ENTRY")
    LogEntry.objects.filter(pk=older.pk).update(
        timestamp=timezone.now() - datetime.timedelta(days=3)
    )
    client.force_login(root)
    changelist = client.get(reverse("admin:core_auditentry_changelist"))
    assert changelist.text.index("NEWER-ENTRY") < changelist.text.index("OLDER-ENTRY")
    # The title says what happened and who did it (a name, or the system), never a user id.
    older = AuditEntry.objects.get(pk=older.pk)
    assert str(older).startswith("Noted by Alice Coordinator, ")
    assert str(AuditEntry.objects.get(pk=newer.pk)).startswith("Noted by the system, ")
    assert f"by {alice.pk} " not in str(older)
    # The filter offers the kinds of record the log is about, not every installed model.
    spec = changelist.context["cl"].filter_specs[0]
    offered = {label for _, label in spec.lookup_choices}
    assert "Programmes | programme" in offered
    assert not any(label.startswith(("Sessions", "Axes", "Core")) for label in offered)
    assert len(offered) == LogEntry.objects.values("content_type").distinct().count()


def test_the_page_and_the_admin_show_the_entrys_own_time(client, programme, alice):
    """Both read the entry's ``timestamp`` (a demo entry dated back reads its date in both), in
    the same order: newest first."""
    root = User.objects.create_superuser(email="root@example.org", password="x")
    entry = audit.record(actor=alice, action="noted", target=programme, detail="DATED-BACK")
    back = timezone.now() - datetime.timedelta(days=40)
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=back)
    alice.profile.time_zone = "Pacific/Auckland"
    alice.profile.save(update_fields=["time_zone"])
    client.force_login(alice)
    page = client.get(reverse("programmes:audit", args=[programme.pk])).text
    there = back.astimezone(zoneinfo.ZoneInfo("Pacific/Auckland"))
    row = page.split("DATED-BACK")[0].rsplit("<tr>", 1)[1]
    assert f"{there.day} {there:%b %Y, %H:%M}" in row
    assert page.rindex("<tr>") < page.index("DATED-BACK")  # the oldest, last
    client.force_login(root)
    admin_page = client.get(reverse("admin:core_auditentry_changelist")).text
    row = admin_page.split("DATED-BACK")[0].rsplit("<tr", 1)[1]
    local = timezone.localtime(back)
    assert f"{local.day} {local:%b %Y}" in row
    # The admin says which zone it shows (the site's), since the page shows the reader's own.
    assert f"{local:%H:%M} {local.tzname()}" in row
    assert admin_page.rindex("<tr") < admin_page.index("DATED-BACK")
