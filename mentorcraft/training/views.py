"""Training pages: the catalogue, sessions and their registers, records, a programme's
requirements, the coach cadre and the pipeline. Thin: an access helper, a service, a page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.core.pagination import paginate
from mentorcraft.people.zones import zone_of
from mentorcraft.training import selectors, services
from mentorcraft.training.advice import advice_for
from mentorcraft.training.forms import (
    AttendanceForm,
    CoachNominateForm,
    CoachStatusForm,
    ExternalCompletionForm,
    FilterForm,
    InviteForm,
    ModuleForm,
    PersonByEmailForm,
    RequirementForm,
    SelfDeclareForm,
    SessionForm,
    TierSettingsForm,
)
from mentorcraft.training.ics import local_times, session_download_ics
from mentorcraft.training.models import Kind, Module, Registration, TierSettings


def _bad(request: HttpRequest) -> int:
    """A form sent back with errors answers 400, so scripts and tests see the refusal."""
    return 400 if request.method == "POST" else 200


# --- The catalogue --------------------------------------------------------------------------


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    filters = FilterForm(request.GET or None)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    modules = selectors.catalogue(
        request.user,
        kind=wanted.get("kind", ""),
        audience=wanted.get("audience", ""),
        level=wanted.get("level", ""),
    )
    return render(
        request,
        "training/catalogue.html",
        {
            "filters": filters,
            "page": paginate(request, modules),
            "managing": selectors.can_manage_training(request.user),
        },
    )


@login_required
def module_create(request: HttpRequest) -> HttpResponse:
    selectors.require_training_manager(
        request.user, "Only coordinators keep the training catalogue."
    )
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            module = services.module_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"“{module.title}” is in the catalogue. Add its sessions.")
            return redirect(module)
    return render(request, "training/module_form.html", {"form": form}, status=_bad(request))


@login_required
def module_detail(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.module_get_for_user(request.user, pk)
    managing = selectors.can_manage_training(request.user)
    upcoming = selectors.sessions_of_module(module, request.user)
    context = {
        "module": module,
        "managing": managing,
        "upcoming": paginate(request, upcoming),
        "declare_form": SelfDeclareForm() if module.self_declared else None,
        "mine": module.completions.filter(person=request.user).order_by("-completed_on")[:5],
        "now": timezone.now(),
    }
    if managing:
        context["past"] = paginate(
            request,
            selectors.sessions_of_module(module, request.user, past=True),
            param="past_page",
        )
    return render(request, "training/module_detail.html", context)


@login_required
def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.module_get_for_user(request.user, pk, write=True)
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        try:
            services.module_update(module=module, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Module saved.")
            return redirect(module)
    module.refresh_from_db()
    return render(
        request, "training/module_form.html", {"form": form, "module": module}, status=_bad(request)
    )


@login_required
@require_POST
def module_active(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.module_get_for_user(request.user, pk, write=True)
    active = request.POST.get("active") == "1"
    try:
        services.module_set_active(module=module, by=request.user, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "Back in the catalogue."
            if active
            else "Retired: it no longer shows in the catalogue; completions still count.",
        )
    return redirect(module)


@login_required
@require_POST
def module_declare(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.module_get_for_user(request.user, pk)
    form = SelfDeclareForm(request.POST)
    if form.is_valid():
        try:
            services.completion_self_declare(
                module=module, person=request.user, completed_on=form.cleaned_data["completed_on"]
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Recorded: you completed “{module.title}”.")
            return redirect("training:my_record")
    return render(
        request,
        "training/module_detail.html",
        {
            "module": module,
            "managing": selectors.can_manage_training(request.user),
            "upcoming": paginate(request, selectors.sessions_of_module(module, request.user)),
            "declare_form": form,
            "mine": module.completions.filter(person=request.user)[:5],
            "now": timezone.now(),
        },
        status=400,
    )


# --- Sessions -------------------------------------------------------------------------------


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    return render(
        request,
        "training/session_list.html",
        {
            "page": paginate(request, selectors.sessions_upcoming(request.user, kind=kind)),
            "kind": kind,
            "kinds": Kind.choices,
            "facilitating": selectors.sessions_facilitated_by(request.user)[:20],
            "now": timezone.now(),
        },
    )


@login_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.module_get_for_user(request.user, pk, write=True)
    zone = zone_of(request.user)
    form = SessionForm(
        request.POST or None,
        zone=zone,
        facilitators=selectors.facilitator_choices(request.user),
        initial={
            "duration_minutes": module.duration_minutes,
            "capacity": 12,
            "facilitator": request.user,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                module=module, by=request.user, **form.session_fields()
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Session added: people can register now.")
            return redirect(session)
    return render(
        request,
        "training/session_form.html",
        {"form": form, "module": module},
        status=_bad(request),
    )


def _session_context(request: HttpRequest, session, **extra) -> dict:  # noqa: ANN001, ANN003
    managing = selectors.can_take_register(request.user, session)
    mine = selectors.my_registration(session, request.user)
    people = list(selectors.session_people(session)) if managing else []
    taken = (
        sum(r.status in services.HOLDS_A_PLACE for r in people)
        if managing
        else session.registrations.filter(status__in=services.HOLDS_A_PLACE).count()
    )
    waiting = [r for r in people if r.status == Registration.Status.WAITLISTED]
    context = {
        "session": session,
        "module": session.module,
        "times": local_times(session, request.user),
        "mine": mine,
        "position": services.waitlist_position(mine)
        if mine and mine.status == "waitlisted"
        else None,
        "managing": managing,
        "manager": selectors.can_manage_training(request.user),
        "people": sorted(
            (r for r in people if r.status != Registration.Status.WAITLISTED),
            key=lambda r: r.person.display_name,
        ),
        "waiting": waiting,
        "taken": taken,
        "free": max(0, session.capacity - taken),
        "registration_open": services.registration_open(session),
        "attendance_open": services.attendance_open(session),
        "add_form": PersonByEmailForm(),
        "now": timezone.now(),
    }
    context.update(extra)
    return context


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(request.user, pk)
    return render(request, "training/session_detail.html", _session_context(request, session))


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(request.user, pk, manage=True)
    zone = zone_of(request.user)
    form = SessionForm(
        request.POST or None,
        zone=zone,
        facilitators=selectors.facilitator_choices(session.facilitator),
        initial=SessionForm.initial_for(session, zone),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, by=request.user, **form.session_fields())
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Session saved; everyone with a place has the change.")
            return redirect(session)
    return render(
        request,
        "training/session_form.html",
        {"form": form, "module": session.module, "session": session},
        status=_bad(request),
    )


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(request.user, pk, manage=True)
    try:
        services.session_cancel(session=session, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Session cancelled; everyone registered has been told.")
    return redirect(session)


@login_required
@require_POST
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register yourself, or (a facilitator or coordinator) someone else by email."""
    session = selectors.session_get_for_user(request.user, pk)
    person = request.user
    if "email" in request.POST:
        session = selectors.session_get_for_user(request.user, pk, manage=True)
        form = PersonByEmailForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                "training/session_detail.html",
                _session_context(request, session, add_form=form),
                status=400,
            )
        person = form.cleaned_data["email"]
    try:
        registration = services.registration_create(session=session, person=person, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        you = person.pk == request.user.pk
        if registration.status == Registration.Status.WAITLISTED:
            position = services.waitlist_position(registration)
            messages.info(
                request,
                f"The session is full: {'you are' if you else person.display_name + ' is'} "
                f"number {position} on the waitlist. A place that frees up goes to the first "
                "in the queue, who is told by email.",
            )
        else:
            messages.success(
                request,
                "You have a place; the invitation is in your email."
                if you
                else f"{person.display_name} has a place and an invitation by email.",
            )
    return redirect(session)


@login_required
@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_get_for_user(request.user, pk)
    try:
        moved = services.registration_cancel(registration=registration, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = (
            "Place given up." if registration.status == "registered" else "Taken off the waitlist."
        )
        if moved and selectors.can_take_register(request.user, registration.session):
            text += (
                " "
                + ", ".join(r.person.display_name for r in moved)
                + " moved up from the waitlist."
            )
        messages.success(request, text)
    return redirect(registration.session)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(request.user, pk, manage=True)
    registrations = list(
        session.registrations.filter(status__in=services.HOLDS_A_PLACE)
        .select_related("person__profile")
        .order_by("person__profile__full_name")
    )
    form = AttendanceForm(request.POST or None, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        attended, absent = form.marks()
        try:
            services.attendance_record(
                session=session,
                by=request.user,
                attended=attended,
                absent=absent,
                walk_ins=form.cleaned_data["walk_ins"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request, "Register saved: everyone there has the completion on their record."
            )
            return redirect(session)
    return render(
        request,
        "training/attendance.html",
        {
            "session": session,
            "module": session.module,
            "form": form,
            "open": services.attendance_open(session),
            "times": local_times(session, request.user),
        },
        status=_bad(request),
    )


@login_required
def session_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(request.user, pk)
    response = HttpResponse(
        session_download_ics(session), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="training-{session.pk}.ics"'
    return response


# --- Records --------------------------------------------------------------------------------


def _record(request: HttpRequest, person, **extra) -> HttpResponse:  # noqa: ANN001, ANN003
    advice = advice_for(person)
    own = person.pk == request.user.pk
    return render(
        request,
        "training/record.html",
        {
            "person": person,
            "own": own,
            "advice": advice,
            "completions": paginate(request, advice.completions),
            "managing": selectors.can_manage_training(request.user),
            "today": advice.today,
            **extra,
        },
    )


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    return _record(request, request.user)


@login_required
def person_record(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.record_person_for_user(request.user, pk)
    if person.pk == request.user.pk:
        return redirect("training:my_record")
    return _record(request, person)


@login_required
def external_completion(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.record_person_for_user(request.user, pk, write=True)
    form = ExternalCompletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.completion_record_external(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Recorded on {person.display_name}'s training record.")
            return redirect("training:person_record", pk=person.pk)
    return render(
        request,
        "training/external_form.html",
        {"person": person, "form": form},
        status=_bad(request),
    )


@login_required
@require_POST
def completion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    completion = selectors.completion_get_for_user(request.user, pk)
    person = completion.person
    try:
        services.completion_delete(completion=completion, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Completion taken off the record.")
    return redirect("training:person_record", pk=person.pk)


# --- A programme's requirements -------------------------------------------------------------


def _programme_page(
    request: HttpRequest, programme, *, requirement_form=None, tier_form=None
) -> HttpResponse:  # noqa: ANN001
    rows = selectors.programme_standings(programme)
    blocked = [r for r in rows if not r.standing.met]
    return render(
        request,
        "training/programme.html",
        {
            "programme": programme,
            "requirements": selectors.requirements_of(programme),
            "requirement_form": requirement_form or RequirementForm(),
            "tier_form": tier_form
            or TierSettingsForm(instance=TierSettings.for_programme(programme)),
            "blocked": paginate(request, blocked),
            "blocked_accepted": sum(r.application.status == "accepted" for r in blocked),
            "blocked_applying": sum(r.application.status != "accepted" for r in blocked),
            "ready": len(rows) - len(blocked),
            "total": len(rows),
            "tiered": any(r.standing.tier is not None for r in rows),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def programme_training(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.training_programme_for_user(request.user, pk)
    return _programme_page(request, programme)


@login_required
@require_POST
def requirement_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.training_programme_for_user(request.user, pk)
    form = RequirementForm(request.POST)
    if form.is_valid():
        try:
            services.requirement_add(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Requirement added: the people it blocks are listed below.")
            return redirect("training:programme", pk=programme.pk)
    return _programme_page(request, programme, requirement_form=form)


@login_required
@require_POST
def requirement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = selectors.requirement_get_for_user(request.user, pk)
    services.requirement_remove(requirement=requirement, by=request.user)
    messages.success(request, f"No longer required: {requirement.describe()}.")
    return redirect("training:programme", pk=requirement.programme_id)


@login_required
@require_POST
def tier_settings(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.training_programme_for_user(request.user, pk)
    form = TierSettingsForm(request.POST, instance=TierSettings.for_programme(programme))
    if form.is_valid():
        try:
            services.tier_settings_update(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Tier thresholds saved.")
            return redirect("training:programme", pk=programme.pk)
    return _programme_page(request, programme, tier_form=form)


# --- The coach cadre ------------------------------------------------------------------------


@login_required
def coaches(request: HttpRequest) -> HttpResponse:
    selectors.require_training_manager(request.user, "Only coordinators run the coach cadre.")
    cadre = selectors.cadre()
    form = CoachNominateForm(request.POST or None, candidates=[p for p, _ in cadre.candidates])
    if request.method == "POST" and form.is_valid():
        try:
            services.coach_nominate(
                person=form.cleaned_data["person"],
                by=request.user,
                capacity=form.cleaned_data["capacity"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{form.cleaned_data['person'].display_name} is nominated and has been told; "
                "coach training comes next.",
            )
            return redirect("training:coaches")
    return render(
        request,
        "training/coaches.html",
        {
            "cadre": cadre,
            "form": form,
            "coach_modules": Module.objects.filter(kind=Kind.COACH, active=True),
        },
        status=_bad(request),
    )


@login_required
@require_POST
def coach_status(request: HttpRequest, pk: int) -> HttpResponse:
    coach = selectors.coach_get_for_user(request.user, pk)
    form = CoachStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what to do.")
        return redirect("training:coaches")
    try:
        services.coach_set_status(
            coach=coach,
            by=request.user,
            status=form.cleaned_data["status"],
            capacity=form.cleaned_data["capacity"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{coach.person.display_name}: saved.")
    return redirect("training:coaches")


# --- The pipeline ---------------------------------------------------------------------------


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    selectors.require_training_manager(request.user, "Only coordinators see the pipeline.")
    page = paginate(request, selectors.pipeline_reflections(request.user))
    candidates = selectors.pipeline_candidates(list(page))
    programmes = list(selectors.programmes_to_invite_to(request.user))
    for candidate in candidates:
        candidate.offer(programmes)
    return render(
        request,
        "training/pipeline.html",
        {
            "page": page,
            "candidates": candidates,
            "programmes": programmes,
            "can_invite": bool(programmes),
        },
    )


@login_required
@require_POST
def pipeline_invite(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.pipeline_person_for_user(request.user, pk)
    form = InviteForm(request.POST, programmes=selectors.programmes_to_invite_to(request.user))
    if not form.is_valid():
        messages.error(request, "Choose a programme that is recruiting.")
        return redirect("training:pipeline")
    programme = form.cleaned_data["programme"]
    try:
        services.mentor_invite(person=person, programme=programme, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"{person.display_name} is invited to mentor in {programme.name}; their "
            "application form opens filled in.",
        )
    return redirect("training:pipeline")
