"""Community pages: thin views over the access helpers (who may see what) and the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mentorcraft.communities import selectors, services
from mentorcraft.communities.downloads import figures_csv_response, file_response
from mentorcraft.communities.forms import (
    AboutForm,
    AttendanceForm,
    EventForm,
    HideForm,
    ReplyForm,
    ResourceForm,
    ThreadForm,
)
from mentorcraft.communities.ics import event_download_ics, event_times
from mentorcraft.communities.models import Audience, Community, Event, Resource, Thread
from mentorcraft.communities.services import MODULE_AUDIENCES
from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.core.ids import parse_id
from mentorcraft.core.pagination import PER_PAGE, paginate
from mentorcraft.people.zones import zone_of
from mentorcraft.training.models import Module

# What an event form gives the services besides its start (the form's date and time).
EVENT_FIELDS = ("title", "description", "minutes", "place", "capacity", "facilitator", "module")


def _bad(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


# --- Entering a community --------------------------------------------------------------------


@never_cache
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    # Nobody is refused this page: a mentee whose programme has no community of mentees yet
    # reads why, instead of a "not found" behind a link of the navigation.
    places = selectors.places_for(request.user)
    return render(request, "communities/mine.html", {"places": places})


@login_required
def programme_community(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme's mentors' community, opened the first time anyone taking part visits."""
    programme = selectors.community_of_programme(request.user, pk, Audience.MENTORS)
    try:
        community = services.community_ensure(programme=programme, by=request.user)
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from None
    return redirect(community)


