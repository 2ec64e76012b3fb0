"""What the OpenAPI schema promises, read from the schema itself (the full proof against a running
demo is config/tests/api_contract.py, run in CI)."""

from __future__ import annotations

import importlib
from collections import defaultdict

import pytest
from django.conf import settings
from ninja import Schema

from mentorcraft.core.dates import DATE_PATTERN
from mentorcraft.programmes.models import Phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    return client.get("/api/v1/openapi.json").json()


def test_a_meetings_calendar_file_is_documented_as_text_calendar(schema):
    answers = schema["paths"]["/api/v1/mentorships/meetings/{meeting_id}/ics"]["get"]["responses"]
    assert list(answers["200"]["content"]) == ["text/calendar"]
    assert answers["404"]["content"]["application/json"]


def test_every_operation_documents_its_errors(schema):
    undocumented = [
        f"{method.upper()} {path}: {sorted({'400', '403', '404', '422'} - set(op['responses']))}"
        for path, operations in schema["paths"].items()
        for method, op in operations.items()
        if not {"400", "403", "404", "422"} <= set(op["responses"])
    ]
    assert undocumented == []


def test_no_two_schemas_share_a_name():
    # django-ninja names a schema's component after its class: a second class of the same name
    # silently replaced the first (a pair's agreement was documented as a circle's).
    apps = [
        name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("mentorcraft.")
    ]
    seen: dict[str, set[str]] = defaultdict(set)
    for app in apps:
        for part in ("schemas", "api"):
            try:
                module = importlib.import_module(f"mentorcraft.{app}.{part}")
            except ModuleNotFoundError:
                continue
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, Schema):
                    seen[value.__name__].add(value.__module__)
    assert {name: where for name, where in seen.items() if len(where) > 1} == {}


def test_dates_and_id_keys_say_what_they_accept(schema):
    start = schema["components"]["schemas"]["ProgrammeIn"]["properties"]["start_date"]
    assert start["pattern"] == DATE_PATTERN
    ratings = schema["components"]["schemas"]["ReflectionIn"]["properties"]["ratings"]
    assert ratings["propertyNames"]["pattern"]


def test_a_huge_offset_is_refused_not_a_server_error(client, alice):
    client.force_login(alice)
    assert client.get("/api/v1/programmes/?offset=10000000000000000000").status_code == 422
    assert client.get("/api/v1/programmes/?offset=100000").json()["items"] == []


def test_choices_are_enums_and_cross_field_rules_are_described(schema):
    components = schema["components"]["schemas"]
    assert components["PhaseIn"]["properties"]["phase"]["enum"] == list(Phase.values)
    assert components["ClosureIn"]["properties"]["kind"]["enum"] == ["planned", "early"]
    assert "" in components["ReflectionIn"]["properties"]["would_mentor"]["enum"]
    assert "after start_date" in components["ProgrammeIn"]["properties"]["end_date"]["description"]


def test_a_phase_that_does_not_exist_is_a_422(client, alice, programme):
    client.force_login(alice)
    response = client.post(
        f"/api/v1/programmes/{programme.pk}/phase",
        {"phase": "paused"},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_the_schema_lists_the_choices_a_field_takes(schema):
    schema = schema["components"]["schemas"]
    assert schema["RunIn"]["properties"]["mode"]["enum"] == ["optimal", "stable"]
    assert schema["PairRuleIn"]["properties"]["kind"]["enum"] == ["lock", "forbid"]
    assert schema["DecisionIn"]["properties"]["decision"]["enum"] == [
        "accept",
        "waitlist",
        "decline",
    ]
    assert schema["ApplicationIn"]["properties"]["role"]["enum"] == ["mentor", "mentee"]
    assert schema["RatingIn"]["properties"]["stage"]["enum"] == ["start", "midpoint", "closure"]
