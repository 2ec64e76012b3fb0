"""Issue 10.5: two programmes of one name from a double submit. Names are unique in the
organisation whatever the case and the spaces around them: the form, the API and the service
say so by the field, and the database holds it when two submits race."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conftest import run_at_once
from mentorcraft.programmes import services
from mentorcraft.programmes.models import Programme

migration = importlib.import_module("mentorcraft.programmes.migrations.0003_programme_names_unique")


def start() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=30)


@pytest.mark.django_db
def test_the_same_name_in_another_case_and_with_spaces_is_refused(programme, alice):
    with pytest.raises(ValidationError) as refused:
        services.programme_create(
            by=alice, name="  leadership MENTORING 2026 ", purpose="Again.", start_date=start()
        )
    assert "already exists" in refused.value.message_dict["name"][0]
    assert Programme.objects.count() == 1
    other = services.programme_create(
        by=alice, name="  Leadership Mentoring 2027 ", purpose="Next year.", start_date=start()
    )
    assert other.name == "Leadership Mentoring 2027"  # stored trimmed


@pytest.mark.django_db
def test_renaming_onto_another_programmes_name_is_refused(programme, alice):
    other = services.programme_create(by=alice, name="Pilot", purpose="x", start_date=start())
    with pytest.raises(ValidationError, match="already exists"):
        services.programme_update(programme=other, by=alice, name="LEADERSHIP mentoring 2026")
    services.programme_update(programme=other, by=alice, name="pilot")  # its own name, recased
    assert Programme.objects.get(pk=other.pk).name == "pilot"


@pytest.mark.django_db
def test_the_database_refuses_a_second_row_of_the_same_name(programme, alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(
            name="LEADERSHIP MENTORING 2026",
            slug="another-slug",
            purpose="x",
            start_date=start(),
            end_date=start() + datetime.timedelta(days=300),
        )


@pytest.mark.django_db
def test_the_page_says_the_name_is_taken(client, programme, alice):
    client.force_login(alice)
    response = client.post(
        reverse("programmes:create"),
        {
            "name": "Leadership mentoring 2026",
            "purpose": "A second try after a slow page.",
            "start_date": start().isoformat(),
            "end_date": "",
            "meeting_minutes": 60,
            "meeting_cadence_days": 30,
            "mentor_capacity_default": 1,
        },
    )
    assert response.status_code in (200, 400)
    assert "already exists" in response.text
    assert Programme.objects.count() == 1


@pytest.mark.django_db
def test_the_api_names_the_field(client, programme, alice):
    client.force_login(alice)
    response = client.post(
        "/api/v1/programmes/",
        {"name": "leadership mentoring 2026", "purpose": "x", "start_date": start().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "already exists" in response.json()["detail"]["name"][0]
    assert Programme.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_make_one_programme_and_no_error(alice):
    def create() -> None:
        services.programme_create(
            by=alice, name="Double Submit", purpose="Clicked twice.", start_date=start()
        )

    outcomes = run_at_once([create, create, create])
    assert sum(o is None for o in outcomes) == 1, outcomes
    assert all(isinstance(o, ValidationError) for o in outcomes if o is not None), outcomes
    assert Programme.objects.filter(name="Double Submit").count() == 1


def test_the_migration_numbers_existing_duplicates_and_keeps_the_oldest_name():
    names = ["Pilot", " pilot ", "Other", "PILOT", "Pilot (2)"]
    assert migration.unique_names(names) == [
        "Pilot",
        "pilot (2)",
        "Other",
        "PILOT (3)",
        "Pilot (2) (2)",
    ]
    long = "x" * 140
    assert [len(n) for n in migration.unique_names([long, long])] == [140, 140]
