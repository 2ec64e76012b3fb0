from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from mentorcraft.people.models import Invitation
from mentorcraft.people.services import invitation_accept, profile_ensure

INVITATION_SESSION_KEY = "mentorcraft_invitation"


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
            profile_ensure(user=user)
            invitation = invitation_from_session(request)
            if invitation is not None and invitation.email == user.email.lower():
                invitation_accept(invitation=invitation, user=user)
        return user


def axes_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The email being tried, whichever login form sent it (allauth's or the admin's)."""
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        value = credentials.get(key) or (request.POST.get(key) if request else None)
        if value:
            return str(value).strip().lower()
    return None
