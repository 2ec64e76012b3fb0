"""A programme's audit log, for its coordinators (admins read every programme's in the admin).

The page only reads: nothing here, or anywhere in the app, changes or deletes an entry."""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from mentorcraft.core import audit
from mentorcraft.core.pagination import paginate
from mentorcraft.programmes import selectors
from mentorcraft.programmes.models import Role

READ_MESSAGE = "Only this programme's coordinators read its audit log."


def links(rows: Iterable[LogEntry]) -> dict[int, str]:
    """Entry id -> the page of the record it is about, where the record has one: one query per
    kind of record on the page, whatever the number of rows."""
    rows = list(rows)
    wanted: dict[int, set[int]] = {}
    for row in rows:
        if row.object_id is not None:
            wanted.setdefault(row.content_type_id, set()).add(row.object_id)
    urls: dict[tuple[int, int], str] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        if model._meta.label_lower == "people.user":
            urls.update({(type_id, pk): reverse("people:profile", args=[pk]) for pk in ids})
        elif hasattr(model, "get_absolute_url"):
            for record in model._base_manager.filter(pk__in=ids):
                urls[(type_id, record.pk)] = record.get_absolute_url()
    return {
        row.pk: urls[(row.content_type_id, row.object_id)]
        for row in rows
        if (row.content_type_id, row.object_id) in urls
    }


@login_required
def programme_audit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_for_role(request.user, pk, {Role.COORDINATOR}, READ_MESSAGE)
    page = paginate(request, audit.for_programme(programme))
    urls = links(page.object_list)
    entries = [(audit.entry_of(row), urls.get(row.pk)) for row in page.object_list]
    return render(
        request,
        "programmes/audit.html",
        {"programme": programme, "page": page, "entries": entries},
    )
