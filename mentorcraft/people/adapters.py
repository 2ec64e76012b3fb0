from __future__ import annotations

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from mentorcraft.notifications.services import absolute_url
from mentorcraft.people.models import Invitation
from mentorcraft.people.services import invitation_accept, profile_ensure

INVITATION_SESSION_KEY = "mentorcraft_invitation"
INVITED_TO_SESSION_KEY = "mentorcraft_invited_to"


def invitation_from_session(request: HttpRequest) -> Invitation | None:
    token = request.session.get(INVITATION_SESSION_KEY)
    if not token:
        return None
    invitation = Invitation.objects.filter(token=token).first()
    return invitation if invitation and invitation.is_usable else None


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open or by invitation, per deployment (``SIGNUP_MODE``)."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        if settings.SIGNUP_MODE == "open":
            return True
        return invitation_from_session(request) is not None

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        request = getattr(self, "request", None)
        if settings.SIGNUP_MODE != "open" and request is not None:
            invitation = invitation_from_session(request)
            if invitation is not None and invitation.email != email.strip().lower():
                raise ValidationError(f"This invitation is for {invitation.email}.")
        return email

    def save_user(self, request, user, form, commit=True):  # noqa: ANN001, ANN201 - allauth API
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            full_name = getattr(form, "cleaned_data", {}).get("full_name") or ""
            profile_ensure(user=user, full_name=full_name)
            invitation = invitation_from_session(request)
            if invitation is not None and invitation.email == user.email.lower():
                # The invitation reached this address: it is proved, so allauth marks it
                # verified and sends no "confirm your e-mail".
                self.stash_verified_email(request, invitation.email)
                invitation_accept(invitation=invitation, user=user)
                if invitation.programme_id and invitation.role:
                    request.session[INVITED_TO_SESSION_KEY] = [
                        invitation.programme_id,
                        invitation.role,
                    ]
        return user

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        """An invitation to a programme lands on its application form, in the invited role."""
        invited_to = request.session.pop(INVITED_TO_SESSION_KEY, None)
        if invited_to:
            programme_id, role = invited_to
            return f"{reverse('programmes:apply', args=[programme_id])}?role={role}"
        return super().get_signup_redirect_url(request)

    # --- Mail in the app's voice, with links to SITE_URL -----------------------------------------

    def format_email_subject(self, subject: str) -> str:
        return f"Mentorcraft: {subject}" if "Mentorcraft" not in subject else subject

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {"site_url": settings.SITE_URL, "site_name": "Mentorcraft", **context}
        super().send_mail(template_prefix, email, context)

    def get_reset_password_from_key_url(self, key: str) -> str:
        return _on_site(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:  # noqa: ANN001
        return _on_site(super().get_email_confirmation_url(request, emailconfirmation))


def _on_site(url: str) -> str:
    """The same path on ``SITE_URL``: links in mail go to the site's public address, not to
    whichever host name the request came in on."""
    parts = urlsplit(url)
    return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))


def axes_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The email being tried, whichever login form sent it (allauth's or the admin's)."""
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        value = credentials.get(key) or (request.POST.get(key) if request else None)
        if value:
            return str(value).strip().lower()
    return None
