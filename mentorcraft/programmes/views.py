from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentorcraft.core.extensions import application_initial, panels_for, programme_panels
from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.core.ids import parse_id, require_id
from mentorcraft.core.pagination import paginate
from mentorcraft.core.textdiff import word_diff
from mentorcraft.people import privacy
from mentorcraft.people.models import User
from mentorcraft.programmes import selectors, services
from mentorcraft.programmes.access import (
    AGGREGATE_ROLES,
    REVIEWER_ROLES,
    has_role,
    is_coordinator,
    roles_by_programme,
    roles_for,
)
from mentorcraft.programmes.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    ConfirmationForm,
    CriterionForm,
    DecisionForm,
    EthicsDraftForm,
    PhaseForm,
    ProgrammeForm,
    RoleGrantForm,
    ScreeningForm,
)
from mentorcraft.programmes.models import (
    PHASE_ORDER,
    Application,
    ApplicationStatus,
    EthicsAcknowledgement,
    Programme,
    Role,
)

# People scan the programmes by name and phase: a short page reads best (and renders fast).
PROGRAMMES_PER_PAGE = 25


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = selectors.with_people_counts(selectors.programme_list_for_user(request.user))
    page = paginate(request, programmes, per_page=PROGRAMMES_PER_PAGE)
    my_roles = roles_by_programme(request.user)
    return render(
        request,
        "programmes/programme_list.html",
        {
            "page": page,
            "rows": [(p, sorted(my_roles.get(p.pk, set()))) for p in page],
            "can_create": selectors.can_create_programmes(request.user),
        },
    )


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_create_programmes(request.user):
        raise PermissionDenied("You cannot create programmes; ask a deployment admin.")
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Programme created as a draft, with a starting Ideal Mentor Profile and code of "
                "ethics. Review both, publish the code, then open recruiting.",
            )
            _warn_if_over(request, programme)
            return redirect(programme)
    return render(request, "programmes/programme_form.html", {"form": form, "creating": True})


def _warn_if_over(request: HttpRequest, programme: Programme) -> None:
    """Dates all in the past are allowed (a record of a past cohort) but cannot recruit."""
    if programme.end_date < timezone.localdate():
        messages.warning(
            request,
            f"Its dates are all in the past (it ended on {programme.end_date.day} "
            f"{programme.end_date:%B %Y}): it cannot open recruiting until you change them.",
        )


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_user(request.user, pk)
    roles = roles_for(request.user, programme)
    coordinating = is_coordinator(request.user, programme)
    my_applications = list(
        Application.objects.filter(programme=programme, applicant=request.user).exclude(
            status=ApplicationStatus.WITHDRAWN
        )
    )
    context = {
        "programme": programme,
        "roles": sorted(roles),
        "coordinating": coordinating,
        "reviewing": has_role(request.user, programme, REVIEWER_ROLES),
        "my_applications": my_applications,
        "applied_roles": {a.role for a in my_applications},
        "ethics": programme.current_ethics(),
        "criteria": programme.criteria.all(),
        "phases": PHASE_ORDER,
        "phase_index": PHASE_ORDER.index(programme.phase),
        "prev_phase": _neighbour(programme.phase, -1),
        "next_phase": _neighbour(programme.phase, +1),
    }
    if has_role(request.user, programme, AGGREGATE_ROLES):
        context["funnel"] = selectors.programme_funnel(programme)
        counts = dict(
            programme.roles.values_list("role").annotate(n=Count("id")).values_list("role", "n")
        )
        context["role_counts"] = [(label, counts.get(role, 0)) for role, label in ROLE_PLURALS]
    if context["reviewing"]:
        context["queue_count"] = selectors.review_queue(programme, request.user).count()
    # Cards from the apps that work with the programme (matching, mentorships, ...).
    context["panels"] = panels_for(programme_panels, request, programme, roles)
    return render(request, "programmes/programme_detail.html", context)


ROLE_PLURALS = [
    (Role.COORDINATOR, "Coordinators"),
    (Role.MENTOR, "Mentors"),
    (Role.MENTEE, "Mentees"),
    (Role.COACH, "Coaches"),
    (Role.SPONSOR, "Sponsors"),
]


def _neighbour(phase: str, step: int) -> str | None:
    index = PHASE_ORDER.index(phase) + step
    return PHASE_ORDER[index] if 0 <= index < len(PHASE_ORDER) else None


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_user(request.user, pk, write=True)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Programme saved.")
            _warn_if_over(request, programme)
            return redirect(programme)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})


