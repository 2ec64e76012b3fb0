"""Recognition: thank-you notes to mentors (and to the people who support them), and
certificates of what someone did, a finished mentorship or a year of supervision.

A note is private to the two people it is between. The programme's coordinators see how many
notes each person received, never what they say, unless the recipient chooses to show a note
to them. A certificate is read by its holder and the programme's coordinators; its reference
lets either check that a printed copy is genuine.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from mentorcraft.mentorships.models import Mentorship
from mentorcraft.programmes.models import Programme

# The same limit on the page and in the API.
MESSAGE_LIMIT = 1000


class ThankYouNote(models.Model):
    """A few words of thanks from one person to another, in one programme."""

    CONFIDENTIAL_FIELDS = ("message",)

    class Kind(models.TextChoices):
        FROM_MENTEE = "mentee", "From a mentee"
        FROM_COORDINATOR = "coordinator", "From a coordinator"
        FROM_MENTOR = "mentor", "From a mentor they supervise"

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="thanks_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_received"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="thanks")
    mentorship = models.ForeignKey(
        Mentorship, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=11, choices=Kind.choices)
    message = models.TextField(max_length=MESSAGE_LIMIT)
    # Sent with the form: a second submission of the same form finds the first note.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shown_to_coordinators = models.BooleanField(
        default=False,
        help_text="The recipient lets the programme's coordinators read this note.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["sender", "-created_at"]),
            models.Index(fields=["programme", "recipient"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=models.F("recipient")), name="no_self_thanks"
            )
        ]

    def __str__(self) -> str:
        return f"Thank-you note {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("recognition:note", args=[self.pk])


# Letters that cannot be mistaken for one another when read aloud or typed from paper.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_PATTERN = r"MC-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}"


def new_reference() -> str:
    """``MC-7K3Q-9XFD``: random, short enough to type, impossible to guess one from another."""
    letters = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"MC-{letters[:4]}-{letters[4:]}"


class Certificate(models.Model):
    """A certificate as issued: what it says is kept as it was on the day, so that a printed
    copy can be checked against it later. Issued by ``services.certificates_issue``."""

    class Kind(models.TextChoices):
        MENTORSHIP = "mentorship", "Completion of a mentorship"
        SUPERVISION = "supervision", "A year of supervision"

    class As(models.TextChoices):
        MENTOR = "mentor", "Mentor"
        MENTEE = "mentee", "Mentee"

    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    kind = models.CharField(max_length=11, choices=Kind.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    holder_as = models.CharField(max_length=6, choices=As.choices, default=As.MENTOR)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="certificates")
    mentorship = models.ForeignKey(
        Mentorship, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # As printed on the day it was issued.
    holder_name = models.CharField(max_length=200)
    programme_name = models.CharField(max_length=140)
    coordinator_name = models.CharField(max_length=200, blank=True)
    mentor_name = models.CharField(
        max_length=200, blank=True, help_text="On a mentee's certificate: who mentored them."
    )
    period_start = models.DateField()
    period_end = models.DateField()
    months = models.PositiveSmallIntegerField(default=0)
    meetings = models.PositiveIntegerField(
        default=0, help_text="Meetings held, or supervision sessions attended."
    )
    minutes = models.PositiveIntegerField(default=0)
    issued_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "holder"],
                condition=Q(kind="mentorship"),
                name="one_certificate_per_mentorship_and_holder",
            ),
            models.UniqueConstraint(
                fields=["holder", "programme", "period_start"],
                condition=Q(kind="supervision"),
                name="one_certificate_per_supervision_year",
            ),
            models.CheckConstraint(
                condition=Q(kind="supervision", mentorship__isnull=True)
                | Q(kind="mentorship", mentorship__isnull=False),
                name="certificate_kind_matches_source",
            ),
        ]

    def __str__(self) -> str:
        return f"Certificate {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("recognition:certificate", args=[self.reference])

    def verify_url(self) -> str:
        return reverse("recognition:verify", args=[self.reference])

    @property
    def title(self) -> str:
        if self.kind == self.Kind.SUPERVISION:
            return "Certificate of supervision"
        return "Certificate of completion"

    @property
    def hours(self) -> str:
        """Whole hours, or hours and a half: "14", "14½"."""
        whole, rest = divmod(self.minutes, 60)
        return f"{whole}½" if rest >= 30 else str(whole)

    @property
    def what(self) -> str:
        """One line of what the holder did, for lists."""
        if self.kind == self.Kind.SUPERVISION:
            return f"A year of supervision in {self.programme_name}"
        if self.holder_as == self.As.MENTEE:
            return f"Mentored by {self.mentor_name} in {self.programme_name}"
        return f"Mentoring in {self.programme_name}"
