"""Private notes: only their author ever reads them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mentorcraft.mentorships import selectors, services
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.mentorships.views.pairs import notes_page, pair_page


def _notes_panel(request: HttpRequest, mentorship: Mentorship, **extra: object) -> HttpResponse:
    return render(
        request,
        "mentorships/_private_notes.html",
        {
            "mentorship": mentorship,
            "private_notes": notes_page(request, mentorship),
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
        return pair_page(request, mentorship, note_error=error, typed=typed)
    return redirect(mentorship.get_absolute_url() + "#private-notes")


@login_required
def private_note_edit(request: HttpRequest, note_pk: int) -> HttpResponse:
    note = selectors.private_note_get_for_user(request.user, note_pk)
    mentorship = selectors.mentorship_get_for_user(request.user, note.mentorship_id)
    error = None
    text = note.text
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            services.private_note_update(note=note, by=request.user, text=text)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Note saved.")
            return redirect(mentorship.get_absolute_url() + "#private-notes")
    return render(
        request,
        "mentorships/private_note_form.html",
        {
            "mentorship": mentorship,
            "programme": mentorship.programme,
            "note": note,
            "text": text,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def private_note_delete(request: HttpRequest, note_pk: int) -> HttpResponse:
    note = selectors.private_note_get_for_user(request.user, note_pk)
    mentorship_url = note.mentorship.get_absolute_url()
    services.private_note_delete(note=note, by=request.user)
    messages.success(request, "Note deleted.")
    return redirect(mentorship_url + "#private-notes")
