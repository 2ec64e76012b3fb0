"""Who can be matched now, and for everyone else, what blocks them.

One service for the whole product: match runs, recommendations, manual matches and requests all
ask it. Each rule is a small check function in ``core.extensions.eligibility_checks``; later
parts of the product (training requirements, for one) register their own check from their
``AppConfig.ready()`` instead of editing this file. What takes a mentor's place comes from
``core.extensions.load_sources``: pending offers here, active mentorships from that app.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from mentorcraft.core.extensions import eligibility_checks, load_sources
from mentorcraft.matching.engine import Reason
from mentorcraft.matching.models import MentorAvailability, Offer
from mentorcraft.people.models import User
from mentorcraft.programmes.models import (
    Application,
    ApplicationStatus,
    EthicsAcknowledgement,
    Programme,
    Role,
)


class Blocker(Reason):
    """Why a person cannot be matched yet: the words people read, with a ``code`` for code to
    decide on (``ethics``, ``unavailable``, ``at_capacity``, ``has_mentor``, ``has_offer``, ...)."""


@dataclass
class Candidate:
    """One accepted mentor or mentee of a programme, with what stops them being matched."""

    user: User
    role: str
    application: Application
    capacity: int = 1
    load: int = 0
    # Of the load, how much is offers still waiting for answers (the rest is mentorships).
    offers: int = 0
    blockers: list[Blocker] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.blockers

    def block(self, code: str, text: str) -> None:
        self.blockers.append(Blocker(code, text))

    @property
    def blocker_codes(self) -> list[str]:
        return [b.code for b in self.blockers]

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.load)


@dataclass
class Eligibility:
    programme: Programme
    mentors: list[Candidate]
    mentees: list[Candidate]

    def eligible_mentors(self) -> list[Candidate]:
        return [c for c in self.mentors if c.eligible]

    def eligible_mentees(self) -> list[Candidate]:
        return [c for c in self.mentees if c.eligible]

    def blocked(self) -> list[Candidate]:
        return [c for c in [*self.mentees, *self.mentors] if not c.eligible]

    def get(self, user_id: int, role: str) -> Candidate | None:
        pool = self.mentors if role == Role.MENTOR else self.mentees
        return next((c for c in pool if c.user.pk == user_id), None)


def check_ethics(programme: Programme, candidates: list[Candidate]) -> None:
    code = programme.current_ethics()
    if code is None:
        return
    signed = set(
        EthicsAcknowledgement.objects.filter(
            code=code, user_id__in=[c.user.pk for c in candidates]
        ).values_list("user_id", flat=True)
    )
    for candidate in candidates:
        if candidate.user.pk not in signed:
            candidate.block(
                "ethics", f"has not signed version {code.version} of the code of ethics"
            )


def check_availability(programme: Programme, candidates: list[Candidate]) -> None:
    away = set(
        MentorAvailability.objects.filter(programme=programme, unavailable=True).values_list(
            "mentor_id", flat=True
        )
    )
    for candidate in candidates:
        if candidate.role == Role.MENTOR and candidate.user.pk in away:
            candidate.block("unavailable", "has marked themselves unavailable")


def check_capacity(programme: Programme, candidates: list[Candidate]) -> None:
    for candidate in candidates:
        if candidate.role == Role.MENTOR and candidate.remaining == 0:
            candidate.block(
                "at_capacity", f"is at capacity ({candidate.load} of {candidate.capacity} mentees)"
            )
        if candidate.role == Role.MENTEE and candidate.load > candidate.offers:
            candidate.block("has_mentor", "already has a mentor in this programme")
        elif candidate.role == Role.MENTEE and candidate.offers > 0:
            candidate.block("has_offer", "has an offer waiting for an answer")


def pending_offers(programme: Programme) -> Iterable[tuple[int, int]]:
    """Offers waiting for answers hold the mentor's place and the mentee."""
    return Offer.objects.filter(
        programme=programme, status=Offer.Status.PENDING, expires_at__gt=timezone.now()
    ).values_list("mentee_id", "mentor_id")


def _loads(programme: Programme) -> tuple[Counter[int], Counter[int], Counter[int]]:
    """Places taken per mentor and per mentee, and per mentee how many are pending offers."""
    mentor_load: Counter[int] = Counter()
    mentee_load: Counter[int] = Counter()
    mentee_offers: Counter[int] = Counter()
    for source in load_sources:
        for mentee_id, mentor_id in source(programme):
            mentor_load[mentor_id] += 1
            mentee_load[mentee_id] += 1
            if source is pending_offers:
                mentee_offers[mentee_id] += 1
    return mentor_load, mentee_load, mentee_offers


def programme_eligibility(programme: Programme) -> Eligibility:
    applications = (
        Application.objects.filter(
            programme=programme,
            status=ApplicationStatus.ACCEPTED,
            role__in=[Role.MENTOR, Role.MENTEE],
        )
        .select_related("applicant__profile")
        .filter(Q(applicant__is_active=True))
        .order_by("applicant__profile__full_name")
    )
    mentor_load, mentee_load, mentee_offers = _loads(programme)
    mentors: list[Candidate] = []
    mentees: list[Candidate] = []
    for application in applications:
        user = application.applicant
        if application.role == Role.MENTOR:
            mentors.append(
                Candidate(
                    user=user,
                    role=Role.MENTOR,
                    application=application,
                    capacity=application.mentee_capacity or programme.mentor_capacity_default,
                    load=mentor_load.get(user.pk, 0),
                )
            )
        else:
            mentees.append(
                Candidate(
                    user=user,
                    role=Role.MENTEE,
                    application=application,
                    capacity=1,
                    load=mentee_load.get(user.pk, 0),
                    offers=mentee_offers.get(user.pk, 0),
                )
            )
    everyone = [*mentors, *mentees]
    for check in eligibility_checks:
        check(programme, everyone)
    return Eligibility(programme=programme, mentors=mentors, mentees=mentees)
