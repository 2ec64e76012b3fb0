"""Proposing and signing the pair's working agreement (on the pair's page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships import selectors, services
from mentorcraft.mentorships.views.pairs import pair_page


@login_required
@require_POST
def agreement_propose(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(request.user, pk, write=True)
    typed = request.POST.get("text", "")
    try:
        version = services.agreement_propose(mentorship=mentorship, by=request.user, text=typed)
    except ValidationError as exc:
        return pair_page(
            request, mentorship, agreement_error=" ".join(exc.messages), agreement_text=typed
        )
    messages.success(
        request,
        f"Version {version.number} saved and signed by you; it is in force when the other "
        "person signs it too.",
    )
    return redirect(mentorship)


@login_required
@require_POST
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the version the person read; a newer one that arrived meanwhile is refused."""
    mentorship = selectors.mentorship_get_for_user(request.user, pk, write=True)
    number = request.POST.get("version", "")
    history = selectors.agreement_state(mentorship)["history"]
    version = next((v for v in history if str(v.number) == number), None)
    try:
        if version is None:
            raise TransitionError("Choose the version you read.")
        services.agreement_sign(version=version, by=request.user)
    except ValidationError as exc:
        return pair_page(request, mentorship, agreement_error=" ".join(exc.messages))
    messages.success(request, f"You signed version {version.number}.")
    return redirect(mentorship)
