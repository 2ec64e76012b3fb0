"""The training pages: who may see and do what, forms that keep what was typed, and lists
whose queries do not grow with their rows."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import assert_queries_do_not_grow, assert_role_matrix, fetcher, make_person
from mentorcraft.mentorships.models import Closure, ClosureReflection
from mentorcraft.programmes import services as programmes
from mentorcraft.programmes.models import Application, Role
from mentorcraft.training import services
from mentorcraft.training.models import Coach, Completion, MentorInvitation, Registration

from .conftest import held, past_mentorship

pytestmark = pytest.mark.django_db
numbers = itertools.count()


def test_every_page_answers_its_people(
    client, alice, mark, cora, mentor_application, programme, induction, make_session
):
    session = make_session()
    services.registration_create(session=session, person=mark, by=mark)
    for person, urls in (
        (mark, ["catalogue", "sessions", "my_record"]),
        (alice, ["catalogue", "sessions", "my_record", "coaches", "pipeline"]),
    ):
        client.force_login(person)
        for name in urls:
            assert client.get(reverse(f"training:{name}")).status_code == 200, name
    client.force_login(alice)
    for url in (
        reverse("training:module", args=[induction.pk]),
        reverse("training:session", args=[session.pk]),
        reverse("training:programme", args=[programme.pk]),
        reverse("training:person_record", args=[mark.pk]),
        reverse("training:external", args=[mark.pk]),
        reverse("training:module_create"),
        reverse("training:session_create", args=[induction.pk]),
        reverse("training:session_edit", args=[session.pk]),
        reverse("training:attendance", args=[session.pk]),
    ):
        assert client.get(url).status_code == 200, url
    calendar = client.get(reverse("training:session_ics", args=[session.pk]))
    assert calendar["Content-Type"].startswith("text/calendar")
    assert b"METHOD:PUBLISH" in calendar.content


def test_records_are_for_the_person_their_managers_and_programme_leads(
    client, alice, mark, cora, sam, olive, meg, lena, mentor_application, mentee_application
):
    record = reverse("training:person_record", args=[mark.pk])
    for reader in (alice, cora):
        client.force_login(reader)
        assert client.get(record).status_code == 200
    client.force_login(lena)  # meg's line manager
    assert client.get(reverse("training:person_record", args=[meg.pk])).status_code == 200
    client.force_login(mark)
    assert client.get(record).status_code == 302  # to their own record page
    assert_role_matrix(
        client,
        [("get", record), ("get", reverse("training:person_record", args=[10**9]))],
        outsiders=[olive],
    )
    assert_role_matrix(client, [("get", record)], read_only=[sam, meg])
    external = reverse("training:external", args=[mark.pk])
    assert_role_matrix(client, [("get", external), ("post", external)], outsiders=[olive])
    assert_role_matrix(client, [("get", external), ("post", external)], read_only=[sam, cora])


def test_a_programmes_training_is_set_by_its_coordinators(
    client, alice, cora, sam, olive, mark, programme, induction
):
    requirement = services.requirement_add(
        programme=programme, by=alice, role="mentor", kind="induction"
    )
    requests = [
        ("get", reverse("training:programme", args=[programme.pk])),
        ("post", reverse("training:requirement_add", args=[programme.pk])),
        ("post", reverse("training:tier_settings", args=[programme.pk])),
        ("post", reverse("training:requirement_delete", args=[requirement.pk])),
    ]
    # The programme is recruiting, so everyone may read its page: olive is told no (403).
    assert_role_matrix(client, requests, read_only=[cora, sam, olive])
    draft = programmes.programme_create(
        by=alice, name="Draft", purpose="-", start_date=timezone.localdate()
    )
    hidden = services.requirement_add(programme=draft, by=alice, role="mentor", kind="skills")
    assert_role_matrix(
        client,
        [
            ("get", reverse("training:programme", args=[draft.pk])),
            ("post", reverse("training:requirement_delete", args=[hidden.pk])),
        ],
        outsiders=[olive, cora],
    )
    client.force_login(alice)
    response = client.post(
        reverse("training:requirement_add", args=[programme.pk]),
        {"role": "mentor", "tier": "any", "kind": "induction", "min_minutes": "0"},
    )
    assert response.status_code == 400
    assert "already requires" in response.content.decode()
    response = client.post(
        reverse("training:requirement_add", args=[programme.pk]),
        {"role": "mentee", "tier": "any", "kind": "", "module": "", "min_minutes": "0"},
    )
    assert response.status_code == 400
    assert "Choose a kind of training, or one module." in response.content.decode()
    response = client.post(
        reverse("training:requirement_add", args=[programme.pk]),
        {
            "role": "mentee",
            "tier": "any",
            "kind": "skills",
            "module": induction.pk,
            "min_minutes": "30",
        },
    )
    assert response.status_code == 400 and "not both" in response.content.decode()
    assert 'value="30"' in response.content.decode()  # what was typed is kept
    client.post(reverse("training:requirement_delete", args=[requirement.pk]))
    assert not programme.training_requirements.exists()


def test_registers_places_coaches_and_the_pipeline_have_their_people(
    client, alice, mark, meg, cora, olive, sam, make_session, induction, programme
):
    session = make_session()  # run by cora
    place = services.registration_create(session=session, person=meg, by=meg)
    attendance = reverse("training:attendance", args=[session.pk])
    edit = reverse("training:session_edit", args=[session.pk])
    assert_role_matrix(
        client,
        [("get", attendance), ("post", attendance), ("get", edit), ("post", edit)],
        read_only=[mark, olive, sam],
    )
    cancel = reverse("training:registration_cancel", args=[place.pk])
    assert_role_matrix(client, [("post", cancel)], outsiders=[olive, mark], read_only=[cora])
    module_edit = reverse("training:module_edit", args=[induction.pk])
    assert_role_matrix(client, [("get", module_edit), ("post", module_edit)], read_only=[mark])
    services.module_set_active(module=induction, by=alice, active=False)
    assert_role_matrix(
        client, [("get", reverse("training:module", args=[induction.pk]))], outsiders=[olive]
    )
    for name in ("coaches", "pipeline"):
        assert_role_matrix(client, [("get", reverse(f"training:{name}"))], read_only=[mark, cora])
    coach = Coach.objects.create(person=cora)
    status = reverse("training:coach_status", args=[coach.pk])
    assert_role_matrix(client, [("post", status)], outsiders=[olive], read_only=[cora])
    invite = reverse("training:pipeline_invite", args=[mark.pk])
    client.force_login(alice)
    assert client.post(invite, {"programme": programme.pk}).status_code == 404


def test_a_form_with_a_mistake_keeps_what_was_typed(client, alice, programme, induction):
    client.force_login(alice)
    response = client.post(
        reverse("training:module_create"),
        {
            "title": "Listening skills",
            "description": "",
            "audience": "mentors",
            "level": "new",
            "kind": "skills",
            "format": "workshop",
            "duration_minutes": "90",
        },
    )
    assert response.status_code == 400
    assert 'value="Listening skills"' in response.content.decode()
    response = client.post(
        reverse("training:session_create", args=[induction.pk]),
        {
            "date": "2020-01-01",
            "time": "25:00",
            "duration_minutes": "120",
            "location": "Room 9",
            "capacity": "10",
            "facilitator": alice.pk,
        },
    )
    assert response.status_code == 400 and 'value="Room 9"' in response.content.decode()


def test_registering_on_the_page_says_where_you_stand(client, mark, meg, make_session):
    session = make_session(capacity=1)
    client.force_login(mark)
    response = client.post(reverse("training:session_register", args=[session.pk]), follow=True)
    assert "You have a place" in response.content.decode()
    client.force_login(meg)
    response = client.post(reverse("training:session_register", args=[session.pk]), follow=True)
    assert "number 1 on the waitlist" in response.content.decode()
    response = client.post(reverse("training:session_register", args=[session.pk]), follow=True)
    assert "already on the waitlist" in response.content.decode()


def test_the_register_page_marks_people_and_adds_walk_ins(client, cora, mark, meg, make_session):
    session = make_session(capacity=2)
    services.registration_create(session=session, person=mark, by=mark)
    held(session)
    client.force_login(cora)
    url = reverse("training:attendance", args=[session.pk])
    response = client.post(url, {f"person_{mark.pk}": "attended", "walk_ins": "nobody@x.org"})
    assert response.status_code == 400
    assert "nobody@x.org" in response.content.decode()
    assert not Completion.objects.exists()
    response = client.post(url, {f"person_{mark.pk}": "attended", "walk_ins": meg.email.upper()})
    assert response.status_code == 302
    assert set(Completion.objects.values_list("person_id", flat=True)) == {mark.pk, meg.pk}


def test_an_invitation_to_mentor_drafts_the_application(client, alice, mark, meg, programme):
    mentorship = past_mentorship(programme, mark, meg)
    ClosureReflection.objects.create(
        closure=Closure.objects.get(mentorship=mentorship),
        author=meg,
        reflection="-",
        would_mentor="yes",
    )
    client.force_login(alice)
    page = client.get(reverse("training:pipeline")).content.decode()
    assert "Meg Mentee" in page and "Invite to mentor" in page
    client.post(reverse("training:pipeline_invite", args=[meg.pk]), {"programme": programme.pk})
    assert MentorInvitation.objects.filter(person=meg, programme=programme).exists()
    assert "Invite to mentor" not in client.get(reverse("training:pipeline")).content.decode()
    client.force_login(meg)
    form = client.get(reverse("programmes:apply", args=[programme.pk]) + "?role=mentor")
    assert "I was mentored by Mark Mentor" in form.content.decode()
    plain = client.get(reverse("programmes:apply", args=[programme.pk]) + "?role=mentee")
    assert "I was mentored by" not in plain.content.decode()


def _more_completions(person, module):  # noqa: ANN001, ANN202
    def grow() -> None:
        for _ in range(5):
            Completion.objects.create(
                person=person,
                module=module,
                completed_on=timezone.localdate() - datetime.timedelta(days=next(numbers)),
                source="external",
                minutes=60,
                evidence="-",
            )

    return grow


def test_lists_do_not_grow_their_queries(
    client, alice, mark, cora, programme, induction, ethics_module, mentor_application, make_session
):
    services.requirement_add(programme=programme, by=alice, role="mentor", kind="induction")
    first = make_session()
    services.registration_create(session=first, person=mark, by=mark)
    client.force_login(mark)
    assert_queries_do_not_grow(
        fetcher(client, reverse("training:my_record")),
        _more_completions(mark, ethics_module),
        what="the training record",
    )

    def more_sessions() -> None:
        for _ in range(4):
            session = make_session(days=3 + next(numbers))
            services.registration_create(session=session, person=mark, by=mark)

    assert_queries_do_not_grow(
        fetcher(client, reverse("training:sessions")), more_sessions, what="the session list"
    )
    assert_queries_do_not_grow(
        fetcher(client, reverse("training:catalogue")),
        lambda: [
            services.module_create(
                by=alice,
                title=f"Module {next(numbers)}",
                description="-",
                audience="everyone",
                kind="skills",
                format="workshop",
                duration_minutes=60,
            )
            for _ in range(3)
        ],
        what="the catalogue",
    )
    client.force_login(cora)

    def more_people() -> None:
        for _ in range(4):
            n = next(numbers)
            person = make_person(f"reg{n}@example.org", f"Reg {n}")
            services.registration_create(session=first, person=person, by=person)

    assert_queries_do_not_grow(
        fetcher(client, reverse("training:session", args=[first.pk])),
        more_people,
        what="a session's people",
    )
    client.force_login(alice)

    def more_applicants() -> None:
        for _ in range(4):
            n = next(numbers)
            person = make_person(f"app{n}@example.org", f"App {n}")
            programmes.application_submit(
                programme=programme, applicant=person, role=Role.MENTOR, statement="Me"
            )

    assert_queries_do_not_grow(
        fetcher(client, reverse("training:programme", args=[programme.pk])),
        more_applicants,
        what="the programme's training page",
    )

    def more_coaches() -> None:
        for _ in range(3):
            n = next(numbers)
            Coach.objects.create(person=make_person(f"co{n}@example.org", f"Co {n}"))

    more_coaches()
    assert_queries_do_not_grow(
        fetcher(client, reverse("training:coaches")), more_coaches, what="the coach cadre"
    )
    assert Application.objects.filter(programme=programme).count() > 4
    assert Registration.objects.filter(session=first).count() > 4
