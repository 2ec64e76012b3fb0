"""What the every-role accessibility walk found: a button that only leads to a refusal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):  # noqa: ANN001, ANN201
    admin = make_person("root@example.org", "Rhea Root")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    return admin


def test_an_admin_reads_a_programmes_recognition_but_is_not_offered_to_thank(
    client, root, alice, mentorship
):
    programme = mentorship.programme
    thank = reverse("recognition:thank")
    client.force_login(root)
    page = client.get(reverse("recognition:programme", args=[programme.pk]))
    assert page.status_code == 200
    assert thank not in page.text
    assert client.get(thank).status_code == 403  # what the button led to
    client.force_login(alice)  # the programme's own coordinator thanks its mentors
    assert thank in client.get(reverse("recognition:programme", args=[programme.pk])).text


def test_an_admin_sees_supervision_but_no_link_to_the_concerns_they_may_not_read(
    client, root, alice, programme
):
    concerns = reverse("support:concerns", args=[programme.pk])
    client.force_login(root)
    page = client.get(reverse("support:overview", args=[programme.pk]))
    assert page.status_code == 200
    assert concerns not in page.text
    assert client.get(concerns).status_code == 403
    client.force_login(alice)
    assert concerns in client.get(reverse("support:overview", args=[programme.pk])).text
