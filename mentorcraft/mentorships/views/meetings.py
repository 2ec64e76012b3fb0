"""Planning, changing, cancelling and logging meetings; their calendar files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.mentorships import selectors, services
from mentorcraft.mentorships.forms import MeetingForm, MeetingLogForm, PastMeetingForm
from mentorcraft.mentorships.ics import local_times, meeting_download_ics
from mentorcraft.mentorships.models import Meeting
from mentorcraft.people.zones import zone_of


def _meeting_page(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:  # noqa: ANN001
    mentorship = context["mentorship"]
    return render(
        request,
        template,
        {"programme": mentorship.programme, "zone": zone_of(request.user), **context},
        status=status,
    )


def _meeting_errors(exc: ValidationError) -> ValidationError:
    """The service speaks of ``starts_at``; the form has a date and a time."""
    if hasattr(exc, "error_dict") and "starts_at" in exc.error_dict:
        errors = dict(exc.error_dict)
        errors["date"] = errors.pop("starts_at")
        return ValidationError(errors)
    return exc


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
        repeated = False
        try:
            if past:
                meeting = services.meeting_record(
                    mentorship=mentorship,
                    by=request.user,
                    starts_at=form.starts_at(),
                    minutes_spent=data["minutes_spent"],
                    location=data["location"],
                    shared_notes=data["shared_notes"],
                    share_with_coordinators=data["share_with_coordinators"],
                )
                repeated = meeting.repeated
            else:
                meeting = services.meeting_schedule(
                    mentorship=mentorship, by=request.user, **form.meeting_fields()
                )
                repeated = meeting.repeated
        except ValidationError as exc:
            form_add_service_errors(form, _meeting_errors(exc))
        else:
            if repeated:
                messages.info(
                    request,
                    "That meeting is recorded already."
                    if past
                    else "That meeting is planned already: nothing new was sent.",
                )
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


@login_required
def meeting_edit(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """Move or change a planned meeting: the same calendar entry, updated."""
    meeting = selectors.meeting_get_for_user(request.user, meeting_pk, write=True)
    zone = zone_of(request.user)
    form = MeetingForm(
        request.POST or None, zone=zone, initial=MeetingForm.initial_for(meeting, zone)
    )
    if request.method == "POST" and form.is_valid():
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
@require_POST
def meeting_cancel(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, meeting_pk, write=True)
    try:
        services.meeting_cancel(
            meeting=meeting, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Meeting cancelled; the calendar entries are removed.")
    return redirect(meeting.mentorship.get_absolute_url() + "#meetings")


@login_required
def meeting_log(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, meeting_pk, write=True)
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
@require_GET
def meeting_ics_download(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """The meeting for one's own calendar (PUBLISH). It carries the place and the agenda: the
    pair's alone."""
    meeting = selectors.meeting_get_for_user(request.user, meeting_pk, write=True)
    response = HttpResponse(
        meeting_download_ics(meeting), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="mentoring-{meeting.pk}.ics"'
    return response
