from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from mentorcraft.core.extensions import periodic_jobs


class Command(BaseCommand):
    help = (
        "Run the periodic jobs that the apps register (expiring offers, reminders, ...) once, "
        "for cron, or every --every seconds until stopped (`make run` does this)."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every this many seconds (0: run once)."
        )

    def handle(self, *args, every: int = 0, **options) -> None:  # noqa: ANN002, ANN003
        while True:
            for job in periodic_jobs:
                try:
                    self.stdout.write(f"{job.name}: {job.run()}")
                except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
                    self.stderr.write(f"{job.name} failed: {exc!r}")
            if every <= 0:
                return
            time.sleep(every)
