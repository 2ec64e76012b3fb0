from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import run_at_once
from mentorcraft.core.errors import TransitionError
from mentorcraft.matching import services
from mentorcraft.matching.models import MatchRun, Offer
from mentorcraft.mentorships.models import Mentorship


@pytest.fixture
def run(matching_programme, alice, django_capture_on_commit_callbacks):  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        started = services.match_run_start(
            programme=matching_programme, by=alice, mode="optimal", weights={}
        )
    started.refresh_from_db()
    return started


@pytest.mark.django_db
def test_publishing_sends_offers_with_reasons_and_both_accepting_starts_the_mentorship(
    client, alice, run, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    chosen = list(run.proposals.values_list("pk", flat=True)[:2])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("matching:publish", args=[run.pk]),
            {"proposal": chosen, "show_reasons": "on"},
        )
    offer = Offer.objects.order_by("pk").first()
    assert Offer.objects.count() == 2
    assert any("shared topic" in m.body or "both speak" in m.body for m in mail.outbox)
    client.force_login(offer.mentee)
    assert "Answer the suggestion" in client.get("/").text
    client.post(reverse("matching:offer_respond", args=[offer.pk]), {"answer": "accept"})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING and offer.mentee_accepted_at
    client.force_login(offer.mentor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("matching:offer_respond", args=[offer.pk]), {"answer": "accept"}, follow=True
        )
    assert "your mentorship has started" in response.text
    mentorship = Mentorship.objects.get()
    # Both are told that the other accepted too, with a link to their mentorship (issue 11.6).
    told = {m.to[0]: m for m in mail.outbox if "accepted too" in m.subject}
    assert set(told) == {offer.mentee.email, offer.mentor.email}
    assert mentorship.get_absolute_url() in told[offer.mentee.email].body
    assert (mentorship.mentee, mentorship.mentor, mentorship.source) == (
        offer.mentee,
        offer.mentor,
        Mentorship.Source.MATCHED,
    )


@pytest.mark.django_db
def test_a_decline_frees_the_mentee_and_tells_the_coordinator(
    client, alice, run, django_capture_on_commit_callbacks
):
    proposal = run.proposals.first()
    outcome = services.offers_publish(run=run, by=alice, proposal_ids=[proposal.pk])
    offer = outcome.offers[0]
    client.force_login(offer.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("matching:offer_respond", args=[offer.pk]),
            {"answer": "decline", "reason": "I am away in March."},
        )
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED
    assert "I am away in March." in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["alice@example.org"]
    from mentorcraft.matching.eligibility import programme_eligibility

    assert programme_eligibility(run.programme).get(offer.mentee_id, "mentee").load == 0


@pytest.mark.django_db
def test_a_mentee_gets_one_offer_and_a_full_mentor_none(alice, run):
    proposals = list(run.proposals.all())
    services.offers_publish(run=run, by=alice, proposal_ids=[proposals[0].pk])
    outcome = services.offers_publish(run=run, by=alice, proposal_ids=[proposals[0].pk])
    assert outcome.offers == []
    assert "has an offer waiting for an answer" in outcome.skipped[0]


