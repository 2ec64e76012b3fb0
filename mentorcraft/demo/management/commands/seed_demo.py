from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from mentorcraft.demo.seeding import demo_present, seed_demo
from mentorcraft.notifications.services import email_muted
from mentorcraft.people.models import User


class Command(BaseCommand):
    help = "Load the demo organisation (Northwind Health). Safe to run again: it changes nothing."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only seed when the database has no users at all (used by `make run`).",
        )

    def handle(self, *args, if_empty: bool = False, **options) -> None:  # noqa: ANN002, ANN003
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has people; demo data not loaded.")
            return
        if demo_present():
            self.stdout.write("Demo data is already loaded; nothing to do.")
            return
        started = time.monotonic()
        # The demo's events (applications, decisions, new codes of ethics) would each email
        # someone; nobody should get mail from made-up history.
        with email_muted(), transaction.atomic():
            seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo organisation loaded: {User.objects.count()} people, "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
