"""A mentorship: one mentor and one mentee in one programme, from the start to a good close.

A peer partnership between two mentors is a mentorship too, of kind ``peer``: the same
agreement, meetings, calendar files, private notes and feedback, without goals or a board. It is
kept apart by the managers: ``Mentorship.objects`` (the default, and so every related manager
such as ``programme.mentorships``) holds mentoring only, ``Mentorship.peers`` the peer
partnerships and ``Mentorship.every`` both. A dump of the data must use ``dumpdata --all``."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.agreements import AgreementSignatureBase, AgreementVersionBase
from mentorcraft.core.models import TimeStampedModel
from mentorcraft.programmes.models import Programme


class MentoringManager(models.Manager):
    """Mentor and mentee: what the board, matching, capacity and reports count."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(kind="mentoring")


class PeerManager(models.Manager):
    """Two mentors supporting each other."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(kind="peer")


class Mentorship(TimeStampedModel):
    class Kind(models.TextChoices):
        MENTORING = "mentoring", "Mentoring"
        PEER = "peer", "Peer partnership"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    class Source(models.TextChoices):
        MANUAL = "manual", "Made by a coordinator"
        MATCHED = "matched", "From a match run"
        SELF_MATCH = "self_match", "Requested by the mentee"
        PROPOSED = "proposed", "Proposed for peer support"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentorships_as_mentor"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentorships_as_mentee"
    )
    kind = models.CharField(max_length=9, choices=Kind.choices, default=Kind.MENTORING)
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
    # Reminders sent about this pair (the shared ledger), deleted with it.
    reminders = GenericRelation(
        "notifications.ReminderSent", content_type_field="target_type", object_id_field="target_id"
    )

    objects = MentoringManager()
    peers = PeerManager()
    every = models.Manager()

    class Meta:
        ordering = ["-started_on", "pk"]
        base_manager_name = "every"
        constraints = [
            # The database itself refuses a second active mentor for a mentee in a programme.
            models.UniqueConstraint(
                fields=["programme", "mentee"],
                condition=Q(status="active", kind="mentoring"),
                name="one_active_mentor_per_mentee",
            ),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="not_self"),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.PEER:
            return f"{self.mentor} and {self.mentee}, peer partners ({self.programme})"
        return f"{self.mentor} mentoring {self.mentee} ({self.programme})"

    def get_absolute_url(self) -> str:
        return reverse("mentorships:detail", args=[self.pk])

    @property
    def paired_on(self) -> datetime.date:
        """The first day the pair may meet: the day they were paired, which is before their
        start date when they were paired before the programme began. Planning and recording
        a meeting follow the same rule."""
        made = timezone.localdate(self.created_at) if self.created_at else self.started_on
        return min(made, self.started_on)

    @property
    def is_peer(self) -> bool:
        return self.kind == self.Kind.PEER

    def involves(self, user: object) -> bool:
        """Is this person the mentor or the mentee?"""
        return getattr(user, "pk", None) in (self.mentor_id, self.mentee_id)

    def open_feedback_request(self) -> FeedbackRequest | None:
        """The mentor's request for feedback that the mentee has not answered yet."""
        return self.feedback_requests.filter(open=True).order_by("-created_at").first()

    def other(self, user: object) -> object:
        """The other person of the pair, for the mentor or the mentee."""
        return self.mentee if getattr(user, "pk", None) == self.mentor_id else self.mentor


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


class AgreementVersion(AgreementVersionBase):
    """One version of a pair's working agreement. In force once both have signed it (the
    mechanism is ``core.agreements``)."""

    CONFIDENTIAL_FIELDS = ("text",)

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="agreement_versions"
    )

    class Meta:
        ordering = ["mentorship", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"Agreement v{self.number} of {self.mentorship}"


class AgreementSignature(AgreementSignatureBase):
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="signatures"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_signature_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} signed {self.version}"


