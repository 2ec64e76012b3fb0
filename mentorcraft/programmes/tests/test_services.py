from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from conftest import full_scores, make_person
from mentorcraft.core.errors import TransitionError
from mentorcraft.programmes import services
from mentorcraft.programmes.models import (
    Application,
    ApplicationStatus,
    EthicsAcknowledgement,
    Phase,
    ProgrammeRole,
    Role,
)
from mentorcraft.programmes.selectors import ethics_pending_for_user, programme_funnel


def test_a_new_programme_runs_twelve_months_and_has_a_starting_profile(alice, db):
    programme = services.programme_create(
        by=alice, name="Pilot", purpose="Try it.", start_date=datetime.date(2026, 1, 31)
    )
    assert programme.end_date == datetime.date(2027, 1, 31)
    assert programme.phase == Phase.DRAFT
    assert programme.criteria.count() == len(services.DEFAULT_CRITERIA)
    assert ProgrammeRole.objects.filter(programme=programme, user=alice, role="coordinator")
    assert programme.current_ethics() is None  # drafted, not yet published


def test_it_rejects_an_end_before_the_start(alice, db):
    with pytest.raises(ValidationError) as exc:
        services.programme_create(
            by=alice,
            name="Backwards",
            purpose="x",
            start_date=datetime.date(2026, 5, 1),
            end_date=datetime.date(2026, 4, 1),
        )
    assert "end_date" in exc.value.message_dict


def test_phases_move_one_step_at_a_time(programme, alice):
    with pytest.raises(TransitionError, match="one phase at a time"):
        services.programme_set_phase(programme=programme, by=alice, phase=Phase.RUNNING)
    services.programme_set_phase(programme=programme, by=alice, phase=Phase.MATCHING)
    programme.refresh_from_db()
    assert programme.phase == Phase.MATCHING


def test_recruiting_needs_a_published_code_of_ethics(alice, db):
    programme = services.programme_create(
        by=alice, name="Unready", purpose="x", start_date=datetime.date(2026, 1, 1)
    )
    with pytest.raises(TransitionError, match="code of ethics"):
        services.programme_set_phase(programme=programme, by=alice, phase=Phase.RECRUITING)


def test_the_last_coordinator_cannot_be_removed(programme, alice):
    with pytest.raises(TransitionError):
        services.programme_role_revoke(
            programme=programme, user=alice, role=Role.COORDINATOR, by=alice
        )


def test_applying_twice_for_the_same_role_is_refused(mentor_application, programme, mark):
    with pytest.raises(TransitionError, match="already applied"):
        services.application_submit(
            programme=programme, applicant=mark, role=Role.MENTOR, statement="Again"
        )
    assert Application.objects.filter(applicant=mark).count() == 1


def test_a_withdrawn_applicant_may_apply_again(mentor_application, programme, mark):
    services.application_withdraw(application=mentor_application, by=mark)
    again = services.application_submit(
        programme=programme, applicant=mark, role=Role.MENTOR, statement="Second try"
    )
    assert again.status == ApplicationStatus.SUBMITTED


def test_applications_are_refused_outside_recruiting(programme, alice, mark):
    services.programme_set_phase(programme=programme, by=alice, phase=Phase.MATCHING)
    programme.refresh_from_db()
    with pytest.raises(TransitionError, match="not taking applications"):
        services.application_submit(
            programme=programme, applicant=mark, role=Role.MENTOR, statement="Late"
        )


