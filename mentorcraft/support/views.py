"""Supervision pages: thin views over the selectors (who may see what) and the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mentorcraft.core import audit
from mentorcraft.core.errors import TransitionError
from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.core.ids import require_id
from mentorcraft.core.pagination import paginate
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.mentorships.selectors import (
    meetings_for,
    mentorship_get_for_user,
    mentorships_for_person,
)
from mentorcraft.people.models import User
from mentorcraft.people.zones import zone_of
from mentorcraft.programmes.access import is_coordinator, refuse, roles_by_programme
from mentorcraft.programmes.models import Programme
from mentorcraft.support import selectors, services
from mentorcraft.support.forms import (
    AssignForm,
    AttendanceForm,
    CadenceForm,
    CheckInForm,
    CircleForm,
    CircleSupervisorForm,
    ConcernForm,
    ConcernStatusForm,
    ExternalSupportForm,
    ExternalSupportForMentorForm,
    MoveForm,
    PeerPairForm,
    PeerProposeForm,
    PeerRequestForm,
    ProposeForm,
    ReflectionForm,
    SessionForm,
    SupervisorCapacityForm,
    SupervisorForm,
    SupportAnswerForm,
    SupportAskForm,
    TextForm,
    TopicForm,
    TopicTagForm,
)
from mentorcraft.support.ics import session_download_ics, session_times
from mentorcraft.support.models import (
    DEFAULT_AGREEMENT,
    THEMES,
    Circle,
    Function,
    Help,
    SupervisionSession,
    Supervisor,
    Way,
)
from mentorcraft.training.models import Coach
from mentorcraft.training.selectors import coach_training

COORDINATORS_ONLY = "Only the programme's coordinators run supervision."


def _bad(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


def _ready_coaches(programme: Programme):  # noqa: ANN202 - a QuerySet of users
    """Active coaches with valid coach training who do not supervise here yet."""
    active = list(
        Coach.objects.filter(status=Coach.Status.ACTIVE).values_list("person_id", flat=True)
    )
    trained = coach_training(active, timezone.localdate())
    here = Supervisor.objects.filter(programme=programme, active=True).values("person")
    return (
        User.objects.filter(pk__in=list(trained))
        .exclude(pk__in=here)
        .select_related("profile")
        .order_by("profile__full_name")
    )


def _active_supervisors(programme: Programme):  # noqa: ANN202
    return Supervisor.objects.filter(programme=programme, active=True).select_related(
        "person__profile"
    )


# --- The coordinator's page -----------------------------------------------------------------


@login_required
def overview(request: HttpRequest, pk: int, **forms: object) -> HttpResponse:
    programme = selectors.programme_for_coordinator(request.user, pk, COORDINATORS_ONLY)
    view = selectors.overview(programme)
    supervisors = _active_supervisors(programme)
    context = {
        "programme": programme,
        "view": view,
        "supervisor_form": SupervisorForm(coaches=_ready_coaches(programme)),
        "assign_form": AssignForm(
            mentors=[r.mentor for r in view.mentors], supervisors=supervisors
        ),
        "propose_form": ProposeForm(),
        # Concerns are for the programme's own coordinators (an admin sees the rest, not them).
        "reads_concerns": selectors.coordinates(request.user, programme),
        **forms,
    }
    return render(request, "support/overview.html", context, status=400 if forms else 200)


@login_required
@require_POST
def supervisor_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_coordinator(request.user, pk, COORDINATORS_ONLY)
    form = SupervisorForm(request.POST, coaches=_ready_coaches(programme))
    if form.is_valid():
        try:
            supervisor = services.supervisor_add(
                programme=programme,
                person=form.cleaned_data["person"],
                kind=form.cleaned_data["kind"],
                capacity=form.cleaned_data["capacity"],
                by=request.user,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{supervisor.person.display_name} supervises here now, with "
                f"{supervisor.capacity} places; they have been told.",
            )
            return redirect("support:overview", programme.pk)
    return overview(request, programme.pk, supervisor_form=form)


@login_required
@require_POST
def supervisor_update(request: HttpRequest, pk: int) -> HttpResponse:
    supervisor = selectors.supervisor_get_for_user(request.user, pk)
    form = SupervisorCapacityForm(request.POST)
    try:
        if "stop" in request.POST:
            services.supervisor_update(supervisor=supervisor, by=request.user, active=False)
            messages.success(
                request, f"{supervisor.person.display_name} no longer supervises here."
            )
        elif form.is_valid():
            services.supervisor_update(
                supervisor=supervisor, by=request.user, capacity=form.cleaned_data["capacity"]
            )
            messages.success(request, f"{supervisor.person.display_name}'s places are updated.")
        else:
            messages.error(request, "Places are a number from 1 to 40.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("support:overview", supervisor.programme_id)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_coordinator(request.user, pk, COORDINATORS_ONLY)
    mentors = selectors.programme_mentors(programme)
    form = AssignForm(request.POST, mentors=mentors, supervisors=_active_supervisors(programme))
    if form.is_valid():
        try:
            services.assign(
                programme=programme,
                mentor=form.cleaned_data["mentor"],
                supervisor=form.cleaned_data["supervisor"],
                by=request.user,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{form.cleaned_data['mentor'].display_name} is supervised by "
                f"{form.cleaned_data['supervisor'].person.display_name} now.",
            )
            return redirect("support:overview", programme.pk)
    return overview(request, programme.pk, assign_form=form)


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_coordinator(request.user, pk, COORDINATORS_ONLY)
    form = ProposeForm(request.POST)
    form.is_valid()
    try:
        formation = services.formation_propose(
            programme=programme, by=request.user, whole=form.cleaned_data.get("whole", False)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("support:overview", programme.pk)
    return redirect(formation)


@login_required
def formation(request: HttpRequest, pk: int, **overrides: object) -> HttpResponse:
    formation = selectors.formation_get_for_user(request.user, pk)
    circles = selectors.formation_circles(formation)
    mentors = [seat.mentor for c in circles for seat in c.members.all()]
    supervisors = _active_supervisors(formation.programme)
    draft = formation.status == formation.Status.DRAFT
    context = {
        "programme": formation.programme,
        "formation": formation,
        "circles": circles,
        "draft": draft,
        "problems": services.circle_problems(circles) if draft else [],
        "warnings": services.circle_warnings(circles) if draft else [],
        "move_form": MoveForm(mentors=mentors, circles=formation.circles.all()),
        "supervisors": supervisors,
        **overrides,
    }
    return render(request, "support/formation.html", context, status=400 if overrides else 200)


@login_required
@require_POST
def formation_move(request: HttpRequest, pk: int) -> HttpResponse:
    formation = selectors.formation_get_for_user(request.user, pk)
    circles = selectors.formation_circles(formation)
    mentors = [seat.mentor for c in circles for seat in c.members.all()]
    form = MoveForm(request.POST, mentors=mentors, circles=formation.circles.all())
    if form.is_valid():
        try:
            circle = services.formation_move(
                formation=formation,
                mentor=form.cleaned_data["mentor"],
                to=form.cleaned_data["circle"],
                by=request.user,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{form.cleaned_data['mentor'].display_name} moved to {circle.name}."
            )
            return redirect(formation)
    return formation_page_with(request, formation, move_form=form)


def formation_page_with(request: HttpRequest, formation_row, **overrides: object) -> HttpResponse:  # noqa: ANN001
    return formation(request, formation_row.pk, **overrides)


@login_required
@require_POST
def circle_supervisor(request: HttpRequest, pk: int) -> HttpResponse:
    circle = selectors.circle_get_for_user(request.user, pk, write=True)
    form = CircleSupervisorForm(request.POST, supervisors=_active_supervisors(circle.programme))
    back = circle.formation if circle.status == Circle.Status.PROPOSED else circle
    if not form.is_valid():
        messages.error(request, "Choose one of the programme's supervisors.")
        return redirect(back)
    try:
        services.circle_set_supervisor(
            circle=circle, supervisor=form.cleaned_data["supervisor"], by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        name = form.cleaned_data["supervisor"].person.display_name
        problems = []
        if circle.status == Circle.Status.PROPOSED:
            problems = services.circle_problems(selectors.formation_circles(circle.formation))
        if problems:
            messages.warning(
                request, f"{name} supervises {circle.name}, but publishing needs a fix first."
            )
        else:
            messages.success(request, f"{name} supervises {circle.name}.")
    return redirect(back)


@login_required
@require_POST
def formation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    formation = selectors.formation_get_for_user(request.user, pk)
    try:
        circles = services.formation_publish(formation=formation, by=request.user)
    except ValidationError as exc:
        return formation_page_with(request, formation, publish_errors=exc.messages)
    messages.success(
        request,
        f"{len(circles)} circle{'s' if len(circles) != 1 else ''} published; every mentor has "
        "their supervisor, and the supervisors have been told. Schedule the first sessions.",
    )
    return redirect("support:overview", formation.programme_id)


@login_required
@require_POST
def formation_discard(request: HttpRequest, pk: int) -> HttpResponse:
    formation = selectors.formation_get_for_user(request.user, pk)
    try:
        services.formation_discard(formation=formation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The proposal is set aside; nothing changed.")
    return redirect("support:overview", formation.programme_id)


@login_required
def circle_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_coordinator(request.user, pk, COORDINATORS_ONLY)
    form = CircleForm(
        request.POST or None,
        mentors=selectors.programme_mentors(programme),
        supervisors=_active_supervisors(programme),
    )
    if request.method == "POST" and form.is_valid():
        try:
            circle = services.circle_create(
                programme=programme,
                name=form.cleaned_data["name"],
                supervisor=form.cleaned_data["supervisor"],
                mentors=list(form.cleaned_data["mentors"]),
                by=request.user,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"{circle.name} is formed; its mentors have been told.")
            return redirect(circle)
    return render(
        request,
        "support/circle_form.html",
        {"programme": programme, "form": form},
        status=_bad(request),
    )


@login_required
def circle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    circle = selectors.circle_get_for_user(request.user, pk)
    coordinator = is_coordinator(request.user, circle.programme)
    sessions = list(circle.sessions.select_related("leader__profile").order_by("-starts_at")[:20])
    return render(
        request,
        "support/circle_detail.html",
        {
            "programme": circle.programme,
            "circle": circle,
            "members": [m.mentor for m in circle.members.select_related("mentor__profile")],
            "sessions": sessions,
            "now": timezone.now(),
            "is_coordinator": coordinator,
            "supervisor_form": CircleSupervisorForm(
                supervisors=_active_supervisors(circle.programme),
                initial={"supervisor": circle.supervisor_id},
            )
            if coordinator
            else None,
            "leads": circle.supervisor is not None
            and circle.supervisor.person_id == request.user.pk,
        },
    )


@login_required
@require_POST
def circle_end(request: HttpRequest, pk: int) -> HttpResponse:
    circle = selectors.circle_get_for_user(request.user, pk, write=True)
    try:
        services.circle_end(circle=circle, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"{circle.name} has ended; its mentors no longer have a supervisor through it."
        )
    return redirect("support:overview", circle.programme_id)


# --- Sessions -------------------------------------------------------------------------------


@login_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, pk)
    scope = selectors.scheduling_scope(request.user, programme)
    zone = zone_of(request.user)
    initial = {"kind": request.GET.get("kind", ""), "circle": request.GET.get("circle", "")}
    form = SessionForm(
        request.POST or None,
        zone=zone,
        circles=scope.circles,
        mentors=scope.mentors,
        kinds=scope.kinds,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_schedule(
                programme=programme,
                kind=data["kind"],
                by=request.user,
                starts_at=form.starts_at(),
                minutes=data["minutes"],
                place=data["place"],
                circle=data.get("circle"),
                mentor=data.get("mentor"),
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request, "Scheduled; everyone invited has a calendar invitation by e-mail."
            )
            return redirect(session)
    return render(
        request,
        "support/session_form.html",
        {"programme": programme, "form": form},
        status=_bad(request),
    )


@never_cache
@login_required
def session_detail(request: HttpRequest, pk: int, **overrides: object) -> HttpResponse:
    session = selectors.session_get_for_user(request.user, pk)
    user = request.user
    leads = session.leader_id == user.pk
    people = services.invitees(session)
    marks = {a.mentor_id: a.present for a in session.attendance.all()}
    note = selectors.coach_note_for(session, user) if leads else None
    context = {
        "programme": session.programme,
        "session": session,
        "times": session_times(session, user),
        "leads": leads,
        "is_coordinator": is_coordinator(user, session.programme),
        "invited": selectors.invited(user, session),
        "people": [(p, marks.get(p.pk)) for p in people]
        if (leads or is_coordinator(user, session.programme))
        else [],
        "count_invited": len(people),
        "topics": selectors.topics_for_session(session, user),
        "attendance_open": services.attendance_open(session),
        "attendance_form": AttendanceForm(
            people=people, initial={"present": [str(k) for k, v in marks.items() if v]}
        )
        if leads
        else None,
        "summary_readable": selectors.summary_readable(session, user),
        "summary_form": TextForm(
            label="Summary for the mentors who attended",
            help_text="Optional. Shared with those marked present.",
            initial={"text": session.summary},
        )
        if leads
        else None,
        "note_form": TextForm(
            label="Your own notes",
            help_text="Only you read these: not the mentors, not the coordinators, not an "
            "administrator.",
            initial={"text": note.text if note else ""},
            prefix="note",
        )
        if leads
        else None,
        "themes": THEMES if leads else (),
        "started": session.starts_at <= timezone.now(),
        "functions": Function.choices,
        **overrides,
    }
    return render(request, "support/session_detail.html", context, status=400 if overrides else 200)


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(request.user, pk, lead=True)
    people = services.invitees(session)
    form = AttendanceForm(request.POST, people=people)
    if form.is_valid():
        try:
            services.attendance_record(
                session=session,
                by=request.user,
                present=[int(pk) for pk in form.cleaned_data["present"]],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "The register is saved.")
            return redirect(session)
    return session_detail(request, session.pk, attendance_form=form)


@login_required
@require_POST
def session_summary(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(request.user, pk, lead=True)
    form = TextForm(request.POST, label="Summary")
    if form.is_valid():
        try:
            services.summary_save(session=session, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "The summary is saved; the mentors who attended can read it."
                if form.cleaned_data["text"].strip()
                else "The summary is cleared.",
            )
            return redirect(session)
    return session_detail(request, session.pk, summary_form=form)


@login_required
@require_POST
def session_note(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(request.user, pk, lead=True)
    form = TextForm(request.POST, label="Your own notes", prefix="note")
    if form.is_valid():
        try:
            services.coach_note_save(
                session=session, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Your notes are saved. Only you can read them.")
            return redirect(session)
    return session_detail(request, session.pk, note_form=form)


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(request.user, pk, manage=True)
    try:
        services.session_cancel(session=session, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Cancelled; everyone invited has been told.")
    return redirect(session)


@login_required
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user(request.user, pk)
    response = HttpResponse(session_download_ics(session), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="supervision-{session.pk}.ics"'
    return response


# --- A person's own supervision, topics, the caseload ---------------------------------------


@never_cache
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    coordinated = [
        pk for pk, roles in roles_by_programme(request.user).items() if "coordinator" in roles
    ]
    return render(
        request,
        "support/mine.html",
        {
            "mine": selectors.my_supervision(request.user),
            "now": timezone.now(),
            "coordinated": Programme.objects.filter(pk__in=coordinated).order_by("name"),
            "is_mentor": any(
                "mentor" in roles for roles in roles_by_programme(request.user).values()
            ),
            "mentor_programmes": selectors.mentor_programmes(request.user),
            "external": list(selectors.external_supports_of(request.user)),
            "peers": selectors.my_peers(request.user),
        },
    )


@never_cache
@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    if not Supervisor.objects.filter(person=request.user, active=True).exists():
        raise Http404("No caseload: you supervise no mentors.")
    rows = selectors.caseload(request.user)
    return render(
        request,
        "support/caseload.html",
        {
            "rows": rows,
            "functions": Function.choices,
            "needing": sum(1 for r in rows if r.attention),
        },
    )


def _topic_sessions(user) -> list[SupervisionSession]:  # noqa: ANN001
    """Sessions the mentor is invited to that have not started."""
    now = timezone.now()
    return [
        s
        for s in selectors.sessions_for(user)
        if s.starts_at > now and s.status == "scheduled" and s.leader_id != user.pk
    ]


@never_cache
@login_required
def topic_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    programmes = selectors.mentor_programmes(user)
    if not programmes:
        raise PermissionDenied("Mentors bring topics to supervision.")
    sessions = _topic_sessions(user)
    initial = {}
    if request.GET.get("session", "").isdigit():
        initial["session"] = int(request.GET["session"])
    form = TopicForm(request.POST or None, sessions=sessions, initial=initial, zone=zone_of(user))
    if request.method == "POST" and form.is_valid():
        session = form.cleaned_data["session"]
        programme = session.programme if session else _only_supervised(user, programmes)
        try:
            if programme is None:
                raise ValidationError(
                    {
                        "session": "Choose the session: you are supervised in more than one "
                        "programme, or in none yet."
                    }
                )
            topic = services.topic_bring(
                programme=programme,
                mentor=user,
                title=form.cleaned_data["title"],
                situation=form.cleaned_data["situation"],
                help_wanted=form.cleaned_data["help_wanted"],
                session=session,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Your topic is with your supervisor. Only the two of you read what you wrote.",
            )
            return redirect(topic.session or "support:mine")
    return render(request, "support/topic_form.html", {"form": form}, status=_bad(request))


def _only_supervised(user, programmes) -> Programme | None:  # noqa: ANN001
    ids = set(
        user.supervised_by.filter(ended_at__isnull=True).values_list("programme_id", flat=True)
    )
    chosen = [p for p in programmes if p.pk in ids]
    return chosen[0] if len(chosen) == 1 else None


@never_cache
@login_required
def topic_detail(request: HttpRequest, pk: int, **overrides: object) -> HttpResponse:
    topic = selectors.topic_get_for_user(request.user, pk)
    supervising = selectors.topic_supervisor_id(topic) == request.user.pk
    context = {
        "topic": topic,
        "supervising": supervising,
        "tag_form": TopicTagForm(
            initial={
                "function": topic.function,
                "part": topic.part,
                "strain": topic.strain,
                "status": topic.status,
            }
        )
        if supervising
        else None,
        "edit_form": TopicForm(
            instance=topic,
            sessions=[],
            initial={"help_wanted": topic.help_wanted},
        )
        if topic.mentor_id == request.user.pk and topic.status == "open"
        else None,
        **overrides,
    }
    if context["edit_form"] is not None:
        context["edit_form"].fields.pop("session", None)
    return render(request, "support/topic_detail.html", context, status=400 if overrides else 200)


@login_required
@require_POST
def topic_tag(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_get_for_user(request.user, pk, tag=True)
    form = TopicTagForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.topic_tag(
                topic=topic,
                by=request.user,
                function=data["function"],
                part=data["part"],
                strain=data["strain"],
                status=data["status"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Tagged.")
            return redirect(topic.session or topic)
    return topic_detail(request, topic.pk, tag_form=form)


@login_required
@require_POST
def topic_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_get_for_user(request.user, pk, edit=True)
    back = topic.session or "support:mine"
    try:
        services.topic_withdraw(topic=topic, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(topic)
    messages.success(request, "Withdrawn; your supervisor will not see it.")
    return redirect(back)


@login_required
@require_POST
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_get_for_user(request.user, pk, edit=True)
    form = TopicForm(request.POST, instance=topic, sessions=[])
    del form.fields["session"]
    if form.is_valid():
        try:
            services.topic_update(
                topic=topic,
                by=request.user,
                title=form.cleaned_data["title"],
                situation=form.cleaned_data["situation"],
                help_wanted=form.cleaned_data["help_wanted"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect(topic)
    topic.refresh_from_db()
    return topic_detail(request, topic.pk, edit_form=form)


# --- Concerns -------------------------------------------------------------------------------


def _concern_mentorships(user):  # noqa: ANN001, ANN202
    """The mentorships this person may raise a concern about: their own (peer partnerships
    too), and their supervised mentors'."""
    supervised = Mentorship.objects.filter(
        mentor__supervised_by__supervisor__person=user,
        mentor__supervised_by__ended_at__isnull=True,
        status=Mentorship.Status.ACTIVE,
    )
    own = mentorships_for_person(user)
    peers = Mentorship.peers.filter(
        Q(mentor=user) | Q(mentee=user), status=Mentorship.Status.ACTIVE
    ).values_list("pk", flat=True)
    ids = (
        set(own.values_list("pk", flat=True))
        | set(supervised.values_list("pk", flat=True))
        | set(peers)
    )
    return Mentorship.every.filter(pk__in=ids).select_related(
        "mentor__profile", "mentee__profile", "programme"
    )