@never_cache
@login_required
def mentees_community(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme's mentees' community, once a coordinator has opened it."""
    programme = selectors.community_of_programme(request.user, pk, Audience.MENTEES)
    community = Community.objects.filter(programme=programme, audience=Audience.MENTEES).first()
    if community is not None:
        return redirect(community)
    part = selectors.part_in(request.user, programme, Audience.MENTEES)
    if not part.moderator:
        raise Http404("The mentees' community of this programme is not open yet.")
    form = AboutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_open_for_mentees(
                programme=programme, by=request.user, about=form.cleaned_data["about"]
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "The mentees' community of learning is open.")
            return redirect(community)
    return render(
        request,
        "communities/open_mentees.html",
        {"programme": programme, "form": form},
        status=_bad(request),
    )


def _context(request: HttpRequest, community: Community, **extra: object) -> dict:
    part = selectors.part_in(request.user, community.programme, community.audience)
    return {"community": community, "programme": community.programme, "part": part, **extra}


@never_cache
@login_required
def community_page(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get_for_user(request.user, pk)
    threads = paginate(request, selectors.threads_of(community, request.user), per_page=25)
    coming = selectors.events_coming(community, request.user)[:6]
    return render(
        request,
        "communities/community.html",
        _context(
            request,
            community,
            page=threads,
            coming=coming,
            resources=list(selectors.resources_of(community)[:5]),
            counts=selectors.community_counts(community),
            about_form=AboutForm(initial={"about": community.about}),
        ),
    )


@login_required
@require_POST
def community_about(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get_for_user(request.user, pk, need="moderate")
    form = AboutForm(request.POST)
    if form.is_valid():
        try:
            services.community_update(
                community=community, by=request.user, about=form.cleaned_data["about"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Saved.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(community)


# --- Threads and posts -----------------------------------------------------------------------


@never_cache
@login_required
def thread_create(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get_for_user(request.user, pk)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start(
                community=community,
                by=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request, "Your thread is up. You follow it: replies come in the daily digest."
            )
            return redirect(thread)
    return render(
        request,
        "communities/thread_form.html",
        _context(request, community, form=form),
        status=_bad(request),
    )


@never_cache
@login_required
def thread_page(request: HttpRequest, pk: int, **overrides: object) -> HttpResponse:
    thread = selectors.thread_get_for_user(request.user, pk)
    community = thread.community
    part = selectors.part_in(request.user, community.programme, community.audience)
    page = paginate(request, selectors.posts_of(thread))
    posts = [
        (post, not post.hidden or selectors.reads_hidden(request.user, post, part))
        for post in page.object_list
    ]
    if part.moderator:
        # One hide form per post, each with its own ids (a label points at its own box).
        for post, _ in posts:
            post.hide_form = HideForm(auto_id=f"id_hide_{post.pk}_%s")
    following = selectors.following_of(thread, request.user)
    if following is not None and request.method == "GET":
        services.thread_mark_read(thread=thread, person=request.user)
    context = _context(
        request,
        community,
        thread=thread,
        page=page,
        posts=posts,
        following=following is not None and following.following,
        **{"reply_form": ReplyForm(), "hide_form": HideForm(), **overrides},
    )
    return render(request, "communities/thread.html", context, status=400 if overrides else 200)


def _last_page(thread: Thread) -> int:
    return max(1, -(-selectors.posts_of(thread).count() // PER_PAGE))


@login_required
@require_POST
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_get_for_user(request.user, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            post = services.post_reply(
                thread=thread, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Your reply is posted.")
            url = reverse("communities:thread", args=[thread.pk])
            return redirect(f"{url}?page={_last_page(thread)}#post-{post.pk}")
    # Show the form again, with what was typed, under the last posts.
    request.GET = request.GET.copy()
    request.GET["page"] = str(_last_page(thread))
    return thread_page(request, thread.pk, reply_form=form)


@login_required
@require_POST
def thread_follow(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_get_for_user(request.user, pk)
    follow = request.POST.get("follow") == "1"
    services.thread_follow(thread=thread, person=request.user, following=follow)
    messages.success(
        request,
        "You follow this thread: new posts come in your daily digest."
        if follow
        else "You no longer follow this thread.",
    )
    return redirect(thread)


@login_required
@require_POST
def thread_lock(request: HttpRequest, pk: int) -> HttpResponse:
    thread = selectors.thread_get_for_user(request.user, pk, moderate=True)
    lock = request.POST.get("lock") == "1"
    try:
        services.thread_lock(thread=thread, by=request.user, locked=lock)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "The thread is locked: it takes no new replies."
            if lock
            else "The thread is open again.",
        )
    return redirect(thread)


@login_required
@require_POST
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get_for_user(request.user, pk, moderate=True)
    if request.POST.get("unhide") == "1":
        try:
            services.post_unhide(post=post, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The post shows again.")
        return redirect(post)
    form = HideForm(request.POST)
    if form.is_valid():
        try:
            services.post_hide(post=post, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The post is hidden; its author sees your reason.")
    else:
        messages.error(request, "Say why the post is hidden (up to 300 characters).")
    return redirect(post)


# --- Events ----------------------------------------------------------------------------------


def _modules(community: Community):  # noqa: ANN202 - a QuerySet of modules
    return (
        Module.objects.filter(active=True, audience__in=MODULE_AUDIENCES[community.audience])
        .exclude(format="self_study")
        .order_by("title")
    )


@never_cache
@login_required
def events(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get_for_user(request.user, pk)
    return render(
        request,
        "communities/events.html",
        _context(
            request,
            community,
            coming=selectors.events_coming(community, request.user),
            just_over=selectors.events_just_over(community, request.user),
            page=paginate(request, selectors.events_past(community, request.user), per_page=20),
        ),
    )


@never_cache
@login_required
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get_for_user(request.user, pk, need="lead")
    initial = {"kind": request.GET.get("kind", Event.Kind.MEETING)}
    form = EventForm(
        request.POST or None,
        zone=zone_of(request.user),
        people=selectors.participants(community),
        modules=_modules(community),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_schedule(
                community=community,
                by=request.user,
                kind=data["kind"],
                starts_at=form.starts_at(),
                **{name: data[name] for name in EVENT_FIELDS},
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Scheduled. Members see it on the community's page and "
                "answer there; the facilitator has a calendar invitation.",
            )
            return redirect(event)
    return render(
        request,
        "communities/event_form.html",
        _context(request, community, form=form, event=None),
        status=_bad(request),
    )


@never_cache
@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk, manage=True)
    community = event.community
    local = timezone.localtime(event.starts_at, zone_of(request.user))
    form = EventForm(
        request.POST or None,
        zone=zone_of(request.user),
        people=selectors.participants(community),
        modules=_modules(community),
        initial={
            "kind": event.kind,
            "title": event.title,
            "description": event.description,
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "minutes": event.minutes,
            "place": event.place,
            "capacity": event.capacity,
            "facilitator": event.facilitator_id,
            "module": event.module_id,
        },
    )
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.event_update(
                event=event,
                by=request.user,
                starts_at=form.starts_at(),
                **{name: data[name] for name in EVENT_FIELDS},
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Saved. If the time or place changed, everyone going has the updated invitation.",
            )
            return redirect(event)
    return render(
        request,
        "communities/event_form.html",
        _context(request, community, form=form, event=event),
        status=_bad(request),
    )


@never_cache
@login_required
def event_page(request: HttpRequest, pk: int, **overrides: object) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk)
    community = event.community
    user = request.user
    part = selectors.part_in(user, community.programme, community.audience)
    manages = part.moderator or event.facilitator_id == user.pk
    rsvp = selectors.rsvp_of(event, user)
    going = selectors.going_people(event)
    taken = sum(1 for r in going if r.answer == "going")
    marks = selectors.register_of(event) if manages else {}
    listed = services.register_people(event) if manages else []
    context = _context(
        request,
        community,
        event=event,
        times=event_times(event, user),
        rsvp=rsvp,
        position=selectors.waitlist_position(rsvp) if rsvp and rsvp.answer == "waitlisted" else 0,
        going=[r for r in going if r.answer == "going"],
        waiting=[r for r in going if r.answer == "waitlisted"],
        taken=taken,
        full=event.capacity is not None and taken >= event.capacity,
        answers_open=services.answers_open(event),
        manages=manages,
        marks=[(p, marks.get(p.pk)) for p in listed],
        attendance_open=services.attendance_open(event),
        started=event.starts_at <= timezone.now(),
        over=event.over,
        my_mark=selectors.register_of(event).get(user.pk) if event.attendance_taken_at else None,
        **overrides,
    )
    if manages and "attendance_form" not in overrides:
        context["attendance_form"] = AttendanceForm(
            listed=listed,
            others=selectors.participants(community).exclude(pk__in=[p.pk for p in listed]),
            initial={"present": [str(pk) for pk, here in marks.items() if here]},
        )
    if event.is_roundtable:
        view = selectors.figures_for(user, event, manages=manages)
        context["figures"] = view
        may = manages and view.snapshot is None and not event.cancelled
        opens = event.starts_at - services.FIGURES_FROM
        context["figures_can_take"] = may and timezone.now() >= opens
        # Too early to take them: say from when, rather than offer a button that is refused.
        context["figures_open_on"] = opens if may and timezone.now() < opens else None
    return render(request, "communities/event.html", context, status=400 if overrides else 200)


@login_required
@require_POST
def event_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk)
    going = request.POST.get("going") == "1"
    try:
        rsvp = services.rsvp_answer(event=event, person=request.user, going=going)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(event)
    if rsvp.answer == "going":
        messages.success(request, "You are going; the invitation is in your e-mail.")
    elif rsvp.answer == "waitlisted":
        messages.warning(
            request,
            f"This event is full: all {event.capacity} places are taken. You are number "
            f"{selectors.waitlist_position(rsvp)} on the waitlist; if a place comes free it is "
            "yours and you will get the invitation by e-mail.",
        )
    else:
        messages.success(request, "Noted: you are not going.")
    return redirect(event)


@login_required
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk, manage=True)
    try:
        services.event_cancel(event=event, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "Cancelled; everyone going has been told and their calendars drop it."
        )
    return redirect(event)


@login_required
@require_POST
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk, manage=True)
    listed = services.register_people(event)
    form = AttendanceForm(
        request.POST,
        listed=listed,
        others=selectors.participants(event.community).exclude(pk__in=[p.pk for p in listed]),
    )
    if form.is_valid():
        try:
            services.attendance_record(event=event, by=request.user, present=form.present_ids())
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            counted = event.kind == Event.Kind.TRAINING and event.module_id
            messages.success(
                request,
                "The register is saved, and the training is recorded for everyone there."
                if counted
                else "The register is saved.",
            )
            return redirect(event)
    return event_page(request, event.pk, attendance_form=form)


@login_required
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk)
    response = HttpResponse(event_download_ics(event), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="community-event-{event.pk}.ics"'
    return response


@login_required
@require_POST
def event_figures_take(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk, manage=True)
    try:
        snapshot = services.roundtable_figures_take(event=event, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"The figures are taken over {snapshot.cohort_size} members and kept as they are.",
        )
    return redirect(event)


@login_required
def event_figures_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get_for_user(request.user, pk)
    view = selectors.figures_for(request.user, event, manages=False)
    if view.snapshot is None:
        raise Http404("No figures yet: they are taken at the roundtable.")
    return figures_csv_response(event, view.snapshot.group)


# --- The resource library --------------------------------------------------------------------


@never_cache
@login_required
def resources(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get_for_user(request.user, pk)
    kind = request.GET.get("kind", "")
    topic = parse_id(request.GET["topic"], "topic") if request.GET.get("topic") else None
    return render(
        request,
        "communities/resources.html",
        _context(
            request,
            community,
            page=paginate(request, selectors.resources_of(community, kind=kind, topic=topic)),
            kinds=Resource.Kind.choices,
            kind=kind,
            topic=topic,
            topics=list(selectors.resource_topics(community)),
        ),
    )


@never_cache
@login_required
def resource_create(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get_for_user(request.user, pk)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resource_add(
                community=community,
                by=request.user,
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                url=data["url"],
                upload=data["file"],
                topics=data["topics"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Added to the library.")
            return redirect("communities:resources", community.pk)
    return render(
        request,
        "communities/resource_form.html",
        _context(request, community, form=form),
        status=_bad(request),
    )


@login_required
def resource_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file of the library, for the community's members only: never from a public URL, and
    always as an attachment of the type we recognised, so a browser never runs it."""
    resource = selectors.resource_get_for_user(request.user, pk)
    return file_response(resource)


@login_required
@require_POST
def resource_remove(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user(request.user, pk, manage=True)
    community = resource.community
    services.resource_remove(resource=resource, by=request.user)
    messages.success(request, f"“{resource.title}” is out of the library.")
    return redirect("communities:resources", community.pk)
