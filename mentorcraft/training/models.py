"""Training and development: the organisation's catalogue of modules, their sessions with
registrations and a waitlist, completions that expire, each programme's requirements and tier
thresholds, and the cadre of mentoring coaches."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from mentorcraft.core.models import TimeStampedModel
from mentorcraft.programmes.models import Programme, add_months


def duration_text(minutes: int) -> str:
    """ "45 minutes", "1 hour", "2.5 hours"."""
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes / 60
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


class Audience(models.TextChoices):
    MENTORS = "mentors", "Mentors"
    MENTEES = "mentees", "Mentees"
    COACHES = "coaches", "Mentoring coaches"
    EVERYONE = "everyone", "Everyone"


class Level(models.TextChoices):
    NEW = "new", "New"
    EXPERIENCED = "experienced", "Experienced"
    VETERAN = "veteran", "Veteran"
    ANY = "any", "Any level"


class Kind(models.TextChoices):
    INDUCTION = "induction", "Induction"
    SKILLS = "skills", "Skills"
    REFRESHER = "refresher", "Refresher"
    RENEWAL = "renewal", "Renewal"
    TO_MENTEE = "to_mentee", "Transition: mentor to mentee"
    TO_MENTOR = "to_mentor", "Transition: mentee to mentor"
    COACH = "coach", "Coach training"
    LEADERSHIP = "leadership", "Leadership"


class Format(models.TextChoices):
    WORKSHOP = "workshop", "Workshop"
    ONLINE = "online", "Online session"
    COMMUNITY = "community", "Community-of-practice mini-session"
    SELF_STUDY = "self_study", "Self-study"


class Module(TimeStampedModel):
    """A piece of training the organisation offers, reused across programmes."""

    PUBLIC_TEXT_FIELDS = ("description",)

    title = models.CharField(max_length=160, unique=True)
    description = models.TextField()
    audience = models.CharField(max_length=10, choices=Audience.choices)
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.ANY)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    format = models.CharField(max_length=10, choices=Format.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(10), MaxValueValidator(2400)]
    )
    valid_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="How long a completion stays valid, in months; empty: for ever.",
    )
    link = models.URLField(blank=True, help_text="For self-study: where the material is.")
    self_declared = models.BooleanField(
        default=False, help_text="People may record that they completed it themselves."
    )
    leadership = models.BooleanField(
        default=False, help_text="Part of the organisation's leadership development programme."
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:module", args=[self.pk])

    @property
    def duration_text(self) -> str:
        return duration_text(self.duration_minutes)

    def expiry_for(self, completed_on: datetime.date) -> datetime.date | None:
        """When a completion on that day stops counting (the same day, months later; the last
        day of a shorter month when it has no such day)."""
        if self.valid_months is None:
            return None
        return add_months(completed_on, self.valid_months)


class Session(TimeStampedModel):
    """One running of a module, with its places. ``uid`` and ``sequence`` are its calendar
    entry's (the shared builder in notifications)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="sessions")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(10), MaxValueValidator(2400)]
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    location = models.CharField(max_length=300, help_text="A room, a place or a video-call link.")
    capacity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    attendance_taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.module} on {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("training:session", args=[self.pk])

    @property
    def duration_text(self) -> str:
        return duration_text(self.duration_minutes)

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class Registration(TimeStampedModel):
    """A person's place on a session, or their place in its queue."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered"
        WAITLISTED = "waitlisted", "On the waitlist"
        CANCELLED = "cancelled", "Cancelled"
        ATTENDED = "attended", "Attended"
        ABSENT = "absent", "Did not attend"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_registrations"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    moved_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=~Q(status="cancelled"),
                name="one_live_registration_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.session} ({self.status})"


class Completion(models.Model):
    """A person completed a module: by attending a session, by their own word for self-study,
    or outside the organisation (recorded by a coordinator with evidence)."""

    class Source(models.TextChoices):
        ATTENDANCE = "attendance", "Attended a session"
        SELF = "self", "Self-study, declared"
        EXTERNAL = "external", "External training"

    PUBLIC_TEXT_FIELDS = ("evidence",)

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="completions")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(2400)],
        help_text="How much training it was (the session's length, or as recorded).",
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="completions"
    )
    evidence = models.TextField(
        blank=True, help_text="For external training: the course, provider and certificate."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "session"],
                condition=Q(session__isnull=False),
                name="one_completion_per_session",
            )
        ]
        indexes = [models.Index(fields=["person", "module", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.module} ({self.completed_on})"

    def valid_on(self, day: datetime.date) -> bool:
        return self.completed_on <= day and (self.expires_on is None or day < self.expires_on)

    @property
    def duration_text(self) -> str:
        return duration_text(self.minutes)


class Requirement(models.Model):
    """What a programme asks of a role (and a tier) before matching: training of a kind, for at
    least some minutes, done within some months."""

    class Role(models.TextChoices):
        MENTOR = "mentor", "Mentors"
        MENTEE = "mentee", "Mentees"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="training_requirements"
    )
    role = models.CharField(max_length=6, choices=Role.choices)
    tier = models.CharField(
        max_length=12,
        choices=Level.choices,
        default=Level.ANY,
        help_text="Only people of this tier (Any: everyone in the role).",
    )
    kind = models.CharField(
        max_length=12, choices=Kind.choices, blank=True, help_text="Any module of this kind..."
    )
    module = models.ForeignKey(
        Module,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requirements",
        help_text="...or this module in particular (an ethics module, say).",
    )
    min_minutes = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(2400)],
        help_text="At least this much of it, in minutes (0: one completion is enough).",
    )
    within_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Done within this many months (empty: any time, while still valid).",
    )

    class Meta:
        ordering = ["programme", "role", "tier", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="") & Q(module__isnull=False))
                | (~Q(kind="") & Q(module__isnull=True)),
                name="requirement_is_a_kind_or_a_module",
            ),
            models.UniqueConstraint(
                fields=["programme", "role", "tier", "kind"],
                condition=Q(module__isnull=True),
                name="one_requirement_per_kind",
            ),
            models.UniqueConstraint(
                fields=["programme", "role", "tier", "module"],
                condition=Q(module__isnull=False),
                name="one_requirement_per_module",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.describe()}"

    def what(self) -> str:
        """ "induction (at least 2 hours)", "renewal in the last 24 months", "“Ethics and
        boundaries in mentoring”"."""
        words = f"“{self.module.title}”" if self.module_id else self.get_kind_display().lower()
        if self.min_minutes:
            words += f" (at least {duration_text(self.min_minutes)})"
        if self.within_months:
            words += f" in the last {self.within_months} months"
        return words

    def describe(self) -> str:
        """What, and for which tier: "renewal in the last 24 months (veterans)"."""
        if self.tier == Level.ANY:
            return self.what()
        return f"{self.what()} ({self.get_tier_display().lower()}s)"


class TierSettings(models.Model):
    """A programme's thresholds for experience tiers."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="tier_settings"
    )
    experienced_completed = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Completed mentorships (in that role) that make someone experienced.",
    )
    veteran_completed = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(30)],
        help_text="Completed mentorships that make someone a veteran.",
    )
    experienced_months = models.PositiveSmallIntegerField(
        default=9,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Or months spent mentoring, for mentors.",
    )
    veteran_months = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(2), MaxValueValidator(240)],
        help_text="Or months spent mentoring, for a veteran mentor.",
    )

    class Meta:
        verbose_name = "tier thresholds"
        verbose_name_plural = "tier thresholds"

    def __str__(self) -> str:
        return f"Tier thresholds of {self.programme}"

    @classmethod
    def for_programme(cls, programme: Programme | None) -> TierSettings:
        found = cls.objects.filter(programme=programme).first() if programme else None
        return found or cls(programme=programme)


class Coach(TimeStampedModel):
    """A member of the organisation's cadre of internal mentoring coaches. A coach leads
    supervision once their coach training is valid."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", "Nominated"
        ACTIVE = "active", "Active"
        STEPPED_DOWN = "stepped_down", "Stepped down"

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOMINATED)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    capacity = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
        help_text="How many mentors the coach can supervise.",
    )

    class Meta:
        ordering = ["person__profile__full_name"]
        verbose_name_plural = "coaches"

    def __str__(self) -> str:
        return f"Coach {self.person}"


class MentorInvitation(TimeStampedModel):
    """A coordinator invites someone who finished as a mentee (and said they would mentor) to
    apply as a mentor in a programme; their application form then opens filled in."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_invitations"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="mentor_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme"], name="one_mentor_invitation_per_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} invited to mentor in {self.programme}"
