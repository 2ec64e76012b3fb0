"""Template tags for the account pages."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def signup_open(context: template.Context) -> bool:
    """May this visitor create an account themselves (open sign-up, or an invitation in hand)?"""
    request = context.get("request")
    return request is not None and get_adapter(request).is_open_for_signup(request)


@register.simple_tag(takes_context=True)
def signup_invitation(context: template.Context):  # noqa: ANN201 - an Invitation or None
    """The invitation this visitor is signing up with (from its link), for the sign-up page to
    say who invited them and to what."""
    from mentorcraft.people.adapters import invitation_from_session

    request = context.get("request")
    invitation = invitation_from_session(request) if request is not None else None
    return invitation
