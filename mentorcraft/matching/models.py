"""Matching in the product: settings, pair rules, runs with their proposals, offers, requests.

The engine itself (``mentorcraft.matching.engine``) knows nothing of these models; services build
plain data from them, call the engine, and store what it returns.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mentorcraft.core.models import TimeStampedModel
from mentorcraft.programmes.models import Programme

# What the coordinator can weigh, in the order the page shows them. Topics and stated
# preferences come first: perceived similarity of goals and the participants' own input predict
# good relationships far better than demographics (Eby et al. 2013; Allen, Eby & Lentz 2006).
WEIGHT_KEYS = ["topics", "preferences", "experience", "languages", "timezone", "availability"]
DEFAULT_WEIGHTS = {
    "topics": 4.0,
    "preferences": 2.0,
    "experience": 1.5,
    "languages": 1.0,
    "timezone": 1.0,
    "availability": 0.5,
}


class Mode(models.TextChoices):
    OPTIMAL = "optimal", "Optimal (most pairs, then best total score)"
    STABLE = "stable", "Stable (honours everyone's ranking)"


class MatchingSettings(models.Model):
    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="matching_settings"
    )
    weights = models.JSONField(default=dict, blank=True)
    offer_expiry_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    self_match = models.BooleanField(
        default=False, help_text="Mentees may browse recommended mentors and send requests."
    )
    max_open_requests = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        verbose_name_plural = "matching settings"

    def __str__(self) -> str:
        return f"Matching settings of {self.programme}"

    def effective_weights(self) -> dict[str, float]:
        return {key: float(self.weights.get(key, DEFAULT_WEIGHTS[key])) for key in WEIGHT_KEYS}


class MentorAvailability(TimeStampedModel):
    """A mentor who is temporarily unavailable is left out of recommendations and runs."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unavailable = models.BooleanField(default=False)
    note = models.CharField(max_length=240, blank=True)

    class Meta:
        verbose_name_plural = "mentor availability"
        constraints = [
            models.UniqueConstraint(fields=["programme", "mentor"], name="one_availability_row")
        ]

    def __str__(self) -> str:
        return f"{self.mentor} {'unavailable' if self.unavailable else 'available'}"


class PairRule(TimeStampedModel):
    """A coordinator's decision about one pair: always keep it (lock) or never make it."""

    class Kind(models.TextChoices):
        LOCK = "lock", "Locked"
        FORBID = "forbid", "Forbidden"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="pair_rules")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    note = models.CharField(max_length=240, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentee", "mentor"], name="one_rule_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentee} with {self.mentor}"


class MatchRun(TimeStampedModel):
    PUBLIC_TEXT_FIELDS = ("error",)

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="match_runs")
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.OPTIMAL)
    weights = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.mode}) of {self.programme}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    # A run waits for a task worker; after this long in the queue, the page says why it may wait.
    QUEUE_PATIENCE = timedelta(seconds=30)

    @property
    def waiting_for_worker(self) -> bool:
        """Still queued well after it was asked for: most likely no task worker is running."""
        return (
            self.status == self.Status.QUEUED
            and self.created_at is not None
            and timezone.now() - self.created_at > self.QUEUE_PATIENCE
        )


class Proposal(models.Model):
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    # The reasons the two people may read once it is published: none of the concerns.
    participant_reasons = models.JSONField(default=list, blank=True)
    locked = models.BooleanField(default=False)
    mentee_rank = models.PositiveIntegerField(
        null=True, blank=True, help_text="Where the mentee ranked this mentor (stable mode)."
    )

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="one_proposal_per_mentee")
        ]

    def __str__(self) -> str:
        return f"{self.mentee} ↔ {self.mentor} ({self.score:.2f})"


class UnmatchedMentee(models.Model):
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="unmatched")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=240)
    alternatives = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.mentee}: {self.reason}"


class Offer(TimeStampedModel):
    """A proposed pair made known to both people, who each accept or decline."""

    # The reason for a decline is told to the coordinators.
    PUBLIC_TEXT_FIELDS = ("decline_reason",)

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for answers"
        ACCEPTED = "accepted", "Accepted by both"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn by the coordinator"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="offers")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reasons = models.JSONField(default=list, blank=True, help_text="Reasons shown to both.")
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="offers"
    )
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.TextField(blank=True)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentee"],
                condition=Q(status="pending"),
                name="one_pending_offer_per_mentee",
            )
        ]

    def __str__(self) -> str:
        return f"Offer: {self.mentee} with {self.mentor} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()


class MatchRequest(TimeStampedModel):
    """Self-match: a mentee asks a recommended mentor directly."""

    # Between the mentee and the mentor they asked: the coordinators do not read it.
    CONFIDENTIAL_FIELDS = ("note", "decline_reason")

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the mentor"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="requests")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    reasons = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentee", "mentor"],
                condition=Q(status="open"),
                name="one_open_request_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"Request: {self.mentee} to {self.mentor} ({self.status})"
