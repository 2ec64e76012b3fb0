"""What communities send that is not a page: a roundtable's group figures as CSV, and a file
of the library, for the pages and the API alike."""

from __future__ import annotations

import csv

from django.http import FileResponse, Http404, HttpResponse

from mentorcraft.communities import roundtables
from mentorcraft.communities.models import Event, Resource


def figures_csv_response(event: Event, group: list[dict]) -> HttpResponse:
    """The group's figures of a roundtable as CSV (never anyone's own)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roundtable-{event.pk}-group.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["measure", "unit", "contributors", "median", "lower quartile", "upper quartile", "note"]
    )
    for row in roundtables.rows(group):
        writer.writerow(
            [
                row.measure.label,
                row.measure.unit,
                row.contributors,
                "" if row.median is None else row.median,
                "" if row.q1 is None else row.q1,
                "" if row.q3 is None else row.q3,
                row.why_not,
            ]
        )
    return response


def file_response(resource: Resource) -> FileResponse:
    if not resource.is_file:
        raise Http404("This resource is a link, not a file.")
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from the library's storage.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=resource.file_name or f"resource-{resource.pk}",
        content_type=resource.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
