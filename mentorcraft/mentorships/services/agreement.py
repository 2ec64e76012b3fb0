"""The working agreement: versions proposed by either person, in force when both signed one
(the mechanism, shared with supervision agreements, is ``core.agreements``)."""

from __future__ import annotations

from django.db import transaction

from mentorcraft.core import agreements
from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships.models import (
    AgreementSignature,
    AgreementVersion,
    Mentorship,
    TimelineEntry,
)
from mentorcraft.mentorships.services.pairs import require_in_pair, timeline_add
from mentorcraft.people.models import User


def _lock(mentorship: Mentorship):  # noqa: ANN202
    """Lock the pair, so that a version proposed at this moment cannot slip in between."""
    return lambda: Mentorship.every.select_for_update(of=("self",)).filter(pk=mentorship.pk).first()


def _open(mentorship: Mentorship) -> None:
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise TransitionError("This mentorship has closed; its agreement can no longer change.")


@transaction.atomic
def agreement_propose(*, mentorship: Mentorship, by: User, text: str) -> AgreementVersion:
    """A new version of the working agreement; whoever proposes it signs it at once. Any
    change after signing needs both to sign again, because the new version has no other
    signature yet."""
    require_in_pair(mentorship, by, "write their agreement")
    _open(mentorship)
    return agreements.propose(
        versions=mentorship.agreement_versions.all(),
        create=lambda **fields: AgreementVersion.objects.create(mentorship=mentorship, **fields),
        by=by,
        text=text,
        lock=_lock(mentorship),
    )


@transaction.atomic
def agreement_sign(*, version: AgreementVersion, by: User) -> AgreementSignature:
    mentorship = version.mentorship
    require_in_pair(mentorship, by, "sign their agreement")
    _open(mentorship)
    signature, in_force = agreements.sign(
        version=version,
        versions=mentorship.agreement_versions.all(),
        by=by,
        signers={mentorship.mentor_id, mentorship.mentee_id},
        lock=_lock(mentorship),
    )
    if in_force:
        timeline_add(
            mentorship,
            TimelineEntry.Kind.AGREEMENT,
            f"Agreement version {version.number} is in force, signed by both.",
            by,
        )
    return signature