@never_cache
@login_required
def concern_create(request: HttpRequest) -> HttpResponse:
    mentorships = _concern_mentorships(request.user)
    if not mentorships.exists():
        raise PermissionDenied(
            "Concerns are raised about a mentorship you are part of or supervise."
        )
    initial = {}
    raw = request.GET.get("mentorship", "")
    if raw.isdigit():
        initial["mentorship"] = require_id(int(raw), "mentorship")
    elif mentorships.count() == 1:
        initial["mentorship"] = mentorships.first().pk
    session = None
    raw_session = request.GET.get("session") or request.POST.get("session") or ""
    if raw_session.isdigit():
        session = selectors.session_get_for_user(request.user, int(raw_session))
    form = ConcernForm(request.POST or None, mentorships=mentorships, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            concern = services.concern_raise(
                mentorship=form.cleaned_data["mentorship"],
                by=request.user,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                session=session,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Your concern is with the programme's coordinators, and nobody else. You can "
                "follow it here.",
            )
            return redirect(concern)
    return render(
        request,
        "support/concern_form.html",
        {"form": form, "session": session},
        status=_bad(request),
    )


@never_cache
@login_required
def concern_detail(request: HttpRequest, pk: int, **overrides: object) -> HttpResponse:
    concern = selectors.concern_get_for_user(request.user, pk)
    coordinator = selectors.coordinates(request.user, concern.programme)
    context = {
        "concern": concern,
        "programme": concern.programme,
        "history": audit.history(concern),
        "is_coordinator": coordinator,
        "status_form": ConcernStatusForm(current=concern.status)
        if coordinator and concern.status != "closed"
        else None,
        **overrides,
    }
    return render(request, "support/concern_detail.html", context, status=400 if overrides else 200)


@login_required
@require_POST
def concern_status(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_get_for_user(request.user, pk, manage=True)
    if request.POST.get("status") == concern.status:
        # A second click of the same button: it is done already.
        messages.info(request, f"The concern is {concern.get_status_display().lower()}.")
        return redirect(concern)
    form = ConcernStatusForm(request.POST, current=concern.status)
    if form.is_valid():
        try:
            services.concern_set_status(
                concern=concern,
                by=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "The concern is updated, and its history too.")
            return redirect(concern)
    return concern_detail(request, concern.pk, status_form=form)


@never_cache
@login_required
def concern_list(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_concerns(request.user, pk)
    return render(
        request,
        "support/concern_list.html",
        {
            "programme": programme,
            "page": paginate(request, selectors.concerns_for_programme(programme)),
        },
    )


def overview_url(programme: Programme) -> str:
    return reverse("support:overview", args=[programme.pk])


# --- Supervision agreements -------------------------------------------------------------------


@login_required
def agreement_of_circle(request: HttpRequest, pk: int) -> HttpResponse:
    circle = selectors.circle_get_for_user(request.user, pk)
    return redirect(services.agreement_for_circle(circle))


@login_required
def agreement_of_assignment(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(request.user, pk)
    return redirect(services.agreement_for_individual(assignment))


@never_cache
@login_required
def agreement_detail(request: HttpRequest, pk: int, **overrides: object) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(request.user, pk)
    state = services.agreement_state(agreement)
    signers = selectors.agreement_signers(agreement)
    people = {u.pk: u for u in User.objects.filter(pk__in=signers).select_related("profile")}
    frequency = (
        "every six weeks, for 75 minutes" if agreement.circle_id else "once a month, for 50 minutes"
    )
    ended = agreement.circle_id is not None and agreement.circle.status != Circle.Status.ACTIVE
    draft = (
        state["latest"].text if state["latest"] else DEFAULT_AGREEMENT.format(frequency=frequency)
    )
    if not str(overrides.get("text", "x")).strip():
        overrides["text"] = draft
    context = {
        "agreement": agreement,
        "programme": agreement.programme,
        "state": state,
        "signers": sorted(people.values(), key=lambda u: u.display_name),
        "between": request.user.pk in signers and not ended,
        "ended": ended,
        "text": draft,
        "error": None,
        **overrides,
    }
    return render(request, "support/agreement.html", context, status=400 if overrides else 200)


@login_required
@require_POST
def agreement_propose(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(request.user, pk, sign=True)
    typed = request.POST.get("text", "")
    try:
        version = services.supervision_agreement_propose(
            agreement=agreement, by=request.user, text=typed
        )
    except ValidationError as exc:
        return agreement_detail(request, agreement.pk, error=" ".join(exc.messages), text=typed)
    messages.success(
        request,
        f"Version {version.number} saved and signed by you; it is in force when everyone has "
        "signed it.",
    )
    return redirect(agreement)


@login_required
@require_POST
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(request.user, pk, sign=True)
    number = request.POST.get("version", "")
    version = agreement.versions.filter(number=number).first() if number.isdigit() else None
    try:
        if version is None:
            raise TransitionError("Choose the version you read.")
        services.supervision_agreement_sign(version=version, by=request.user)
    except ValidationError as exc:
        return agreement_detail(request, agreement.pk, error=" ".join(exc.messages))
    messages.success(request, f"You signed version {version.number}.")
    return redirect(agreement)


# --- Coordinators' check-ins ----------------------------------------------------------------


@never_cache
@login_required
def check_ins(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_coordinator(request.user, pk, COORDINATORS_ONLY)
    every, rows = selectors.check_ins(programme)
    form = CheckInForm(
        request.POST or None,
        mentors=[r.mentor for r in rows],
        initial={"held_on": timezone.localdate(), "mentor": request.GET.get("mentor", "")},
    )
    cadence = CadenceForm(initial={"every_weeks": every})
    if request.method == "POST" and "every_weeks" in request.POST:
        cadence = CadenceForm(request.POST)
        if cadence.is_valid():
            services.check_in_settings_update(
                programme=programme,
                by=request.user,
                every_weeks=cadence.cleaned_data["every_weeks"],
            )
            messages.success(request, "The cadence is saved.")
            return redirect("support:check_ins", programme.pk)
        form = CheckInForm(
            mentors=[r.mentor for r in rows], initial={"held_on": timezone.localdate()}
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_in_record(
                programme=programme,
                mentor=data["mentor"],
                by=request.user,
                held_on=data["held_on"],
                how=data["how"],
                note=data["note"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Check-in with {data['mentor'].display_name} recorded.")
            return redirect("support:check_ins", programme.pk)
    return render(
        request,
        "support/check_ins.html",
        {
            "programme": programme,
            "every": every,
            "rows": rows,
            "due": sum(1 for r in rows if r.due),
            "form": form,
            "cadence": cadence,
        },
        status=_bad(request),
    )


# --- Reflective practice ---------------------------------------------------------------------


@never_cache
@login_required
def reflection_create(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("mentorship") or request.POST.get("mentorship") or ""
    if not raw.isdigit():
        raise Http404("No such mentorship.")
    mentorship = mentorship_get_for_user(request.user, int(raw))
    if mentorship.mentor_id != request.user.pk:
        raise PermissionDenied("Reflections are the mentor's own, about their mentoring.")
    meeting = None
    raw_meeting = request.GET.get("meeting") or request.POST.get("meeting") or ""
    if raw_meeting.isdigit():
        meeting = meetings_for(mentorship).filter(pk=int(raw_meeting)).first()
    form = ReflectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reflection = services.reflection_write(
                mentorship=mentorship,
                by=request.user,
                went_well=form.cleaned_data["went_well"],
                to_work_on=form.cleaned_data["to_work_on"],
                note=form.cleaned_data["note"],
                meeting=meeting,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Saved, for you alone.")
            return redirect(reflection)
    return render(
        request,
        "support/reflection_form.html",
        {"form": form, "mentorship": mentorship, "meeting": meeting},
        status=_bad(request),
    )


@never_cache
@login_required
def reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = selectors.reflection_get_for_user(request.user, pk)
    return render(request, "support/reflection_detail.html", {"reflection": reflection})


@login_required
@require_POST
def reflection_bring(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = selectors.reflection_get_for_user(request.user, pk)
    try:
        topic = services.reflection_bring(reflection=reflection, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reflection)
    messages.success(
        request,
        "It is a topic for supervision now; only you and your supervisor read it.",
    )
    return redirect(topic)


# --- Support outside the programme, and coverage --------------------------------------------


@never_cache
@login_required
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_coordinator(request.user, pk, COORDINATORS_ONLY)
    rows = selectors.coverage(programme)
    form = ExternalSupportForMentorForm(request.POST or None, mentors=[r.mentor for r in rows])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.external_support_record(
                programme=programme,
                mentor=data["mentor"],
                by=request.user,
                **{name: data[name] for name in services.EXTERNAL_FIELDS},
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Recorded for {data['mentor'].display_name}.")
            return redirect("support:coverage", programme.pk)
    return render(
        request,
        "support/coverage.html",
        {
            "programme": programme,
            "rows": rows,
            "without": sum(1 for r in rows if not r.covered),
            "form": form,
            "ask": selectors.latest_ask(programme),
            "answered": sum(1 for r in rows if r.answer is not None),
            "ask_form": SupportAskForm(),
        },
        status=_bad(request),
    )


@never_cache
@login_required
def my_external_support(request: HttpRequest, pk: int) -> HttpResponse:
    """A mentor records support they have outside the programme."""
    programme = selectors.programme_get(request.user, pk)
    if "mentor" not in roles_by_programme(request.user).get(programme.pk, set()):
        refuse(
            request.user, programme, "Mentors record their own outside support.", what="programme"
        )
    form = ExternalSupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.external_support_record(
                programme=programme,
                mentor=request.user,
                by=request.user,
                **{name: data[name] for name in services.EXTERNAL_FIELDS},
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Recorded. Your coordinators can see it; nobody else can.")
            return redirect("support:mine")
    return render(
        request,
        "support/external_form.html",
        {
            "programme": programme,
            "form": form,
            "current": selectors.external_supports_of(request.user).filter(programme=programme),
        },
        status=_bad(request),
    )


@login_required
@require_POST
def external_support_end(request: HttpRequest, pk: int) -> HttpResponse:
    support = selectors.external_support_get_for_user(request.user, pk)
    try:
        services.external_support_end(support=support, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Marked as ended.")
    if support.mentor_id == request.user.pk:
        return redirect("support:mine")
    return redirect("support:coverage", support.programme_id)


# --- "What support would you appreciate?" ----------------------------------------------------


@login_required
@require_POST
def ask_send(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_coordinator(request.user, pk, COORDINATORS_ONLY)
    form = SupportAskForm(request.POST)
    if form.is_valid():
        services.support_ask_send(
            programme=programme, by=request.user, message=form.cleaned_data["message"]
        )
        messages.success(request, "Every mentor has been asked; their answers show here.")
    else:
        messages.error(request, "Keep the message to 1,000 characters.")
    return redirect("support:coverage", programme.pk)


@never_cache
@login_required
def ask_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ask = selectors.ask_get_for_user(request.user, pk)
    mentor = "mentor" in roles_by_programme(request.user).get(ask.programme_id, set())
    mine = ask.answers.filter(mentor=request.user).first() if mentor else None
    form = None
    if mentor:
        initial = (
            {"help_wanted": mine.help_wanted, "ways": mine.ways, "comment": mine.comment}
            if mine
            else {}
        )
        form = SupportAnswerForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.support_answer(
                    ask=ask,
                    mentor=request.user,
                    help_wanted=form.cleaned_data["help_wanted"],
                    ways=form.cleaned_data["ways"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "Thank you: the coordinators have your answer.")
                return redirect(ask)
    elif request.method == "POST":
        raise PermissionDenied("Mentors answer the question.")
    answers = list(ask.answers.select_related("mentor__profile")) if not mentor else []
    tally_help = {label: 0 for _, label in Help.choices}
    tally_ways = {label: 0 for _, label in Way.choices}
    for answer in answers:
        for label in answer.help_labels:
            tally_help[label] += 1
        for label in answer.way_labels:
            tally_ways[label] += 1
    return render(
        request,
        "support/ask.html",
        {
            "ask": ask,
            "programme": ask.programme,
            "form": form,
            "mine": mine,
            "answers": answers,
            "tally_help": tally_help,
            "tally_ways": tally_ways,
        },
        status=_bad(request) if form is not None else 200,
    )


# --- Peer partnerships -----------------------------------------------------------------------


def _peers_page(
    request: HttpRequest,
    programme: Programme,
    *,
    pair_form: PeerPairForm | None = None,
    status: int = 200,
) -> HttpResponse:
    overview = selectors.peers_overview(programme)
    partnered = {p.mentor_id for p in overview.partnerships} | {
        p.mentee_id for p in overview.partnerships
    }
    mentors = [m for m in selectors.programme_mentors(programme) if m.pk not in partnered]
    return render(
        request,
        "support/peers.html",
        {
            "programme": programme,
            "overview": overview,
            "propose_form": PeerProposeForm(),
            "pair_form": pair_form or PeerPairForm(mentors=mentors),
            "mentor_count": len(mentors) + len(partnered),
        },
        status=status,
    )


@never_cache
@login_required
def peers(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator's page: mentors who asked for a peer partner, the engine's proposal,
    pairing by hand, and the partnerships."""
    programme = selectors.programme_for_coordinator(request.user, pk, selectors.PEERS_COORDINATORS)
    return _peers_page(request, programme)


@login_required
@require_POST
def peers_propose(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_coordinator(request.user, pk, selectors.PEERS_COORDINATORS)
    form = PeerProposeForm(request.POST)
    everyone = form.is_valid() and form.cleaned_data["everyone"]
    try:
        round_ = services.peer_round_propose(
            programme=programme, by=request.user, everyone=everyone
        )
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"{round_.stats.get('pairs', 0)} pair{'s' if round_.stats.get('pairs') != 1 else ''} "
            "proposed. Check them, take out any that will not work, then publish.",
        )
    return redirect("support:peers", programme.pk)


@never_cache
@login_required
@require_POST
def peers_pair(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for_coordinator(request.user, pk, selectors.PEERS_COORDINATORS)
    form = PeerPairForm(request.POST, mentors=selectors.programme_mentors(programme))
    if form.is_valid():
        data = form.cleaned_data
        try:
            partnership = services.peer_pair_by_hand(
                programme=programme,
                first=data["first"],
                second=data["second"],
                by=request.user,
                note=data["note"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"{partnership.mentor.display_name} and {partnership.mentee.display_name} are "
                "peer partners; both have been told.",
            )
            gap = services.time_zone_gap(partnership.mentor, partnership.mentee)
            if gap > services.TIME_ZONE_WINDOW:
                messages.warning(
                    request,
                    f"They are {gap:g} hours apart in time zone: more than the "
                    f"{services.TIME_ZONE_WINDOW:g} the engine allows, so a time in working hours "
                    "for both may be hard to find.",
                )
            return redirect("support:peers", programme.pk)
    return _peers_page(request, programme, pair_form=form, status=400)


@login_required
@require_POST
def peer_match_remove(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.peer_match_get_for_user(request.user, pk)
    try:
        services.peer_match_remove(match=match, by=request.user)
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"{match.first.display_name} and {match.second.display_name} taken out."
        )
    return redirect("support:peers", match.round.programme_id)


@login_required
@require_POST
def peer_round_publish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.peer_round_get_for_user(request.user, pk)
    try:
        made = services.peer_round_publish(round=round_, by=request.user)
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"{len(made)} peer partnership{'s' if len(made) != 1 else ''} started; "
            "every mentor in them has been told who their partner is.",
        )
    return redirect("support:peers", round_.programme_id)


@login_required
@require_POST
def peer_round_discard(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.peer_round_get_for_user(request.user, pk)
    try:
        services.peer_round_discard(round=round_, by=request.user)
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The proposal is set aside; nobody was told anything.")
    return redirect("support:peers", round_.programme_id)


@never_cache
@login_required
def peer_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """A mentor asks for a peer partner, saying what they would want from one."""
    programme = selectors.programme_get(request.user, pk)
    if "mentor" not in roles_by_programme(request.user).get(programme.pk, set()):
        refuse(request.user, programme, "Mentors ask for a peer partner here.", what="programme")
    mine = next((p for p in selectors.my_peers(request.user) if p.programme.pk == pk), None)
    initial = (
        {"help_wanted": mine.request.help_wanted, "about": mine.request.about}
        if mine and mine.request
        else {}
    )
    form = PeerRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.peer_request_create(
                programme=programme,
                mentor=request.user,
                help_wanted=form.cleaned_data["help_wanted"],
                about=form.cleaned_data["about"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(
                request,
                "Asked. The coordinators pair mentors from time to time; you will get an e-mail "
                "naming your partner.",
            )
            return redirect("support:mine")
    return render(
        request,
        "support/peer_ask.html",
        {"programme": programme, "form": form, "mine": mine},
        status=_bad(request),
    )


@login_required
@require_POST
def peer_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    peer_request = selectors.peer_request_get_for_user(request.user, pk)
    try:
        services.peer_request_withdraw(request=peer_request, by=request.user)
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Your request for a peer partner is withdrawn.")
    return redirect("support:mine")
