from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentorcraft.people.models import Invitation, User
from mentorcraft.people.services import invitation_create

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "New",
    "email": "new@example.org",
    "password1": "a long new password",
    "password2": "a long new password",
}


def test_passwords_are_hashed_with_argon2(settings, db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user(email="hash@example.org", password="a long password")
    assert user.password.startswith("argon2$")


def test_sign_in_with_email(client, alice):
    response = client.post(
        reverse("account_login"),
        {"login": "alice@example.org", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_sign_up_is_closed_without_an_invitation(client, settings):
    settings.SIGNUP_MODE = "invite"
    response = client.post(reverse("account_signup"), SIGNUP)
    assert not User.objects.filter(email="new@example.org").exists()
    assert response.status_code == 200
    assert "Sign Up Closed" in response.text


def test_sign_up_is_open_when_the_deployment_says_so(client, settings):
    settings.SIGNUP_MODE = "open"
    client.post(reverse("account_signup"), SIGNUP)
    user = User.objects.get(email="new@example.org")
    assert user.profile.full_name == "New"


def test_an_invitation_opens_sign_up_for_its_email(client, settings, alice):
    settings.SIGNUP_MODE = "invite"
    invitation = invitation_create(by=alice, email="new@example.org")
    response = client.get(reverse("people:invitation", args=[invitation.token]))
    assert response.status_code == 302
    client.post(reverse("account_signup"), SIGNUP)
    assert User.objects.filter(email="new@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_an_invitation_cannot_be_used_for_another_email(client, settings, alice):
    settings.SIGNUP_MODE = "invite"
    invitation = invitation_create(by=alice, email="new@example.org")
    client.get(reverse("people:invitation", args=[invitation.token]))
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "other@example.org"})
    assert "This invitation is for new@example.org" in response.text
    assert not User.objects.filter(email="other@example.org").exists()


def test_an_expired_invitation_is_refused(client, alice):
    invitation = invitation_create(by=alice, email="late@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert client.get(reverse("people:invitation", args=[invitation.token])).status_code == 404


@pytest.mark.parametrize("who,status", [("mark", 403), ("alice", 200)])
def test_only_coordinators_invite(client, request, programme, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("people:invitations")).status_code == status


def test_password_reset_sends_a_link(client, alice, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": "alice@example.org"})
    assert mailoutbox and mailoutbox[0].to == ["alice@example.org"]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_repeated_failed_logins_lock_the_account_out(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("account_login"), {"login": "alice@example.org", "password": "wrong"})
    response = client.post(
        reverse("account_login"),
        {"login": "alice@example.org", "password": "correct horse battery"},
    )
    assert response.status_code == 429
    assert client.get(reverse("home")).status_code == 302  # still signed out


def test_the_admin_login_is_throttled_too(alice, settings):
    settings.AXES_FAILURE_LIMIT = 2
    alice.is_staff = True
    alice.save()
    client = Client()
    for _ in range(2):
        client.post(reverse("admin:login"), {"username": "alice@example.org", "password": "wrong"})
    response = client.post(
        reverse("admin:login"),
        {"username": "alice@example.org", "password": "correct horse battery"},
    )
    assert response.status_code == 429


def test_staff_must_set_up_mfa_when_required(client, settings, alice, programme):
    settings.REQUIRE_MFA_FOR_STAFF = True
    client.force_login(alice)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The set-up pages stay reachable (allauth asks for the password again first): no loop.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    assert client.get(reverse("programmes:list")).status_code == 302


def test_participants_are_not_forced_into_mfa(client, settings, mark):
    settings.REQUIRE_MFA_FOR_STAFF = True
    client.force_login(mark)
    assert client.get(reverse("home")).status_code == 200


def test_pages_send_a_strict_content_security_policy(client, mark):
    client.force_login(mark)
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
