"""A mentorship: one mentor and one mentee in one programme, from the start to a good close."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorcraft.core.models import TimeStampedModel
from mentorcraft.programmes.models import Programme


class Mentorship(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    class Source(models.TextChoices):
        MANUAL = "manual", "Made by a coordinator"
        MATCHED = "matched", "From a match run"
        SELF_MATCH = "self_match", "Requested by the mentee"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentor"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentee"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MANUAL)
    started_on = models.DateField()
    ends_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    note = models.CharField(
        max_length=240, blank=True, help_text="Why this pair, for the coordinators' records."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_on", "pk"]
        constraints = [
            # The database itself refuses a second active mentor for a mentee in a programme.
            models.UniqueConstraint(
                fields=["programme", "mentee"],
                condition=Q(status="active"),
                name="one_active_mentor_per_mentee",
            ),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.mentee} ({self.programme})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("mentorships:detail", args=[self.pk])


DEFAULT_AGREEMENT = (
    "Confidentiality: what we say stays between us, unless someone is at risk of harm.\n"
    "Rhythm: we meet about once a month for an hour, online or in person, and agree the next date "
    "before we part.\n"
    "Cancelling: whoever must cancel says so at least two working days ahead and offers a new "
    "date.\n"
    "Boundaries: this is mentoring, not line management; the mentor points to other help when a "
    "conversation needs it.\n"
    "Feedback: we tell each other what helps and what to change, at least at month one, the "
    "mid-point and the end.\n"
)


class AgreementVersion(models.Model):
    """One version of a pair's working agreement. In force once both have signed it."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="agreement_versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mentorship", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"Agreement v{self.number} of {self.mentorship}"


class AgreementSignature(models.Model):
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="signatures"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_signature_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} signed {self.version}"


class Goal(TimeStampedModel):
    """A learning goal the mentee writes: what, why it matters, how we will know, by when."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200, help_text="What you want to be able to do.")
    why = models.TextField(blank=True, help_text="Why it matters to you now.")
    measure = models.TextField(blank=True, help_text="How you will both know you got there.")
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)

    class Meta:
        ordering = ["mentorship", "created_at"]

    def __str__(self) -> str:
        return self.title


class GoalNote(models.Model):
    """A dated progress note by the mentee, or a comment by the mentor."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note on {self.goal}"


class GoalRating(models.Model):
    """The mentee's self-rating (1-5) at the start, the mid-point and the close."""

    class Stage(models.TextChoices):
        START = "start", "At the start"
        MIDPOINT = "midpoint", "At the mid-point"
        CLOSURE = "closure", "At the close"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    stage = models.CharField(max_length=8, choices=Stage.choices)
    score = models.PositiveSmallIntegerField()
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["goal", "stage"], name="one_rating_per_stage"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=5), name="rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.score} ({self.stage})"
