"""Every free-text field has a length limit, and the same one on the page as in the API.

The forms and the API's input schemas of every app are found from the app registry, so a field
added tomorrow is held to this the day it lands. Where a page posts straight to a service (a
private note, a goal comment), the service applies the limit the schema declares.
"""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse
from ninja import Schema

from mentorcraft.mentorships.models import GoalNote, PrivateNote
from mentorcraft.mentorships.services import goal_create


def _classes(module_name: str, base: type) -> list[type]:
    found = []
    for app in apps.get_app_configs():
        if not app.name.startswith("mentorcraft."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.{module_name}")
        except ModuleNotFoundError:
            continue
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, base) and obj.__module__ == module.__name__:
                found.append(obj)
    return found


def _schema_limit(schema: type[Schema], field: str) -> int | None:
    limits = [m.max_length for m in schema.model_fields[field].metadata if hasattr(m, "max_length")]
    return limits[0] if limits else None


FORMS = _classes("forms", forms.BaseForm)
INPUT_SCHEMAS = [s for s in _classes("schemas", Schema) if not s.__name__.endswith("Out")]


def test_the_registry_finds_the_forms_and_schemas():
    assert len(FORMS) > 30 and len(INPUT_SCHEMAS) > 30


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_every_text_field_of_every_form_has_a_limit(form):
    unlimited = [
        name
        for name, field in form.base_fields.items()
        if type(field) is forms.CharField and field.max_length is None
    ]
    assert unlimited == []


@pytest.mark.parametrize("schema", INPUT_SCHEMAS, ids=lambda s: f"{s.__module__}.{s.__name__}")
def test_every_text_field_of_every_api_input_has_a_limit(schema):
    unlimited = [
        name
        for name, info in schema.model_fields.items()
        if info.annotation in (str, str | None) and _schema_limit(schema, name) is None
    ]
    assert unlimited == []


# (form, field) -> (schema, field): the same text, typed on a page or sent to the API.
SAME_TEXT = [
    ("programmes.forms.ProgrammeForm", "name", "programmes.schemas.ProgrammeIn", "name"),
    ("programmes.forms.ProgrammeForm", "purpose", "programmes.schemas.ProgrammeIn", "purpose"),
    ("programmes.forms.ScreeningForm", "comment", "programmes.schemas.ScreeningIn", "comment"),
    ("programmes.forms.DecisionForm", "reason", "programmes.schemas.DecisionIn", "reason"),
    ("people.forms.ProfileForm", "bio", "people.schemas.ProfilePatch", "bio"),
    ("people.forms.ProfileForm", "full_name", "people.schemas.ProfilePatch", "full_name"),
    ("mentorships.forms.GoalForm", "title", "mentorships.schemas.GoalIn", "title"),
    ("mentorships.forms.GoalForm", "why", "mentorships.schemas.GoalIn", "why"),
    ("mentorships.forms.GoalForm", "measure", "mentorships.schemas.GoalIn", "measure"),
    ("mentorships.forms.MeetingForm", "agenda", "mentorships.schemas.MeetingIn", "agenda"),
    ("mentorships.forms.MeetingForm", "location", "mentorships.schemas.MeetingIn", "location"),
    (
        "mentorships.forms.MeetingLogForm",
        "shared_notes",
        "mentorships.schemas.MeetingLogIn",
        "shared_notes",
    ),
    ("mentorships.forms.FeedbackForm", "helped", "mentorships.schemas.FeedbackIn", "helped"),
    ("mentorships.forms.FeedbackForm", "change", "mentorships.schemas.FeedbackIn", "change"),
    ("mentorships.forms.MidpointForm", "focus", "mentorships.schemas.MidpointIn", "focus"),
    ("mentorships.forms.ClosureForm", "reason", "mentorships.schemas.ClosureIn", "reason"),
    (
        "mentorships.forms.ReflectionForm",
        "reflection",
        "mentorships.schemas.ReflectionIn",
        "reflection",
    ),
    ("training.forms.ModuleForm", "description", "training.schemas.ModuleIn", "description"),
]


def _load(dotted: str) -> type:
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(f"mentorcraft.{module}"), name)


@pytest.mark.parametrize(("form", "form_field", "schema", "schema_field"), SAME_TEXT)
def test_the_page_and_the_api_have_the_same_limit(form, form_field, schema, schema_field):
    page = _load(form).base_fields[form_field].max_length
    api = _schema_limit(_load(schema), schema_field)
    assert page is not None and page == api


@pytest.mark.django_db
def test_a_private_note_from_the_page_has_the_api_limit(client, mentorship, meg):
    client.force_login(meg)
    url = reverse("mentorships:private_note_add", args=[mentorship.pk])
    limit = PrivateNote.TEXT_LIMIT
    refused = client.post(url, {"text": "x" * (limit + 1)}, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    assert f"{limit:,} characters" in refused.text
    assert not PrivateNote.objects.exists()
    kept = client.post(url, {"text": "x" * limit}, headers={"HX-Request": "true"})
    assert kept.status_code == 200
    assert PrivateNote.objects.get().text == "x" * limit


@pytest.mark.django_db
def test_a_goal_comment_from_the_page_has_the_api_limit(client, mentorship, meg):
    goal = goal_create(mentorship=mentorship, by=meg, title="Negotiate")
    client.force_login(meg)
    url = reverse("mentorships:goal_note", args=[goal.pk])
    refused = client.post(
        url, {"text": "x" * (GoalNote.TEXT_LIMIT + 1)}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 400
    assert not GoalNote.objects.exists()
