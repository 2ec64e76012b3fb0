from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentorcraft.core.extensions import roles_anywhere
from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.core.ids import require_id
from mentorcraft.core.pagination import paginate
from mentorcraft.core.roles import Role
from mentorcraft.people import selectors, services
from mentorcraft.people.adapters import INVITATION_SESSION_KEY
from mentorcraft.people.forms import InvitationForm, ProfileForm, TokenForm, TopicForm
from mentorcraft.people.models import Invitation, Topic


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = services.profile_ensure(user=request.user)
    profile = selectors.profile_get_for_user(request.user, request.user.pk, write=True)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expertise, learning = data.pop("expertise"), data.pop("learning_topics")
        try:
            services.profile_update(
                profile=profile,
                by=request.user,
                expertise=expertise,
                learning_topics=learning,
                **data,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Profile saved.")
            return redirect("people:profile_edit")
    return render(request, "people/profile_form.html", {"form": form, "profile": profile})


@login_required
def profile_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    profile = selectors.profile_get_for_user(request.user, user_id)
    return render(request, "people/profile_detail.html", {"profile": profile})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _, raw = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                read_only=form.cleaned_data["read_only"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            form = TokenForm()
    return render(
        request,
        "people/tokens.html",
        {
            "form": form,
            "raw": raw,
            "tokens": paginate(request, request.user.api_tokens.all()),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Scoped to the owner: someone else's token id is simply not found.
    token = get_object_or_404(request.user.api_tokens, pk=require_id(pk, "token"))
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("people:tokens")


@login_required
def topics(request: HttpRequest) -> HttpResponse:
    can_edit = selectors.can_edit_taxonomy(request.user)
    form = TopicForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only coordinators edit the topic taxonomy.")
        if form.is_valid():
            try:
                topic = services.topic_save(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, f"Topic “{topic.name}” added.")
                return redirect("people:topics")
    return render(
        request,
        "people/topics.html",
        {"topics": paginate(request, Topic.objects.all()), "form": form, "can_edit": can_edit},
    )


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    if not selectors.can_edit_taxonomy(request.user):
        raise PermissionDenied("Only coordinators invite people.")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                by=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("people:invitations")
    sent = paginate(request, Invitation.objects.filter(invited_by=request.user))
    return render(request, "people/invitations.html", {"form": form, "sent": sent})


def invitation_landing(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        return render(request, "people/invitation_invalid.html", status=404)
    request.session[INVITATION_SESSION_KEY] = invitation.token
    return redirect(f"{reverse('account_signup')}?email={invitation.email}")


def api_about(request: HttpRequest) -> HttpResponse:
    """What the API is and how to use it; the footer links here for everyone. The interactive
    documentation is for coordinators and staff, so it is linked only for them (for others it
    would send them round the sign-in page)."""
    user = request.user
    may_read_docs = user.is_authenticated and (
        user.is_staff or Role.COORDINATOR in roles_anywhere(user)
    )
    return render(request, "people/api_about.html", {"may_read_docs": may_read_docs})