@login_required
@require_POST
def programme_phase(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_user(request.user, pk, write=True)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.programme_set_phase(
                programme=programme, by=request.user, phase=form.cleaned_data["phase"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            programme.refresh_from_db()
            messages.success(request, f"{programme.name} is now {programme.get_phase_display()}.")
    return redirect(programme)


@login_required
def programme_criteria(request: HttpRequest, pk: int) -> HttpResponse:
    """The Ideal Mentor Profile: readable by every participant; coordinators add a criterion or
    change one's weight here."""
    programme = selectors.programme_get_for_user(request.user, pk)
    coordinating = is_coordinator(request.user, programme)
    form = CriterionForm(request.POST or None)
    # A change to an existing row that fails shows its error on that row; the "Add a
    # criterion" form stays empty (pre-filled, it invited a duplicate).
    row_form, row_pk = None, None
    if request.method == "POST":
        if not coordinating:
            raise PermissionDenied("Only coordinators edit the Ideal Mentor Profile.")
        criterion = None
        if request.POST.get("criterion"):
            criterion = get_object_or_404(
                programme.criteria, pk=parse_id(request.POST["criterion"], "criterion")
            )
            row_form, row_pk = CriterionForm(request.POST, instance=criterion), criterion.pk
            form = CriterionForm()
        bound = row_form or form
        if bound.is_valid():
            try:
                services.criterion_save(
                    programme=programme, by=request.user, criterion=criterion, **bound.cleaned_data
                )
            except ValidationError as exc:
                form_add_service_errors(bound, exc)
            else:
                messages.success(request, "Ideal Mentor Profile saved.")
                return redirect("programmes:criteria", pk=programme.pk)
    criteria = list(programme.criteria.all())
    total = sum(c.weight for c in criteria) or 1
    rows = [
        (c, row_form if c.pk == row_pk else None, round(100 * c.weight / total)) for c in criteria
    ]
    return render(
        request,
        "programmes/criteria.html",
        {"programme": programme, "rows": rows, "form": form, "coordinating": coordinating},
    )


@login_required
@require_POST
def criterion_delete(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_user(request.user, pk, write=True)
    criterion = get_object_or_404(programme.criteria, pk=require_id(criterion_pk, "criterion"))
    try:
        services.criterion_delete(criterion=criterion, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{criterion.name}” removed.")
    return redirect("programmes:criteria", pk=programme.pk)


def _ethics_page(
    request: HttpRequest,
    programme,
    form: EthicsDraftForm | None = None,  # noqa: ANN001
) -> HttpResponse:
    coordinating = is_coordinator(request.user, programme)
    code = programme.current_ethics()
    draft = programme.ethics_codes.filter(published_at__isnull=True).first()
    if coordinating and form is None:
        initial = {"text": (draft or code).text if (draft or code) else ""}
        if draft:
            initial["summary_of_changes"] = draft.summary_of_changes
        form = EthicsDraftForm(initial=initial)
    acknowledged = (
        code is not None
        and EthicsAcknowledgement.objects.filter(code=code, user=request.user).exists()
    )
    history = list(programme.ethics_codes.filter(published_at__isnull=False))
    previous = next((h for h in history if code and h.version < code.version), None)
    context = {
        "programme": programme,
        "code": code,
        "draft": draft,
        "form": form,
        "coordinating": coordinating,
        "acknowledged": acknowledged,
        "history": history,
        # What a signer is asked to agree to anew, and what a coordinator's draft changes.
        "previous": previous,
        "changes": word_diff(previous.text, code.text) if previous and not acknowledged else None,
        "draft_changes": word_diff(code.text, draft.text)
        if coordinating and code and draft
        else None,
    }
    if coordinating:
        status = selectors.ethics_status_for_programme(programme)
        context["page"] = paginate(request, status)
        context["signed_count"] = status.filter(acknowledged=True).count()
    return render(request, "programmes/ethics.html", context)


@login_required
def programme_ethics(request: HttpRequest, pk: int) -> HttpResponse:
    """The code of ethics to read and sign; coordinators draft the next version here."""
    programme = selectors.programme_get_for_user(request.user, pk)
    if request.method != "POST":
        return _ethics_page(request, programme)
    programme = selectors.programme_get_for_user(request.user, pk, write=True)
    form = EthicsDraftForm(request.POST)
    if form.is_valid():
        try:
            services.ethics_draft_save(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Draft saved. Publish it when it is ready.")
            return redirect("programmes:ethics", pk=programme.pk)
    return _ethics_page(request, programme, form)


@login_required
@require_POST
def ethics_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_user(request.user, pk)
    code = programme.current_ethics()
    if code is None:
        messages.error(request, "There is no published code of ethics yet.")
        return redirect("programmes:ethics", pk=programme.pk)
    try:
        services.ethics_acknowledge(user=request.user, code=code)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Thank you: you signed version {code.version}.")
    return redirect("programmes:ethics", pk=programme.pk)


@login_required
@require_POST
def ethics_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the draft. The draft form's publish button sends what was typed with it, which is
    saved first: the text published is the text on the screen."""
    programme = selectors.programme_get_for_user(request.user, pk, write=True)
    if "text" in request.POST:
        form = EthicsDraftForm(request.POST)
        if not form.is_valid():
            return _ethics_page(request, programme, form)
        try:
            services.ethics_draft_save(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
            return _ethics_page(request, programme, form)
    try:
        published = services.ethics_publish(programme=programme, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Version {published.version} published; everyone in the programme has been "
            "asked to acknowledge it.",
        )
    return redirect("programmes:ethics", pk=programme.pk)


@login_required
def programme_people(request: HttpRequest, pk: int) -> HttpResponse:
    """Who holds which role, a page at a time; coordinators add a coordinator, coach or sponsor."""
    programme = selectors.programme_get_for_user(request.user, pk, write=True)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = User.objects.get(email=form.cleaned_data["email"])
        services.programme_role_grant(
            programme=programme, user=person, role=form.cleaned_data["role"], by=request.user
        )
        messages.success(request, f"{person.display_name} is now a {form.cleaned_data['role']}.")
        return redirect("programmes:people", pk=programme.pk)
    roles = programme.roles.select_related("user__profile").order_by("role", "user__email")
    return render(
        request,
        "programmes/people.html",
        {"programme": programme, "page": paginate(request, roles), "form": form},
    )


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_user(request.user, pk, write=True)
    person = get_object_or_404(User, pk=parse_id(request.POST.get("user"), "person"))
    try:
        services.programme_role_revoke(
            programme=programme, user=person, role=request.POST.get("role", ""), by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{person.display_name} no longer holds that role.")
    return redirect("programmes:people", pk=programme.pk)


@login_required
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_user(request.user, pk)
    initial = {"role": request.GET.get("role", Role.MENTEE)}
    existing = (
        Application.objects.filter(
            programme=programme, applicant=request.user, role=initial["role"]
        )
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .first()
        if request.method == "GET"
        else None
    )
    if existing is not None:
        # Nobody fills in the form a second time only to be told they applied already (a
        # submitted form that races the first still gets the message, with its text kept).
        messages.info(
            request,
            f"You have already applied to {programme.name} as a {initial['role']}: here it is.",
        )
        return redirect(existing)
    profile = getattr(request.user, "profile", None)
    if profile is not None:
        initial["hours_per_month"] = max(1, min(profile.hours_per_month, 20))
    if request.method == "GET":
        # Other apps may draft more (an invitation to mentor fills in the statement).
        initial.update(application_initial(request.user, programme, initial["role"]))
    form = ApplicationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                programme=programme, applicant=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Application sent. The coordinators will be in touch; you can follow it here.",
            )
            return redirect(application)
    return render(
        request,
        "programmes/application_form.html",
        {"programme": programme, "form": form, "ethics": programme.current_ethics()},
    )


@login_required
def application_list(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_role(
        request.user,
        pk,
        REVIEWER_ROLES,
        "Only coordinators and coaches see individual applications.",
    )
    filters = ApplicationFilterForm(request.GET or None)
    status = role = None
    if filters.is_valid():
        status = filters.cleaned_data["status"] or None
        role = filters.cleaned_data["role"] or None
    page = paginate(
        request, selectors.application_list_for_programme(programme, status=status, role=role)
    )
    if request.htmx:
        # The filter form swaps only the table, without reloading the page.
        return render(
            request,
            "programmes/_application_rows.html",
            {"programme": programme, "applications": page, "page": page},
        )
    return render(
        request,
        "programmes/application_list.html",
        {
            "programme": programme,
            "applications": page,
            "page": page,
            "filters": filters,
            "funnel": selectors.programme_funnel(programme),
        },
    )


@login_required
def review_queue(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_role(
        request.user, pk, REVIEWER_ROLES, "Only coordinators and coaches review applications."
    )
    page = paginate(request, selectors.review_queue(programme, request.user))
    return render(
        request,
        "programmes/review_queue.html",
        {
            "programme": programme,
            "queue": page,
            "page": page,
            "funnel": selectors.programme_funnel(programme),
            "coordinating": is_coordinator(request.user, programme),
        },
    )


def _application_context(
    request: HttpRequest, application: Application, decision_form: DecisionForm | None = None
) -> dict:
    """What the application page shows: reviewers see screenings, avoid lists and the decision
    form; the applicant sees their own application and the decision's reason."""
    programme = application.programme
    own = application.applicant_id == request.user.pk
    context = {
        "application": application,
        "programme": programme,
        "own": own,
        "reviewer_view": not own,
        "coordinating": is_coordinator(request.user, programme) and not own,
        "topics": application.topics.all(),
    }
    if not own:
        context["screenings"] = application.screenings.select_related(
            "reviewer__profile"
        ).prefetch_related("scores__criterion")
        context["avoid"] = application.avoid.select_related("profile")
        context["decision_form"] = decision_form or DecisionForm()
    return context


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The application; its decision form posts here, so a refused decision is shown again at
    the page's own address (reloading it never lands on an endpoint that only takes a POST)."""
    if request.method == "POST":
        return _decide(request, pk)
    application = selectors.application_get_for_user(request.user, pk)
    return render(
        request, "programmes/application_detail.html", _application_context(request, application)
    )


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(request.user, pk, action="withdraw")
    try:
        services.application_withdraw(application=application, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Your application has been withdrawn.")
    return redirect(application)


@login_required
def application_screen(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(request.user, pk, action="screen")
    programme = application.programme
    criteria = list(programme.criteria.all())
    existing = (
        application.screenings.filter(reviewer=request.user).prefetch_related("scores").first()
    )
    initial: dict[str, object] = {}
    if existing:
        initial["comment"] = existing.comment
        for score in existing.scores.all():
            initial[f"score_{score.criterion_id}"] = str(score.score)
            initial[f"comment_{score.criterion_id}"] = score.comment
    form = ScreeningForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.screening_record(
                application=application,
                reviewer=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            application.refresh_from_db()
            messages.success(
                request,
                f"Screening saved. Weighted fit is now {application.fit_score} of 5.",
            )
            return redirect(application)
    return render(
        request,
        "programmes/screening_form.html",
        {
            "application": application,
            "programme": programme,
            "form": form,
            "existing": existing,
            "others": application.screenings.exclude(reviewer=request.user).count(),
        },
    )


@login_required
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk)


def _decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(request.user, pk, action="decide")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.application_decide(
                application=application,
                by=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            # On the field it is about (a missing reason marks the reason box), not a flash.
            form_add_service_errors(form, exc)
            return _redisplay_decision(request, application, form)
        application.refresh_from_db()
        messages.success(request, f"Application {application.status_label.lower()}.")
        return redirect(application)
    return _redisplay_decision(request, application, form)


def _redisplay_decision(
    request: HttpRequest, application: Application, form: DecisionForm
) -> HttpResponse:
    """Show the application again with the decision form as typed, so nothing is lost."""
    return render(
        request,
        "programmes/application_detail.html",
        _application_context(request, application, form),
        status=400,
    )


@login_required
@require_POST
def application_request_confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(request.user, pk, action="decide")
    try:
        services.application_request_confirmation(application=application, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The line manager has been asked to confirm.")
    return redirect(application)


@login_required
def line_manager_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The page a line manager reaches from the email asking them to confirm a mentee."""
    application = (
        Application.objects.select_related("programme", "applicant__profile")
        .filter(confirmation_token=token, status=ApplicationStatus.AWAITING_CONFIRMATION)
        .first()
    )
    if application is None or len(token) < 20:
        return render(request, "programmes/confirm_done.html", {"missing": True}, status=404)
    if application.applicant.profile.line_manager_id != request.user.pk:
        raise PermissionDenied("This request is addressed to the applicant's line manager.")
    form = ConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_confirm_by_line_manager(
                application=application,
                by=request.user,
                confirm=form.cleaned_data["answer"] == "confirm",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            application.refresh_from_db()
            return render(request, "programmes/confirm_done.html", {"application": application})
    return render(request, "programmes/confirm.html", {"application": application, "form": form})


@login_required
def programme_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme's records its coordinators may read, as a JSON file."""
    programme = selectors.programme_get_for_role(
        request.user, pk, {Role.COORDINATOR}, "Only this programme's coordinators export it."
    )
    document = privacy.programme_export(programme=programme, by=request.user)
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="mentorcraft-{programme.slug}-{timezone.localdate():%Y-%m-%d}.json"'
    )
    return response
