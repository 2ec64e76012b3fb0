"""Check-ins (pulses), feedback between the two, the mentor's requests, the mid-point review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.core.ids import parse_id
from mentorcraft.mentorships import selectors, services
from mentorcraft.mentorships.forms import FeedbackForm, FeedbackRequestForm, MidpointForm, PulseForm
from mentorcraft.mentorships.models import FeedbackPoint, Mentorship
from mentorcraft.mentorships.rhythm import midpoint_of
from mentorcraft.mentorships.views.goals import ratings_from
from mentorcraft.mentorships.views.pairs import pair_page


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
        return pair_page(request, mentorship, pulse_form=form)
    messages.success(request, "Thank you for checking in.")
    return redirect(mentorship)


def _pair_only(request: HttpRequest, pk: int, message: str) -> Mentorship:
    mentorship = selectors.mentorship_get_for_user(request.user, pk)
    selectors.require_pair(request.user, mentorship, message)
    return mentorship


def _feedback_page(
    request: HttpRequest,
    mentorship: Mentorship,
    *,
    form: FeedbackForm | None = None,
    request_form: FeedbackRequestForm | None = None,
    posted_point: str = "",
) -> HttpResponse:
    feedback = list(selectors.feedback_visible_to(request.user, mentorship))
    given = [f for f in feedback if f.author_id == request.user.pk]
    due = selectors.feedback_due(request.user, mentorship, {f.point for f in given})
    open_request = mentorship.open_feedback_request()
    if posted_point and posted_point not in {p for p, _ in due}:
        # The feedback was refused (given meanwhile, say): keep the typed text on the page.
        if posted_point == FeedbackPoint.ON_REQUEST and open_request is None:
            due.insert(0, (posted_point, FeedbackPoint.ON_REQUEST.label))
        elif posted_point in FeedbackPoint.values and posted_point != FeedbackPoint.ON_REQUEST:
            due.insert(0, (posted_point, FeedbackPoint(posted_point).label))
    refused = form is not None or request_form is not None
    return render(
        request,
        "mentorships/feedback.html",
        {
            "mentorship": mentorship,
            "programme": mentorship.programme,
            "is_mentor": request.user.pk == mentorship.mentor_id,
            "given": given,
            "received": [f for f in feedback if f.author_id != request.user.pk],
            "due": due,
            "open_request": open_request,
            "form": form or FeedbackForm(),
            "request_form": request_form or FeedbackRequestForm(),
            "posted_point": posted_point,
        },
        status=400 if refused else 200,
    )


@login_required
def feedback_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Structured feedback between the two of them: due points, the mentor's requests, and
    everything given and received; giving it. The coordinators do not read it (403)."""
    mentorship = _pair_only(request, pk, "Feedback is between the mentor and the mentee.")
    if request.method != "POST":
        return _feedback_page(request, mentorship)
    form = FeedbackForm(request.POST)
    point = request.POST.get("point", "")
    if form.is_valid():
        try:
            services.feedback_give(
                mentorship=mentorship,
                by=request.user,
                point=point,
                request=mentorship.open_feedback_request()
                if point == FeedbackPoint.ON_REQUEST
                else None,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Feedback sent.")
            return redirect("mentorships:feedback", pk=mentorship.pk)
    return _feedback_page(request, mentorship, form=form, posted_point=point)


@login_required
@require_POST
def feedback_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentor asks the mentee for feedback on their mentoring."""
    mentorship = _pair_only(request, pk, "Feedback is between the mentor and the mentee.")
    request_form = FeedbackRequestForm(request.POST)
    if request_form.is_valid():
        try:
            services.feedback_request_create(
                mentorship=mentorship, by=request.user, **request_form.cleaned_data
            )
        except ValidationError as exc:
            form_add_service_errors(request_form, exc)
        else:
            messages.success(request, "Request sent.")
            return redirect("mentorships:feedback", pk=mentorship.pk)
    return _feedback_page(request, mentorship, request_form=request_form)


@login_required
def midpoint_page(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = _pair_only(request, pk, "The mid-point review is the pair's own.")
    goals = selectors.open_goals(mentorship)
    is_mentee = request.user.pk == mentorship.mentee_id
    done = mentorship.midpoint_reviews.filter(author=request.user).first()
    form = MidpointForm(request.POST or None)
    ratings, rating_error = {}, None
    if request.method == "POST" and not done:
        if is_mentee:
            ratings, rating_error = ratings_from(request, goals)
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
