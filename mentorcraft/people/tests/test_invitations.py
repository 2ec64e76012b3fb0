"""Invitations name a programme and a role, go to many addresses at once, and prove the
address (no "confirm your e-mail" after signing up from one); the account pages say how to get
in and every account mail speaks in the app's voice with links to SITE_URL."""

from __future__ import annotations

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.roles import Role
from mentorcraft.people.models import Invitation, User
from mentorcraft.people.services import invitation_create

SITE = "https://mentoring.example.org"
PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.SIGNUP_MODE = "invite"


@pytest.fixture
def other_programme(db):
    """A programme Alice does not coordinate (made through the invitation's own link to the
    model: people's tests sit below programmes)."""
    programme_model = Invitation._meta.get_field("programme").related_model
    return programme_model.objects.create(
        name="Finance Mentoring",
        slug="finance-mentoring",
        purpose="Someone else's programme.",
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + datetime.timedelta(days=365),
    )


def _invite(client, **data):  # noqa: ANN001, ANN003, ANN202
    return client.post(reverse("people:invitations"), data, follow=True)


@pytest.mark.django_db
def test_a_coordinator_invites_many_addresses_to_a_programme(
    client, alice, programme, mark, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(
            client,
            emails="Ana@Example.org, ben@example.org\nmark@example.org; ana@example.org",
            programme=programme.pk,
            role=Role.MENTOR,
        )
    html = response.content.decode()
    assert "2 invitations sent" in html
    assert "mark@example.org already has an account" in html
    invitations = Invitation.objects.order_by("email")
    assert [(i.email, i.programme, i.role) for i in invitations] == [
        ("ana@example.org", programme, "mentor"),
        ("ben@example.org", programme, "mentor"),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.org", "ben@example.org"]
    mail = mailoutbox[0]
    assert mail.subject == "You are invited to Leadership Mentoring 2026 on Mentorcraft"
    assert "apply to Leadership Mentoring 2026 as a mentor" in mail.body
    assert f"{SITE}/invite/" in mail.body
    assert "Leadership Mentoring 2026, as mentor" in html  # the list of invitations sent


@pytest.mark.django_db
def test_the_invitation_form_explains_what_is_wrong(client, alice, programme, other_programme):
    client.force_login(alice)
    cases = [
        ({"emails": "ana@example.org, not-an-address"}, "not e-mail addresses: not-an-address"),
        ({"emails": " , "}, "Give at least one e-mail address."),
        ({"emails": " ".join(f"p{n}@example.org" for n in range(51))}, "at most 50"),
        (
            {"emails": "ana@example.org", "programme": other_programme.pk, "role": "mentee"},
            "Select a valid choice",
        ),
        (
            {"emails": "ana@example.org", "programme": programme.pk},
            "as a mentee or a mentor",
        ),
        ({"emails": "ana@example.org", "role": "mentee"}, "Choose the programme"),
    ]
    for data, message in cases:
        response = client.post(reverse("people:invitations"), data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_only_coordinators_send_invitations(client, programme, mark):
    client.force_login(mark)
    response = client.post(reverse("people:invitations"), {"emails": "x@example.org"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_signing_up_from_an_invitation_needs_no_confirmation_mail(
    client, alice, programme, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = invitation_create(
        by=alice, email="ana@example.org", programme=programme, role="mentee"
    )
    mailoutbox.clear()
    client.get(reverse("people:invitation", args=[invitation.token]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "full_name": "Ana Silva",
                "email": "ana@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    user = User.objects.get(email="ana@example.org")
    assert mailoutbox == []
    assert EmailAddress.objects.get(user=user).verified
    # They land on the programme's application form, as the role they were invited to.
    assert response.status_code == 302
    assert response.url == f"{reverse('programmes:apply', args=[programme.pk])}?role=mentee"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


@pytest.mark.django_db
def test_open_sign_up_still_confirms_the_address_in_the_apps_voice(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SIGNUP_MODE = "open"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "full_name": "Walk In",
                "email": "walkin@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "Mentorcraft: Confirm your e-mail address"
    assert f"{SITE}/accounts/confirm-email/" in mail.body
    assert "Hello from" not in mail.body and "example.com" not in mail.body


@pytest.mark.django_db
def test_a_password_reset_mail_links_to_the_site(client, alice, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": "alice@example.org"})
    mail = mailoutbox[0]
    assert mail.subject == "Mentorcraft: Reset your password"
    assert f"{SITE}/accounts/password/reset/key/" in mail.body
    assert mail.body.rstrip().endswith(SITE)
    assert "testserver" not in mail.body


@pytest.mark.django_db
def test_the_sign_in_page_says_how_to_get_in(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "ask a coordinator" in html
    assert reverse("account_signup") not in html
    assert 'class="skip-link"' in html and 'class="card"' in html  # the site's own layout
    closed = client.get(reverse("account_signup")).content.decode()
    assert "Sign-up is by invitation" in closed
    assert "ask a coordinator" in closed
    assert "we are sorry" not in closed.lower()


@pytest.mark.django_db
def test_with_open_sign_up_the_sign_in_page_offers_it(client, settings):
    settings.SIGNUP_MODE = "open"
    html = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") in html
    assert "Create an account" in html


@pytest.mark.django_db
def test_the_password_pages_use_the_sites_layout(client, alice):
    for name in ("account_reset_password", "account_reset_password_done"):
        html = client.get(reverse(name)).content.decode()
        assert 'class="skip-link"' in html and 'class="entrance"' in html, name
    client.force_login(alice)
    html = client.get(reverse("account_change_password")).content.decode()
    assert 'class="entrance"' in html and "Change your password" in html


# --- Walkthrough fixes: open programmes only, readable reasons, replaced, the name -------------


@pytest.fixture
def ended_programme(alice):
    """A programme Alice coordinates that ended last year (closed, not open for applications)."""
    programme_model = Invitation._meta.get_field("programme").related_model
    ended = programme_model.objects.create(
        name="Leadership Mentoring (last year)",
        slug="leadership-last-year",
        purpose="Over.",
        start_date=timezone.localdate() - datetime.timedelta(days=500),
        end_date=timezone.localdate() - datetime.timedelta(days=100),
        phase="closed",
    )
    ended.roles.create(user=alice, role=Role.COORDINATOR)
    return ended


@pytest.mark.django_db
def test_only_programmes_open_for_applications_are_offered(
    client, alice, programme, ended_programme
):
    client.force_login(alice)
    html = client.get(reverse("people:invitations")).content.decode()
    assert f'<option value="{programme.pk}">' in html
    assert ended_programme.name not in html
    response = client.post(
        reverse("people:invitations"),
        {"emails": "ana@example.org", "programme": ended_programme.pk, "role": "mentee"},
    )
    assert response.status_code == 200
    assert "open for applications" in response.content.decode()
    # The service refuses it too, whoever calls it.
    with pytest.raises(ValidationError) as refused:
        invitation_create(
            by=alice, email="ana@example.org", programme=ended_programme, role="mentee"
        )
    assert "is not open for applications" in " ".join(refused.value.messages)
    # A programme still recruiting after its end date is refused as well.
    type(programme).objects.filter(pk=programme.pk).update(
        end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    programme.refresh_from_db()
    with pytest.raises(ValidationError):
        invitation_create(by=alice, email="ana@example.org", programme=programme, role="mentee")
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_the_reasons_not_to_invite_read_as_sentences(client, alice, programme, mark, lena):
    client.force_login(alice)
    one = _invite(client, emails="mark@example.org, new@example.org").content.decode()
    assert "Not invited: mark@example.org already has an account." in one
    assert "[" not in one.split("Not invited:")[1].split("<")[0]
    two = _invite(client, emails="mark@example.org, lena@example.org").content.decode()
    assert (
        "2 addresses were not invited: mark@example.org already has an account. "
        "lena@example.org already has an account." in two
    )
    assert "[&#x27;" not in two and "['" not in two


@pytest.mark.django_db
def test_inviting_an_address_again_shows_the_earlier_invitation_as_replaced(
    client, alice, programme
):
    client.force_login(alice)
    _invite(client, emails="ana@example.org")
    html = _invite(client, emails="ana@example.org").content.decode()
    statuses = [i.is_usable for i in Invitation.objects.order_by("created_at")]
    assert statuses == [False, True]
    table = html[html.index("Invitations you sent") :]
    assert table.count("replaced by a newer invitation") == 1
    assert table.count("waiting") == 1
    assert "expired" not in table


@pytest.mark.django_db
def test_sign_up_asks_for_the_name_and_says_who_invited_to_what(
    client, alice, programme, django_capture_on_commit_callbacks
):
    invitation = invitation_create(
        by=alice, email="old.prog@example.org", programme=programme, role="mentor"
    )
    client.get(reverse("people:invitation", args=[invitation.token]))
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="full_name"' in page
    assert page.index('name="full_name"') < page.index('name="password1"')
    assert "Alice Coordinator invited you to apply to Leadership Mentoring 2026 as a mentor" in (
        " ".join(page.split())
    )
    signup = {"email": "old.prog@example.org", "password1": PASSWORD, "password2": PASSWORD}
    missing = client.post(reverse("account_signup"), signup)
    assert missing.status_code == 200
    assert "This field is required." in missing.content.decode()
    assert not User.objects.filter(email="old.prog@example.org").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {**signup, "full_name": "  Olga   Prokop "})
    user = User.objects.get(email="old.prog@example.org")
    assert user.profile.full_name == "Olga Prokop"
