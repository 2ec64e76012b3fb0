"""Issue 11.14: the demo's people say things that fit who they are (a facilities manager does
not mentor junior doctors)."""

from __future__ import annotations

import random

import pytest
from django.core.management import call_command

from mentorcraft.demo.programmes import SENIOR_DOCTOR_OFFER, SENIOR_DOCTORS, statement_for
from mentorcraft.programmes.models import Application, Role

pytestmark = pytest.mark.django_db


def test_a_statement_fits_the_persons_department_and_job(mark):
    from mentorcraft.people.models import Department

    rng = random.Random(1)
    mark.profile.department = Department.objects.create(name="Estates and facilities")
    mark.profile.job_title = "Facilities manager"
    mark.profile.save()
    offers = {statement_for(rng, mark, Role.MENTOR) for _ in range(30)}
    assert SENIOR_DOCTOR_OFFER not in offers and all("junior doctors" not in o for o in offers)
    mark.profile.department = Department.objects.create(name="Medicine")
    mark.profile.job_title = "Consultant physician"
    mark.profile.save()
    assert statement_for(rng, mark, Role.MENTOR) == SENIOR_DOCTOR_OFFER
    goals = {statement_for(rng, mark, Role.MENTEE) for _ in range(30)}
    assert all("ward manager" not in g for g in goals)


@pytest.mark.slow
def test_no_seeded_application_contradicts_its_applicant(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    applications = Application.objects.select_related("applicant__profile__department")
    for application in applications:
        profile = application.applicant.profile
        if "junior doctors" in application.statement:
            assert profile.job_title in SENIOR_DOCTORS, (profile.job_title, application.statement)
        if "ward manager" in application.statement:
            assert profile.department.name == "Nursing", profile.job_title
