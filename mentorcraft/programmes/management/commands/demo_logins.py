from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from mentorcraft.programmes.demo import DEMO_DOMAIN, DEMO_LOGINS, DEMO_PASSWORD, demo_present


class Command(BaseCommand):
    help = "Print the demo logins and what to try with each."

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        if not demo_present():
            self.stdout.write("No demo data in this database (run `manage.py seed_demo`).")
            return
        self.stdout.write("")
        self.stdout.write(f"Mentorcraft is at {settings.SITE_URL}/")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(f"{key}@{DEMO_DOMAIN}") for key, *_ in DEMO_LOGINS)
        for key, role, name, hint in DEMO_LOGINS:
            email = f"{key}@{DEMO_DOMAIN}"
            self.stdout.write(f"  {role:<13} {email:<{width}}  {name:<18} {hint}")
        self.stdout.write("")
