from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Trim
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.dates import is_plausible, plausible_date
from mentorcraft.core.models import TimeStampedModel
from mentorcraft.core.roles import Role


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


class Phase(models.TextChoices):
    DRAFT = "draft", "Draft"
    RECRUITING = "recruiting", "Recruiting"
    MATCHING = "matching", "Matching"
    RUNNING = "running", "Running"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"


# The order a programme moves through; a coordinator may also step back one phase.
PHASE_ORDER = [p.value for p in Phase]


def duplicate_name_message(existing: str) -> str:
    return (
        f"A programme named “{existing}” already exists: open it, or choose another name "
        "(add the year or the cohort, for example)."
    )


class Programme(TimeStampedModel):
    PUBLIC_TEXT_FIELDS = ("purpose",)
    name = models.CharField(max_length=140)
    slug = models.SlugField(max_length=80, unique=True)
    purpose = models.TextField(help_text="What the programme is for, in a few sentences.")
    start_date = models.DateField(validators=[plausible_date])
    end_date = models.DateField(
        blank=True,
        validators=[plausible_date],
        help_text="Defaults to 12 months after the start.",
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    meeting_cadence_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(120)],
        help_text="How often pairs are expected to meet, in days (30 = monthly).",
    )
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.DRAFT)
    mentor_capacity_default = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How many mentees a mentor takes unless they say otherwise.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            # Two programmes of one name (a double submit, or a second try) confuse everyone:
            # names are unique in the organisation, whatever the case and the spaces around.
            models.UniqueConstraint(
                Lower(Trim("name")),
                name="programme_name_unique",
                violation_error_message="A programme with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", args=[self.pk])

    @classmethod
    def named(cls, name: str) -> models.QuerySet[Programme]:
        """The programme with this name, compared as the database's unique constraint does."""
        return cls.objects.alias(name_key=Lower(Trim("name"))).filter(
            name_key=Lower(Trim(models.Value(name.strip())))
        )

    def clean(self) -> None:
        super().clean()
        if self.name:
            self.name = self.name.strip()
            existing = Programme.named(self.name).exclude(pk=self.pk).first()
            if existing is not None:
                raise ValidationError({"name": duplicate_name_message(existing.name)})
        if not is_plausible(self.start_date) or (
            self.end_date is not None and not is_plausible(self.end_date)
        ):
            return  # the field says so; date arithmetic out there would fail
        if self.start_date and not self.end_date:
            self.end_date = add_months(self.start_date, 12)
        if self.start_date and self.end_date:
            if self.end_date <= self.start_date:
                raise ValidationError({"end_date": "The end date must be after the start date."})
            if self.end_date > add_months(self.start_date, 24):
                raise ValidationError(
                    {"end_date": "A programme runs for at most 24 months; start a new cohort."}
                )

    @property
    def cadence_label(self) -> str:
        days = self.meeting_cadence_days
        names = {7: "every week", 14: "every fortnight", 30: "every month", 91: "every quarter"}
        return f"{self.meeting_minutes} minutes {names.get(days, f'every {days} days')}"

    @property
    def is_open_for_applications(self) -> bool:
        return self.phase == Phase.RECRUITING

    def current_ethics(self) -> EthicsCode | None:
        return self.ethics_codes.filter(published_at__isnull=False).order_by("-version").first()


class ProgrammeRole(models.Model):
    """One role a person holds in one programme; a person may hold several."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "user", "role"], name="unique_role")
        ]
        ordering = ["programme", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} in {self.programme}"


class IdealMentorCriterion(models.Model):
    """One weighted criterion of a programme's Ideal Mentor Profile, scored 1–5 at screening."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=400, blank=True)
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="unique_criterion_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} (×{self.weight})"


class EthicsCode(TimeStampedModel):
    """A version of a programme's code of ethics. Published versions are never edited."""

    PUBLIC_TEXT_FIELDS = ("text",)

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="ethics_codes")
    version = models.PositiveIntegerField()
    text = models.TextField()
    summary_of_changes = models.CharField(max_length=240, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["programme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "version"], name="unique_ethics_version")
        ]

    def __str__(self) -> str:
        return f"{self.programme} code of ethics v{self.version}"


class EthicsAcknowledgement(models.Model):
    code = models.ForeignKey(EthicsCode, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ethics_acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "user"], name="unique_acknowledgement")
        ]

    def __str__(self) -> str:
        return f"{self.user} acknowledged {self.code}"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    AWAITING_CONFIRMATION = "awaiting_confirmation", "Awaiting line manager"
    WAITLISTED = "waitlisted", "Waitlisted"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.AWAITING_CONFIRMATION,
    ApplicationStatus.WAITLISTED,
]


class Application(TimeStampedModel):
    """A person's application to take part in a programme as a mentor or a mentee."""

    # Read by the programme's reviewers; the decision's reason by the applicant too.
    PUBLIC_TEXT_FIELDS = ("statement", "preferred_qualities", "decision_reason")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    role = models.CharField(
        max_length=12, choices=[(Role.MENTOR, "Mentor"), (Role.MENTEE, "Mentee")]
    )
    status = models.CharField(
        max_length=24, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    statement = models.TextField(
        help_text="Mentees: what you want to learn and why. Mentors: what you can offer."
    )
    topics = models.ManyToManyField("people.Topic", blank=True, related_name="applications")
    hours_per_month = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    availability = models.CharField(
        max_length=240, blank=True, help_text="When you can usually meet, e.g. Tuesday mornings."
    )
    mentee_capacity = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Mentors: how many mentees you can take.",
    )
    preferred_qualities = models.TextField(blank=True)
    avoid = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="People you would rather not be matched with. Only coordinators see this.",
    )
    fit_score = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Weighted Ideal Mentor Profile score, 1–5, averaged over reviewers.",
    )
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    confirmation_token = models.CharField(max_length=64, blank=True, db_index=True)
    confirmation_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "applicant", "role"],
                condition=~Q(status="withdrawn"),
                name="one_live_application_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant} as {self.role} in {self.programme}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:application", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_label(self) -> str:
        if self.role == Role.MENTEE and self.status == ApplicationStatus.ACCEPTED:
            return "Confirmed"
        return self.get_status_display()

    @property
    def fit_percent(self) -> int | None:
        if self.fit_score is None:
            return None
        return round((self.fit_score - Decimal(1)) / Decimal(4) * 100)

    def new_confirmation_token(self) -> str:
        self.confirmation_token = secrets.token_urlsafe(32)
        return self.confirmation_token


class Screening(TimeStampedModel):
    """One reviewer's scoring of a mentor application against the Ideal Mentor Profile."""

    PUBLIC_TEXT_FIELDS = ("comment",)

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="screenings"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="screenings"
    )
    comment = models.TextField(blank=True)
    weighted_score = models.DecimalField(max_digits=4, decimal_places=2)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_screening_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.application}"


class CriterionScore(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        IdealMentorCriterion, on_delete=models.CASCADE, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="score_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.score}"
