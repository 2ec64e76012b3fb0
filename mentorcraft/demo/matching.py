"""The demo's matching, through the matching services: two runs to compare and offers in every
state in the Cross-Professional programme (one of them waiting for the two demo logins who asked
to work together), self-match switched on with a request waiting for the demo mentor, and the
running programme's people paired."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from mentorcraft.core.extensions import DemoContext, DemoLogin, DemoSeeder
from mentorcraft.matching import services as matching
from mentorcraft.matching.models import MatchingSettings, MatchRequest, MatchRun, Offer, PairRule
from mentorcraft.matching.runs import match_run_execute
from mentorcraft.mentorships.services import mentorship_create
from mentorcraft.people.models import User
from mentorcraft.programmes.models import Role

REQUEST_NOTE = (
    "I am moving from the wards into a digital project; you made that jump. Could we talk about "
    "how you planned it?"
)


def _accepted(programme, role: str) -> list[User]:  # noqa: ANN001
    return list(
        User.objects.filter(
            applications__programme=programme,
            applications__role=role,
            applications__status="accepted",
        ).order_by("pk")
    )


def seed_matching_programme(ctx: DemoContext) -> None:
    programme = ctx.programmes["matching"]
    coordinator = ctx.people["coordinator"]
    matchmentee, matchmentor = ctx.people["matchmentee"], ctx.people["matchmentor"]
    # Mentees of the matching programme may also choose for themselves.
    matching.matching_settings_update(
        programme=programme,
        by=coordinator,
        self_match=True,
        max_open_requests=2,
        offer_expiry_days=7,
    )
    # Ruth and Henrik asked to work together: the coordinator locked the pair before the runs.
    matching.pair_rule_set(
        programme=programme,
        by=coordinator,
        mentee=matchmentee,
        mentor=matchmentor,
        kind=PairRule.Kind.LOCK,
        note="They met at the leadership day and asked to be paired.",
    )
    runs = []
    for mode, weights in (
        ("optimal", {}),
        ("stable", {"topics": 5, "preferences": 2, "experience": 1, "timezone": 2}),
    ):
        run = MatchRun.objects.create(
            programme=programme,
            mode=mode,
            weights=matching.clean_weights(weights),
            created_by=coordinator,
        )
        runs.append(match_run_execute(run_id=run.pk))
    # The other demo logins of this programme are left free, for a visitor to match them.
    free = [ctx.people[k].pk for k in ("matchmentee", "matchmentor", "chooser", "mentor")]
    proposals = list(
        runs[0]
        .proposals.exclude(mentee_id__in=free)
        .exclude(mentor_id__in=free)
        .order_by("-score")[:6]
    )
    offers = matching.offers_publish(
        run=runs[0], by=coordinator, proposal_ids=[p.pk for p in proposals]
    ).offers
    # Offers in every state: both accepted, one side accepted, declined, expired, withdrawn.
    if len(offers) >= 5:
        matching.offer_respond(offer=offers[0], by=offers[0].mentee, accept=True)
        matching.offer_respond(offer=offers[0], by=offers[0].mentor, accept=True)
        matching.offer_respond(offer=offers[1], by=offers[1].mentee, accept=True)
        matching.offer_respond(
            offer=offers[2],
            by=offers[2].mentor,
            accept=False,
            reason="I start a secondment in January; please pair them with someone else.",
        )
        Offer.objects.filter(pk=offers[3].pk).update(status=Offer.Status.EXPIRED)
        Offer.objects.filter(pk=offers[4].pk).update(
            status=Offer.Status.WITHDRAWN, decline_reason="Withdrawn after a change of role."
        )
    # The locked pair's offer waits for both demo logins to answer.
    locked = runs[0].proposals.filter(mentee=matchmentee, mentor=matchmentor)
    matching.offers_publish(run=runs[0], by=coordinator, proposal_ids=[p.pk for p in locked])
    # A mentee has asked the demo mentor directly (self-match).
    taken = set(Offer.objects.filter(programme=programme).values_list("mentee_id", flat=True))
    for mentee in _accepted(programme, Role.MENTEE):
        if mentee.pk in taken or mentee.pk in free:
            continue
        try:
            matching.match_request_create(
                programme=programme, mentee=mentee, mentor=ctx.people["mentor"], note=REQUEST_NOTE
            )
        except ValidationError:
            continue  # not a possible pair (no shared language, say): ask with the next one
        break


def seed_running_pairs(ctx: DemoContext) -> None:
    """The running programme's mentors and mentees in pairs, the demo mentor and mentee first
    (their history comes from the mentorships seeder)."""
    running = ctx.programmes["running"]
    coordinator = ctx.people["coordinator"]
    demo_mentor, demo_mentee = ctx.people["mentor"], ctx.people["mentee"]
    mentorship_create(programme=running, mentor=demo_mentor, mentee=demo_mentee, by=coordinator)
    mentees = [m for m in _accepted(running, Role.MENTEE) if m != demo_mentee]
    slots = [m for m in _accepted(running, Role.MENTOR) if m != demo_mentor for _ in range(2)]
    for mentee, mentor in zip(mentees, slots, strict=False):
        try:
            mentorship_create(programme=running, mentor=mentor, mentee=mentee, by=coordinator)
        except ValidationError:
            continue  # a rule (capacity, say) keeps this one unpaired, as in real life


def seed(ctx: DemoContext) -> None:
    seed_matching_programme(ctx)
    seed_running_pairs(ctx)


def _has_offer_to_answer(user: User) -> bool:
    pending = Offer.objects.filter(status=Offer.Status.PENDING)
    return (
        pending.filter(mentee=user, mentee_accepted_at__isnull=True).exists()
        or pending.filter(mentor=user, mentor_accepted_at__isnull=True).exists()
    )


def _can_choose_a_mentor(user: User) -> bool:
    for settings in MatchingSettings.objects.filter(self_match=True).select_related("programme"):
        if matching.recommendations_for(settings.programme, user):
            return True
    return False


SEEDER = DemoSeeder("matching", seed)
LOGINS = [
    DemoLogin(
        "mentor",
        "Mentor",
        "Tomasz Nowak",
        "answer a mentee's request (Cross-Professional)",
        lambda user: MatchRequest.objects.filter(
            mentor=user, status=MatchRequest.Status.OPEN
        ).exists(),
    ),
    DemoLogin(
        "matchmentee",
        "Mentee",
        "Ruth Adeyemi",
        "Answer a match offer (Cross-Professional)",
        _has_offer_to_answer,
    ),
    DemoLogin(
        "matchmentor",
        "Mentor",
        "Henrik Larsen",
        "Answer a match offer (Cross-Professional)",
        _has_offer_to_answer,
    ),
    DemoLogin(
        "chooser",
        "Mentee",
        "Kofi Mensah",
        "Find a mentor yourself (Cross-Professional)",
        _can_choose_a_mentor,
    ),
]
