from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
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
from mentorcraft.people.forms import (
    InvitationForm,
    OrgManagerForm,
    ProfileForm,
    TokenForm,
    TopicForm,
)
from mentorcraft.people.models import Invitation, Profile, Topic
from mentorcraft.people.widgets import parse_ids


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
    return render(
        request,
        "people/profile_detail.html",
        {"profile": profile, "org_form": _org_manager_form(request, profile)},
    )


def _org_manager_form(request: HttpRequest, profile: Profile, data: object = None) -> object:
    """The coordinator's form for the organisation's line manager, for those who may use it."""
    try:
        selectors.org_manager_profile_for(request.user, profile.user_id)
    except PermissionDenied:
        return None
    return OrgManagerForm(
        data,
        asker=request.user,
        person=profile.user,
        initial={"manager": profile.org_manager_id},
    )


@login_required
@require_POST
def org_manager_set(request: HttpRequest, user_id: int) -> HttpResponse:
    profile = selectors.org_manager_profile_for(request.user, user_id)
    form = _org_manager_form(request, profile, request.POST)
    if form.is_valid():
        try:
            services.profile_set_org_manager(
                profile=profile, manager=form.cleaned_data["manager"], by=request.user
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "The organisation's line manager is on record.")
            return redirect("people:profile", user_id=profile.user_id)
    return render(request, "people/profile_detail.html", {"profile": profile, "org_form": form})


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
    programmes = selectors.invitable_programmes(request.user)
    # The import page links here with the addresses it could not find, ready to invite.
    initial = {
        "emails": request.GET.get("emails", "")[: InvitationForm.base_fields["emails"].max_length]
    }
    form = InvitationForm(request.POST or None, programmes=programmes, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sent, skipped = services.invitations_create(
                by=request.user,
                emails=form.cleaned_data["emails"],
                programme=form.cleaned_data["programme"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            if sent:
                names = ", ".join(i.email for i in sent[:5]) + (
                    " and others" if len(sent) > 5 else ""
                )
                messages.success(
                    request,
                    f"{len(sent)} invitation{'s' if len(sent) != 1 else ''} sent: {names}.",
                )
            if skipped:
                messages.warning(
                    request,
                    f"Not invited: {skipped[0]}"
                    if len(skipped) == 1
                    else f"{len(skipped)} addresses were not invited: " + " ".join(skipped),
                )
            return redirect("people:invitations")
    # An invitation sent again to the same address replaces the earlier one (its link stops
    # working): that one is shown as replaced, not as expired.
    newer = Invitation.objects.filter(
        email=OuterRef("email"), created_at__gt=OuterRef("created_at")
    )
    sent = paginate(
        request,
        Invitation.objects.filter(invited_by=request.user)
        .select_related("programme")
        .annotate(replaced=Exists(newer)),
    )
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


# --- The person picker's answers (htmx) ---------------------------------------------------------

PICKER_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


def _picker_names(request: HttpRequest) -> tuple[str, str]:
    """The field's name and the picker's element id, checked: they are written into the page."""
    name = request.GET.get("field", "")
    target = request.GET.get("target", f"id_{name}")
    if not PICKER_NAME.match(name) or not PICKER_NAME.match(target):
        raise Http404("No such picker.")
    return name, target


@login_required
def people_search(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type for the person picker: a few names with job title and team."""
    name, target = _picker_names(request)
    query = str(request.GET.get("q") or request.GET.get(f"{name}__q") or "")[:80]
    context = {
        "name": name,
        "id": target,
        "multiple": request.GET.get("multiple") == "1",
        "min_chars": selectors.SEARCH_MIN_CHARS,
        "searched": len("".join(query.split())) >= selectors.SEARCH_MIN_CHARS,
        "results": [],
        "more": False,
        "is_you": False,
    }
    if context["searched"]:
        if not selectors.search_allowed(request.user):
            return HttpResponse("Too many searches in a minute; wait a moment.", status=429)
        # The people chosen already (the picker sends its list along) are not offered again.
        chosen = parse_ids(request.GET.getlist(name))
        context["results"], context["more"] = selectors.people_search(
            request.user, query, exclude=chosen
        )
        context["is_you"] = not context["results"] and selectors.query_names_asker(
            request.user, query
        )
    return render(request, "people/_picker_search.html", context)


@login_required
def picker_choose(request: HttpRequest) -> HttpResponse:
    """One chosen person for the picker's list (a hidden input and a remove button); the search
    results are cleared. Someone already on a list of several (the picker sends its list along)
    is not added twice."""
    name, target = _picker_names(request)
    cards = selectors.people_cards(request.user, parse_ids([request.GET.get("id", "")]))
    if not cards:
        raise Http404("No such person.")
    person = cards[0]
    multiple = request.GET.get("multiple") == "1"
    already = multiple and person.id in parse_ids(request.GET.getlist(name))
    return render(
        request,
        "people/_picker_choose.html",
        {
            "name": name,
            "id": target,
            "person": None if already else person,
            "already": person,
            "announce": True,
        },
    )


@login_required
def picker_removed(request: HttpRequest) -> HttpResponse:
    """Nothing: htmx swaps a removed person's entry for it."""
    return HttpResponse("")