class Goal(TimeStampedModel):
    """A learning goal the mentee writes: what, why it matters, how we will know, by when."""

    CONFIDENTIAL_FIELDS = ("why", "measure")

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

    CONFIDENTIAL_FIELDS = ("text",)
    TEXT_LIMIT = 5000  # the page, the API and the service agree on it

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
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


class Meeting(TimeStampedModel):
    """One meeting of the pair: planned, then logged as held or not.

    ``uid`` never changes, and every change raises ``sequence``, so a calendar that received the
    invitation updates (or cancels) the same entry instead of adding a second one.
    """

    CONFIDENTIAL_FIELDS = ("shared_notes", "agenda", "location", "cancel_reason")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        NOT_HELD = "not_held", "Did not happen"
        CANCELLED = "cancelled", "Cancelled"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="meetings")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(10), MaxValueValidator(480)]
    )
    location = models.CharField(
        max_length=300, blank=True, help_text="A room, a place, or a video-call link."
    )
    agenda = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_spent = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    shared_notes = models.TextField(
        blank=True, help_text="What you talked about and agreed; both of you can read these."
    )
    # The coordinators read the shared notes only when both people agreed to it.
    mentor_shares_notes = models.BooleanField(default=False)
    mentee_shares_notes = models.BooleanField(default=False)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=240, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["mentorship", "status", "starts_at"])]

    def __str__(self) -> str:
        return f"Meeting of {self.mentorship} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def notes_for_coordinators(self) -> bool:
        return bool(self.shared_notes and self.mentor_shares_notes and self.mentee_shares_notes)


class PrivateNote(models.Model):
    """A note only its author can ever read: not the other person, not the coordinators, not the
    admin site, not the API of anyone else. It is deliberately absent from the admin."""

    CONFIDENTIAL_FIELDS = ("text",)
    TEXT_LIMIT = 20_000  # the page, the API and the service agree on it
    NOT_IN_ADMIN = True

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="private_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Private note #{self.pk}"


class Pulse(models.Model):
    """A short check-in: how is it going, 1-5, with an optional word for the coordinators."""

    # The comment is addressed to the coordinators; the admin reads what they read.
    PUBLIC_TEXT_FIELDS = ("comment_to_coordinator",)

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="pulses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="pulses"
    )
    score = models.PositiveSmallIntegerField()
    comment_to_coordinator = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=5), name="pulse_1_to_5"
            ),
            models.UniqueConstraint(
                fields=["meeting", "author"],
                condition=Q(meeting__isnull=False),
                name="one_pulse_per_meeting_and_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Pulse {self.score} by {self.author}"


class FeedbackPoint(models.TextChoices):
    MONTH_ONE = "month_one", "After the first month"
    MIDPOINT = "midpoint", "At the mid-point"
    CLOSURE = "closure", "At the close"
    ON_REQUEST = "on_request", "Asked for by the mentor"


class FeedbackRequest(models.Model):
    """The mentor asks the mentee for feedback on their mentoring, with an optional question."""

    CONFIDENTIAL_FIELDS = ("question",)

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="feedback_requests"
    )
    question = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Until the mentee answers. The database keeps one open request per mentorship.
    open = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship"], condition=Q(open=True), name="one_open_feedback_request"
            )
        ]

    def __str__(self) -> str:
        return f"Feedback request on {self.mentorship}"


class Feedback(models.Model):
    """Structured feedback from one person of the pair to the other: what helped, what to change.
    Only the pair reads it."""

    CONFIDENTIAL_FIELDS = ("helped", "change")

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    point = models.CharField(max_length=10, choices=FeedbackPoint.choices)
    request = models.OneToOneField(
        FeedbackRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="answer"
    )
    helped = models.TextField(help_text="What helped you.")
    change = models.TextField(blank=True, help_text="What to do differently.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "author", "point"],
                condition=~Q(point="on_request"),
                name="one_feedback_per_point",
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback by {self.author} ({self.point})"


class MidpointReview(models.Model):
    """Each person's look back at half-time: does the agreement still work, what next."""

    CONFIDENTIAL_FIELDS = ("focus",)

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="midpoint_reviews"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreement_works = models.BooleanField(help_text="Our working agreement still works for me.")
    focus = models.TextField(blank=True, help_text="What to focus on in the second half.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "author"], name="one_review_per_person")
        ]

    def __str__(self) -> str:
        return f"Mid-point review by {self.author}"


class Closure(models.Model):
    """How a mentorship ended: planned at its end date, or early with a reason."""

    # The reason for an early close is told to the coordinators.
    PUBLIC_TEXT_FIELDS = ("reason",)

    class Kind(models.TextChoices):
        PLANNED = "planned", "Completed as planned"
        EARLY = "early", "Closed early"

    mentorship = models.OneToOneField(Mentorship, on_delete=models.CASCADE, related_name="closure")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    reason = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentorship}"


