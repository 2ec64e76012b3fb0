"""Certificates: for a mentorship that ran its course (not one closed early), to mentor and
mentee; for a complete year of supervision; issued once, kept as issued, checked by reference,
and a next step until their holder opens them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import count_queries
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.recognition import hooks, selectors, services
from mentorcraft.recognition.models import REFERENCE_PATTERN, Certificate

from .conftest import attend, close_early, run_its_course

pytestmark = pytest.mark.django_db


def test_a_mentorship_that_ran_its_course_earns_both_a_certificate(finished, mark, meg, alice):
    made = services.certificates_issue()
    assert {(c.holder, c.holder_as) for c in made} == {(mark, "mentor"), (meg, "mentee")}
    mentee = Certificate.objects.get(holder=meg)
    assert mentee.mentor_name == "Mark Mentor" and mentee.coordinator_name == "Alice Coordinator"
    assert mentee.meetings == 3 and mentee.minutes == 60 + 45 + 60 and mentee.hours == "2½"
    assert (mentee.period_start, mentee.period_end) == (finished.started_on, finished.closed_on)
    assert mentee.months == 2 and mentee.programme_name == finished.programme.name
    import re

    assert re.fullmatch(REFERENCE_PATTERN, mentee.reference)
    mentor = Certificate.objects.get(holder=mark)
    assert mentor.mentor_name == "" and mentor.reference != mentee.reference


def test_a_mentorship_closed_early_or_still_running_earns_none(running, early, mentorship):
    assert services.certificates_issue() == []
    assert not selectors.is_finished(early) and not selectors.is_finished(mentorship)
    assert not Certificate.objects.exists()


def test_issuing_is_idempotent_and_keeps_what_was_issued(finished, meg):
    first = services.certificates_issue()
    assert len(first) == 2 and services.certificates_issue() == []
    meg.profile.full_name = "Meg Married-Name"
    meg.profile.save()
    services.certificates_issue()
    assert Certificate.objects.get(holder=meg).holder_name == "Meg Mentee", "as issued"
    assert Certificate.objects.count() == 2


def test_issuing_for_one_person_issues_theirs_only(finished, meg, running, alice, mark):
    other = running.extra_mentees[1]
    from mentorcraft.mentorships import services as mentorships

    second = mentorships.mentorship_create(programme=running, mentor=mark, mentee=other, by=alice)
    run_its_course(second, other, meetings=1)
    made = services.certificates_issue(people=[meg.pk])
    assert [c.holder for c in made] == [meg]
    assert len(services.certificates_issue()) == 3  # mark twice, and the other mentee


def test_issuing_costs_a_fixed_number_of_queries(finished, running, alice, mark, supervised):
    from mentorcraft.mentorships import services as mentorships

    def issue_nothing() -> None:
        services.certificates_issue()

    services.certificates_issue()
    before = count_queries(issue_nothing)
    for extra in running.extra_mentees:
        pair = mentorships.mentorship_create(programme=running, mentor=mark, mentee=extra, by=alice)
        run_its_course(pair, extra, meetings=2)
    services.certificates_issue()
    assert count_queries(issue_nothing) == before


def test_the_pairs_page_links_to_the_certificates_once_finished(client, finished, meg, mark, alice):
    client.force_login(meg)
    page = client.get(finished.get_absolute_url()).text
    assert "This mentorship ran its course" in page
    mine = reverse("recognition:mentorship_certificate", args=[finished.pk, "mentee"])
    assert mine in page
    response = client.get(mine)
    certificate = Certificate.objects.get(holder=meg)
    assert response["Location"] == certificate.get_absolute_url()
    opened = client.get(certificate.get_absolute_url()).text
    assert "Certificate of completion" in opened and "Meg Mentee" in opened
    assert "completed a mentorship with Mark Mentor" in opened and "3 meetings held" in opened
    assert certificate.reference in opened and certificate.verify_url() in opened
    assert "closed as planned" in opened, "the page explains the rule"
    client.force_login(alice)
    coordinator_view = client.get(finished.get_absolute_url()).text
    assert "Mark Mentor's certificate" in coordinator_view


def test_a_pair_closed_early_has_no_certificate_link(client, early, mark):
    client.force_login(mark)
    assert "ran its course" not in client.get(early.get_absolute_url()).text
    url = reverse("recognition:mentorship_certificate", args=[early.pk, "mentor"])
    refused = client.get(url)
    assert refused.status_code == 403 and "closed as planned" in refused.text


def test_verification_shows_what_was_issued(client, finished, mark, alice):
    services.certificates_issue()
    certificate = Certificate.objects.get(holder=mark)
    client.force_login(alice)
    typed = client.get(
        reverse("recognition:verify_form"), {"reference": f" {certificate.reference.lower()} "}
    )
    assert typed["Location"] == certificate.verify_url()
    page = client.get(certificate.verify_url()).text
    assert f"Certificate {certificate.reference} is genuine" in page and "Mark Mentor" in page
    bad = client.get(reverse("recognition:verify_form"), {"reference": "MC-12"})
    assert bad.status_code == 400 and "looks like MC-" in bad.text


def test_a_new_certificate_is_a_next_step_until_opened(client, finished, meg, mark):
    services.certificates_issue()
    steps = [s for s in hooks.next_steps(meg) if s.kind == "recognition"]
    assert [s.title for s in steps] == ["Your certificate of completion is ready"]
    client.force_login(meg)
    client.get(steps[0].url)
    assert not [s for s in hooks.next_steps(meg) if s.kind == "recognition"]
    client.force_login(mark)
    client.get(Certificate.objects.get(holder=meg).get_absolute_url())  # 403, and no change
    assert [s for s in hooks.next_steps(mark) if s.kind == "recognition"]


def test_the_periodic_job_issues_and_says_so(finished):
    assert hooks.issue_certificates() == "2 certificates issued."
    assert hooks.issue_certificates() == "No certificates due."


# --- A year of supervision -------------------------------------------------------------------


def test_a_complete_year_of_supervision_earns_a_certificate(supervised, mark):
    for days_ago in (420, 360, 300, 240, 180, 120, 80):
        attend(supervised, mark, days_ago)
    attend(supervised, mark, 100, present=False)  # absent: not counted
    (certificate,) = services.certificates_issue()
    assert certificate.kind == "supervision" and certificate.holder == mark
    assert certificate.meetings == 7 and certificate.minutes == 7 * 60
    zone = timezone.get_current_timezone()
    first = (timezone.now() - datetime.timedelta(days=420)).astimezone(zone).date()
    assert certificate.period_start == first
    assert services.certificates_issue() == []
    record = selectors.record_of(mark)
    (row,) = record.supervision
    assert row.sessions == 7 and row.years[0].complete


def test_supervision_that_did_not_last_the_year_earns_none(supervised, mark):
    for days_ago in (420, 400, 380, 360, 340, 320):  # six sessions, all in the first four months
        attend(supervised, mark, days_ago)
    assert services.certificates_issue() == []


def test_a_year_still_under_way_shows_on_the_record(client, supervised, mark):
    for days_ago in (200, 150, 100):
        attend(supervised, mark, days_ago)
    assert services.certificates_issue() == []
    client.force_login(mark)
    page = client.get(reverse("recognition:record")).text
    assert "Under way since" in page and "3 sessions of the 6 needed" in page


def test_a_peer_partnership_earns_no_certificate(finished):
    if not hasattr(Mentorship, "peers"):
        pytest.skip("mentorships have no peer partnerships yet")
    Mentorship.every.filter(pk=finished.pk).update(kind="peer")
    assert services.certificates_issue() == []
    assert not selectors.is_finished(finished)


def test_close_early_helper_really_closes_early(running, alice, mark):
    from mentorcraft.mentorships import services as mentorships

    pair = mentorships.mentorship_create(
        programme=running, mentor=mark, mentee=running.extra_mentees[1], by=alice
    )
    closed = close_early(pair, mark)
    assert closed.status == "closed" and closed.closure.kind == "early"
