from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

OUR_APPS = {"people", "programmes", "matching", "mentorships"}
# Private notes are for their author alone: no admin page may show them.
NEVER_IN_ADMIN = {"mentorships.PrivateNote"}


@pytest.fixture
def admin_client_with_data(client, programme, mentor_application, mentee_application):  # noqa: ANN001
    from mentorcraft.people.models import User

    root = User.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(root)
    return client


def test_every_model_of_ours_is_in_the_admin():
    from django.apps import apps

    ours = {m for m in apps.get_models() if m._meta.app_label in OUR_APPS}
    private = {m for m in ours if m._meta.label in NEVER_IN_ADMIN}
    assert len(private) == len(NEVER_IN_ADMIN)
    assert ours - private <= set(admin.site._registry)
    assert not private & set(admin.site._registry)


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label in OUR_APPS],
    ids=lambda m: m._meta.label,
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
