"""Match runs, pair rules and the bridge from the database to the engine.

The engine gets plain data built here from eligibility, profiles and the coordinator's rules;
what it returns is stored as proposals with their reasons, so that runs can be compared later.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core import audit
from mentorcraft.core.errors import TransitionError
from mentorcraft.core.freshness import bump
from mentorcraft.matching import engine
from mentorcraft.matching.eligibility import programme_eligibility
from mentorcraft.matching.models import (
    DEFAULT_WEIGHTS,
    WEIGHT_KEYS,
    MatchingSettings,
    MatchRequest,
    MatchRun,
    MentorAvailability,
    Mode,
    Offer,
    PairRule,
)
from mentorcraft.matching.reasons import for_participants, is_warning
from mentorcraft.matching.runs import engine_instance
from mentorcraft.matching.selectors import rules_for_programme
from mentorcraft.matching.tasks import execute_match_run
from mentorcraft.mentorships.models import Closure, Mentorship
from mentorcraft.mentorships.services import mentorship_create
from mentorcraft.notifications.services import absolute_url, email_queue
from mentorcraft.people.models import Profile, User
from mentorcraft.programmes.models import Application, Programme, Role
from mentorcraft.programmes.services import email_coordinators

log = logging.getLogger(__name__)


def matching_settings_for(programme: Programme) -> MatchingSettings:
    settings, _ = MatchingSettings.objects.get_or_create(programme=programme)
    return settings


def clean_weights(raw: dict[str, object]) -> dict[str, float]:
    weights: dict[str, float] = {}
    errors: dict[str, str] = {}
    for key in WEIGHT_KEYS:
        value = raw.get(key, DEFAULT_WEIGHTS[key])
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            errors[key] = "Give a number from 0 to 10."
            continue
        if not 0 <= number <= 10:
            errors[key] = "Give a number from 0 to 10."
        weights[key] = number
    if errors:
        raise ValidationError(errors)
    if not any(weights.values()):
        raise ValidationError("At least one weight must be above zero.")
    return weights


@transaction.atomic
def match_run_start(
    *, programme: Programme, by: User, mode: str, weights: dict[str, object]
) -> MatchRun:
    """Queue a run; the engine works in a background task and the page follows its progress."""
    if mode not in Mode.values:
        raise ValidationError({"mode": "Choose optimal or stable."})
    clean = clean_weights(weights)
    settings = matching_settings_for(programme)
    settings.weights = clean
    settings.save(update_fields=["weights"])
    run = MatchRun.objects.create(programme=programme, mode=mode, weights=clean, created_by=by)
    transaction.on_commit(lambda: execute_match_run.enqueue(run_id=run.pk))
    return run


@transaction.atomic
def pair_rule_set(
    *, programme: Programme, by: User, mentee: User, mentor: User, kind: str, note: str = ""
) -> PairRule:
    """Lock a pair (kept in every run) or forbid it (never made). One rule per pair."""
    if kind not in PairRule.Kind.values:
        raise ValidationError({"kind": "Lock or forbid."})
    eligibility = programme_eligibility(programme)
    if eligibility.get(mentee.pk, "mentee") is None or eligibility.get(mentor.pk, "mentor") is None:
        raise TransitionError("Both people must be accepted into this programme first.")
    if kind == PairRule.Kind.LOCK:
        problem, _, _ = pair_check(programme, mentee, mentor)
        if problem and problem.code != "forbidden_by_coordinator":
            raise TransitionError(f"This pair cannot be locked: {problem}.")
        PairRule.objects.filter(
            programme=programme, mentee=mentee, kind=PairRule.Kind.LOCK
        ).exclude(mentor=mentor).delete()
    rule, _ = PairRule.objects.update_or_create(
        programme=programme,
        mentee=mentee,
        mentor=mentor,
        defaults={"kind": kind, "note": note, "created_by": by},
    )
    return rule


def pair_check(
    programme: Programme, mentee: User, mentor: User
) -> tuple[engine.Reason | None, list[engine.Reason], list[engine.Reason]]:
    """For one pair: the hard rule it breaks (or None), its reasons, and soft warnings.

    The same engine rules as a match run: shared language, no management chain within two
    levels, nobody asked to avoid the other, not forbidden by a coordinator.
    """
    people = [mentee, mentor]
    profiles = {
        p.user_id: p
        for p in Profile.objects.filter(user__in=people).prefetch_related(
            "expertise", "learning_topics"
        )
    }
    managers = {
        str(u): str(m)
        for u, m in Profile.objects.filter(line_manager__isnull=False).values_list(
            "user_id", "line_manager_id"
        )
    }
    avoid = {
        person.pk: frozenset(
            str(pk)
            for pk in programme.applications.filter(applicant=person).values_list(
                "avoid", flat=True
            )
            if pk
        )
        for person in people
    }

    def as_person(user: User, *, is_mentor: bool) -> engine.Person:
        profile = profiles[user.pk]
        topics = profile.expertise.all() if is_mentor else profile.learning_topics.all()
        return engine.Person(
            id=str(user.pk),
            languages=frozenset(profile.languages),
            topics={t.name: 3.0 if is_mentor else 2.0 for t in topics},
            years=float(profile.years_experience),
            time_zone=profile.time_zone,
            manager=str(profile.line_manager_id) if profile.line_manager_id else None,
            avoid=avoid[user.pk],
            capacity=1,
        )

    forbidden = PairRule.objects.filter(
        programme=programme, mentee=mentee, mentor=mentor, kind=PairRule.Kind.FORBID
    ).exists()
    prepared = engine.Prepared(
        engine.Instance(
            mentees=[as_person(mentee, is_mentor=False)],
            mentors=[as_person(mentor, is_mentor=True)],
            managers=managers,
            forbidden=[(str(mentee.pk), str(mentor.pk))] if forbidden else [],
        )
    )
    problem = prepared.why_not(0, 0)
    reasons = (
        prepared.reasons(0, 0)
        if problem is None or problem.code == "forbidden_by_coordinator"
        else []
    )
    return problem, reasons, [r for r in reasons if is_warning(r)]


def manual_pair_limits(
    programme: Programme, mentee: User, mentor: User
) -> tuple[str | None, list[str]]:
    """What pairing by hand checks beyond the engine's rules, on the first submit: the hard
    limit (the mentor's free places, as ``mentorship_create`` counts them) and a warning when
    the two were paired before and that mentorship closed early."""
    application = Application.objects.filter(
        programme=programme, applicant=mentor, role=Role.MENTOR
    ).first()
    capacity = (application.mentee_capacity if application else 0) or (
        programme.mentor_capacity_default
    )
    active = Mentorship.objects.filter(
        programme=programme, mentor=mentor, status=Mentorship.Status.ACTIVE
    ).count()
    problem = None
    if active >= capacity:
        problem = (
            f"{mentor.display_name} already has {active} mentee{'s' if active != 1 else ''}, "
            f"their capacity of {capacity}"
        )
    warnings = []
    closed_early = (
        Mentorship.objects.filter(mentor=mentor, mentee=mentee, closure__kind=Closure.Kind.EARLY)
        .select_related("programme")
        .order_by("-pk")
        .first()
    )
    if closed_early is not None:
        warnings.append(
            f"{mentor.display_name} and {mentee.display_name} were paired before, in "
            f"{closed_early.programme.name}, and that mentorship closed early"
        )
    # What keeps someone out of a match run (the code of ethics unsigned, the training required
    # not done, away, an offer waiting) is a warning here: a coordinator may make an exception,
    # knowingly. Places and an existing mentor are the hard limits above and in the service.
    eligibility = programme_eligibility(programme)
    for person, role in ((mentor, Role.MENTOR), (mentee, Role.MENTEE)):
        candidate = eligibility.get(person.pk, role)
        for blocker in candidate.blockers if candidate else ():
            if blocker.code not in ("at_capacity", "has_mentor"):
                warnings.append(f"{person.display_name} {blocker}, so a match run leaves them out")
    return problem, warnings


@transaction.atomic
def pair_rule_clear(*, rule: PairRule, by: User) -> None:
    rule.delete()


# --- offers ---------------------------------------------------------------------------------


@dataclass
class PublishOutcome:
    offers: list[Offer]
    skipped: list[str]


@transaction.atomic
def offers_publish(
    *, run: MatchRun, by: User, proposal_ids: list[int], show_reasons: bool = True
) -> PublishOutcome:
    """Chosen proposals become offers to both people, who each accept or decline."""
    if run.status != MatchRun.Status.DONE:
        raise TransitionError("Only a finished run can be published.")
    programme = run.programme
    settings = matching_settings_for(programme)
    offers_expire()  # stale offers free their people before new ones are made
    proposals = list(
        run.proposals.filter(pk__in=proposal_ids).select_related(
            "mentee__profile", "mentor__profile"
        )
    )
    if not proposals:
        raise ValidationError("Choose at least one pair to publish.")
    eligibility = programme_eligibility(programme)
    remaining = {c.user.pk: c.remaining for c in eligibility.mentors if c.eligible}
    expires = timezone.now() + datetime.timedelta(days=settings.offer_expiry_days)
    outcome = PublishOutcome(offers=[], skipped=[])
    rules = rules_for_programme(programme)
    locked_to = {mentee: mentor for (mentee, mentor), kind in rules.items() if kind == "lock"}
    for proposal in proposals:
        # A rule made since the run (a swap, a forbidden pair) overrides what it proposed.
        pair = (proposal.mentee_id, proposal.mentor_id)
        if rules.get(pair) == PairRule.Kind.FORBID or locked_to.get(pair[0], pair[1]) != pair[1]:
            outcome.skipped.append(
                f"{proposal.mentee.display_name}: a rule made since the run changes this pair; "
                "run again to propose the new one"
            )
            continue
        mentee = eligibility.get(proposal.mentee_id, Role.MENTEE)
        if mentee is None or not mentee.eligible:
            why = "; ".join(mentee.blockers) if mentee else "is no longer an accepted mentee"
            outcome.skipped.append(f"{proposal.mentee.display_name}: {why}")
            continue
        if remaining.get(proposal.mentor_id, 0) <= 0:
            outcome.skipped.append(
                f"{proposal.mentee.display_name}: {proposal.mentor.display_name} has no free place"
            )
            continue
        remaining[proposal.mentor_id] -= 1
        mentee.load += 1  # the same mentee chosen twice in one publish gets one offer
        mentee.offers += 1
        mentee.block("has_offer", "has an offer in this publish already")
        try:
            with transaction.atomic():
                offer = Offer.objects.create(
                    programme=programme,
                    mentee=proposal.mentee,
                    mentor=proposal.mentor,
                    proposal=proposal,
                    # The pair reads what speaks for it; concerns stay with the coordinators.
                    reasons=proposal.participant_reasons if show_reasons else [],
                    expires_at=expires,
                    created_by=by,
                )
        except IntegrityError:  # another coordinator published an offer for them a moment ago
            outcome.skipped.append(f"{proposal.mentee.display_name}: already has an offer")
            continue
        outcome.offers.append(offer)
        audit.record(
            actor=by,
            action="offer published",
            target=offer,
            detail=f"{offer.mentor.display_name} offered as mentor to {offer.mentee.display_name}.",
        )
        _email_offer(offer)
    return outcome


def _email_offer(offer: Offer) -> None:
    url = absolute_url(reverse("matching:offers"))
    for person, other, role in (
        (offer.mentee, offer.mentor, "mentor"),
        (offer.mentor, offer.mentee, "mentee"),
    ):
        email_queue(
            to=[person.email],
            subject=f"{offer.programme.name}: we suggest {other.display_name} as your {role}",
            template="matching/email/offer.txt",
            context={"offer": offer, "person": person, "other": other, "role": role, "url": url},
        )


@transaction.atomic
def offer_respond(*, offer: Offer, by: User, accept: bool, reason: str = "") -> Offer:
    """One side answers. When both accept, the mentorship starts; a decline frees the mentee."""
    offer = (
        Offer.objects.select_for_update(of=("self",)).select_related("programme").get(pk=offer.pk)
    )
    if by.pk not in (offer.mentee_id, offer.mentor_id):
        raise TransitionError("Only the two people in an offer can answer it.")
    if offer.status != Offer.Status.PENDING:
        raise TransitionError(f"This offer is already {offer.get_status_display().lower()}.")
    if offer.expires_at <= timezone.now():
        raise TransitionError("This offer has expired; the coordinator can make a new one.")
    side = "mentee_accepted_at" if by.pk == offer.mentee_id else "mentor_accepted_at"
    if not accept:
        offer.status, offer.declined_by, offer.decline_reason = (
            Offer.Status.DECLINED,
            by,
            reason.strip(),
        )
        offer.save(update_fields=["status", "declined_by", "decline_reason", "updated_at"])
        audit.record(
            actor=by, action="offer declined", target=offer, detail=f"{by.display_name} declined."
        )
        _email_coordinators(offer, f"{by.display_name} declined the suggested pair")
        return offer
    setattr(offer, side, timezone.now())
    offer.save(update_fields=[side, "updated_at"])
    audit.record(
        actor=by, action="offer accepted", target=offer, detail=f"{by.display_name} accepted."
    )
    if offer.mentee_accepted_at and offer.mentor_accepted_at:
        try:
            with transaction.atomic():
                mentorship = mentorship_create(
                    programme=offer.programme,
                    mentor=offer.mentor,
                    mentee=offer.mentee,
                    by=offer.created_by,
                    source=Mentorship.Source.MATCHED,
                )
        except TransitionError as exc:
            offer.status, offer.decline_reason = Offer.Status.WITHDRAWN, " ".join(exc.messages)
            offer.save(update_fields=["status", "decline_reason", "updated_at"])
            _email_coordinators(offer, "A suggested pair could not start")
            return offer
        offer.status = Offer.Status.ACCEPTED
        offer.save(update_fields=["status", "updated_at"])
        # Whoever accepted first has not heard that the other did too.
        for person, other in ((offer.mentor, offer.mentee), (offer.mentee, offer.mentor)):
            email_queue(
                to=[person.email],
                subject=f"{offer.programme.name}: {other.display_name} accepted too",
                template="matching/email/offer_accepted.txt",
                context={
                    "person": person,
                    "other": other,
                    "offer": offer,
                    "url": absolute_url(mentorship.get_absolute_url()),
                },
            )
    return offer


def _email_coordinators(offer: Offer, subject: str) -> None:
    email_coordinators(
        offer.programme,
        subject=f"{offer.programme.name}: {subject}",
        template="matching/email/offer_outcome.txt",
        context={
            "offer": offer,
            "url": absolute_url(reverse("matching:workspace", args=[offer.programme_id])),
        },
    )


def offers_expire(*, now: datetime.datetime | None = None) -> int:
    """Mark pending offers past their date as expired (safe to run every few minutes)."""
    now = now or timezone.now()
    expired = Offer.objects.filter(status=Offer.Status.PENDING, expires_at__lte=now).update(
        status=Offer.Status.EXPIRED, updated_at=now
    )
    if expired:
        bump()  # an update sends no signal: pages cached from the data must know
    return expired


@transaction.atomic
def mentor_set_availability(
    *, programme: Programme, mentor: User, unavailable: bool, note: str = ""
) -> MentorAvailability:
    """A mentor steps out of (or back into) runs and recommendations for a while."""
    eligibility = programme_eligibility(programme)
    if eligibility.get(mentor.pk, Role.MENTOR) is None:
        raise TransitionError("Only accepted mentors of this programme set their availability.")
    row, _ = MentorAvailability.objects.update_or_create(
        programme=programme,
        mentor=mentor,
        defaults={"unavailable": unavailable, "note": note.strip()[:240]},
    )
    return row


# --- self-match -------------------------------------------------------------------------------


@transaction.atomic
def matching_settings_update(
    *,
    programme: Programme,
    by: User,
    self_match: bool,
    max_open_requests: int,
    offer_expiry_days: int,
) -> MatchingSettings:
    settings = matching_settings_for(programme)
    settings.self_match = self_match
    settings.max_open_requests = max_open_requests
    settings.offer_expiry_days = offer_expiry_days
    settings.full_clean()
    settings.save()
    return settings


def recommendations_for(programme: Programme, mentee: User, *, n: int = 10) -> list[engine.Pair]:
    """The best mentors with a free place for one eligible mentee, with reasons."""
    settings = matching_settings_for(programme)
    instance = engine_instance(programme, settings.effective_weights())
    if str(mentee.pk) not in {p.id for p in instance.mentees}:
        return []
    requested = set(
        MatchRequest.objects.filter(
            programme=programme, mentee=mentee, status=MatchRequest.Status.OPEN
        ).values_list("mentor_id", flat=True)
    )
    pairs = engine.recommend(instance, str(mentee.pk), n=n + len(requested))
    return [p for p in pairs if int(p.mentor) not in requested][:n]


@transaction.atomic
def match_request_create(
    *, programme: Programme, mentee: User, mentor: User, note: str
) -> MatchRequest:
    settings = matching_settings_for(programme)
    if not settings.self_match:
        raise TransitionError("This programme does not use self-match; the coordinators match.")
    if not note.strip():
        raise ValidationError({"note": "Tell the mentor in a line or two why you are asking."})
    # Lock the mentee's application so that two requests sent at once are counted together.
    Application.objects.select_for_update().filter(
        programme=programme, applicant=mentee, role=Role.MENTEE
    ).first()
    eligibility = programme_eligibility(programme)
    me = eligibility.get(mentee.pk, Role.MENTEE)
    if me is None or not me.eligible:
        why = "; ".join(me.blockers) if me else "you are not an accepted mentee"
        raise TransitionError(f"You cannot ask for a mentor yet: {why}.")
    them = eligibility.get(mentor.pk, Role.MENTOR)
    if them is None or not them.eligible:
        raise TransitionError(f"{mentor.display_name} is not taking new mentees at the moment.")
    problem, reasons, _ = pair_check(programme, mentee, mentor)
    if problem:
        raise TransitionError(f"This pair is not possible: {problem}.")
    open_requests = MatchRequest.objects.filter(
        programme=programme, mentee=mentee, status=MatchRequest.Status.OPEN
    )
    if open_requests.filter(mentor=mentor).exists():
        raise TransitionError(f"You have already asked {mentor.display_name}.")
    if open_requests.count() >= settings.max_open_requests:
        raise TransitionError(
            f"You can have {settings.max_open_requests} open requests at a time; "
            "withdraw one or wait for an answer."
        )
    request = MatchRequest.objects.create(
        programme=programme,
        mentee=mentee,
        mentor=mentor,
        note=note.strip(),
        reasons=for_participants(reasons),  # the mentor reads what speaks for the pair
    )
    email_queue(
        to=[mentor.email],
        subject=f"{programme.name}: {mentee.display_name} would like you as their mentor",
        template="matching/email/request.txt",
        context={"request": request, "url": absolute_url(reverse("matching:requests"))},
    )
    return request


@transaction.atomic
def match_request_respond(
    *, request: MatchRequest, by: User, accept: bool, reason: str = ""
) -> MatchRequest:
    # Every mentor answering this mentee at once locks the mentee's requests in one order (by
    # id), so they queue instead of deadlocking; whoever comes second finds theirs withdrawn.
    mentee_id, programme_id = (
        MatchRequest.objects.filter(pk=request.pk).values_list("mentee_id", "programme_id").get()
    )
    list(
        MatchRequest.objects.select_for_update(of=("self",))
        .filter(programme_id=programme_id, mentee_id=mentee_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    request = MatchRequest.objects.select_related("programme").get(pk=request.pk)
    if by.pk != request.mentor_id:
        raise TransitionError("Only the mentor who was asked can answer.")
    if request.status != MatchRequest.Status.OPEN:
        raise TransitionError(f"This request is already {request.get_status_display().lower()}.")
    request.responded_at = timezone.now()
    url = absolute_url(reverse("matching:find_mentor", args=[request.programme_id]))
    if accept:
        mentorship = mentorship_create(
            programme=request.programme,
            mentor=request.mentor,
            mentee=request.mentee,
            by=by,
            source=Mentorship.Source.SELF_MATCH,
        )
        url = absolute_url(mentorship.get_absolute_url())
        request.status = MatchRequest.Status.ACCEPTED
        audit.record(
            actor=by,
            action="request accepted",
            target=request,
            detail=f"{by.display_name} agreed to mentor {request.mentee.display_name}.",
        )
        # The mentee has a mentor now: their other open requests are withdrawn.
        MatchRequest.objects.filter(
            programme=request.programme, mentee=request.mentee, status=MatchRequest.Status.OPEN
        ).exclude(pk=request.pk).update(status=MatchRequest.Status.WITHDRAWN)
        bump()
    else:
        request.status, request.decline_reason = MatchRequest.Status.DECLINED, reason.strip()
        audit.record(
            actor=by,
            action="request declined",
            target=request,
            detail=f"{by.display_name} declined {request.mentee.display_name}'s request.",
        )
    request.save(update_fields=["status", "responded_at", "decline_reason", "updated_at"])
    email_queue(
        to=[request.mentee.email],
        subject=f"{request.programme.name}: {request.mentor.display_name} "
        f"{'accepted' if accept else 'declined'} your request",
        template="matching/email/request_answered.txt",
        context={"request": request, "url": url},
    )
    return request


@transaction.atomic
def match_request_withdraw(*, request: MatchRequest, by: User) -> MatchRequest:
    request = MatchRequest.objects.select_for_update().get(pk=request.pk)
    if by.pk != request.mentee_id:
        raise TransitionError("Only the mentee who asked can withdraw the request.")
    if request.status != MatchRequest.Status.OPEN:
        raise TransitionError(f"This request is already {request.get_status_display().lower()}.")
    request.status = MatchRequest.Status.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    return request
