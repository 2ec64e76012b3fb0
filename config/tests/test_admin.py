"""The admin site over every app's models, found from the app registry: a model that lands
tomorrow is covered by these tests the day it lands (see ``mentorcraft.core.admin``)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from mentorcraft.core.admin import ConfidentialAdmin, confidential_fields

pytestmark = pytest.mark.django_db

OURS = [m for m in apps.get_models() if m.__module__.startswith("mentorcraft.")]
# Private notes are for their author alone: no admin page may show them.
NEVER_IN_ADMIN = {m._meta.label for m in OURS if getattr(m, "NOT_IN_ADMIN", False)}
CONFIDENTIAL = [(model, field) for model in OURS for field in sorted(confidential_fields(model))]


def label(model: type[models.Model]) -> str:
    return model._meta.label


@pytest.fixture
def root(db):  # noqa: ANN001, ANN201
    from mentorcraft.people.models import User

    return User.objects.create_superuser(email="root@example.org", password="x")


@pytest.fixture
def admin_client_with_data(client, root, programme, mentor_application, mentee_application):  # noqa: ANN001
    client.force_login(root)
    return client


def test_every_model_of_ours_is_in_the_admin():
    ours = set(OURS)
    private = {m for m in ours if m._meta.label in NEVER_IN_ADMIN}
    assert "mentorships.PrivateNote" in NEVER_IN_ADMIN
    assert len(private) == len(NEVER_IN_ADMIN)
    assert ours - private <= set(admin.site._registry)
    assert not private & set(admin.site._registry)


@pytest.mark.parametrize("model", OURS, ids=label)
def test_every_free_text_field_is_either_confidential_or_public(model):
    confidential = confidential_fields(model)
    public = set(getattr(model, "PUBLIC_TEXT_FIELDS", ()))
    names = {f.name for f in model._meta.get_fields()}
    assert confidential <= names and public <= names, "a declared field does not exist"
    assert not confidential & public
    text = {f.name for f in model._meta.get_fields() if isinstance(f, models.TextField)}
    unclassified = text - confidential - public
    assert not unclassified, (
        f"{model._meta.label}: say whether {sorted(unclassified)} is confidential "
        "(CONFIDENTIAL_FIELDS) or text a coordinator reads anyway (PUBLIC_TEXT_FIELDS)"
    )


@pytest.mark.parametrize(
    "model", [m for m in OURS if m in admin.site._registry and confidential_fields(m)], ids=label
)
def test_an_admin_with_confidential_fields_keeps_them_out_of_sight(model, root):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, ConfidentialAdmin)
    request = RequestFactory().get("/")
    request.user = root
    hidden = confidential_fields(model)
    shown = {
        *model_admin.get_form(request).base_fields,
        *model_admin.get_list_display(request),
        *model_admin.get_readonly_fields(request),
        *(f if isinstance(f, str) else "" for f in model_admin.get_list_filter(request)),
    }
    assert not shown & hidden
    searched = {
        name.lstrip("^=@").split("__")[0] for name in model_admin.get_search_fields(request)
    }
    assert not searched & hidden


@pytest.mark.parametrize(
    "model,field", CONFIDENTIAL, ids=[f"{m._meta.label}.{f}" for m, f in CONFIDENTIAL]
)
def test_no_lookup_reads_a_confidential_field(client, root, model, field):
    if model not in admin.site._registry:
        pytest.skip("not in the admin at all")
    client.force_login(root)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    for lookup in (f"{field}__icontains", field, f"{field}__startswith"):
        response = client.get(changelist, {lookup: "a"})
        assert response.status_code == 400, f"{lookup} was allowed"


def test_no_lookup_reads_a_confidential_field_through_a_relation(client, root):
    client.force_login(root)
    changelist = reverse("admin:mentorships_goalnote_changelist")
    assert client.get(changelist, {"goal__why__icontains": "a"}).status_code == 400
    # Lookups on what is not confidential still work.
    meetings = reverse("admin:mentorships_meeting_changelist")
    assert client.get(meetings, {"status": "held", "minutes_spent__gte": "30"}).status_code == 200


@pytest.mark.parametrize(
    "model", [m for m in admin.site._registry if m in OURS], ids=lambda m: m._meta.label
)
def test_admin_lists_and_forms_open(admin_client_with_data, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client_with_data.get(changelist).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert admin_client_with_data.get(change).status_code == 200


def test_participants_cannot_use_the_admin(client, mark):
    client.force_login(mark)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
