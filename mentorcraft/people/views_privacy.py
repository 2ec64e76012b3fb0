"""Pages for a person's own data: download it, ask to be erased; and the administrators' list
of erasure requests, where they carry one out or refuse it."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentorcraft.core.pagination import paginate
from mentorcraft.people import privacy
from mentorcraft.people.models import ErasureRequest


def json_download(document: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _readable(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_readable(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_readable(item)}" for key, item in value.items())
    return str(value)


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything held about the person, as a readable page."""
    sections = privacy.data_export(person=request.user, by=request.user)
    tables = [
        {
            "title": section.title,
            "note": section.note,
            "labels": list(section.rows[0]) if section.rows else [],
            "rows": [[_readable(value) for value in row.values()] for row in section.rows],
        }
        for section in sections
    ]
    return render(
        request, "people/my_data.html", {"sections": tables, "exported_at": timezone.now()}
    )


@login_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    sections = privacy.data_export(person=request.user, by=request.user)
    document = privacy.export_document(request.user, sections)
    return json_download(document, f"mentorcraft-my-data-{timezone.localdate():%Y-%m-%d}.json")


@login_required
def erasure_ask(request: HttpRequest) -> HttpResponse:
    """What erasure does and the retention rule; then the confirm step."""
    open_request = ErasureRequest.objects.filter(
        person=request.user, status=ErasureRequest.Status.REQUESTED
    ).first()
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = "Tick the box to confirm that you want to be erased."
        else:
            try:
                privacy.erasure_request_create(
                    person=request.user, reason=request.POST.get("reason", "")[:2000]
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(
                    request, "Your request is with the administrators; they will tell you."
                )
                return redirect("people:erasure_ask")
    return render(
        request,
        "people/erasure_ask.html",
        {
            "open_request": open_request,
            "holds": privacy.erasure_holds_for(request.user),
            "past": ErasureRequest.objects.filter(person=request.user).exclude(
                status=ErasureRequest.Status.REQUESTED
            ),
            "error": error,
        },
        status=422 if error else 200,
    )


@login_required
def erasure_requests(request: HttpRequest) -> HttpResponse:
    """Administrators: every request, open first, with the retention check for the open ones."""
    page = paginate(request, privacy.erasure_requests_for_admin(request.user))
    # The retention check runs for the open requests only: a handful at any time.
    for erasure in page:
        erasure.holds = (
            privacy.erasure_holds_for(erasure.person)
            if erasure.status == ErasureRequest.Status.REQUESTED
            else []
        )
    return render(request, "people/erasure_requests.html", {"requests": page})


@login_required
def erasure_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirm step for one request: what will go, what stays, and whether anything holds
    it back."""
    erasure = privacy.erasure_request_get_for_user(request.user, pk)
    return render(
        request,
        "people/erasure_request.html",
        {"erasure": erasure, "holds": privacy.erasure_holds_for(erasure.person)},
    )


@login_required
@require_POST
def erasure_carry_out(request: HttpRequest, pk: int) -> HttpResponse:
    erasure = privacy.erasure_request_get_for_user(request.user, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm the erasure.")
        return redirect("people:erasure_request", pk=erasure.pk)
    try:
        privacy.person_erase(person=erasure.person, by=request.user, erasure=erasure)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("people:erasure_request", pk=erasure.pk)
    messages.success(request, "Erased: they are now “A former participant”.")
    return redirect("people:erasure_requests")


@login_required
@require_POST
def erasure_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    erasure = privacy.erasure_request_get_for_user(request.user, pk)
    try:
        privacy.erasure_refuse(erasure=erasure, by=request.user, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("people:erasure_request", pk=erasure.pk)
    messages.success(request, "Request refused; the person reads your note.")
    return redirect("people:erasure_requests")
