"""The import page: administrators bring the organisation's record of its people in from CSV."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mentorcraft.people import imports
from mentorcraft.people.forms import PeopleImportForm
from mentorcraft.people.models import User

EXAMPLE = (
    "email,full name,job title,team,location,line manager email\n"
    "ana.patel@example.org,Ana Patel,Staff Nurse,Nursing,Leeds,rosa.delgado@example.org\n"
)


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
    if request.method == "POST" and form.is_valid():
        check_only = "import" not in request.POST
        upload = form.cleaned_data.get("file")
        result = imports.people_import(
            text=form.cleaned_data["csv"],
            by=request.user,
            check_only=check_only,
            file_name=upload.name if upload else request.POST.get("file_name", "")[:200],
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
        form = PeopleImportForm(initial={"text": form.cleaned_data["csv"]})
        status = 400 if result.errors else 200
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "people/import.html",
        {
            "form": form,
            "result": result,
            "file_name": (request.FILES.get("file").name if request.FILES.get("file") else "")
            or request.POST.get("file_name", ""),
            "recent": imports.imports_recent(),
            "example": EXAMPLE,
            "max_rows": imports.MAX_ROWS,
        },
        status=status,
    )
