"""Recognition pages: thin views over the selectors (who may see what) and the services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mentorcraft.core.forms import form_add_service_errors
from mentorcraft.core.ids import parse_id
from mentorcraft.core.pagination import paginate
from mentorcraft.mentorships.selectors import mentorship_get_for_user
from mentorcraft.programmes.access import is_coordinator
from mentorcraft.recognition import rules, selectors, services
from mentorcraft.recognition.forms import ThanksForm, VerifyForm
from mentorcraft.recognition.models import Certificate


def _initial_recipient(request: HttpRequest, recipients: list[selectors.Recipient]) -> str:
    """The person the link that led here named: ``?mentorship=`` (a pair's page, the Mentoring
    Day prompt) or ``?to=<programme>-<person>`` (a coordinator's list)."""
    raw = request.GET.get("mentorship", "")
    if raw:
        pk = parse_id(raw, "mentorship")
        for r in recipients:
            if r.mentorship is not None and r.mentorship.pk == pk:
                return r.key
    wanted = request.GET.get("to", "")
    return wanted if any(r.key == wanted for r in recipients) else ""


@login_required
def thank(request: HttpRequest) -> HttpResponse:
    recipients = selectors.recipients_for(request.user)
    if not recipients:
        raise PermissionDenied(
            "You can thank your mentor once you have one; coordinators thank the people who "
            "mentor, coach or supervise in their programme."
        )
    initial = {}
    if request.method != "POST" and (key := _initial_recipient(request, recipients)):
        initial["recipient"] = key
    form = ThanksForm(request.POST or None, recipients=recipients, initial=initial)
    if request.method == "POST" and form.is_valid():
        recipient = form.cleaned_data["recipient"]
        try:
            note, created = services.thanks_send(
                sender=request.user,
                recipient=recipient.person,
                programme=recipient.programme,
                mentorship=recipient.mentorship,
                message=form.cleaned_data["message"],
                token=form.cleaned_data["token"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Your thanks is on its way to {note.recipient.display_name}."
                if created
                else f"You had already sent this to {note.recipient.display_name}; it went once.",
            )
            return redirect(note)
    return render(
        request,
        "recognition/thank.html",
        {
            "form": form,
            "mentoring_day": rules.mentoring_day_window(timezone.localdate()) is not None,
            "day": rules.mentoring_day(timezone.localdate().year),
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = selectors.note_get_for_user(request.user, pk)
    return render(
        request,
        "recognition/note_detail.html",
        {
            "note": note,
            "programme": note.programme,
            "is_recipient": note.recipient_id == request.user.pk,
            "is_sender": note.sender_id == request.user.pk,
        },
    )


@login_required
@require_POST
def note_share(request: HttpRequest, pk: int) -> HttpResponse:
    note = selectors.note_get_for_user(request.user, pk, share=True)
    shown = request.POST.get("shown") == "1"
    services.thanks_show_to_coordinators(note=note, by=request.user, shown=shown)
    messages.success(
        request,
        f"The coordinators of {note.programme.name} can read this note now."
        if shown
        else "Only you and the sender read this note now.",
    )
    return redirect(note)


@never_cache
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """Thanks received and sent, and one's certificates."""
    services.certificates_issue(people=[request.user.pk])
    return render(
        request,
        "recognition/mine.html",
        {
            "received": paginate(
                request, selectors.thanks_received(request.user), param="received"
            ),
            "sent": paginate(request, selectors.thanks_sent(request.user), param="sent"),
            "certificates": list(selectors.certificates_of(request.user)),
            "can_thank": bool(selectors.recipients_for(request.user)),
        },
    )


@never_cache
@login_required
def record(request: HttpRequest) -> HttpResponse:
    """A person's own record of mentoring: printable."""
    services.certificates_issue(people=[request.user.pk])
    return render(
        request,
        "recognition/record.html",
        {"record": selectors.record_of(request.user), "rules": rules},
    )


@never_cache
@login_required
def certificate(request: HttpRequest, reference: str) -> HttpResponse:
    found = selectors.certificate_get_for_user(request.user, reference)
    services.certificate_open(certificate=found, by=request.user)
    return render(
        request,
        "recognition/certificate.html",
        {
            "certificate": found,
            "programme": found.programme,
            "is_holder": found.holder_id == request.user.pk,
            "rules": rules,
            "site_url": settings.SITE_URL,
        },
    )


@login_required
def mentorship_certificate(request: HttpRequest, pk: int, holder_as: str) -> HttpResponse:
    """From a pair's page: the mentor's or the mentee's certificate of this mentorship, issued
    if it is due and not issued yet."""
    mentorship = mentorship_get_for_user(request.user, pk)
    if holder_as not in Certificate.As.values:
        raise Http404("No such certificate.")
    holder_id = mentorship.mentor_id if holder_as == Certificate.As.MENTOR else mentorship.mentee_id
    if request.user.pk != holder_id and not is_coordinator(request.user, mentorship.programme):
        raise PermissionDenied(
            "A certificate is read by its holder and the programme's coordinators."
        )
    if not selectors.is_finished(mentorship):
        raise PermissionDenied(
            "A certificate of completion comes when a mentorship has run its course: closed as "
            "planned, from a month before its end date. This one has not."
        )
    services.certificates_issue(people=[holder_id])
    found = selectors.certificate_of(mentorship, holder_id)
    if found is None:
        raise Http404("No such certificate.")
    return redirect(found)


@login_required
def verify_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("recognition:verify", form.cleaned_data["reference"])
    return render(
        request, "recognition/verify_form.html", {"form": form}, status=400 if request.GET else 200
    )


@never_cache
@login_required
def verify(request: HttpRequest, reference: str) -> HttpResponse:
    found = selectors.certificate_get_for_user(request.user, reference)
    return render(
        request,
        "recognition/verify.html",
        {"certificate": found, "programme": found.programme},
    )


@never_cache
@login_required
def programme_recognition(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinators' view: how many notes each person received (never what they say),
    the notes people chose to show them, and the certificates issued."""
    programme = selectors.programme_for_coordinator(request.user, pk)
    services.certificates_issue(
        people=list(programme.roles.values_list("user_id", flat=True).distinct())
    )
    return render(
        request,
        "recognition/programme.html",
        {
            "programme": programme,
            "counts": paginate(request, selectors.thanks_counts(programme)),
            "totals": selectors.thanks_totals(programme),
            "shown": paginate(
                request, selectors.notes_shown_to_coordinators(programme), param="shown"
            ),
            "certificates": paginate(
                request, selectors.certificates_in(programme), param="certificates"
            ),
            "can_thank": bool(selectors.recipients_for(request.user)),
        },
    )
