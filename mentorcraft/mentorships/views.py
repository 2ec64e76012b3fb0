from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.matching.services import pair_check
from mentorcraft.mentorships import selectors, services
from mentorcraft.mentorships.forms import ManualMatchForm
from mentorcraft.mentorships.models import DEFAULT_AGREEMENT, Mentorship
from mentorcraft.people.models import User
from mentorcraft.programmes.models import ApplicationStatus, Role
from mentorcraft.programmes.selectors import is_coordinator, programme_get_for_user


def _accepted(programme, role: str):  # noqa: ANN001, ANN202
    return (
        User.objects.filter(
            applications__programme=programme,
            applications__role=role,
            applications__status=ApplicationStatus.ACCEPTED,
        )
        .select_related("profile")
        .order_by("profile__full_name")
    )


@login_required
def programme_mentorships(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme's pairs, and making one by hand (with the matching rules and warnings)."""
    programme = programme_get_for_user(request.user, pk)
    if not is_coordinator(request.user, programme):
        raise PermissionDenied("Only this programme's coordinators see every pair.")
    paired = programme.mentorships.filter(status=Mentorship.Status.ACTIVE).values("mentee_id")
    form = ManualMatchForm(
        request.POST or None,
        mentors=_accepted(programme, Role.MENTOR),
        mentees=_accepted(programme, Role.MENTEE).exclude(pk__in=paired),
    )
    check = None
    if request.method == "POST" and form.is_valid():
        mentor, mentee = form.cleaned_data["mentor"], form.cleaned_data["mentee"]
        problem, reasons, warnings = pair_check(programme, mentee, mentor)
        check = {"problem": problem, "reasons": reasons, "warnings": warnings}
        if problem:
            form.add_error(None, f"This pair breaks a matching rule: {problem}.")
        elif warnings and not form.cleaned_data["confirm"]:
            form.add_error("confirm", "Tick this to make the pair despite the warnings.")
        else:
            try:
                services.mentorship_create(
                    programme=programme,
                    mentor=mentor,
                    mentee=mentee,
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(
                    request, f"{mentor.display_name} is now mentoring {mentee.display_name}."
                )
                return redirect("mentorships:programme", pk=programme.pk)
    return render(
        request,
        "mentorships/programme_mentorships.html",
        {
            "programme": programme,
            "mentorships": selectors.mentorships_for_programme(programme),
            "form": form,
            "check": check,
        },
    )


@login_required
def mentorship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The pair's page. The coordinators see the same facts, never anything private."""
    mentorship = selectors.mentorship_get_for_user(request.user, pk)
    in_pair = request.user.pk in (mentorship.mentor_id, mentorship.mentee_id)
    state = selectors.agreement_state(mentorship)
    draft = request.POST.get("text") if request.method == "POST" else None
    error = None
    if request.method == "POST":
        mentorship = selectors.mentorship_get_for_user(request.user, pk, write=True)
        try:
            if request.POST.get("action") == "sign" and state["latest"] is not None:
                services.agreement_sign(version=state["latest"], by=request.user)
                messages.success(request, f"You signed version {state['latest'].number}.")
            else:
                version = services.agreement_propose(
                    mentorship=mentorship, by=request.user, text=request.POST.get("text", "")
                )
                messages.success(
                    request,
                    f"Version {version.number} saved and signed by you; it is in force when "
                    "the other person signs it too.",
                )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect(mentorship)
    return render(
        request,
        "mentorships/mentorship_detail.html",
        {
            "mentorship": mentorship,
            "programme": mentorship.programme,
            "in_pair": in_pair,
            "agreement": state,
            "agreement_text": draft
            if draft is not None
            else (state["latest"].text if state["latest"] else DEFAULT_AGREEMENT),
            "agreement_error": error,
        },
        status=400 if error else 200,
    )
