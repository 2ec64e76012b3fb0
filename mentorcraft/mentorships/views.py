from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentorcraft.core.errors import TransitionError
from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.core.ids import parse_id, require_id
from mentorcraft.matching.services import pair_check
from mentorcraft.mentorships import selectors, services
from mentorcraft.mentorships.forms import (
    ClosureForm,
    FeedbackForm,
    FeedbackRequestForm,
    GoalForm,
    HealthSettingsForm,
    ManualMatchForm,
    MeetingForm,
    MeetingLogForm,
    MidpointForm,
    NudgeForm,
    PastMeetingForm,
    PulseForm,
    ReflectionForm,
)
from mentorcraft.mentorships.health import (
    SORTS,
    STATE_LABELS,
    board_view,
    pair_health,
    programme_health,
)
from mentorcraft.mentorships.ics import local_times, meeting_ics, zone_of
from mentorcraft.mentorships.models import (
    DEFAULT_AGREEMENT,
    ClosureReflection,
    FeedbackPoint,
    Goal,
    GoalRating,
    HealthSettings,
    Meeting,
    Mentorship,
)
from mentorcraft.mentorships.rhythm import feedback_points_due, midpoint_of
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
        status=400 if request.method == "POST" else 200,
    )


@login_required
def mentorship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The pair's page. The coordinators see the same facts, never anything private."""
    mentorship = selectors.mentorship_get_for_user(request.user, pk)
    if request.method != "POST":
        return _detail(request, mentorship)
    mentorship = selectors.mentorship_get_for_user(request.user, pk, write=True)
    state = selectors.agreement_state(mentorship)
    try:
        if request.POST.get("action") == "sign":
            # Sign the version the person read; a newer one that arrived meanwhile is refused.
            number = request.POST.get("version", "")
            version = next((v for v in state["history"] if str(v.number) == number), None)
            if version is None:
                raise TransitionError("Choose the version you read.")
            services.agreement_sign(version=version, by=request.user)
            messages.success(request, f"You signed version {version.number}.")
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
        typed = {"agreement_text": request.POST["text"]} if "text" in request.POST else {}
        return _detail(request, mentorship, agreement_error=" ".join(exc.messages), **typed)
    return redirect(mentorship)


