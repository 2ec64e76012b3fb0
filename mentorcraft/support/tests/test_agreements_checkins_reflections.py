"""Supervision agreements (the pair's mechanism, shared), coordinators' check-ins, and a
mentor's reflections, private until brought to supervision."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import assert_role_matrix
from mentorcraft.core.errors import TransitionError
from mentorcraft.core.extensions import next_steps_for
from mentorcraft.mentorships.models import Meeting
from mentorcraft.support import selectors, services
from mentorcraft.support.models import DEFAULT_AGREEMENT, Reflection, Topic

pytestmark = pytest.mark.django_db


def test_a_circle_agreement_is_in_force_when_everyone_signed(circle, vic, mentors, olive):
    agreement = services.agreement_for_circle(circle)
    assert selectors.agreement_signers(agreement) == {vic.pk, *(m.pk for m in mentors[:3])}
    text = DEFAULT_AGREEMENT.format(frequency="every six weeks")
    version = services.supervision_agreement_propose(agreement=agreement, by=vic, text=text)
    for member in mentors[:2]:
        services.supervision_agreement_sign(version=version, by=member)
    assert services.agreement_state(agreement)["in_force"] is None
    services.supervision_agreement_sign(version=version, by=mentors[2])
    assert services.agreement_state(agreement)["in_force"] == version
    # A change needs everyone again; the signed version stays in force meanwhile.
    changed = services.supervision_agreement_propose(
        agreement=agreement, by=mentors[0], text=text + "\n\nWe meet online in winter."
    )
    state = services.agreement_state(agreement)
    assert state["latest"] == changed and state["in_force"] == version
    with pytest.raises(TransitionError, match="newer version"):
        services.supervision_agreement_sign(version=version, by=mentors[1])
    with pytest.raises(TransitionError, match="Only the people"):
        services.supervision_agreement_sign(version=changed, by=mentors[4])
    with pytest.raises(ValidationError, match="Write the agreement"):
        services.supervision_agreement_propose(agreement=agreement, by=vic, text="  ")


def test_an_individual_agreement_is_between_the_mentor_and_the_supervisor(
    programme, alice, mentors, supervisor, vic
):
    assignment = services.assign(
        programme=programme, mentor=mentors[4], supervisor=supervisor, by=alice
    )
    agreement = services.agreement_for_individual(assignment)
    assert services.agreement_for_individual(assignment) == agreement
    assert selectors.agreement_signers(agreement) == {mentors[4].pk, vic.pk}


def test_agreement_pages_are_for_the_signers_and_coordinators_read_them(
    client, circle, vic, mentors, alice, sam, olive, meg
):
    agreement = services.agreement_for_circle(circle)
    page = reverse("support:agreement", args=[agreement.pk])
    for reader in (vic, mentors[0], alice):
        client.force_login(reader)
        assert client.get(page).status_code == 200
    assert_role_matrix(client, [("get", page)], outsiders=[olive], read_only=[sam, meg, mentors[4]])
    propose = reverse("support:agreement_propose", args=[agreement.pk])
    assert_role_matrix(client, [("post", propose)], read_only=[alice], data={"text": "Hello"})
    client.force_login(mentors[0])
    response = client.post(propose, {"text": ""})
    assert response.status_code == 400 and "Write the agreement" in response.content.decode()


def test_check_ins_are_due_on_the_cadence_and_on_the_coordinators_home(
    programme, alice, mentors, mentorship
):
    from mentorcraft.programmes.models import Phase, Programme

    Programme.objects.filter(pk=programme.pk).update(
        phase=Phase.RUNNING, start_date=timezone.localdate() - datetime.timedelta(days=70)
    )
    programme.refresh_from_db()
    every, rows = selectors.check_ins(programme)
    assert every == 8 and all(r.due for r in rows) and len(rows) == 5
    services.check_in_record(
        programme=programme,
        mentor=mentors[0],
        by=alice,
        held_on=timezone.localdate() - datetime.timedelta(days=3),
        note="Fine.",
    )
    _, rows = selectors.check_ins(programme)
    assert [r.mentor for r in rows if not r.due] == [mentors[0]]
    assert selectors.check_ins_due([programme.pk]) == {programme.pk: 4}
    assert any(s.title == "Check in with 4 mentors" for s in next_steps_for(alice))
    with pytest.raises(ValidationError, match="once it has happened"):
        services.check_in_record(
            programme=programme,
            mentor=mentors[1],
            by=alice,
            held_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    services.check_in_settings_update(programme=programme, by=alice, every_weeks=52)
    assert selectors.check_ins_due([programme.pk]) == {}


def test_check_ins_page_for_coordinators(client, programme, alice, mark, sam, olive, mentors):
    url = reverse("support:check_ins", args=[programme.pk])
    assert_role_matrix(client, [("get", url)], outsiders=[olive], read_only=[sam, mark])
    client.force_login(alice)
    response = client.post(url, {"mentor": mark.pk, "held_on": "", "how": "call", "note": "Kept"})
    assert response.status_code == 400 and "Kept" in response.content.decode()


def held_meeting(mentorship, days_ago: int = 2) -> Meeting:  # noqa: ANN001
    return Meeting.objects.create(
        mentorship=mentorship,
        starts_at=timezone.now() - datetime.timedelta(days=days_ago),
        duration_minutes=60,
        status=Meeting.Status.HELD,
    )


def test_a_reflection_is_the_mentors_alone_until_brought(
    client, programme, mentorship, mark, meg, alice, circle, session, vic, olive
):
    meeting = held_meeting(mentorship)
    reflection = services.reflection_write(
        mentorship=mentorship,
        by=mark,
        went_well=["know", "questions"],
        to_work_on="balance",
        note="I talked too much about myself.",
        meeting=meeting,
    )
    page = reverse("support:reflection", args=[reflection.pk])
    client.force_login(mark)
    assert "I talked too much" in client.get(page).content.decode()
    assert_role_matrix(client, [("get", page)], outsiders=[meg, alice, vic, olive])
    with pytest.raises(TransitionError, match="the mentor's own"):
        services.reflection_write(mentorship=mentorship, by=meg, went_well=["know"])
    topic = services.reflection_bring(reflection=reflection, by=mark)
    assert topic.session == session and "I talked too much" in topic.situation
    assert "To work on: keep a balance of talking and listening." in topic.situation
    assert Topic.objects.get(pk=topic.pk).mentor == mark
    assert selectors.topic_supervisor_id(topic) == vic.pk
    with pytest.raises(TransitionError, match="already with your supervisor"):
        services.reflection_bring(reflection=reflection, by=mark)
    assert Reflection.NOT_IN_ADMIN


def test_the_pair_page_guides_the_mentor_and_not_the_mentee(client, mentorship, mark, meg):
    client.force_login(mark)
    page = client.get(mentorship.get_absolute_url()).content.decode()
    assert "First-meeting guide" in page and "Asked questions rather than gave answers" in page
    client.force_login(meg)
    page = client.get(mentorship.get_absolute_url()).content.decode()
    assert "First-meeting guide" not in page and "Raise a concern" in page
    held_meeting(mentorship)
    client.force_login(mark)
    assert "Reflect on" in client.get(mentorship.get_absolute_url()).content.decode()
