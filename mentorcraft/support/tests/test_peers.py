"""Peer partnerships between mentors: asking (with the help wanted), the engine's proposal with
reasons, publishing, pairing by hand, and the partnership as a light mentorship that reuses the
pair's pages. Peer partnerships never count as mentoring."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import assert_role_matrix, run_at_once
from mentorcraft.core.errors import TransitionError
from mentorcraft.core.extensions import next_steps_for
from mentorcraft.mentorships import services as mentorship_services
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.support import selectors, services
from mentorcraft.support.models import PeerRequest, PeerRound

from .conftest import add_mentor

pytestmark = pytest.mark.django_db


def ask(programme, mentor, help_wanted=("experience",), about="") -> PeerRequest:  # noqa: ANN001
    return services.peer_request_create(
        programme=programme, mentor=mentor, help_wanted=list(help_wanted), about=about
    )


def test_a_mentor_asks_on_the_page_the_coordinators_hear_and_a_second_ask_changes_the_first(
    client, programme, alice, mentors, meg, sam, olive
):
    mentor = mentors[1]
    url = reverse("support:peer_ask", args=[programme.pk])
    client.force_login(mentor)
    assert "Ask for a peer partner" in client.get(reverse("support:mine")).content.decode()
    refused = client.post(url, {"about": ""})
    assert refused.status_code == 400
    assert "Tick what you would want" in refused.content.decode()
    mail.outbox.clear()
    sent = client.post(url, {"help_wanted": ["listen", "experience"], "about": "Stuck mentees"})
    assert sent.status_code == 302
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "Someone to listen" in mail.outbox[0].body and "Stuck mentees" in mail.outbox[0].body
    client.post(url, {"help_wanted": ["options"], "about": "Changed my mind"})
    request = PeerRequest.objects.get()
    assert request.help_wanted == ["options"] and request.about == "Changed my mind"
    assert len(mail.outbox) == 1  # a change is not news to the coordinators
    steps = [s.title for s in next_steps_for(alice)]
    assert "1 mentor asks for a peer partner" in steps
    assert_role_matrix(
        client, [("get", url), ("post", url)], outsiders=[olive], read_only=[meg, sam]
    )
    withdraw = reverse("support:peer_request_withdraw", args=[request.pk])
    assert_role_matrix(client, [("post", withdraw)], outsiders=[olive], read_only=[sam, mentors[2]])
    client.force_login(mentor)
    assert client.post(withdraw).status_code == 302
    request.refresh_from_db()
    assert request.status == "withdrawn"


def test_the_engine_pairs_those_who_asked_with_reasons_and_never_within_a_line(
    client, programme, alice, mentors, sam, olive
):
    boss, report, third, fourth = mentors[1], mentors[2], mentors[3], mentors[4]
    report.profile.line_manager = boss
    report.profile.save()
    third.profile.years_experience = 1
    third.profile.save()
    for person in (boss, report, third, fourth):
        ask(programme, person)
    client.force_login(alice)
    page = reverse("support:peers", args=[programme.pk])
    assert client.post(reverse("support:peers_propose", args=[programme.pk])).status_code == 302
    round_ = PeerRound.objects.get(status="draft")
    pairs = {frozenset((m.first_id, m.second_id)) for m in round_.matches.all()}
    assert len(pairs) == 2
    assert frozenset((boss.pk, report.pk)) not in pairs
    body = client.get(page).content.decode()
    assert "Not in each other&#x27;s management line" in body
    assert "Publish 2 pairs" in body
    assert_role_matrix(
        client,
        [("get", page), ("post", reverse("support:peers_propose", args=[programme.pk]))],
        outsiders=[olive],
        read_only=[sam, boss],
    )
    client.force_login(alice)
    mail.outbox.clear()
    publish = reverse("support:peer_round_publish", args=[round_.pk])
    assert client.post(publish).status_code == 302
    made = list(Mentorship.peers.filter(programme=programme))
    assert len(made) == 2 and all(m.source == "proposed" for m in made)
    assert PeerRequest.objects.filter(status="paired").count() == 4
    assert sorted(t for m in mail.outbox for t in m.to) == sorted(
        p.email for p in (boss, report, third, fourth)
    )
    assert "Another mentor's experience of something similar" in mail.outbox[0].body
    # A second publish of the same proposal is refused.
    assert client.post(publish).status_code == 302
    assert Mentorship.peers.count() == 2


def test_a_partnership_is_a_light_mentorship_apart_from_mentoring(
    client, programme, alice, mark, meg, sam, olive, mentors
):
    before = Mentorship.objects.filter(programme=programme).count()
    partnership = services.peer_pair_by_hand(
        programme=programme, first=mentors[1], second=mark, by=alice
    )
    assert partnership.is_peer
    # Mentoring lists, the board and capacity never see it.
    assert Mentorship.objects.filter(programme=programme).count() == before
    assert partnership not in programme.mentorships.all()
    assert Mentorship.every.filter(pk=partnership.pk).exists()
    url = partnership.get_absolute_url()
    for partner in (mark, mentors[1]):
        client.force_login(partner)
        body = client.get(url).content.decode()
        assert "Peer partnership with" in body and "Learning goals" not in body
    client.force_login(alice)
    assert client.get(url).status_code == 200
    assert_role_matrix(client, [("get", url)], outsiders=[olive], read_only=[meg, sam, mentors[2]])
    with pytest.raises(TransitionError, match="no learning goals"):
        mentorship_services.goal_create(mentorship=partnership, by=mark, title="Listen better")
    # The agreement works as it does for a pair.
    mentorship_services.agreement_propose(mentorship=partnership, by=mark, text="We meet monthly.")
    client.force_login(mark)
    assert "We meet monthly." in client.get(url).content.decode()
    # One peer partner at a time.
    with pytest.raises(TransitionError, match="already has a peer partner"):
        services.peer_pair_by_hand(programme=programme, first=mentors[2], second=mark, by=alice)


def test_the_partner_reads_what_the_other_would_want(client, programme, alice, mentors):
    a, b = mentors[1], mentors[2]
    ask(programme, a, ["listen"], about="A mentee who never prepares")
    ask(programme, b, ["options"])
    partnership = services.peer_pair_by_hand(programme=programme, first=a, second=b, by=alice)
    client.force_login(b)
    body = client.get(partnership.get_absolute_url()).content.decode()
    assert "Someone to listen without interrupting" in body
    assert "A mentee who never prepares" in body


def test_pairing_by_hand_refuses_a_line_and_keeps_the_form(client, programme, alice, mentors):
    boss, report = mentors[1], mentors[2]
    report.profile.line_manager = boss
    report.profile.save()
    client.force_login(alice)
    response = client.post(
        reverse("support:peers_pair", args=[programme.pk]),
        {"first": boss.pk, "second": report.pk, "note": "Both in surgery"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "are in one line" in body and 'value="Both in surgery"' in body
    assert not Mentorship.peers.exists()
    same = client.post(
        reverse("support:peers_pair", args=[programme.pk]), {"first": boss.pk, "second": boss.pk}
    )
    assert same.status_code == 400 and "Choose two different mentors" in same.content.decode()


def test_taking_out_a_pair_and_publishing_all_or_nothing(programme, alice, mentors):
    people = mentors[1:5]
    for person in people:
        ask(programme, person)
    round_ = services.peer_round_propose(programme=programme, by=alice)
    first, second = list(round_.matches.all())
    services.peer_match_remove(match=first, by=alice)
    round_.refresh_from_db()
    assert {row["mentor"] for row in round_.unpaired} == {first.first_id, first.second_id}
    # One of the remaining pair finds a partner by hand meanwhile: nothing is published.
    services.peer_pair_by_hand(
        programme=programme, first=second.first, second=first.first, by=alice
    )
    with pytest.raises(TransitionError, match="Nothing was published"):
        services.peer_round_publish(round=round_, by=alice)
    assert Mentorship.peers.count() == 1


def test_nobody_to_pair_says_what_to_do(programme, alice, mentors):
    with pytest.raises(TransitionError, match="Fewer than two mentors"):
        services.peer_round_propose(programme=programme, by=alice)
    assert services.peer_round_propose(programme=programme, by=alice, everyone=True).matches.count()


def test_coverage_counts_a_peer_partner_as_support(programme, alice, mentors):
    services.peer_pair_by_hand(programme=programme, first=mentors[3], second=mentors[4], by=alice)
    rows = {r.mentor: r for r in selectors.coverage(programme)}
    assert rows[mentors[3]].supports == [f"Peer partner: {mentors[4].display_name}"]
    assert rows[mentors[4]].covered


def test_peers_over_the_api(client, programme, alice, mentors, sam, olive):
    a, b = mentors[1], mentors[2]
    base = f"/api/v1/supervision/programmes/{programme.pk}"
    client.force_login(a)
    made = client.post(
        f"{base}/peer-requests",
        {"help_wanted": ["experience"], "about": "Boundaries"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    bad = client.post(
        f"{base}/peer-requests", {"help_wanted": ["nonsense"]}, content_type="application/json"
    )
    assert bad.status_code == 422
    client.force_login(b)
    client.post(
        f"{base}/peer-requests", {"help_wanted": ["listen"]}, content_type="application/json"
    )
    mine = client.get(f"{base}/peer-requests").json()
    assert [r["mentor"]["id"] for r in mine["items"]] == [b.pk]
    client.force_login(alice)
    assert client.get(f"{base}/peer-requests").json()["count"] == 2
    proposal = client.post(f"{base}/peer-proposals", {}, content_type="application/json")
    assert proposal.status_code == 201, proposal.content
    round_id = proposal.json()["id"]
    assert len(proposal.json()["pairs"]) == 1
    published = client.post(f"/api/v1/supervision/peer-proposals/{round_id}/publish")
    assert published.status_code == 200 and len(published.json()["partnership_ids"]) == 1
    again = client.post(f"/api/v1/supervision/peer-proposals/{round_id}/publish")
    assert again.status_code == 409
    listed = client.get(f"{base}/peer-partnerships").json()
    assert listed["count"] == 1
    partnership_id = listed["items"][0]["id"]
    client.force_login(a)
    assert client.get(f"/api/v1/mentorships/{partnership_id}").status_code == 200
    assert_role_matrix(
        client,
        [
            ("get", f"{base}/peer-partnerships"),
            ("get", f"/api/v1/supervision/peer-proposals/{round_id}"),
            ("post", f"{base}/peer-proposals"),
        ],
        outsiders=[olive],
        read_only=[sam],
        json=True,
    )


@pytest.mark.django_db(transaction=True)
def test_two_pairings_sharing_a_mentor_at_once_make_one(programme, alice, mentors):
    shared, x, y = mentors[1], mentors[2], mentors[3]
    outcomes = run_at_once(
        [
            lambda other=other: services.peer_pair_by_hand(
                programme=programme, first=shared, second=other, by=alice
            )
            for other in (x, y)
        ]
    )
    assert sum(o is None for o in outcomes) == 1
    assert all(isinstance(o, TransitionError) for o in outcomes if o is not None)
    assert Mentorship.peers.filter(status="active").count() == 1


def test_a_mentor_with_a_peer_partner_still_takes_a_mentee(
    programme, alice, mark, mentors, mentorship
):
    services.peer_pair_by_hand(programme=programme, first=mark, second=mentors[1], by=alice)
    assert Mentorship.objects.filter(mentor=mark, status="active").count() == 1
    assert add_mentor  # the helper stays imported for other cases


def test_an_answer_to_the_support_question_stays_with_the_coordinators(
    client, programme, alice, mentors
):
    """A mentor who said "a peer partner" when asked what support they would appreciate joins
    the proposal, but what they told the coordinators never reaches the partner."""
    a, b = mentors[1], mentors[2]
    ask(programme, a, ["listen"])
    ask_all = services.support_ask_send(programme=programme, by=alice)
    services.support_answer(
        ask=ask_all, mentor=b, help_wanted=["encourage"], ways=["peer"], comment="Burnt out"
    )
    round_ = services.peer_round_propose(programme=programme, by=alice)
    assert round_.matches.count() == 1
    mail.outbox.clear()
    (partnership,) = services.peer_round_publish(round=round_, by=alice)
    to_a = next(m for m in mail.outbox if m.to == [a.email])
    assert "Encouragement" not in to_a.body and "Burnt out" not in to_a.body
    client.force_login(a)
    body = client.get(partnership.get_absolute_url()).content.decode()
    assert "Encouragement" not in body and "Burnt out" not in body
    assert "nothing said yet" in body


def test_the_home_page_names_the_peer_partner(client, programme, alice, mentors):
    a, b = mentors[1], mentors[2]
    services.peer_pair_by_hand(programme=programme, first=a, second=b, by=alice)
    client.force_login(a)
    body = client.get("/").content.decode()
    assert "Your peer partner" in body and b.display_name in body


def test_pairing_by_hand_refuses_a_skip_level_line_and_warns_of_time_zones(
    client, programme, alice, mentors
):
    """From the walk: Maya reports to George, who reports to Ravi; Ravi and Maya were paired."""
    from conftest import make_person

    top, bottom, far = mentors[1], mentors[2], mentors[3]
    middle = make_person("middle@example.org", "Middle Manager")
    middle.profile.line_manager = top
    middle.profile.save()
    bottom.profile.line_manager = middle
    bottom.profile.save()
    with pytest.raises(ValidationError, match="are in one line"):
        services.peer_pair_by_hand(programme=programme, first=top, second=bottom, by=alice)
    far.profile.time_zone = "America/Toronto"
    far.profile.save()
    client.force_login(alice)
    response = client.post(
        reverse("support:peers_pair", args=[programme.pk]),
        {"first": top.pk, "second": far.pk},
        follow=True,
    )
    assert "hours apart in time zone" in response.content.decode()
    # Mentors with a partner are no longer offered.
    page = client.get(reverse("support:peers", args=[programme.pk])).content.decode()
    assert f'value="{far.pk}"' not in page
