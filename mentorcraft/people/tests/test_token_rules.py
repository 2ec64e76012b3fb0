"""Issue 10.1: a personal API token obeys the MFA rule, expires, dies with a new password or a
deactivated account, can be read-only, and shows when it was last used."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorcraft.people.models import ApiToken
from mentorcraft.people.services import api_token_authenticate, api_token_create

pytestmark = pytest.mark.django_db


def me(client, raw: str, method: str = "get", **kw):  # noqa: ANN001, ANN003
    return getattr(client, method)("/api/v1/people/me", HTTP_AUTHORIZATION=f"Bearer {raw}", **kw)


def test_a_token_expires_after_the_days_chosen(client, mark):
    token, raw = api_token_create(user=mark, name="script", days=7)
    assert (token.expires_at - timezone.now()).days in (6, 7)
    assert me(client, raw).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert me(client, raw).status_code == 401
    default, _ = api_token_create(user=mark, name="default")
    assert (default.expires_at - timezone.now()).days in (89, 90)
    with pytest.raises(Exception, match="how long"):
        api_token_create(user=mark, name="forever", days=100000)


def test_a_new_password_or_a_deactivated_account_ends_every_token(client, mark, olive):
    _, raw = api_token_create(user=mark, name="script")
    mark.set_password("a new long passphrase 2026")
    mark.save()
    assert api_token_authenticate(raw) is None
    assert me(client, raw).status_code == 401
    _, other = api_token_create(user=olive, name="script")
    olive.is_active = False
    olive.save()
    assert me(client, other).status_code == 401


def test_a_read_only_token_reads_and_never_writes(client, mark):
    _, raw = api_token_create(user=mark, name="report", read_only=True)
    assert me(client, raw).status_code == 200
    refused = me(
        client, raw, "patch", data={"job_title": "Changed"}, content_type="application/json"
    )
    assert refused.status_code == 403 and "read-only" in refused.json()["detail"]
    mark.profile.refresh_from_db()
    assert mark.profile.job_title != "Changed"


def test_a_staff_token_obeys_the_mfa_rule(client, alice, programme, settings):
    """With two-factor authentication required of staff, a coordinator without it got 200 with
    a token while their web session was held back."""
    _, raw = api_token_create(user=alice, name="script")
    settings.REQUIRE_MFA_FOR_STAFF = True
    response = me(client, raw)
    assert response.status_code == 403 and "two-factor" in response.json()["detail"]
    settings.REQUIRE_MFA_FOR_STAFF = False
    assert me(client, raw).status_code == 200


def test_the_page_makes_a_read_only_token_and_shows_its_expiry_and_last_use(client, mark):
    client.force_login(mark)
    response = client.post(
        reverse("people:tokens"), {"name": "HR export", "days": "30", "read_only": "on"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="HR export")
    assert token.read_only and (token.expires_at - timezone.now()) > datetime.timedelta(days=29)
    page = client.get(reverse("people:tokens")).text
    assert token.expires_at.strftime("%-d %b %Y") in page and "never" in page
    bad = client.post(reverse("people:tokens"), {"name": "X", "days": "5"})
    assert "Select a valid choice" in bad.text
