from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.core.ids import require_id
from mentorcraft.matching.services import pair_check
from mentorcraft.mentorships import selectors, services
from mentorcraft.mentorships.forms import GoalForm, ManualMatchForm
from mentorcraft.mentorships.models import DEFAULT_AGREEMENT, Goal, GoalRating, Mentorship
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
            "goals": _goals(mentorship, in_pair),
            "goal_form": GoalForm(),
            "statuses": Goal.Status.choices,
        },
        status=400 if error else 200,
    )


def _goals(mentorship: Mentorship, in_pair: bool) -> list[Goal]:
    """Goals with their ratings (and, for the pair only, their notes)."""
    goals = mentorship.goals.prefetch_related("ratings")
    if in_pair:
        goals = goals.prefetch_related("notes__author__profile")
    result = list(goals)
    for goal in result:
        by_stage = {r.stage: r.score for r in goal.ratings.all()}
        goal.start = by_stage.get(GoalRating.Stage.START)
        goal.latest = by_stage.get(GoalRating.Stage.CLOSURE) or by_stage.get(
            GoalRating.Stage.MIDPOINT
        )
    return result


@login_required
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(request.user, pk, write=True)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_create(mentorship=mentorship, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
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
    if request.htmx:
        goal = next(g for g in _goals(goal.mentorship, True) if g.pk == goal.pk)
        return render(
            request,
            "mentorships/_goal.html",
            {
                "goal": goal,
                "in_pair": True,
                "note_error": error,
                "statuses": Goal.Status.choices,
                "mentorship": goal.mentorship,
                "typed": request.POST.get("text", "") if error else "",
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
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
