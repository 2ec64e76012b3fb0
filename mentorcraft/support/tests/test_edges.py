"""What a walk through the pages found, held in place: who may never supervise whom, links
that must open, forms that must not fail, proposals that must be publishable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentorcraft.support import selectors, services
from mentorcraft.support.models import Circle, CircleMember, Concern

from .conftest import add_mentor, started

pytestmark = pytest.mark.django_db


def test_a_mentee_never_supervises_and_never_their_own_mentor(
    programme, alice, mark, meg, mentorship, wes
):
    with pytest.raises(ValidationError, match="is a mentee in this programme"):
        services.supervisor_add(
            programme=programme, person=meg, kind="external", capacity=3, by=alice
        )
    # Even someone who is not a mentee here any more must not supervise their own mentor.
    from mentorcraft.programmes.models import ProgrammeRole

    ProgrammeRole.objects.filter(user=meg, role="mentee").delete()
    supervisor = services.supervisor_add(
        programme=programme, person=meg, kind="external", capacity=3, by=alice
    )
    with pytest.raises(ValidationError, match="never supervised by their own mentee"):
        services.assign(programme=programme, mentor=mark, supervisor=supervisor, by=alice)


def test_raise_a_concern_opens_from_the_pair_page(client, mentorship, mark, meg):
    for person in (mark, meg):
        client.force_login(person)
        page = client.get(mentorship.get_absolute_url()).content.decode()
        link = reverse("support:concern_create") + f"?mentorship={mentorship.pk}"
        assert link in page
        response = client.get(link)
        assert response.status_code == 200
        assert f'value="{mentorship.pk}" selected' in response.content.decode()


def test_a_topic_edited_badly_says_so(client, programme, mark, session):
    topic = services.topic_bring(
        programme=programme,
        mentor=mark,
        title="Quiet",
        situation="Two cancellations.",
        help_wanted=["listen"],
        session=session,
    )
    client.force_login(mark)
    response = client.post(
        reverse("support:topic_edit", args=[topic.pk]), {"title": "", "situation": "Kept this"}
    )
    assert response.status_code == 400
    assert "Kept this" in response.content.decode()


def test_one_to_one_takes_a_mentor_out_of_their_circle(programme, alice, circle, mark, wes):
    other = services.supervisor_add(
        programme=programme, person=wes, kind="external", capacity=3, by=alice
    )
    services.assign(programme=programme, mentor=mark, supervisor=other, by=alice)
    assert not CircleMember.objects.filter(circle=circle, mentor=mark).exists()
    assert mark.pk not in set(circle.members.values_list("mentor_id", flat=True))


def test_tight_places_make_smaller_circles_rather_than_leave_one_without(
    programme, alice, mentors, supervisor, wes
):
    # 10 mentors; places 6 and 4: two circles of five cannot both be seated, three or four
    # circles of three or four can.
    for n in range(5):
        add_mentor(programme, alice, f"tight{n}@example.org", f"Tight {n}")
    other = services.supervisor_add(
        programme=programme, person=wes, kind="external", capacity=4, by=alice
    )
    services.supervisor_update(supervisor=supervisor, by=alice, capacity=6)
    formation = services.formation_propose(programme=programme, by=alice, whole=True)
    circles = selectors.formation_circles(formation)
    assert all(c.supervisor is not None for c in circles)
    assert services.circle_problems(circles) == []
    assert {c.supervisor for c in circles} == {supervisor, other}
    services.formation_publish(formation=formation, by=alice)


def test_a_mentor_can_be_moved_to_a_new_circle(programme, alice, mentors, supervisor):
    for n in range(2):
        add_mentor(programme, alice, f"more{n}@example.org", f"More {n}")
    formation = services.formation_propose(programme=programme, by=alice)
    first = selectors.formation_circles(formation)[0]
    mover = first.members.first().mentor
    new = services.formation_move(formation=formation, mentor=mover, to=None, by=alice)
    assert new.status == Circle.Status.PROPOSED and new.formation == formation
    assert list(new.members.values_list("mentor", flat=True)) == [mover.pk]
    problems = services.circle_problems(selectors.formation_circles(formation))
    assert any(f"{new.name} has 1 mentor" in p for p in problems)
    with pytest.raises(ValidationError, match="already"):
        services.formation_move(formation=formation, mentor=mover, to=new, by=alice)


def test_a_held_session_is_not_coming_up(programme, session, vic, mark):
    held = started(session)
    assert held in selectors.my_supervision(vic).upcoming  # under way, register not taken
    services.attendance_record(session=held, by=vic, present=[mark.pk])
    assert held not in selectors.my_supervision(vic).upcoming
    assert held in selectors.my_supervision(vic).past
    assert held not in selectors.overview(programme).upcoming


def test_a_second_click_on_a_concern_status_is_not_an_error(client, mentorship, mark, alice):
    concern = services.concern_raise(
        mentorship=mentorship, by=mark, kind="ethics", description="Worried."
    )
    client.force_login(alice)
    url = reverse("support:concern_status", args=[concern.pk])
    data = {"status": "acknowledged", "note": ""}
    assert client.post(url, data).status_code == 302
    second = client.post(url, data, follow=True)
    assert second.status_code == 200 and "The concern is acknowledged." in second.content.decode()
    assert Concern.objects.get().status == "acknowledged"


def test_ending_or_re_forming_circles_cancels_their_sessions_to_come(
    programme, alice, mentors, circle, session
):
    from django.core import mail

    mail.outbox.clear()
    formation = services.formation_propose(programme=programme, by=alice, whole=True)
    services.formation_publish(formation=formation, by=alice)
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert any("METHOD:CANCEL" in m.attachments[0][1] for m in mail.outbox if m.attachments)
    new_names = {c.name for c in selectors.formation_circles(formation)}
    assert circle.name not in new_names, "a new circle never takes an ended circle's name"


def test_a_new_supervisor_cancels_individual_sessions_with_the_old(
    programme, alice, mentors, supervisor, wes
):
    import datetime

    from django.utils import timezone

    services.assign(programme=programme, mentor=mentors[4], supervisor=supervisor, by=alice)
    one_to_one = services.session_schedule(
        programme=programme,
        kind="individual",
        by=alice,
        starts_at=timezone.now() + datetime.timedelta(days=4),
        mentor=mentors[4],
    )
    other = services.supervisor_add(
        programme=programme, person=wes, kind="external", capacity=3, by=alice
    )
    services.assign(programme=programme, mentor=mentors[4], supervisor=other, by=alice)
    one_to_one.refresh_from_db()
    assert one_to_one.status == "cancelled"


def test_a_double_click_brings_one_topic_and_a_mentor_can_withdraw_it(programme, mark, session):
    bring = {
        "programme": programme,
        "mentor": mark,
        "title": "Quiet",
        "situation": "Cancelled twice.",
        "help_wanted": ["listen"],
        "session": session,
    }
    first = services.topic_bring(**bring)
    assert services.topic_bring(**bring) == first
    services.topic_withdraw(topic=first, by=mark)
    assert not session.topics.exists()


def test_an_empty_register_needs_nobody_came(client, session, vic):
    held = started(session)
    client.force_login(vic)
    url = reverse("support:session_attendance", args=[held.pk])
    refused = client.post(url, {})
    assert refused.status_code == 400 and "Nobody came" in refused.content.decode()
    held.refresh_from_db()
    assert held.attendance_taken_at is None
    assert client.post(url, {"nobody": "on"}).status_code == 302


def test_a_new_agreement_version_asks_the_others_to_sign_on_their_home_page(circle, vic, mentors):
    from mentorcraft.core.extensions import next_steps_for
    from mentorcraft.support.models import DEFAULT_AGREEMENT

    agreement = services.agreement_for_circle(circle)
    services.supervision_agreement_propose(
        agreement=agreement, by=vic, text=DEFAULT_AGREEMENT.format(frequency="monthly")
    )
    title = f"Sign {circle.name}'s supervision agreement"
    assert any(s.title == title for s in next_steps_for(mentors[0]))
    assert not any(s.title == title for s in next_steps_for(vic))
    with pytest.raises(ValidationError, match="Keep the agreement to 8,000 characters"):
        services.supervision_agreement_propose(agreement=agreement, by=vic, text="x" * 8001)
    services.circle_end(circle=circle, by=vic)
    with pytest.raises(ValidationError, match="has ended"):
        services.supervision_agreement_propose(agreement=agreement, by=vic, text="Changed.")


def test_a_new_supervisor_leads_the_circles_sessions_to_come(
    programme, alice, circle, session, wes
):
    other = services.supervisor_add(
        programme=programme, person=wes, kind="external", capacity=5, by=alice
    )
    services.circle_set_supervisor(circle=circle, supervisor=other, by=alice)
    session.refresh_from_db()
    assert session.leader == wes and session.sequence == 1


def test_a_reflection_can_be_a_single_line(mentorship, mark):
    reflection = services.reflection_write(mentorship=mentorship, by=mark, note="Listened more.")
    assert reflection.went_well == [] and reflection.note == "Listened more."
