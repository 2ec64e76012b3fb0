from __future__ import annotations

import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from mentorcraft.core.models import TimeStampedModel
from mentorcraft.core.validators import single_line


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. The email address is the login."""

    email = models.EmailField(unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Deployment administrators: may use the admin site."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    @property
    def display_name(self) -> str:
        profile = getattr(self, "profile", None)
        if profile is not None and profile.full_name:
            return profile.full_name
        return self.email


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """An entry of the shared topic taxonomy, edited by coordinators."""

    name = models.CharField(max_length=80, unique=True)
    category = models.CharField(max_length=80, blank=True)
    description = models.CharField(max_length=240, blank=True)

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name


def _validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name such as Europe/London.")


class Profile(TimeStampedModel):
    PUBLIC_TEXT_FIELDS = ("bio",)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    full_name = models.CharField(max_length=150, validators=[single_line])
    pronouns = models.CharField(max_length=40, blank=True, validators=[single_line])
    job_title = models.CharField(max_length=120, blank=True, validators=[single_line])
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="profiles"
    )
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_reports",
    )
    # The organisation's record of the line manager (set by a coordinator or an import). Where
    # set it wins: ``line_manager`` is kept equal to it, and the person cannot change it.
    org_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="line manager on the organisation's record",
    )
    org_manager_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    org_manager_set_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=120, blank=True, validators=[single_line])
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[_validate_time_zone]
    )
    languages = models.JSONField(
        default=list, blank=True, help_text="Languages spoken, e.g. English, German."
    )
    bio = models.TextField(blank=True, max_length=5000)
    expertise = models.ManyToManyField(Topic, blank=True, related_name="experts")
    learning_topics = models.ManyToManyField(Topic, blank=True, related_name="learners")
    years_experience = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(70)]
    )
    hours_per_month = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
        help_text="Hours a month you can give to mentoring.",
    )

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.user.email

    def clean(self) -> None:
        super().clean()
        if self.line_manager_id and self.line_manager_id == self.user_id:
            raise ValidationError({"line_manager": "A person cannot be their own line manager."})
        if self.org_manager_id and self.org_manager_id == self.user_id:
            raise ValidationError({"org_manager": "A person cannot be their own line manager."})
        self.languages = [lang.strip() for lang in self.languages if str(lang).strip()]


class ApiToken(TimeStampedModel):
    """A personal API token for scripts. Only a hash is stored; the token is shown once. It
    expires (the creator picks when), may be read-only, and dies when its owner's password
    changes (``password_stamp`` no longer matches) or the account is deactivated."""

    LIFETIMES = (7, 30, 90, 180, 365)
    DEFAULT_LIFETIME = 90

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=8, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    read_only = models.BooleanField(
        default=False, help_text="Only reads (GET); anything that changes data is refused."
    )
    password_stamp = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def stamp_for(user: object) -> str:
        """A fingerprint of the owner's password hash: a new password gives a new one."""
        return hashlib.sha256(str(getattr(user, "password", "")).encode()).hexdigest()[:16]

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "mc_" + secrets.token_urlsafe(32)


class Invitation(TimeStampedModel):
    """A sign-up invitation. In invite-only deployments it is the only way to create an account."""

    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(
        max_length=12,
        blank=True,
        choices=[("mentor", "Mentor"), ("mentee", "Mentee")],
        help_text="With a programme: the role the person is invited to apply for.",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ErasureRequest(TimeStampedModel):
    """A person's request to be erased. An administrator carries it out once the retention
    check passes (``people.privacy.erasure_holds_for``), or refuses it with a note. Erasure
    anonymises the person and keeps every record shared with someone else (docs/privacy.md)."""

    PUBLIC_TEXT_FIELDS = ("reason", "note")

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        CARRIED_OUT = "erased", "Carried out"
        REFUSED = "refused", "Refused"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="erasure_requests"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="requested"),
                name="one_open_erasure_request",
            )
        ]

    def __str__(self) -> str:
        # No name: this is what the audit log keeps, and it outlives the erasure.
        return f"Erasure request {self.pk} ({self.get_status_display().lower()})"


class PeopleImport(TimeStampedModel):
    """One import of the organisation's record (``people.imports``): who ran it, from which
    file, and what it changed. Kept so that a record someone questions can be traced to it."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    managers_set = models.PositiveIntegerField(default=0)
    new_teams = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"People import {self.pk} ({self.rows} rows)"
