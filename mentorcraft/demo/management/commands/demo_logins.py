from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from mentorcraft.demo.people import DEMO_PASSWORD
from mentorcraft.demo.seeding import demo_accounts, demo_present


class Command(BaseCommand):
    help = "Print where Mentorcraft runs, the demo logins and what to try with each."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--url",
            default="",
            help="The address the server runs on (`make run` passes its HOST and PORT); "
            "SITE_URL when not given.",
        )

    def handle(self, *args, url: str = "", **options) -> None:  # noqa: ANN002, ANN003
        if not demo_present():
            self.stdout.write("No demo data in this database (run `manage.py seed_demo`).")
            return
        accounts = demo_accounts()
        self.stdout.write("")
        self.stdout.write(f"Mentorcraft is at {(url or settings.SITE_URL).rstrip('/')}/")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(account.email) for account in accounts)
        for account in accounts:
            self.stdout.write(
                f"  {account.role:<13} {account.email:<{width}}  {account.name:<18} {account.hint}"
            )
        self.stdout.write("")
