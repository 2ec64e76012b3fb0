"""Running the engine on a programme: the engine's view of the programme built from the
database, and a queued run executed (on the task worker) and stored as proposals."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from mentorcraft.matching import engine
from mentorcraft.matching.eligibility import Candidate, programme_eligibility
from mentorcraft.matching.models import MatchRun, PairRule, Proposal, UnmatchedMentee
from mentorcraft.matching.reasons import for_participants
from mentorcraft.people.models import Profile
from mentorcraft.programmes.models import Programme

log = logging.getLogger(__name__)


def _person(candidate: Candidate, *, mentor: bool) -> engine.Person:
    user = candidate.user
    profile = user.profile
    application = candidate.application
    if mentor:
        topics = {t.name: 3.0 for t in profile.expertise.all()}
    else:
        topics = {t.name: 2.0 for t in profile.learning_topics.all()}
    for topic in application.topics.all():
        topics.setdefault(topic.name, 3.0 if mentor else 2.0)
    return engine.Person(
        id=str(user.pk),
        name=profile.full_name,
        languages=frozenset(profile.languages),
        topics=topics,
        years=float(profile.years_experience),
        time_zone=profile.time_zone,
        hours=float(application.hours_per_month),
        manager=str(profile.line_manager_id) if profile.line_manager_id else None,
        avoid=frozenset(str(u.pk) for u in application.avoid.all()),
        capacity=candidate.remaining if mentor else 1,
    )


def engine_instance(programme: Programme, weights: dict[str, float]) -> engine.Instance:
    """The engine's view of the programme now: eligible people, rules and the org chart."""
    eligibility = programme_eligibility(programme)
    mentors = list(eligibility.eligible_mentors())
    mentees = list(eligibility.eligible_mentees())
    _prefetch([c.application for c in [*mentors, *mentees]])
    managers = {
        str(user_id): str(manager_id)
        for user_id, manager_id in Profile.objects.filter(line_manager__isnull=False).values_list(
            "user_id", "line_manager_id"
        )
    }
    ids = {c.user.pk for c in [*mentors, *mentees]}
    rules = PairRule.objects.filter(programme=programme, mentee_id__in=ids, mentor_id__in=ids)
    mentor_ids = {c.user.pk for c in mentors}
    mentee_ids = {c.user.pk for c in mentees}
    return engine.Instance(
        mentees=[_person(c, mentor=False) for c in mentees],
        mentors=[_person(c, mentor=True) for c in mentors],
        weights=weights,
        forbidden=[
            (str(r.mentee_id), str(r.mentor_id))
            for r in rules
            if r.kind == PairRule.Kind.FORBID
            and r.mentee_id in mentee_ids
            and r.mentor_id in mentor_ids
        ],
        locked=[
            (str(r.mentee_id), str(r.mentor_id))
            for r in rules
            if r.kind == PairRule.Kind.LOCK
            and r.mentee_id in mentee_ids
            and r.mentor_id in mentor_ids
        ],
        managers=managers,
    )


def _prefetch(applications: list) -> None:
    prefetch_related_objects(
        applications,
        "topics",
        "avoid",
        "applicant__profile__expertise",
        "applicant__profile__learning_topics",
    )


def match_run_execute(*, run_id: int) -> MatchRun:
    """Do the work of a queued run: build the instance, call the engine, store the proposals."""
    with transaction.atomic():
        run = (
            MatchRun.objects.select_for_update(of=("self",))
            .select_related("programme")
            .get(pk=run_id)
        )
        if run.status != MatchRun.Status.QUEUED:
            return run  # another worker took it, or it is done
        run.status, run.started_at, run.progress = MatchRun.Status.RUNNING, timezone.now(), 10
        run.save(update_fields=["status", "started_at", "progress", "updated_at"])
    try:
        instance = engine_instance(run.programme, run.weights)
        MatchRun.objects.filter(pk=run.pk).update(progress=40)
        result = engine.solve(instance, mode=run.mode)
        MatchRun.objects.filter(pk=run.pk).update(progress=80)
        prepared = engine.Prepared(instance)
        with transaction.atomic():
            Proposal.objects.bulk_create(
                Proposal(
                    run=run,
                    mentee_id=int(pair.mentee),
                    mentor_id=int(pair.mentor),
                    score=pair.score,
                    reasons=[str(r) for r in pair.reasons],
                    participant_reasons=for_participants(pair.reasons),
                    locked=pair.locked,
                    mentee_rank=pair.mentee_rank,
                )
                for pair in result.pairs
            )
            UnmatchedMentee.objects.bulk_create(
                UnmatchedMentee(
                    run=run,
                    mentee_id=int(entry.mentee),
                    reason=str(entry.reason),
                    alternatives=[
                        {
                            "mentor": int(p.mentor),
                            "score": round(p.score, 1),
                            "reasons": [str(r) for r in p.reasons],
                        }
                        for p in engine.recommend(prepared, entry.mentee, n=3)
                    ],
                )
                for entry in result.unmatched
            )
            run.stats = {**result.stats, "total_score": round(result.total_score, 2)}
            run.status, run.progress, run.finished_at = MatchRun.Status.DONE, 100, timezone.now()
            run.save(update_fields=["stats", "status", "progress", "finished_at", "updated_at"])
    except engine.InstanceError as exc:
        _fail(run, str(exc))
    except Exception as exc:  # a run must never stay "running" forever
        log.exception("match run %s failed", run.pk)
        _fail(run, f"The engine stopped with an error: {exc}")
        raise
    return run


def _fail(run: MatchRun, message: str) -> None:
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.FAILED, error=message, finished_at=timezone.now()
    )
    run.refresh_from_db()