def _detail(request: HttpRequest, mentorship: Mentorship, **overrides: object) -> HttpResponse:
    user = request.user
    pair = selectors.in_pair(user, mentorship)
    coordinator = not pair and is_coordinator(user, mentorship.programme)
    state = selectors.agreement_state(mentorship)
    meetings = _with_times(selectors.meetings_for(mentorship), user)
    now = timezone.now()
    today = timezone.localdate()
    context = {
        "mentorship": mentorship,
        "programme": mentorship.programme,
        "in_pair": pair,
        "is_coordinator": coordinator,
        "agreement": state,
        "agreement_text": state["latest"].text if state["latest"] else DEFAULT_AGREEMENT,
        "agreement_error": None,
        "goals": _goals(mentorship, pair),
        "statuses": Goal.Status.choices,
        "upcoming": [
            m for m in meetings if m.status == Meeting.Status.SCHEDULED and m.ends_at > now
        ][::-1],
        "past": [
            m for m in meetings if not (m.status == Meeting.Status.SCHEDULED and m.ends_at > now)
        ],
        "now": now,
        "timeline": mentorship.timeline.select_related("actor__profile")[:30],
        "pulses": selectors.pulses_visible_to(user, mentorship)[:12],
        "closure": selectors.closure_of(mentorship),
        "health": pair_health(mentorship) if coordinator else None,
        "nudge_form": NudgeForm(),
    }
    if pair:
        pulse_meeting = selectors.pulse_due_meeting(user, mentorship)
        context.update(
            private_notes=selectors.private_notes_for(user, mentorship),
            pulse_form=PulseForm(),
            pulse_meeting=pulse_meeting,
            pulse_meeting_day=pulse_meeting.starts_at.astimezone(zone_of(user)).date()
            if pulse_meeting
            else None,
            due=selectors.due_for(user, mentorship, today),
            midpoint=midpoint_of(mentorship),
        )
    context.update(overrides)
    status = 400 if overrides else 200  # overrides carry a failed form back to the page
    return render(request, "mentorships/mentorship_detail.html", context, status=status)


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
                "failed_goal": goal.pk,
                "goal_note_error": error,
                "statuses": Goal.Status.choices,
                "mentorship": goal.mentorship,
                "goal_typed": request.POST.get("text", "") if error else "",
            },
            status=400 if error else 200,
        )
    if error:
        return _detail(
            request,
            goal.mentorship,
            failed_goal=goal.pk,
            goal_note_error=error,
            goal_typed=request.POST.get("text", ""),
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


# --- Meetings ------------------------------------------------------------------------------------


def _with_times(meetings, reader: User) -> list[Meeting]:  # noqa: ANN001
    result = list(meetings)
    for meeting in result:
        meeting.times = local_times(meeting, first=reader)
    return result


def _meeting_page(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:  # noqa: ANN001
    mentorship = context["mentorship"]
    return render(
        request,
        template,
        {"programme": mentorship.programme, "zone": zone_of(request.user), **context},
        status=status,
    )


@login_required
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan a meeting (times in the reader's zone), or record one that already happened."""
    mentorship = selectors.mentorship_get_for_user(request.user, pk, write=True)
    zone = zone_of(request.user)
    past = request.GET.get("past") == "1" or request.POST.get("past") == "1"
    form_class = PastMeetingForm if past else MeetingForm
    form = form_class(
        request.POST or None,
        zone=zone,
        initial={"duration_minutes": mentorship.programme.meeting_minutes},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if past:
                services.meeting_record(
                    mentorship=mentorship,
                    by=request.user,
                    starts_at=form.starts_at(),
                    minutes_spent=data["minutes_spent"],
                    location=data["location"],
                    shared_notes=data["shared_notes"],
                    share_with_coordinators=data["share_with_coordinators"],
                )
            else:
                services.meeting_schedule(
                    mentorship=mentorship, by=request.user, **form.meeting_fields()
                )
        except ValidationError as exc:
            form_add_service_errors(form, _meeting_errors(exc))
        else:
            messages.success(
                request,
                "Meeting recorded."
                if past
                else "Meeting planned. You both have an email with a calendar invitation.",
            )
            return redirect(mentorship.get_absolute_url() + "#meetings")
    return _meeting_page(
        request,
        "mentorships/meeting_form.html",
        {"mentorship": mentorship, "form": form, "past": past},
        status=400 if request.method == "POST" else 200,
    )


def _meeting_errors(exc: ValidationError) -> ValidationError:
    """The service speaks of ``starts_at``; the form has a date and a time."""
    if hasattr(exc, "error_dict") and "starts_at" in exc.error_dict:
        errors = dict(exc.error_dict)
        errors["date"] = errors.pop("starts_at")
        return ValidationError(errors)
    return exc


@login_required
def meeting_edit(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, meeting_pk, write=True)
    zone = zone_of(request.user)
    form = MeetingForm(
        request.POST or None, zone=zone, initial=MeetingForm.initial_for(meeting, zone)
    )
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            try:
                services.meeting_cancel(
                    meeting=meeting, by=request.user, reason=request.POST.get("reason", "")
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, "Meeting cancelled; the calendar entries are removed.")
            return redirect(meeting.mentorship.get_absolute_url() + "#meetings")
        if form.is_valid():
            try:
                services.meeting_update(meeting=meeting, by=request.user, **form.meeting_fields())
            except ValidationError as exc:
                form_add_service_errors(form, _meeting_errors(exc))
            else:
                messages.success(request, "Meeting changed; the calendar entries are updated.")
                return redirect(meeting.mentorship.get_absolute_url() + "#meetings")
    return _meeting_page(
        request,
        "mentorships/meeting_form.html",
        {"mentorship": meeting.mentorship, "meeting": meeting, "form": form, "past": False},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def meeting_log(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, meeting_pk, write=True)
    initial = {}
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.NOT_HELD):
        initial = {
            "held": "yes" if meeting.status == Meeting.Status.HELD else "no",
            "minutes_spent": meeting.minutes_spent,
            "shared_notes": meeting.shared_notes,
            "share_with_coordinators": meeting.mentor_shares_notes
            if request.user.pk == meeting.mentorship.mentor_id
            else meeting.mentee_shares_notes,
        }
    else:
        initial = {"held": "yes", "minutes_spent": meeting.duration_minutes}
    form = MeetingLogForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_log(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Meeting logged. How did it go? Check in below.")
            return redirect(meeting.mentorship.get_absolute_url() + "#pulse")
    meeting.times = local_times(meeting, first=request.user)
    return _meeting_page(
        request,
        "mentorships/meeting_log.html",
        {
            "mentorship": meeting.mentorship,
            "meeting": meeting,
            "form": form,
            "not_yet": meeting.starts_at > timezone.now(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def meeting_ics_download(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """The invitation carries the place and the agenda: the pair's alone."""
    meeting = selectors.meeting_get_for_user(request.user, meeting_pk, write=True)
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mentoring-{meeting.pk}.ics"'
    return response


# --- Private notes and pulses --------------------------------------------------------------------


def _notes_panel(request: HttpRequest, mentorship: Mentorship, **extra: object) -> HttpResponse:
    return render(
        request,
        "mentorships/_private_notes.html",
        {
            "mentorship": mentorship,
            "private_notes": selectors.private_notes_for(request.user, mentorship),
            **extra,
        },
        status=400 if extra.get("note_error") else 200,
    )


@login_required
@require_POST
def private_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(request.user, pk, write=True)
    error = None
    try:
        services.private_note_add(
            mentorship=mentorship, by=request.user, text=request.POST.get("text", "")
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    typed = request.POST.get("text", "") if error else ""
    if request.htmx:
        return _notes_panel(request, mentorship, note_error=error, typed=typed)
    if error:
        return _detail(request, mentorship, note_error=error, typed=typed)
    return redirect(mentorship.get_absolute_url() + "#private-notes")


@login_required
def private_note_edit(request: HttpRequest, note_pk: int) -> HttpResponse:
    note = selectors.private_note_get_for_user(request.user, note_pk)
    mentorship = selectors.mentorship_get_for_user(request.user, note.mentorship_id)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                services.private_note_delete(note=note, by=request.user)
                messages.success(request, "Note deleted.")
            else:
                services.private_note_update(
                    note=note, by=request.user, text=request.POST.get("text", "")
                )
                messages.success(request, "Note saved.")
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect(mentorship.get_absolute_url() + "#private-notes")
    return render(
        request,
        "mentorships/private_note_form.html",
        {
            "mentorship": mentorship,
            "programme": mentorship.programme,
            "note": note,
            "text": request.POST.get("text", note.text) if request.method == "POST" else note.text,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def pulse_submit(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(request.user, pk, write=True)
    if mentorship.status != Mentorship.Status.ACTIVE:
        messages.error(request, "This mentorship has closed; check-ins have ended with it.")
        return redirect(mentorship)
    form = PulseForm(request.POST)
    meeting = None
    if request.POST.get("meeting"):
        meeting = selectors.meeting_get_for_user(
            request.user, parse_id(request.POST["meeting"], "meeting"), write=True
        )
    if form.is_valid():
        try:
            services.pulse_submit(
                mentorship=mentorship, by=request.user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
    if form.errors:
        return _detail(request, mentorship, pulse_form=form)
    messages.success(request, "Thank you for checking in.")
    return redirect(mentorship)


# --- Feedback, mid-point review, closure ---------------------------------------------------------


@login_required
def feedback_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Structured feedback between the two of them: due points, the mentor's requests, and
    everything given and received. The coordinators do not read it (403)."""
    mentorship = selectors.mentorship_get_for_user(request.user, pk)
    if not selectors.in_pair(request.user, mentorship):
        raise PermissionDenied("Feedback is between the mentor and the mentee.")
    is_mentor = request.user.pk == mentorship.mentor_id
    feedback = list(selectors.feedback_visible_to(request.user, mentorship))
    mine = {f.point for f in feedback if f.author_id == request.user.pk}
    open_request = mentorship.open_feedback_request()
    today = timezone.localdate()
    due = [
        (point, FeedbackPoint(point).label)
        for point, _when in feedback_points_due(mentorship, today)
        if point not in mine
    ]
    if mentorship.status == Mentorship.Status.CLOSED:
        due = [(p, label) for p, label in due if p == FeedbackPoint.CLOSURE]
        if FeedbackPoint.CLOSURE not in mine and not due:
            due = [(FeedbackPoint.CLOSURE, FeedbackPoint.CLOSURE.label)]
    form, request_form = FeedbackForm(), FeedbackRequestForm()
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            if action == "request":
                request_form = FeedbackRequestForm(request.POST)
                if request_form.is_valid():
                    services.feedback_request_create(
                        mentorship=mentorship, by=request.user, **request_form.cleaned_data
                    )
                    messages.success(request, "Request sent.")
                    return redirect("mentorships:feedback", pk=mentorship.pk)
            else:
                form = FeedbackForm(request.POST)
                if form.is_valid():
                    point = request.POST.get("point", "")
                    services.feedback_give(
                        mentorship=mentorship,
                        by=request.user,
                        point=point,
                        request=open_request if point == FeedbackPoint.ON_REQUEST else None,
                        **form.cleaned_data,
                    )
                    messages.success(request, "Feedback sent.")
                    return redirect("mentorships:feedback", pk=mentorship.pk)
        except ValidationError as exc:
            form_add_service_errors(request_form if action == "request" else form, exc)
    posted = request.POST.get("point", "")
    if request.method == "POST" and action != "request" and posted not in {p for p, _ in due}:
        # The feedback was refused (given meanwhile, say): keep the typed text on the page.
        if posted == FeedbackPoint.ON_REQUEST and open_request is None:
            due.insert(0, (posted, FeedbackPoint.ON_REQUEST.label))
        elif posted in FeedbackPoint.values and posted != FeedbackPoint.ON_REQUEST:
            due.insert(0, (posted, FeedbackPoint(posted).label))
    return render(
        request,
        "mentorships/feedback.html",
        {
            "mentorship": mentorship,
            "programme": mentorship.programme,
            "is_mentor": is_mentor,
            "given": [f for f in feedback if f.author_id == request.user.pk],
            "received": [f for f in feedback if f.author_id != request.user.pk],
            "due": due,
            "open_request": open_request,
            "form": form,
            "request_form": request_form,
            "posted_point": request.POST.get("point", ""),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def midpoint_page(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(request.user, pk)
    if not selectors.in_pair(request.user, mentorship):
        raise PermissionDenied("The mid-point review is the pair's own.")
    goals = list(mentorship.goals.exclude(status=Goal.Status.DROPPED).prefetch_related("ratings"))
    is_mentee = request.user.pk == mentorship.mentee_id
    done = mentorship.midpoint_reviews.filter(author=request.user).first()
    form = MidpointForm(request.POST or None)
    ratings, rating_error = {}, None
    if request.method == "POST" and not done:
        if is_mentee:
            ratings, rating_error = _ratings_from(request, goals)
        if form.is_valid() and not rating_error:
            try:
                services.midpoint_review_submit(
                    mentorship=selectors.mentorship_get_for_user(request.user, pk, write=True),
                    by=request.user,
                    ratings=ratings,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                if not form.cleaned_data["agreement_works"]:
                    messages.info(request, "Propose the change to your agreement below.")
                    return redirect(mentorship.get_absolute_url() + "#agreement-heading")
                messages.success(request, "Mid-point review saved.")
                return redirect(mentorship)
    for goal in goals:
        goal.start = next((r.score for r in goal.ratings.all() if r.stage == "start"), None)
        goal.typed = request.POST.get(f"rating-{goal.pk}", "")
    return render(
        request,
        "mentorships/midpoint.html",
        {
            "mentorship": mentorship,
            "programme": mentorship.programme,
            "goals": goals,
            "is_mentee": is_mentee,
            "done": done,
            "form": form,
            "rating_error": rating_error,
            "midpoint": midpoint_of(mentorship),
            "agreement": selectors.agreement_state(mentorship),
        },
        status=400 if request.method == "POST" else 200,
    )


def _ratings_from(request: HttpRequest, goals: list[Goal]) -> tuple[dict[int, int], str | None]:
    ratings = {}
    for goal in goals:
        raw = request.POST.get(f"rating-{goal.pk}", "")
        if raw not in {"1", "2", "3", "4", "5"}:
            return ratings, f"Rate every goal from 1 to 5 (missing: {goal.title})."
        ratings[goal.pk] = int(raw)
    return ratings, None


@login_required
def closure_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the mentorship (pair or coordinators), with the closing guide; then each person's
    reflection, closing goal ratings, pipeline question and, after an early close, a rematch."""
    mentorship = selectors.mentorship_get_for_user(request.user, pk)
    pair = selectors.in_pair(request.user, mentorship)
    closure = selectors.closure_of(mentorship)
    goals = list(mentorship.goals.exclude(status=Goal.Status.DROPPED).prefetch_related("ratings"))
    start_form = ClosureForm(request.POST if request.POST.get("action") == "close" else None)
    reflection_form = ReflectionForm(
        request.POST if request.POST.get("action") == "reflect" else None
    )
    rating_error = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "close" and start_form.is_valid():
            try:
                services.closure_start(
                    mentorship=mentorship, by=request.user, **start_form.cleaned_data
                )
            except ValidationError as exc:
                form_add_service_errors(start_form, exc)
            else:
                messages.success(request, "The mentorship is closed.")
                return redirect("mentorships:closure", pk=mentorship.pk)
        elif action == "reflect":
            if not pair:
                raise PermissionDenied("Reflections are written by the pair.")
            ratings = {}
            if request.user.pk == mentorship.mentee_id:
                ratings, rating_error = _ratings_from(request, goals)
            if reflection_form.is_valid() and not rating_error:
                try:
                    services.closure_reflect(
                        mentorship=mentorship,
                        by=request.user,
                        ratings=ratings,
                        **reflection_form.cleaned_data,
                    )
                except ValidationError as exc:
                    form_add_service_errors(reflection_form, exc)
                else:
                    messages.success(request, "Thank you. Your reflection is saved.")
                    return redirect("mentorships:closure", pk=mentorship.pk)
    mine = (
        next((r for r in closure.reflections.all() if r.author_id == request.user.pk), None)
        if closure
        else None
    )
    for goal in goals:
        goal.typed = request.POST.get(f"rating-{goal.pk}", "")
        goal.start = next((r.score for r in goal.ratings.all() if r.stage == "start"), None)
    return render(
        request,
        "mentorships/closure.html",
        {
            "mentorship": mentorship,
            "programme": mentorship.programme,
            "in_pair": pair,
            "is_mentee": request.user.pk == mentorship.mentee_id,
            "closure": closure,
            "mine": mine,
            "reflected": {r.author_id for r in closure.reflections.all()} if closure else set(),
            "goals": goals,
            "start_form": start_form,
            "reflection_form": reflection_form,
            "rating_error": rating_error,
            "planned_opens": mentorship.ends_on
            - datetime.timedelta(days=services.PLANNED_CLOSE_WINDOW_DAYS),
            "today": timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The coordinators' board ---------------------------------------------------------------------


def _coordinated(request: HttpRequest, pk: int):  # noqa: ANN202
    programme = programme_get_for_user(request.user, pk)
    if not is_coordinator(request.user, programme):
        raise PermissionDenied("Only this programme's coordinators see the relationships board.")
    return programme


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """Every pair with its health, quiet and struggling first; sortable and filterable."""
    programme = _coordinated(request, pk)
    everything = programme_health(programme)
    state, sort = request.GET.get("state", ""), request.GET.get("sort", "state")
    counts = dict.fromkeys(STATE_LABELS, 0)
    for row in everything:
        counts[row.state] += 1
    return render(
        request,
        "mentorships/board.html",
        {
            "programme": programme,
            "rows": board_view(everything, state=state, sort=sort),
            "states": [(name, label, counts[name]) for name, label in STATE_LABELS.items()],
            "state": state,
            "sort": sort if sort in SORTS else "state",
            "columns": [
                ("state", "State"),
                ("mentee", "Mentee"),
                ("mentor", "Mentor"),
                ("quiet", "Since last met"),
                ("meetings", "Meetings"),
                ("pulse", "Check-ins"),
            ],
            "numeric": {"quiet", "meetings", "pulse"},
            "total": len(everything),
            "limits": HealthSettings.for_programme(programme),
            **_pipeline(programme),
        },
    )


def _pipeline(programme) -> dict:  # noqa: ANN001
    """What the closing reflections say about what comes next: mentees who want a new mentor
    or would mentor someone, and mentors who would like support of their own."""
    reflections = ClosureReflection.objects.filter(
        closure__mentorship__programme=programme
    ).select_related("author__profile", "closure__mentorship")
    return {
        "rematch": [r for r in reflections if r.wants_rematch],
        "would_mentor": [r for r in reflections if r.would_mentor == "yes"],
        "wants_support": [r for r in reflections if r.wants_support not in ("", "none")],
    }


@login_required
def health_settings(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _coordinated(request, pk)
    current = HealthSettings.for_programme(programme)
    form = HealthSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.health_settings_update(
                programme=programme,
                by=request.user,
                **{name: form.cleaned_data[name] for name in services.HEALTH_FIELDS},
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Thresholds saved.")
            return redirect("mentorships:board", pk=programme.pk)
    return render(
        request,
        "mentorships/health_settings.html",
        {"programme": programme, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def nudge(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.mentorship_get_for_user(request.user, pk)
    if not is_coordinator(request.user, mentorship.programme):
        raise PermissionDenied("Only the programme's coordinators check in with a pair.")
    form = NudgeForm(request.POST)
    try:
        if form.is_valid():
            services.nudge(mentorship=mentorship, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        form_add_service_errors(form, exc)
    if form.errors:
        if request.POST.get("next") == "board":
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect("mentorships:board", pk=mentorship.programme_id)
        return _detail(request, mentorship, nudge_form=form)
    messages.success(
        request,
        f"Email sent to {mentorship.mentor.display_name} and "
        f"{mentorship.mentee.display_name}; it is on the pair's timeline.",
    )
    if request.POST.get("next") == "board":
        return redirect("mentorships:board", pk=mentorship.programme_id)
    return redirect(mentorship)
