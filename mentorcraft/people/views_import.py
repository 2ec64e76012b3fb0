"""The import page: administrators bring the organisation's record of its people in from CSV."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mentorcraft.core.pagination import paginate
from mentorcraft.people import imports
from mentorcraft.people.forms import PeopleImportForm
from mentorcraft.people.models import User

EXAMPLE = (
    "email,full name,job title,team,location,line manager email\n"
    "ana.patel@example.org,Ana Patel,Staff Nurse,Nursing,Leeds,rosa.delgado@example.org\n"
)


def _digest(text: str) -> str:
    """The rows' fingerprint, whatever line ends the browser sends them back with."""
    plain = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(plain.encode()).hexdigest()


def _allowed(user: User) -> None:
    if not imports.may_import_people(user):
        raise PermissionDenied("Only administrators import the organisation's record of people.")


@login_required
def people_import(request: HttpRequest) -> HttpResponse:
    """Check first (nothing is kept), then import: all or nothing, with every wrong row named."""
    _allowed(request.user)
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    file_name = digest = ""
    if request.method == "POST" and form.is_valid():
        check_only = "import" not in request.POST
        upload = form.cleaned_data.get("file")
        text = form.cleaned_data["csv"]
        # After a check of a file its rows come back in the box, with the file's name beside
        # them; the name stays only while the rows are the file's own (not edited since).
        kept = request.POST.get("file_name", "")[:200]
        if kept and request.POST.get("file_digest") != _digest(text):
            kept = ""
        file_name = upload.name[:200] if upload else kept
        result = imports.people_import(
            text=text, by=request.user, check_only=check_only, file_name=file_name
        )
        if result.applied:
            messages.success(
                request,
                f"Imported: {result.changed} of {result.rows} "
                f"{'person' if result.rows == 1 else 'people'} changed, "
                f"{result.managers_set} line manager{'s' if result.managers_set != 1 else ''} "
                "put on record.",
            )
            return redirect("people:import")
        # Checked, or refused: the rows come back in the box, ready to correct or to import.
        form = PeopleImportForm(initial={"text": text})
        status = 400 if result.errors else 200
        digest = _digest(text)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "people/import.html",
        {
            "form": form,
            "result": result,
            "file_name": file_name if result is not None else "",
            "file_digest": digest,
            "recent": paginate(request, imports.imports_recent()),
            "example": EXAMPLE,
            "max_rows": imports.MAX_ROWS,
        },
        status=status,
    )
