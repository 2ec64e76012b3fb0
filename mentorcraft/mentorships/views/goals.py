"""Learning goals: the mentee writes them; notes, comments and ratings on each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.core.ids import require_id
from mentorcraft.mentorships import selectors, services
from mentorcraft.mentorships.forms import GoalForm
from mentorcraft.mentorships.models import Goal
from mentorcraft.mentorships.views.pairs import pair_page


@login_required
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(request.user, pk, write=True)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(mentorship=mentorship, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            if goal.repeated:
                messages.info(request, f"You already have the goal “{goal.title}”: nothing new.")
            else:
                messages.success(request, "Goal added. Your mentor can comment on it.")
            return redirect(mentorship)
    return render(
        request,
        "mentorships/goal_form.html",
        {"mentorship": mentorship, "programme": mentorship.programme, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _goal_for(request: HttpRequest, goal_pk: int) -> Goal:
    goal = get_object_or_404(Goal.objects.select_related("mentorship"), pk=require_id(goal_pk))
    selectors.mentorship_get_for_user(request.user, goal.mentorship_id, write=True)
    return goal


@login_required
@require_POST
def goal_note(request: HttpRequest, goal_pk: int) -> HttpResponse:
    """Add a progress note or comment; with htmx only the goal's card is swapped."""
    goal = _goal_for(request, goal_pk)
    error = None
    try:
        services.goal_note_add(
            goal=goal,
            by=request.user,
            text=request.POST.get("text", ""),
            status=request.POST.get("status") or None,
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    typed = request.POST.get("text", "") if error else ""
    if request.htmx:
        goals = selectors.goals_for_page(goal.mentorship, in_pair=True)
        return render(
            request,
            "mentorships/_goal.html",
            {
                "goal": next(g for g in goals if g.pk == goal.pk),
                "in_pair": True,
                "failed_goal": goal.pk,
                "goal_note_error": error,
                "statuses": Goal.Status.choices,
                "mentorship": goal.mentorship,
                "goal_typed": typed,
            },
            status=400 if error else 200,
        )
    if error:
        return pair_page(
            request, goal.mentorship, failed_goal=goal.pk, goal_note_error=error, goal_typed=typed
        )
    return redirect(goal.mentorship)


@login_required
@require_POST
def goal_rate(request: HttpRequest, goal_pk: int) -> HttpResponse:
    goal = _goal_for(request, goal_pk)
    try:
        services.goal_rate(
            goal=goal,
            by=request.user,
            stage=request.POST.get("stage", ""),
            score=int(request.POST.get("score", "0") or 0),
        )
    except (ValidationError, ValueError) as exc:
        messages.error(
            request, " ".join(exc.messages) if isinstance(exc, ValidationError) else "Rate 1-5."
        )
    else:
        messages.success(request, "Rating saved.")
    return redirect(goal.mentorship)


def ratings_from(request: HttpRequest, goals: list[Goal]) -> tuple[dict[int, int], str | None]:
    """The 1-5 rating typed for each goal (``rating-<id>``), or the first missing one."""
    ratings = {}
    for goal in goals:
        raw = request.POST.get(f"rating-{goal.pk}", "")
        if raw not in {"1", "2", "3", "4", "5"}:
            return ratings, f"Rate every goal from 1 to 5 (missing: {goal.title})."
        ratings[goal.pk] = int(raw)
    return ratings, None
