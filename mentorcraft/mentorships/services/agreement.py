"""The working agreement: versions proposed by either person, in force when both signed one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from mentorcraft.core.errors import TransitionError
from mentorcraft.mentorships.models import (
    AgreementSignature,
    AgreementVersion,
    Mentorship,
    TimelineEntry,
)
from mentorcraft.mentorships.services.pairs import require_in_pair, timeline_add
from mentorcraft.people.models import User


@transaction.atomic
def agreement_propose(*, mentorship: Mentorship, by: User, text: str) -> AgreementVersion:
    """A new version of the working agreement; whoever proposes it signs it at once. Any
    change after signing needs both to sign again, because the new version has no other
    signature yet."""
    require_in_pair(mentorship, by, "write their agreement")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise TransitionError("This mentorship has closed; its agreement can no longer change.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the agreement, or keep the current one."})
    Mentorship.objects.select_for_update(of=("self",)).filter(pk=mentorship.pk).first()
    latest = mentorship.agreement_versions.order_by("-number").first()
    if latest is not None and latest.text == text:
        raise TransitionError("That is the current text; change something or sign it.")
    version = AgreementVersion.objects.create(
        mentorship=mentorship,
        number=(latest.number + 1) if latest else 1,
        text=text,
        proposed_by=by,
    )
    AgreementSignature.objects.create(version=version, user=by)
    return version


@transaction.atomic
def agreement_sign(*, version: AgreementVersion, by: User) -> AgreementSignature:
    mentorship = version.mentorship
    require_in_pair(mentorship, by, "sign their agreement")
    if mentorship.status != Mentorship.Status.ACTIVE:
        raise TransitionError("This mentorship has closed; its agreement can no longer change.")
    # Lock the pair so a version proposed at this moment cannot slip in between.
    Mentorship.objects.select_for_update(of=("self",)).filter(pk=mentorship.pk).first()
    latest = mentorship.agreement_versions.order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        raise TransitionError(
            "A newer version was proposed since you read this one; read it and sign that."
        )
    signature, created = AgreementSignature.objects.get_or_create(version=version, user=by)
    if created and version.signatures.count() == 2:
        timeline_add(
            mentorship,
            TimelineEntry.Kind.AGREEMENT,
            f"Agreement version {version.number} is in force, signed by both.",
            by,
        )
    return signature
