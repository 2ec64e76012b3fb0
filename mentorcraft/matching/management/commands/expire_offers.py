from __future__ import annotations

from django.core.management.base import BaseCommand

from mentorcraft.matching.services import offers_expire


class Command(BaseCommand):
    help = "Mark match offers past their answer-by date as expired (safe to run every few minutes)."

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        self.stdout.write(f"{offers_expire()} offers expired.")
