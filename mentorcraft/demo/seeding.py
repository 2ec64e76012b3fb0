"""Running the demo seeders, and the demo logins to print."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from mentorcraft.core.extensions import DemoContext, DemoLogin, demo_logins, demo_seeders
from mentorcraft.demo.people import DEMO_DOMAIN, SEED
from mentorcraft.people.models import User


def seed_demo() -> DemoContext:
    """Every registered seeder in order, sharing one context (and one random generator)."""
    ctx = DemoContext(rng=random.Random(SEED), today=timezone.localdate())
    for seeder in demo_seeders:
        seeder.seed(ctx)
    return ctx


def demo_present() -> bool:
    return User.objects.filter(email=f"coordinator@{DEMO_DOMAIN}").exists()


@dataclass(frozen=True)
class Account:
    """One demo account with every hint the apps gave for it."""

    email: str
    role: str
    name: str
    hints: list[DemoLogin]

    @property
    def hint(self) -> str:
        text = "; ".join(login.hint for login in self.hints)
        return text[:1].upper() + text[1:]


def demo_accounts() -> list[Account]:
    """The demo accounts in the order their first hint was registered."""
    by_key: dict[str, list[DemoLogin]] = defaultdict(list)
    for login in demo_logins:
        by_key[login.key].append(login)
    return [
        Account(email=f"{key}@{DEMO_DOMAIN}", role=hints[0].role, name=hints[0].name, hints=hints)
        for key, hints in by_key.items()
    ]