def test_a_submission_tells_the_coordinators(programme, mark, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(
            programme=programme, applicant=mark, role=Role.MENTOR, statement="Hello"
        )
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "Mark Mentor" in mail.outbox[0].subject


def test_fit_score_is_the_weighted_mean_over_reviewers(mentor_application, programme, alice, cora):
    criteria = list(programme.criteria.all())
    first = {c.pk: (5 if i == 0 else 3, "") for i, c in enumerate(criteria)}
    screening = services.screening_record(
        application=mentor_application, reviewer=alice, scores=first
    )
    weights = [c.weight for c in criteria]
    expected_first = (Decimal(5 * weights[0] + 3 * sum(weights[1:])) / sum(weights)).quantize(
        Decimal("0.01")
    )
    assert screening.weighted_score == expected_first
    services.screening_record(
        application=mentor_application, reviewer=cora, scores=full_scores(programme, 1)
    )
    mentor_application.refresh_from_db()
    assert mentor_application.fit_score == ((expected_first + 1) / 2).quantize(Decimal("0.01"))
    assert mentor_application.status == ApplicationStatus.UNDER_REVIEW


def test_a_screening_needs_every_criterion(mentor_application, programme, alice):
    partial = dict(list(full_scores(programme).items())[:2])
    with pytest.raises(ValidationError):
        services.screening_record(application=mentor_application, reviewer=alice, scores=partial)
    mentor_application.refresh_from_db()
    assert mentor_application.status == ApplicationStatus.SUBMITTED
    assert not mentor_application.screenings.exists()


def test_scores_outside_one_to_five_are_refused(mentor_application, programme, alice):
    scores = full_scores(programme)
    scores[next(iter(scores))] = (6, "")
    with pytest.raises(ValidationError):
        services.screening_record(application=mentor_application, reviewer=alice, scores=scores)


def test_reviewing_again_replaces_your_own_scores(mentor_application, programme, alice):
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme, 2)
    )
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme, 4)
    )
    mentor_application.refresh_from_db()
    assert mentor_application.screenings.count() == 1
    assert mentor_application.fit_score == Decimal("4.00")


def test_changing_a_weight_updates_recorded_fit_scores(mentor_application, programme, alice):
    criteria = list(programme.criteria.all())
    scores = {c.pk: (5 if i == 0 else 1, "") for i, c in enumerate(criteria)}
    services.screening_record(application=mentor_application, reviewer=alice, scores=scores)
    mentor_application.refresh_from_db()
    before = mentor_application.fit_score
    services.criterion_save(
        programme=programme,
        by=alice,
        criterion=criteria[0],
        name=criteria[0].name,
        description=criteria[0].description,
        weight=10,
    )
    mentor_application.refresh_from_db()
    assert mentor_application.fit_score > before


def test_a_mentor_must_be_screened_before_a_decision(mentor_application, alice):
    with pytest.raises(TransitionError, match="Screen this mentor"):
        services.application_decide(application=mentor_application, by=alice, decision="accept")


def test_declining_needs_a_reason_for_the_applicant(mentor_application, programme, alice):
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    with pytest.raises(ValidationError) as exc:
        services.application_decide(application=mentor_application, by=alice, decision="decline")
    assert "reason" in exc.value.message_dict
    mentor_application.refresh_from_db()
    assert mentor_application.status == ApplicationStatus.UNDER_REVIEW


def test_accepting_grants_the_role_and_tells_the_applicant(
    mentor_application, programme, alice, mark, django_capture_on_commit_callbacks
):
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(application=mentor_application, by=alice, decision="accept")
    assert ProgrammeRole.objects.filter(programme=programme, user=mark, role=Role.MENTOR).exists()
    assert mail.outbox[-1].to == ["mark@example.org"]
    assert "accepted" in mail.outbox[-1].subject


def test_a_decided_application_cannot_be_decided_again(mentor_application, programme, alice):
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    services.application_decide(
        application=mentor_application, by=alice, decision="decline", reason="Full this year."
    )
    with pytest.raises(TransitionError, match="already declined"):
        services.application_decide(application=mentor_application, by=alice, decision="accept")


def test_a_waitlisted_mentor_can_later_be_accepted(mentor_application, programme, alice):
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    services.application_decide(
        application=mentor_application, by=alice, decision="waitlist", reason="Wait a month."
    )
    services.application_decide(application=mentor_application, by=alice, decision="accept")
    mentor_application.refresh_from_db()
    assert mentor_application.status == ApplicationStatus.ACCEPTED


def test_mentee_applications_are_not_screened(mentee_application, programme, alice):
    with pytest.raises(TransitionError, match="confirmed"):
        services.screening_record(
            application=mentee_application, reviewer=alice, scores=full_scores(programme)
        )


