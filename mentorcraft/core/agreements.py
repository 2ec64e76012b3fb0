"""Agreements signed in versions: a text that any of its signers may propose a new version of,
signed at once by whoever proposed it and in force once every signer has signed that version.
Any change after signing needs everyone to sign again, because the new version has no other
signature yet. A pair's working agreement (mentorships) and a supervision agreement (support)
are both made of this.

An app keeps its own two tables (a version with a foreign key to what it is the agreement of,
and a signature with a foreign key ``version``, ``related_name="signatures"``), built on the
abstract models here, and calls ``propose``, ``sign`` and ``state`` with its own rules of who
may sign and its own lock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet

from mentorcraft.core.errors import TransitionError


class AgreementVersionBase(models.Model):
    number = models.PositiveIntegerField()
    text = models.TextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class AgreementSignatureBase(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


MAX_LENGTH = 8000


def propose(
    *,
    versions: QuerySet,
    create: Callable[..., Any],
    by: Any,
    text: str,
    lock: Callable[[], object],
) -> Any:
    """A new version (``create(number=, text=, proposed_by=)`` makes the row), signed by its
    proposer. ``lock`` locks what the agreement belongs to, so that two versions proposed at
    once get different numbers. Call inside a transaction."""
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            {"text": f"Keep the agreement to {MAX_LENGTH:,} characters; it has {len(text):,}."}
        )
    lock()
    latest = versions.order_by("-number").first()
    if not text:
        raise ValidationError(
            {
                "text": "Write the agreement, or keep the current one."
                if latest
                else "Write the agreement."
            }
        )
    if latest is not None and latest.text == text:
        raise TransitionError("That is the current text; change something or sign it.")
    version = create(number=(latest.number + 1) if latest else 1, text=text, proposed_by=by)
    version.signatures.create(user=by)
    return version


def sign(
    *,
    version: Any,
    versions: QuerySet,
    by: Any,
    signers: set[int],
    lock: Callable[[], object],
) -> tuple[Any, bool]:
    """Sign the version the person read; a newer one proposed meanwhile is refused. Returns the
    signature and whether this signature put the version in force. Call inside a transaction."""
    lock()
    latest = versions.order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        raise TransitionError(
            "A newer version was proposed since you read this one; read it and sign that."
        )
    signature, created = version.signatures.get_or_create(user=by)
    signed = set(version.signatures.values_list("user_id", flat=True))
    return signature, created and signed >= signers


def state(versions: QuerySet, signers: set[int]) -> dict:
    """The latest version, who signed it, and the version in force (signed by every signer)."""
    history = list(versions.prefetch_related("signatures").order_by("-number"))
    in_force = next(
        (v for v in history if {s.user_id for s in v.signatures.all()} >= signers), None
    )
    latest = history[0] if history else None
    return {
        "latest": latest,
        "latest_signers": {s.user_id for s in latest.signatures.all()} if latest else set(),
        "in_force": in_force,
        "history": history,
    }
