"""Closing a mentorship (the pair or the coordinators) with the closing guide; then each
person's reflection, closing goal ratings, pipeline question and, after an early close, a
rematch."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from mentorcraft.core.errors import TransitionError
from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.mentorships import selectors, services
from mentorcraft.mentorships.forms import ClosureForm, ReflectionForm, ReopenForm
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.mentorships.views.goals import ratings_from
from mentorcraft.programmes.access import is_coordinator


def _closure_page(
    request: HttpRequest,
    mentorship: Mentorship,
    *,
    start_form: ClosureForm | None = None,
    reflection_form: ReflectionForm | None = None,
    rating_error: str | None = None,
    reopen_form: ReopenForm | None = None,
) -> HttpResponse:
    closure = selectors.closure_of(mentorship)
    goals = selectors.open_goals(mentorship)
    for goal in goals:
        goal.typed = request.POST.get(f"rating-{goal.pk}", "")
    reflections = list(closure.reflections.all()) if closure else []
    refused = start_form is not None or reflection_form is not None or reopen_form is not None
    return render(
        request,
        "mentorships/closure.html",
        {
            "mentorship": mentorship,
            "programme": mentorship.programme,
            "in_pair": selectors.in_pair(request.user, mentorship),
            "is_mentee": request.user.pk == mentorship.mentee_id,
            "closure": closure,
            "mine": next((r for r in reflections if r.author_id == request.user.pk), None),
            "reflected": {r.author_id for r in reflections},
            "goals": goals,
            "start_form": start_form or ClosureForm(),
            "reflection_form": reflection_form or ReflectionForm(),
            "rating_error": rating_error,
            "reopen_form": reopen_form or ReopenForm(),
            "may_reopen": is_coordinator(request.user, mentorship.programme)
            and mentorship.status == Mentorship.Status.CLOSED
            and not reflections,
            "planned_opens": mentorship.ends_on
            - datetime.timedelta(days=services.PLANNED_CLOSE_WINDOW_DAYS),
            "today": timezone.localdate(),
            "reopen_days": services.REOPEN_WITHIN_DAYS,
        },
        status=400 if refused else 200,
    )


@login_required
@require_GET
def closure_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _closure_page(request, selectors.mentorship_get_for_user(request.user, pk))


@login_required
@require_POST
def closure_start(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(request.user, pk)
    form = ClosureForm(request.POST)
    if form.is_valid():
        try:
            services.closure_start(
                mentorship=mentorship,
                by=request.user,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "The mentorship is closed.")
            return redirect("mentorships:closure", pk=mentorship.pk)
    return _closure_page(request, mentorship, start_form=form)


@login_required
@require_POST
def closure_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator reopens a mentorship closed by mistake (after a confirmation)."""
    mentorship = selectors.mentorship_get_for_user(request.user, pk)
    if not is_coordinator(request.user, mentorship.programme):
        raise PermissionDenied("Only the programme's coordinators reopen a mentorship.")
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _closure_page(request, mentorship, reopen_form=form)
    try:
        services.closure_reopen(mentorship=mentorship, by=request.user)
    except TransitionError as exc:
        form.add_error(None, " ".join(exc.messages))
        return _closure_page(request, mentorship, reopen_form=form)
    messages.success(request, "Reopened; both have been told.")
    return redirect(mentorship.get_absolute_url())


@login_required
@require_POST
def closure_reflect(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(request.user, pk)
    selectors.require_pair(request.user, mentorship, "Reflections are written by the pair.")
    form = ReflectionForm(request.POST)
    ratings, rating_error = {}, None
    if request.user.pk == mentorship.mentee_id:
        ratings, rating_error = ratings_from(request, selectors.open_goals(mentorship))
    if form.is_valid() and not rating_error:
        try:
            services.closure_reflect(
                mentorship=mentorship, by=request.user, ratings=ratings, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Thank you. Your reflection is saved.")
            return redirect("mentorships:closure", pk=mentorship.pk)
    return _closure_page(request, mentorship, reflection_form=form, rating_error=rating_error)
