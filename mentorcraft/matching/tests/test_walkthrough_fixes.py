"""Issue 11, from the walk through a coordinator's day: the match run page (items 3, 11, 20)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorcraft.matching.models import MatchRun
from mentorcraft.matching.runs import match_run_execute

pytestmark = pytest.mark.django_db


def finished_run(programme, alice) -> MatchRun:  # noqa: ANN001
    created = MatchRun.objects.create(programme=programme, mode="optimal", created_by=alice)
    return match_run_execute(run_id=created.pk)


def rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", body, flags=re.S)


def test_a_queued_run_shows_a_real_progress_element_that_agrees_with_its_text(
    client, alice, matching_programme
):
    run = MatchRun.objects.create(programme=matching_programme, mode="optimal", created_by=alice)
    client.force_login(alice)
    page = client.get(reverse("matching:run", args=[run.pk])).text
    assert '<progress id="run-progress-bar" value="0" max="100">' in page
    assert "0% done" in page
    # The old bar drew a full width at 0% ("w-00" is no width class at all).
    assert "w-00" not in page and 'role="progressbar"' not in page
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING, progress=40)
    partial = client.get(reverse("matching:run", args=[run.pk]), headers={"HX-Request": "true"})
    assert 'value="40" max="100"' in partial.text and "40% done" in partial.text


def test_a_run_that_waits_long_in_the_queue_says_a_task_worker_may_be_missing(
    client, alice, matching_programme
):
    run = MatchRun.objects.create(programme=matching_programme, mode="optimal", created_by=alice)
    client.force_login(alice)
    url = reverse("matching:run", args=[run.pk])
    assert "db_worker" not in client.get(url).text  # just asked for: no alarm yet
    asked = timezone.now() - MatchRun.QUEUE_PATIENCE - timedelta(minutes=2)
    MatchRun.objects.filter(pk=run.pk).update(created_at=asked)
    partial = client.get(url, headers={"HX-Request": "true"}).text
    assert "Still waiting to start, 2" in partial and "python manage.py db_worker" in partial
    # Once a worker takes it, the hint goes.
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING, progress=10)
    assert "db_worker" not in client.get(url, headers={"HX-Request": "true"}).text


def test_each_row_has_one_action_control_and_publishing_comes_after_the_pairs(
    client, alice, matching_programme
):
    run = finished_run(matching_programme, alice)
    client.force_login(alice)
    page = client.get(reverse("matching:run", args=[run.pk])).text
    table_rows = rows(page)
    assert len(table_rows) == run.proposals.count()
    for row in table_rows:
        # The lock, forbid and swap sit behind one disclosure that names the pair.
        assert row.count("<summary") == 1
        assert row.index("<summary") < row.index('value="lock"')
        assert re.search(
            r"<summary[^>]*>Lock, forbid or swap<span class=\"visually-hidden\"> ", row
        )
    publish = page.index('id="publish-form"')
    assert publish > page.index("</tbody>")
    assert (
        "Publish the ticked pairs "
        f'(<span data-ticked="proposal">{run.proposals.count()}</span> ticked on this page)'
    ) in page


def test_a_swapped_row_is_out_of_publishing_and_the_swap_choice_starts_empty(
    client, alice, matching_programme
):
    run = finished_run(matching_programme, alice)
    proposal = run.proposals.first()
    other = next(
        m
        for key, m in matching_programme.people.items()
        if key in ("mentor0", "mentor1") and m.pk != proposal.mentor_id
    )
    client.force_login(alice)
    page = client.get(reverse("matching:run", args=[run.pk])).text
    mentor_select = page.split('id="swap-mentor"', 1)[1].split("</select>", 1)[0]
    assert re.search(r'<option value="">Choose a mentor</option>', mentor_select)
    assert mentor_select.startswith(' name="mentor" required>')
    assert "selected" not in mentor_select, mentor_select
    client.post(
        reverse("matching:pair_rule", args=[run.pk]),
        {"mentee": proposal.mentee_id, "mentor": other.pk, "kind": "lock"},
    )
    page = client.get(reverse("matching:run", args=[run.pk])).text
    row = next(r for r in rows(page) if proposal.mentee.display_name in r)
    # The row says the old pair is struck out and the new pair is locked; nothing to tick.
    assert f"<s>{proposal.mentor.display_name}</s>" in row
    assert f"now locked to {other.display_name}" in row
    assert 'name="proposal"' not in row and "Not published until a new run" in row
    expected = run.proposals.count() - 1
    assert f'(<span data-ticked="proposal">{expected}</span> ticked on this page)' in page


def test_scores_say_their_scale(client, alice, matching_programme):
    run = finished_run(matching_programme, alice)
    client.force_login(alice)
    page = client.get(reverse("matching:run", args=[run.pk])).text
    assert "Scores run from 0 to 100" in page
    assert re.search(r"<dt>Mean score</dt><dd>\d+ of 100 \(lowest \d+\)</dd>", page)
    workspace = client.get(reverse("matching:workspace", args=[matching_programme.pk])).text
    assert 'Mean score <span class="small">(0–100)</span>' in workspace


# --- item 8: making a pair by hand -------------------------------------------------------------


def test_a_full_mentor_is_refused_on_the_first_submit_before_any_warning(
    client, alice, pairing, mark, meg
):
    from mentorcraft.mentorships.services import mentorship_create

    for extra in pairing.extra_mentees:  # mark takes two mentees: both places are taken
        mentorship_create(programme=pairing, mentor=mark, mentee=extra, by=alice)
    client.force_login(alice)
    response = client.post(
        reverse("matching:manual_pair", args=[pairing.pk]), {"mentor": mark.pk, "mentee": meg.pk}
    )
    assert response.status_code == 400
    assert "already has 2 mentees, their capacity of 2" in response.text
    # Not asked to confirm warnings only to be refused after confirming.
    assert "Tick this to make the pair despite the warnings." not in response.text


def test_re_pairing_people_whose_mentorship_closed_early_is_a_warning(
    client, alice, mentorship, mark, meg
):
    from mentorcraft.mentorships.models import Mentorship
    from mentorcraft.mentorships.services.closure import closure_start

    closure_start(mentorship=mentorship, by=alice, kind="early", reason="A change of job.")
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.CLOSED
    client.force_login(alice)
    url = reverse("matching:manual_pair", args=[mentorship.programme_id])
    response = client.post(url, {"mentor": mark.pk, "mentee": meg.pk})
    assert response.status_code == 400
    assert "were paired before, in Leadership Mentoring 2026, and that mentorship closed early" in (
        response.text
    )
    assert "Tick this to make the pair despite the warnings." in response.text
    response = client.post(url, {"mentor": mark.pk, "mentee": meg.pk, "confirm": "on"})
    assert response.status_code == 302
    assert Mentorship.objects.filter(mentee=meg, status=Mentorship.Status.ACTIVE).exists()


# --- item 9: who is ready to be matched ---------------------------------------------------------


def test_a_mentee_with_only_a_pending_offer_is_not_said_to_have_a_mentor(
    client, alice, matching_programme
):
    from mentorcraft.matching import services
    from mentorcraft.matching.eligibility import programme_eligibility

    run = finished_run(matching_programme, alice)
    proposal = run.proposals.first()
    services.offers_publish(run=run, by=alice, proposal_ids=[proposal.pk])
    candidate = programme_eligibility(matching_programme).get(proposal.mentee_id, "mentee")
    assert candidate.blocker_codes == ["has_offer"]
    assert candidate.blockers == ["has an offer waiting for an answer"]
    client.force_login(alice)
    page = client.get(reverse("matching:workspace", args=[matching_programme.pk])).text
    assert "Has an offer waiting for an answer" in page
    assert "lready has a mentor" not in page


# --- item 10: offers as the two people read them ------------------------------------------------


def test_an_offer_links_the_other_person_shows_no_concerns_and_leads_to_the_mentorship(
    client, alice, matching_programme
):
    from mentorcraft.matching import services
    from mentorcraft.matching.models import Offer, Proposal

    run = finished_run(matching_programme, alice)
    proposal = run.proposals.select_related("mentee", "mentor").first()
    # A concern the coordinators read beside a strength the pair may read too.
    Proposal.objects.filter(pk=proposal.pk).update(
        reasons=["shares 1 topic", "no topic in common"], participant_reasons=["shares 1 topic"]
    )
    services.offers_publish(run=run, by=alice, proposal_ids=[proposal.pk])
    offer = Offer.objects.get()
    assert offer.reasons == ["shares 1 topic"]
    client.force_login(proposal.mentee)
    page = client.get(reverse("matching:offers")).text
    assert "no topic in common" not in page and "shares 1 topic" in page
    profile = reverse("people:profile", args=[proposal.mentor_id])
    assert f'href="{profile}"' in page
    assert client.get(profile).status_code == 200
    services.offer_respond(offer=offer, by=proposal.mentee, accept=True)
    services.offer_respond(offer=offer, by=proposal.mentor, accept=True)
    client.force_login(proposal.mentor)
    page = client.get(reverse("matching:offers")).text
    mentorship = matching_programme.mentorships.get(mentee=proposal.mentee)
    assert f'href="{mentorship.get_absolute_url()}"' in page
    assert f"Go to your mentorship with {proposal.mentee.display_name}" in page


def test_a_run_keeps_the_concerns_away_from_what_the_pair_reads(alice, matching_programme):
    run = finished_run(matching_programme, alice)
    for proposal in run.proposals.all():
        assert set(proposal.participant_reasons) <= set(proposal.reasons)
        assert "no topic in common" not in proposal.participant_reasons


def test_a_mentee_who_asked_a_mentor_is_not_offered_to_find_one_again(
    client, alice, matching_programme
):
    from mentorcraft.matching import services

    services.matching_settings_update(
        programme=matching_programme,
        by=alice,
        self_match=True,
        max_open_requests=2,
        offer_expiry_days=7,
    )
    mentee, mentor = matching_programme.people["mentee0"], matching_programme.people["mentor0"]
    services.match_request_create(
        programme=matching_programme, mentee=mentee, mentor=mentor, note="Please."
    )
    client.force_login(mentee)
    page = client.get(reverse("programmes:detail", args=[matching_programme.pk])).text
    assert "See recommended mentors" not in page
    assert f"You asked <strong>{mentor.display_name}</strong>" in page
    assert "waiting for their answer" in page


# --- item 14: names in the admin ----------------------------------------------------------------


def test_no_model_is_named_with_a_doubled_plural_in_the_admin():
    from django.apps import apps

    wrong = [
        (m._meta.label, str(m._meta.verbose_name_plural))
        for m in apps.get_models()
        if str(m._meta.verbose_name_plural).endswith(("ss", "ys", "chs", "shs", "xs"))
        and not str(m._meta.verbose_name_plural).endswith(("ays", "eys", "oys"))
    ]
    assert wrong == []


def test_a_forbidden_pair_is_not_forbided(client, alice, matching_programme):
    run = finished_run(matching_programme, alice)
    proposal = run.proposals.first()
    client.force_login(alice)
    client.post(
        reverse("matching:pair_rule", args=[run.pk]),
        {"mentee": proposal.mentee_id, "mentor": proposal.mentor_id, "kind": "forbid"},
    )
    page = client.get(reverse("matching:run", args=[run.pk])).text
    assert "forbided" not in page and '<span class="badge">Forbidden</span>' in page
