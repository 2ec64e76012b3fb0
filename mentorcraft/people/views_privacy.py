"""Pages for a person's own data: download it, ask to be erased; and the administrators' list
of erasure requests, where they carry one out or refuse it."""

from __future__ import annotations

import datetime
import functools
import json
import re
import zoneinfo

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentorcraft.core.extensions import Section
from mentorcraft.core.pagination import paginate
from mentorcraft.people import privacy
from mentorcraft.people.models import ErasureRequest
from mentorcraft.people.zones import zone_of


def json_download(document: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@functools.cache
def choice_labels() -> dict[tuple[str, str], str]:
    """Every choice code of every model -> its label, for the readable page (the export keeps
    the codes): keyed by (field name, code) and by ("", code). A code that reads differently in
    two places is found by its field's name ("point": "midpoint" is "At the mid-point"); where
    that still differs, it reads as itself, capitalised."""
    found: dict[tuple[str, str], set[str]] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not getattr(field, "choices", None):
                continue
            for code, label in field.flatchoices:
                if isinstance(code, str):
                    found.setdefault((field.name, code), set()).add(str(label))
                    found.setdefault(("", code), set()).add(str(label))
    return {
        key: labels.pop() if len(labels) == 1 else key[1].replace("_", " ").capitalize()
        for key, labels in found.items()
    }


def _pair_names(sections: list[Section]) -> dict[int, str]:
    """Pair id -> "with Meg Smith (Programme)", from the person's own list of pairs."""
    return {
        row["pair"]: f"with {row.get('partner') or privacy.FORMER_PARTICIPANT}"
        + (f" ({row['programme']})" if row.get("programme") else "")
        for section in sections
        if section.title == "Your mentorships"
        for row in section.rows
        if isinstance(row.get("pair"), int)
    }


def readable(
    value: object, zone: zoneinfo.ZoneInfo, label: str = "", pairs: dict[int, str] | None = None
) -> str:
    """One exported value as a person reads it: a moment in their own zone, a date in words,
    a choice by its label, a pair by the other person, yes or no."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(readable(item, zone) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {readable(item, zone)}" for key, item in value.items())
    if label == "pair" and isinstance(value, int):
        return (pairs or {}).get(value, f"Pair {value}")
    if isinstance(value, str):
        try:
            if _ISO_MOMENT.match(value):
                moment = datetime.datetime.fromisoformat(value)
                if timezone.is_naive(moment):
                    moment = timezone.make_aware(moment)
                local = moment.astimezone(zone)
                return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"
            if _ISO_DATE.match(value):
                day = datetime.date.fromisoformat(value)
                return f"{day.day} {day:%B %Y}"
        except ValueError:
            return value
        if _CODE.match(value):
            labels = choice_labels()
            field = label.replace(" ", "_")
            return labels.get((field, value)) or labels.get(("", value), value)
    return str(value)


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything held about the person, as a readable page (read, not exported: only the file
    is recorded as an export). Each row is a list of label and value, stacked on a phone."""
    sections = privacy.data_for_reading(person=request.user, by=request.user)
    zone = zone_of(request.user)
    pairs = _pair_names(sections)
    readable_sections = [
        {
            "title": section.title,
            "note": section.note,
            "rows": [
                [(label, readable(value, zone, label, pairs)) for label, value in row.items()]
                for row in section.rows
            ],
        }
        for section in sections
    ]
    return render(
        request,
        "people/my_data.html",
        {"sections": readable_sections, "exported_at": timezone.now(), "zone": zone},
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
    reason = request.POST.get("reason", "")[:2000] if request.method == "POST" else ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = "Tick the box to confirm that you want to be erased."
        else:
            try:
                privacy.erasure_request_create(person=request.user, reason=reason)
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
            "reason": reason,  # what they typed comes back with the error
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
