from __future__ import annotations

from django.core.management.base import BaseCommand

from mentorcraft.mentorships.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send the mentorship reminders that are due: meetings, logging, pulses, feedback, quiet "
        "pairs, mid-point and closure. Safe to run every few minutes; never sends one twice."
    )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        sent = send_reminders()
        if not sent:
            self.stdout.write("No reminders due.")
        for kind, count in sorted(sent.items()):
            self.stdout.write(f"{count} × {kind}")