def test_the_line_manager_confirms_a_mentee(
    mentee_application, alice, lena, meg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_confirmation(application=mentee_application, by=alice)
    mentee_application.refresh_from_db()
    assert mentee_application.status == ApplicationStatus.AWAITING_CONFIRMATION
    assert mail.outbox[-1].to == ["lena@example.org"]
    assert mentee_application.confirmation_token in mail.outbox[-1].body
    services.application_confirm_by_line_manager(
        application=mentee_application, by=lena, confirm=True
    )
    mentee_application.refresh_from_db()
    assert mentee_application.status == ApplicationStatus.ACCEPTED
    assert mentee_application.decided_by == lena
    assert mentee_application.confirmation_token == ""


def test_only_the_line_manager_can_answer(mentee_application, alice, mark):
    services.application_request_confirmation(application=mentee_application, by=alice)
    with pytest.raises(TransitionError, match="line manager"):
        services.application_confirm_by_line_manager(
            application=mentee_application, by=mark, confirm=True
        )


def test_a_mentee_without_a_line_manager_is_confirmed_by_the_coordinator(programme, alice, db):
    solo = make_person("solo@example.org", "Solo Person")
    application = services.application_submit(
        programme=programme, applicant=solo, role=Role.MENTEE, statement="Learn"
    )
    with pytest.raises(TransitionError, match="no line manager"):
        services.application_request_confirmation(application=application, by=alice)
    services.application_decide(application=application, by=alice, decision="accept")
    application.refresh_from_db()
    assert application.status_label == "Confirmed"


def test_withdrawing_after_acceptance_removes_the_role(mentee_application, alice, meg, programme):
    services.application_decide(application=mentee_application, by=alice, decision="accept")
    services.application_withdraw(application=mentee_application, by=meg)
    assert not ProgrammeRole.objects.filter(programme=programme, user=meg).exists()


def test_publishing_a_new_code_asks_everyone_again(
    programme, alice, cora, django_capture_on_commit_callbacks
):
    first = programme.current_ethics()
    services.ethics_acknowledge(user=cora, code=first)
    assert ethics_pending_for_user(cora) == []
    services.ethics_draft_save(
        programme=programme, by=alice, text="New text.", summary_of_changes="Shorter."
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.ethics_publish(programme=programme, by=alice)
    assert second.version == first.version + 1
    assert ethics_pending_for_user(cora) == [second]
    assert {tuple(m.to) for m in mail.outbox} >= {("cora@example.org",), ("sam@example.org",)}
    assert ("alice@example.org",) not in {tuple(m.to) for m in mail.outbox}


def test_only_the_current_code_can_be_signed(programme, alice, cora):
    old = programme.current_ethics()
    services.ethics_draft_save(programme=programme, by=alice, text="v2")
    services.ethics_publish(programme=programme, by=alice)
    with pytest.raises(TransitionError, match="current version"):
        services.ethics_acknowledge(user=cora, code=old)
    assert not EthicsAcknowledgement.objects.filter(user=cora).exists()


def test_an_empty_code_of_ethics_is_refused(programme, alice):
    with pytest.raises(ValidationError):
        services.ethics_draft_save(programme=programme, by=alice, text="   ")


def test_the_funnel_counts_each_state(mentor_application, mentee_application, programme, alice):
    services.application_decide(application=mentee_application, by=alice, decision="accept")
    funnel = {row.status: (row.mentors, row.mentees) for row in programme_funnel(programme)}
    assert funnel["submitted"] == (1, 0)
    assert funnel["accepted"] == (0, 1)
    assert sum(m + e for m, e in funnel.values()) == 2


def test_a_criterion_used_in_scoring_cannot_be_deleted(mentor_application, programme, alice):
    services.screening_record(
        application=mentor_application, reviewer=alice, scores=full_scores(programme)
    )
    with pytest.raises(TransitionError):
        services.criterion_delete(criterion=programme.criteria.first(), by=alice)


def test_muted_email_sends_nothing(programme, mark, django_capture_on_commit_callbacks):
    from mentorcraft.notifications.services import email_muted

    with email_muted(), django_capture_on_commit_callbacks(execute=True):
        services.application_submit(
            programme=programme, applicant=mark, role=Role.MENTOR, statement="Quietly"
        )
    assert mail.outbox == []
