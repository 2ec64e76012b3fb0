from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

# The jobs that must run every few minutes. Each is idempotent: running it twice, or on two
# machines at once, does no harm.
JOBS = ["expire_offers", "send_reminders"]


class Command(BaseCommand):
    help = (
        "Run the periodic jobs once (for cron), or every --every seconds until stopped "
        "(`make run` does this for development)."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every this many seconds (0: run once)."
        )

    def handle(self, *args, every: int = 0, **options) -> None:  # noqa: ANN002, ANN003
        while True:
            for job in JOBS:
                try:
                    call_command(job, stdout=self.stdout, stderr=self.stderr)
                except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
                    self.stderr.write(f"{job} failed: {exc!r}")
            if every <= 0:
                return
            time.sleep(every)