@pytest.mark.django_db
def test_offers_expire_and_an_expired_offer_cannot_be_accepted(alice, run):
    offer = services.offers_publish(
        run=run, by=alice, proposal_ids=[run.proposals.first().pk]
    ).offers[0]
    Offer.objects.filter(pk=offer.pk).update(
        expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(TransitionError, match="expired"):
        services.offer_respond(offer=offer, by=offer.mentee, accept=True)
    other = services.offers_publish(
        run=run, by=alice, proposal_ids=[run.proposals.last().pk]
    ).offers[0]
    Offer.objects.filter(pk=other.pk).update(
        expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    call_command("expire_offers")
    other.refresh_from_db()
    assert other.status == Offer.Status.EXPIRED


@pytest.mark.django_db
@pytest.mark.parametrize("who,status", [("olive", 404), ("alice", 403), ("sam", 403)])
def test_only_the_two_people_answer_an_offer(client, request, alice, run, who, status):
    offer = services.offers_publish(
        run=run, by=alice, proposal_ids=[run.proposals.first().pk]
    ).offers[0]
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("matching:offer_respond", args=[offer.pk]), {"answer": "accept"})
    assert response.status_code == status
    offer.refresh_from_db()
    assert offer.mentee_accepted_at is None and offer.mentor_accepted_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("who,status", [("olive", 404), ("sam", 403), ("cora", 403)])
def test_only_coordinators_publish(client, request, run, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("matching:publish", args=[run.pk]),
        {"proposal": list(run.proposals.values_list("pk", flat=True))},
    )
    assert response.status_code == status
    assert not Offer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_mentors_accepting_at_once_never_exceed_capacity(matching_programme, alice):
    """Offers made by hand beyond a mentor's capacity (as if a coordinator raced a run): when
    every mentee has accepted and the mentor accepts all at the same moment, only as many
    mentorships start as the mentor has places."""
    mentor = matching_programme.people["mentor0"]  # capacity 2
    mentees = [matching_programme.people[f"mentee{n}"] for n in range(4)]
    now = timezone.now()
    offers = [
        Offer.objects.create(
            programme=matching_programme,
            mentee=m,
            mentor=mentor,
            mentee_accepted_at=now,
            expires_at=now + datetime.timedelta(days=3),
            created_by=alice,
        )
        for m in mentees
    ]
    outcomes = run_at_once(
        [lambda o=o: services.offer_respond(offer=o, by=mentor, accept=True) for o in offers]
    )
    assert outcomes == [None] * len(offers)  # a full mentor withdraws the offer, not an error
    assert Mentorship.objects.filter(mentor=mentor, status="active").count() == 2
    statuses = sorted(Offer.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "accepted", "withdrawn", "withdrawn"]
    assert MatchRun.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_offers_requests_and_manual_matches_at_once_never_exceed_capacity(
    matching_programme, alice
):
    from mentorcraft.mentorships.services import mentorship_create

    mentor = matching_programme.people["mentor0"]  # capacity 2
    m = [matching_programme.people[f"mentee{n}"] for n in range(4)]
    services.matching_settings_update(
        programme=matching_programme,
        by=alice,
        self_match=True,
        max_open_requests=2,
        offer_expiry_days=7,
    )
    request = services.match_request_create(
        programme=matching_programme, mentee=m[2], mentor=mentor, note="Please"
    )
    now = timezone.now()
    offers = [
        Offer.objects.create(
            programme=matching_programme,
            mentee=mentee,
            mentor=mentor,
            mentee_accepted_at=now,
            expires_at=now + datetime.timedelta(days=3),
            created_by=alice,
        )
        for mentee in m[:2]
    ]
    actions = [
        lambda: services.offer_respond(offer=offers[0], by=mentor, accept=True),
        lambda: services.offer_respond(offer=offers[1], by=mentor, accept=True),
        lambda: services.match_request_respond(request=request, by=mentor, accept=True),
        lambda: mentorship_create(
            programme=matching_programme, mentor=mentor, mentee=m[3], by=alice
        ),
    ]
    outcomes = run_at_once(actions)
    assert all(o is None or isinstance(o, TransitionError) for o in outcomes)
    assert Mentorship.objects.filter(mentor=mentor, status="active").count() == 2


@pytest.mark.django_db(transaction=True)  # the data version moves when the update commits
def test_expiring_offers_tells_cached_pages_that_the_data_changed(run, alice):
    from django.utils import timezone

    from mentorcraft.core.freshness import data_version
    from mentorcraft.matching.models import Offer

    offer = services.offers_publish(
        run=run, by=alice, proposal_ids=[run.proposals.first().pk]
    ).offers[0]
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now())
    before = data_version()
    assert services.offers_expire() == 1
    assert data_version() > before