class ClosureReflection(models.Model):
    """Each person's final reflection, and the questions that feed the pipeline."""

    CONFIDENTIAL_FIELDS = ("reflection",)

    class Support(models.TextChoices):
        NONE = "none", "Not now"
        MENTOR = "mentor", "A mentor of my own"
        PEER = "peer", "Peer support from other mentors"
        BOTH = "both", "Both"

    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reflection = models.TextField(help_text="What you take away from this mentorship.")

    class WouldMentor(models.TextChoices):
        YES = "yes", "Yes"
        LATER = "later", "Maybe later"
        NO = "no", "No"

    would_mentor = models.CharField(
        max_length=5,
        choices=WouldMentor.choices,
        blank=True,
        help_text="Mentees: would you mentor someone yourself?",
    )
    wants_support = models.CharField(
        max_length=6,
        choices=Support.choices,
        blank=True,
        help_text="Mentors: would you like a mentor or peer support yourself?",
    )
    wants_rematch = models.BooleanField(
        default=False, help_text="Mentees, after an early close: would you like a new mentor?"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["closure", "author"], name="one_reflection_per_person")
        ]

    def __str__(self) -> str:
        return f"Reflection by {self.author}"


class TimelineEntry(models.Model):
    """What happened to a pair, in words fit for everyone who may see the pair's page: the pair
    and its coordinators. Never the content of notes, feedback or pulses."""

    class Kind(models.TextChoices):
        STARTED = "started", "Started"
        AGREEMENT = "agreement", "Agreement"
        MEETING = "meeting", "Meeting"
        MIDPOINT = "midpoint", "Mid-point review"
        NUDGE = "nudge", "Check-in from the coordinators"
        WARNING = "warning", "Quiet-pair warning"
        CLOSURE = "closure", "Closure"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "timeline entries"

    def __str__(self) -> str:
        return self.summary


class HealthSettings(models.Model):
    """A programme's thresholds for the relationships board and the reminder job."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="health_settings"
    )
    quiet_after_days = models.PositiveSmallIntegerField(
        default=45,
        validators=[MinValueValidator(7), MaxValueValidator(180)],
        help_text="A pair is quiet when it has not met for this many days.",
    )
    coordinator_warning_after_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Days after the pair was warned before the coordinators are told.",
    )
    struggling_pulse = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="A pair is struggling when someone's latest pulse is at or below this.",
    )
    goal_stale_days = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(14), MaxValueValidator(365)],
        help_text="An open goal without a note for this many days counts as without progress.",
    )
    feedback_grace_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Days after a feedback point before feedback counts as overdue.",
    )
    reminder_hours_before = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text="How long before a meeting its reminder goes out.",
    )
    feedback_month_one = models.BooleanField(
        default=True, help_text="Ask for feedback after the first month."
    )
    feedback_midpoint = models.BooleanField(
        default=True, help_text="Ask for feedback at the mid-point."
    )
    feedback_closure = models.BooleanField(default=True, help_text="Ask for feedback at the close.")

    class Meta:
        verbose_name_plural = "health settings"

    def __str__(self) -> str:
        return f"Relationship health settings of {self.programme}"

    @classmethod
    def for_programme(cls, programme: Programme) -> HealthSettings:
        found = cls.objects.filter(programme=programme).first()
        return found if found is not None else cls(programme=programme)
