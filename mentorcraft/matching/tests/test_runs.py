from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import assert_role_matrix
from mentorcraft.matching.models import MatchRun, PairRule

pytestmark = pytest.mark.django_db

WEIGHTS = {
    "w_topics": 4,
    "w_preferences": 2,
    "w_experience": 1.5,
    "w_languages": 1,
    "w_timezone": 1,
    "w_availability": 0.5,
}


def start_run(client, programme, capture, mode="optimal"):  # noqa: ANN001
    with capture(execute=True):
        response = client.post(
            reverse("matching:workspace", args=[programme.pk]), {"mode": mode, **WEIGHTS}
        )
    return response


def test_a_coordinator_runs_a_match_and_reads_the_reasons(
    client, alice, matching_programme, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    page = client.get(reverse("matching:workspace", args=[matching_programme.pk]))
    assert "4 of 4 accepted mentees" in page.text
    response = start_run(client, matching_programme, django_capture_on_commit_callbacks)
    run = MatchRun.objects.get()
    assert response["Location"] == reverse("matching:run", args=[run.pk])
    assert run.status == MatchRun.Status.DONE
    assert run.stats["matched"] == 4
    page = client.get(reverse("matching:run", args=[run.pk]))
    assert "shared topic" in page.text and "both speak" in page.text
    # German-only Mentor Three shares no language with the English-only mentees.
    assert not run.proposals.filter(mentor=matching_programme.people["mentor2"]).exists()


def test_stable_runs_count_first_choices(
    client, alice, matching_programme, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    start_run(client, matching_programme, django_capture_on_commit_callbacks, mode="stable")
    run = MatchRun.objects.get()
    assert run.stats["first_choice"] >= 1
    assert "First choice" in client.get(reverse("matching:run", args=[run.pk])).text


def test_bad_weights_are_explained_and_kept(client, alice, matching_programme):
    client.force_login(alice)
    response = client.post(
        reverse("matching:workspace", args=[matching_programme.pk]),
        {"mode": "optimal", **WEIGHTS, "w_topics": 99},
    )
    assert response.status_code == 200
    assert "less than or equal to 10" in response.text
    assert 'value="99"' in response.text
    assert not MatchRun.objects.exists()


def test_locks_survive_a_rerun_and_forbidden_pairs_are_never_made(
    client, alice, matching_programme, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    start_run(client, matching_programme, django_capture_on_commit_callbacks)
    run = MatchRun.objects.get()
    first, second = list(run.proposals.order_by("mentee_id")[:2])
    client.post(
        reverse("matching:pair_rule", args=[run.pk]),
        {"mentee": first.mentee_id, "mentor": first.mentor_id, "kind": "lock"},
    )
    client.post(
        reverse("matching:pair_rule", args=[run.pk]),
        {"mentee": second.mentee_id, "mentor": second.mentor_id, "kind": "forbid"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matching:rerun", args=[run.pk]))
    new = MatchRun.objects.latest("pk")
    assert new.proposals.get(mentee_id=first.mentee_id).mentor_id == first.mentor_id
    assert new.proposals.get(mentee_id=first.mentee_id).locked
    assert not new.proposals.filter(mentee_id=second.mentee_id, mentor_id=second.mentor_id)


def test_a_lock_that_breaks_a_rule_is_refused(client, alice, matching_programme):
    client.force_login(alice)
    run = MatchRun.objects.create(
        programme=matching_programme, mode="optimal", status="done", created_by=alice
    )
    mentee = matching_programme.people["mentee0"]
    german_only = matching_programme.people["mentor2"]
    response = client.post(
        reverse("matching:pair_rule", args=[run.pk]),
        {"mentee": mentee.pk, "mentor": german_only.pk, "kind": "lock"},
        follow=True,
    )
    assert "no shared language" in response.text
    assert not PairRule.objects.exists()


def test_a_failed_run_says_why(alice, matching_programme, monkeypatch):
    from mentorcraft.matching import engine
    from mentorcraft.matching.runs import match_run_execute

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise engine.InstanceError("mentee '7' has no id")

    monkeypatch.setattr(engine, "solve", broken)
    run = MatchRun.objects.create(programme=matching_programme, mode="optimal", created_by=alice)
    match_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED and "no id" in run.error


def test_a_running_run_shows_progress_that_polls(client, alice, matching_programme):
    run = MatchRun.objects.create(programme=matching_programme, mode="optimal", created_by=alice)
    client.force_login(alice)
    page = client.get(reverse("matching:run", args=[run.pk]))
    assert 'hx-trigger="every 1s"' in page.text
    partial = client.get(reverse("matching:run", args=[run.pk]), headers={"HX-Request": "true"})
    assert "<html" not in partial.text


@pytest.mark.parametrize("who,status", [("olive", 403), ("sam", 403), ("cora", 403), ("mark", 403)])
def test_only_coordinators_open_the_workspace(client, request, matching_programme, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("matching:workspace", args=[matching_programme.pk]))
    assert response.status_code == status


def test_runs_are_for_coordinators_only(client, alice, matching_programme, olive, sam, cora):
    run = MatchRun.objects.create(programme=matching_programme, mode="optimal", created_by=alice)
    assert_role_matrix(
        client,
        [
            ("get", reverse("matching:run", args=[run.pk])),
            ("post", reverse("matching:rerun", args=[run.pk])),
            ("post", reverse("matching:publish", args=[run.pk])),
            ("post", reverse("matching:pair_rule", args=[run.pk])),
        ],
        outsiders=[olive],
        read_only=[sam, cora],
    )
    assert MatchRun.objects.count() == 1


def test_a_draft_programmes_matching_is_not_found_by_outsiders(client, alice, olive):
    import datetime

    from mentorcraft.programmes import services as programme_services

    draft = programme_services.programme_create(
        by=alice, name="Draft", purpose="x", start_date=datetime.date(2027, 1, 1)
    )
    client.force_login(olive)
    assert client.get(reverse("matching:workspace", args=[draft.pk])).status_code == 404


def test_swapping_a_mentor_locks_the_new_pair_for_the_next_run(
    client, alice, matching_programme, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    start_run(client, matching_programme, django_capture_on_commit_callbacks)
    run = MatchRun.objects.get()
    proposal = run.proposals.first()
    other = next(
        m
        for key, m in matching_programme.people.items()
        if key in ("mentor0", "mentor1") and m.pk != proposal.mentor_id
    )
    page = client.get(reverse("matching:run", args=[run.pk]))
    assert "Swap and lock" in page.text
    client.post(
        reverse("matching:pair_rule", args=[run.pk]),
        {"mentee": proposal.mentee_id, "mentor": other.pk, "kind": "lock"},
    )
    # Until the next run, the old proposal shows the swap and is out of publishing.
    page = client.get(reverse("matching:run", args=[run.pk])).text
    assert f"now locked to {other.display_name}" in page
    assert f'name="proposal" value="{proposal.pk}"' not in page
    response = client.post(
        reverse("matching:publish", args=[run.pk]), {"proposal": [proposal.pk]}, follow=True
    )
    assert "a rule made since the run changes this pair" in response.text
    assert not run.programme.offers.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matching:rerun", args=[run.pk]))
    new = MatchRun.objects.latest("pk")
    assert new.proposals.get(mentee_id=proposal.mentee_id).mentor_id == other.pk


def test_the_review_page_comes_a_page_at_a_time_and_can_publish_every_pair(
    client, alice, matching_programme, django_capture_on_commit_callbacks, monkeypatch
):
    client.force_login(alice)
    start_run(client, matching_programme, django_capture_on_commit_callbacks)
    run = MatchRun.objects.get()
    total = run.proposals.count()
    assert total >= 3
    monkeypatch.setattr("mentorcraft.core.pagination.PER_PAGE", 2)
    first = client.get(reverse("matching:run", args=[run.pk])).text
    assert first.count('name="proposal"') == 2 and f"Publish all {total} pairs" in first
    assert "Page 1 of" in first and "Swap a mentee" in first
    response = client.post(reverse("matching:publish", args=[run.pk]), {"all": "1"}, follow=True)
    assert f"{total} offers sent" in response.text
    assert run.programme.offers.count() == total
