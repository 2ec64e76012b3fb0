"""Who can be matched now, and for everyone else, what blocks them.

One service for the whole product: match runs, recommendations, manual matches and requests all
ask it. Each rule is a small check function in ``CHECKS``; later parts of the product (training
requirements, for one) add their own check with ``register_check`` instead of editing this file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from mentorcraft.people.models import User
from mentorcraft.programmes.models import (
    Application,
    ApplicationStatus,
    EthicsAcknowledgement,
    Programme,
    Role,
)


@dataclass
class Candidate:
    """One accepted mentor or mentee of a programme, with what stops them being matched."""

    user: User
    role: str
    application: Application
    capacity: int = 1
    load: int = 0
    blockers: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.blockers

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


Check = Callable[[Programme, list[Candidate]], None]
CHECKS: list[Check] = []


def register_check(check: Check) -> Check:
    """Add a rule; it receives every candidate and appends plain-words blockers."""
    CHECKS.append(check)
    return check


@register_check
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
            candidate.blockers.append(
                f"has not signed version {code.version} of the code of ethics"
            )


@register_check
def check_availability(programme: Programme, candidates: list[Candidate]) -> None:
    from mentorcraft.matching.models import MentorAvailability

    away = set(
        MentorAvailability.objects.filter(programme=programme, unavailable=True).values_list(
            "mentor_id", flat=True
        )
    )
    for candidate in candidates:
        if candidate.role == Role.MENTOR and candidate.user.pk in away:
            candidate.blockers.append("has marked themselves unavailable")


@register_check
def check_capacity(programme: Programme, candidates: list[Candidate]) -> None:
    for candidate in candidates:
        if candidate.role == Role.MENTOR and candidate.remaining == 0:
            candidate.blockers.append(
                f"is at capacity ({candidate.load} of {candidate.capacity} mentees)"
            )
        if candidate.role == Role.MENTEE and candidate.load > 0:
            candidate.blockers.append("already has a mentor in this programme")


PairSource = Callable[[Programme], Iterable[tuple[int, int]]]
LOAD_SOURCES: list[PairSource] = []


def register_load(source: PairSource) -> PairSource:
    """Add a source of (mentee id, mentor id) pairs that take a place: pending offers here;
    active mentorships register theirs from the mentorships app."""
    LOAD_SOURCES.append(source)
    return source


@register_load
def pending_offers(programme: Programme) -> Iterable[tuple[int, int]]:
    from mentorcraft.matching.models import Offer

    return Offer.objects.filter(
        programme=programme, status=Offer.Status.PENDING, expires_at__gt=timezone.now()
    ).values_list("mentee_id", "mentor_id")


def _loads(programme: Programme) -> tuple[Counter[int], Counter[int]]:
    mentor_load: Counter[int] = Counter()
    mentee_load: Counter[int] = Counter()
    for source in LOAD_SOURCES:
        for mentee_id, mentor_id in source(programme):
            mentor_load[mentor_id] += 1
            mentee_load[mentee_id] += 1
    return mentor_load, mentee_load


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
    mentor_load, mentee_load = _loads(programme)
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
                )
            )
    everyone = [*mentors, *mentees]
    for check in CHECKS:
        check(programme, everyone)
    return Eligibility(programme=programme, mentors=mentors, mentees=mentees)
