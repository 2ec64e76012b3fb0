"""Demo data for the audit log. The seeders' services wrote the entries as they went (every
decision, role, publication, offer and closure); here the entries of the closures the demo
dated back take the dates of those closures, so each programme's log reads as its history."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from mentorcraft.core import audit
from mentorcraft.core.extensions import DemoContext, DemoLogin, DemoSeeder
from mentorcraft.mentorships.models import Closure, Mentorship
from mentorcraft.programmes.access import is_coordinator
from mentorcraft.programmes.models import Programme


def seed(ctx: DemoContext) -> None:
    closed_at = dict(Closure.objects.values_list("mentorship_id", "created_at"))
    closures = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Mentorship),
        additional_data__action="mentorship closed",
    )
    for entry in closures:
        if entry.object_id in closed_at:
            LogEntry.objects.filter(pk=entry.pk).update(timestamp=closed_at[entry.object_id])


def _reads_a_log(user) -> bool:  # noqa: ANN001
    return any(
        is_coordinator(user, programme) and audit.for_programme(programme).count() >= 5
        for programme in Programme.objects.all()
    )


SEEDER = DemoSeeder("audit log", seed)
LOGINS = [
    DemoLogin(
        "coordinator",
        "Coordinator",
        "Priya Raman",
        "read who decided, granted, published, offered and closed what, and when "
        "(a programme › Audit log)",
        _reads_a_log,
    ),
]
