"""What the matching app adds to the extension points in ``core.extensions``."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse

from mentorcraft.core.extensions import NextStep, Panel, PeriodicJob, Section, plain_rows
from mentorcraft.core.roles import Role
from mentorcraft.matching import selectors, services
from mentorcraft.matching.forms import ManualMatchForm
from mentorcraft.matching.models import MatchingSettings, MatchRequest, MentorAvailability, Offer
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.people.models import User
from mentorcraft.programmes.access import is_coordinator
from mentorcraft.programmes.models import Programme


def next_steps(user: User) -> list[NextStep]:
    """Offers to answer and requests from mentees: two queries."""
    steps = []
    waiting = Offer.objects.filter(
        Q(mentee=user, mentee_accepted_at__isnull=True)
        | Q(mentor=user, mentor_accepted_at__isnull=True),
        status=Offer.Status.PENDING,
    ).select_related("programme", "mentee__profile", "mentor__profile")
    for offer in waiting:
        other = offer.mentor if offer.mentee_id == user.pk else offer.mentee
        steps.append(
            NextStep(
                title=f"Answer the suggestion to pair with {other.display_name}",
                detail=f"in {offer.programme.name}, by {offer.expires_at:%d %b}",
                url=reverse("matching:offers"),
                kind="match",
                urgency=15,
            )
        )
    requests = MatchRequest.objects.filter(
        mentor=user, status=MatchRequest.Status.OPEN
    ).select_related("mentee__profile", "programme")
    for match_request in requests:
        steps.append(
            NextStep(
                title=f"{match_request.mentee.display_name} asks you to be their mentor",
                detail=f"in {match_request.programme.name}",
                url=reverse("matching:requests"),
                kind="request",
                urgency=15,
            )
        )
    return steps


def coordinator_panel(request: HttpRequest, programme: Programme, roles: set[str]) -> Panel | None:
    if not is_coordinator(request.user, programme):
        return None
    counts = selectors.offer_counts(programme)
    offers = [
        (label, counts[status]) for status, label in Offer.Status.choices if counts.get(status)
    ]
    return Panel("matching/_programme_panel.html", {"offers": offers})


def find_mentor_panel(request: HttpRequest, programme: Programme, roles: set[str]) -> Panel | None:
    """For a mentee of a self-match programme who has no mentor yet and no offer waiting."""
    if Role.MENTEE not in roles:
        return None
    if not MatchingSettings.objects.filter(programme=programme, self_match=True).exists():
        return None
    paired = Mentorship.objects.filter(
        programme=programme, mentee=request.user, status=Mentorship.Status.ACTIVE
    )
    offered = Offer.objects.filter(
        programme=programme, mentee=request.user, status=Offer.Status.PENDING
    )
    if paired.exists() or offered.exists():
        return None
    # Asked someone already: the card says who, and what they answered, instead of offering
    # to find a mentor all over again.
    asked = list(
        MatchRequest.objects.filter(
            programme=programme, mentee=request.user, status=MatchRequest.Status.OPEN
        ).select_related("mentor__profile")
    )
    return Panel("matching/_find_mentor_panel.html", {"asked": asked})


def availability_panel(request: HttpRequest, programme: Programme, roles: set[str]) -> Panel | None:
    if Role.MENTOR not in roles:
        return None
    away = MentorAvailability.objects.filter(
        programme=programme, mentor=request.user, unavailable=True
    ).first()
    return Panel("matching/_availability_panel.html", {"away": away})


def manual_pair_panel(request: HttpRequest, programme: Programme) -> Panel | None:
    """On the programme's list of pairs: the form to make one by hand."""
    if not is_coordinator(request.user, programme):
        return None
    form = ManualMatchForm(
        mentors=selectors.accepted_people(programme, Role.MENTOR),
        mentees=selectors.mentees_without_a_mentor(programme),
    )
    return Panel("matching/_manual_pair_panel.html", {"form": form})


def people_in_offers(user: User) -> Q:
    """The other person of an offer or a request may be read before answering, and after."""
    live = [Offer.Status.PENDING, Offer.Status.ACCEPTED]
    as_mentee = Offer.objects.filter(mentee=user, status__in=live).values("mentor_id")
    as_mentor = Offer.objects.filter(mentor=user, status__in=live).values("mentee_id")
    asked = MatchRequest.objects.filter(
        mentor=user, status__in=[MatchRequest.Status.OPEN, MatchRequest.Status.ACCEPTED]
    ).values("mentee_id")
    return Q(pk__in=as_mentee) | Q(pk__in=as_mentor) | Q(pk__in=asked)


def expire_offers() -> str:
    return f"{services.offers_expire()} offers expired."


EXPIRE_OFFERS = PeriodicJob("expire offers", expire_offers)


# --- A person's data: export, erasure and what holds an erasure back -----------------------------


def personal_data(user: User) -> list[Section]:
    """Offers the person was part of and the requests they sent or received (self-match)."""
    offers = Offer.objects.filter(Q(mentee=user) | Q(mentor=user)).select_related(
        "programme", "mentee__profile", "mentor__profile"
    )
    requests = MatchRequest.objects.filter(Q(mentee=user) | Q(mentor=user)).select_related(
        "programme", "mentee__profile", "mentor__profile"
    )
    return [
        Section(
            "Offers of a pair",
            plain_rows(
                offers,
                {
                    "programme": "programme.name",
                    "mentee": "mentee.display_name",
                    "mentor": "mentor.display_name",
                    "status": "status",
                    "made": "created_at",
                    "reasons": "reasons",
                    "decline reason": "decline_reason",
                },
            ),
        ),
        Section(
            "Requests to a mentor",
            plain_rows(
                requests,
                {
                    "programme": "programme.name",
                    "mentee": "mentee.display_name",
                    "mentor": "mentor.display_name",
                    "status": "status",
                    "sent": "created_at",
                    "note": "note",
                    "decline reason": "decline_reason",
                },
            ),
        ),
    ]


def erasure_holds(user: User) -> list[str]:
    """A pending offer or an open request waits for an answer (or the coordinator withdraws it)."""
    offers = Offer.objects.filter(Q(mentee=user) | Q(mentor=user), status=Offer.Status.PENDING)
    requests = MatchRequest.objects.filter(
        Q(mentee=user) | Q(mentor=user), status=MatchRequest.Status.OPEN
    )
    holds = [
        f"a pending offer of a pair in {offer.programme.name}"
        for offer in offers.select_related("programme")
    ]
    holds += [
        f"an open request to a mentor in {request.programme.name}"
        for request in requests.select_related("programme")
    ]
    return holds
