"""The pair's page, the programme's list of pairs and the coordinators' relationships board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from mentorcraft.core.extensions import mentorship_panels, pairs_panels, panels_for
from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.core.pagination import paginate
from mentorcraft.core.roles import Role
from mentorcraft.mentorships import selectors, services
from mentorcraft.mentorships.forms import HealthSettingsForm, NudgeForm, PulseForm
from mentorcraft.mentorships.health import (
    SORTS,
    STATE_LABELS,
    board_view,
    pair_health,
    programme_health,
)
from mentorcraft.mentorships.ics import local_times
from mentorcraft.mentorships.models import (
    DEFAULT_AGREEMENT,
    Goal,
    HealthSettings,
    Meeting,
    Mentorship,
)
from mentorcraft.mentorships.rhythm import midpoint_of
from mentorcraft.people.zones import zone_of
from mentorcraft.programmes.access import is_coordinator, require_role
from mentorcraft.programmes.selectors import programme_get_for_role

COORDINATORS_ONLY = {Role.COORDINATOR}


def _coordinated(request: HttpRequest, pk: int, what: str):  # noqa: ANN202
    return programme_get_for_role(
        request.user, pk, COORDINATORS_ONLY, f"Only this programme's coordinators see {what}."
    )


@login_required
@require_GET
def programme_mentorships(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme's pairs, a page at a time, with what other apps offer here (making a pair
    by hand)."""
    programme = _coordinated(request, pk, "every pair")
    return render(
        request,
        "mentorships/programme_mentorships.html",
        {
            "programme": programme,
            "page": paginate(request, selectors.mentorships_for_programme(programme)),
            "panels": panels_for(pairs_panels, request, programme),
        },
    )


@login_required
@require_GET
def mentorship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The pair's page. The coordinators see the same facts, never anything private."""
    return pair_page(request, selectors.mentorship_get_for_user(request.user, pk))


def with_times(meetings, reader) -> list[Meeting]:  # noqa: ANN001
    """Meetings with ``times``: the start in each person's zone, the reader's first."""
    result = list(meetings)
    for meeting in result:
        meeting.times = local_times(meeting, first=reader)
    return result


def pair_page(request: HttpRequest, mentorship: Mentorship, **overrides: object) -> HttpResponse:
    """The pair's page; ``overrides`` carry a refused form back with what was typed (400)."""
    user = request.user
    pair = selectors.in_pair(user, mentorship)
    coordinator = not pair and is_coordinator(user, mentorship.programme)
    state = selectors.agreement_state(mentorship)
    meetings = with_times(selectors.meetings_for(mentorship), user)
    now = timezone.now()
    context = {
        "mentorship": mentorship,
        "programme": mentorship.programme,
        "in_pair": pair,
        "is_coordinator": coordinator,
        "agreement": state,
        "agreement_text": state["latest"].text if state["latest"] else DEFAULT_AGREEMENT,
        "agreement_error": None,
        "goals": selectors.goals_for_page(mentorship, in_pair=pair),
        "statuses": Goal.Status.choices,
        "upcoming": [
            m for m in meetings if m.status == Meeting.Status.SCHEDULED and m.ends_at > now
        ][::-1],
        "past": [
            m for m in meetings if not (m.status == Meeting.Status.SCHEDULED and m.ends_at > now)
        ],
        "now": now,
        # Check-ins are about meetings: the form waits for the pair's first one.
        "has_met": any(m.status == Meeting.Status.HELD for m in meetings),
        "timeline": mentorship.timeline.select_related("actor__profile")[:30],
        "pulses": selectors.pulses_visible_to(user, mentorship)[:12],
        "closure": selectors.closure_of(mentorship),
        "health": pair_health(mentorship) if coordinator else None,
        "nudge_form": NudgeForm(),
        "panels": panels_for(mentorship_panels, request, mentorship, pair),
    }
    if pair:
        pulse_meeting = selectors.pulse_due_meeting(user, mentorship)
        context.update(
            private_notes=notes_page(request, mentorship),
            pulse_form=PulseForm(),
            pulse_meeting=pulse_meeting,
            pulse_meeting_day=pulse_meeting.starts_at.astimezone(zone_of(user)).date()
            if pulse_meeting
            else None,
            due=selectors.due_for(user, mentorship),
            midpoint=midpoint_of(mentorship),
        )
    context.update(overrides)
    status = 400 if overrides else 200
    return render(request, "mentorships/mentorship_detail.html", context, status=status)


def notes_page(request: HttpRequest, mentorship: Mentorship):  # noqa: ANN201
    """The reader's own private notes, newest first, twenty at a time."""
    return paginate(
        request,
        selectors.private_notes_for(request.user, mentorship),
        per_page=20,
        param="notes_page",
    )


BOARD_COLUMNS = [
    ("state", "State"),
    ("mentee", "Mentee"),
    ("mentor", "Mentor"),
    ("quiet", "Since last met"),
    ("meetings", "Meetings"),
    ("pulse", "Check-ins"),
]


@login_required
@require_GET
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """Every pair with its health, quiet and struggling first; sortable, filterable, a page at
    a time."""
    programme = _coordinated(request, pk, "the relationships board")
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
            "page": paginate(request, board_view(everything, state=state, sort=sort)),
            "states": [(name, label, counts[name]) for name, label in STATE_LABELS.items()],
            "state": state,
            "sort": sort if sort in SORTS else "state",
            "columns": BOARD_COLUMNS,
            "numeric": {"quiet", "meetings", "pulse"},
            "total": len(everything),
            "limits": HealthSettings.for_programme(programme),
            **selectors.pipeline(programme),
        },
    )


@login_required
def health_settings(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _coordinated(request, pk, "the relationships board")
    form = HealthSettingsForm(
        request.POST or None, instance=HealthSettings.for_programme(programme)
    )
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
    require_role(
        request.user,
        mentorship.programme,
        COORDINATORS_ONLY,
        "Only the programme's coordinators check in with a pair.",
    )
    form = NudgeForm(request.POST)
    try:
        if form.is_valid():
            services.nudge(mentorship=mentorship, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        form_add_service_errors(form, exc)
    back_to_board = request.POST.get("next") == "board"
    if form.errors:
        if back_to_board:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect("mentorships:board", pk=mentorship.programme_id)
        return pair_page(request, mentorship, nudge_form=form)
    messages.success(
        request,
        f"Email sent to {mentorship.mentor.display_name} and "
        f"{mentorship.mentee.display_name}; it is on the pair's timeline.",
    )
    if back_to_board:
        return redirect("mentorships:board", pk=mentorship.programme_id)
    return redirect(mentorship)
