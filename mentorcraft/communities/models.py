"""Communities of practice: one per programme for its mentors, and one for its mentees when a
coordinator opens it. Each has events (meetings, roundtables, mini-trainings that can count as
a training session) with replies and a register, discussion threads that coordinators moderate,
and a library of links and files.

Who takes part: the programme's people in the community's role (mentors, or mentees), its
coordinators (who moderate) and, in the mentors' community, its supervisors, who may facilitate.
Everyone else with a part in the programme is refused (403); anyone else learns nothing (404).

A roundtable's figures are taken once, over the members of the community at that moment, and
kept: a person's own figures are theirs alone, and a group figure is kept only when at least
``MIN_CONTRIBUTORS`` people contribute to it. Because the figures never change afterwards,
nobody who leaves (or joins) can be found by difference.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core.models import TimeStampedModel
from mentorcraft.core.roles import Role
from mentorcraft.programmes.models import Programme

# Free text is limited in the same way on the pages and in the API.
TITLE_LIMIT = 160
POST_LIMIT = 4000
DESCRIPTION_LIMIT = 2000
ABOUT_LIMIT = 1000
REASON_LIMIT = 300
PLACE_LIMIT = 300
# The longest an event lasts, in minutes.
MAX_MINUTES = 480
# A group figure is shown only when at least this many people contribute to it.
MIN_CONTRIBUTORS = 5


class Audience(models.TextChoices):
    MENTORS = "mentors", "Mentors"
    MENTEES = "mentees", "Mentees"


AUDIENCE_ROLE = {Audience.MENTORS: Role.MENTOR, Audience.MENTEES: Role.MENTEE}
AUDIENCE_NAME = {
    Audience.MENTORS: "Mentors' community of practice",
    Audience.MENTEES: "Mentees' community of learning",
}


class Community(TimeStampedModel):
    """A programme's community for its mentors or its mentees."""

    PUBLIC_TEXT_FIELDS = ("about",)

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="communities")
    audience = models.CharField(max_length=8, choices=Audience.choices)
    about = models.TextField(
        max_length=ABOUT_LIMIT,
        blank=True,
        help_text="What the community is for and how it works, in a few sentences.",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["programme__name", "audience"]
        verbose_name_plural = "communities"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "audience"], name="one_community_per_audience"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.programme})"

    def get_absolute_url(self) -> str:
        return reverse("communities:community", args=[self.pk])

    @property
    def name(self) -> str:
        return AUDIENCE_NAME[self.audience]

    @property
    def role(self) -> str:
        """The programme role whose people are the members."""
        return AUDIENCE_ROLE[self.audience]


class Event(TimeStampedModel):
    """A community's meeting, roundtable or mini-training, with replies, places when capped,
    a calendar entry (``uid`` never changes; ``sequence`` rises with every change) and a
    register. A mini-training may be linked to a training module: taking its register then
    records the training through the training app's own services."""

    PUBLIC_TEXT_FIELDS = ("description",)

    class Kind(models.TextChoices):
        MEETING = "meeting", "Community meeting"
        ROUNDTABLE = "roundtable", "Roundtable"
        TRAINING = "mini_training", "Mini-training"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=13, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(max_length=TITLE_LIMIT)
    description = models.TextField(max_length=DESCRIPTION_LIMIT, blank=True)
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(15), MaxValueValidator(MAX_MINUTES)]
    )
    place = models.CharField(
        max_length=PLACE_LIMIT, blank=True, help_text="A room, or a video-call link."
    )
    capacity = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text="Places, if there is a limit; people beyond it go on the waitlist.",
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    module = models.ForeignKey(
        "training.Module",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A mini-training that counts as this training module.",
    )
    training_session = models.ForeignKey(
        "training.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.SCHEDULED)
    attendance_taken_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["community", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} on {self.starts_at:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("communities:event", args=[self.pk])

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.minutes)

    @property
    def cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_roundtable(self) -> bool:
        return self.kind == self.Kind.ROUNDTABLE

    @property
    def over(self) -> bool:
        return self.ends_at <= timezone.now()


class Rsvp(TimeStampedModel):
    """A person's answer to an event: going, not going, or waiting for a place. ``since`` is
    when the answer last changed, which orders the waitlist."""

    class Answer(models.TextChoices):
        GOING = "going", "Going"
        WAITLISTED = "waitlisted", "On the waitlist"
        NOT_GOING = "not_going", "Not going"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_rsvps"
    )
    answer = models.CharField(max_length=10, choices=Answer.choices)
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["since", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="one_answer_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.answer} for {self.event_id}"


class EventAttendance(models.Model):
    """One line of an event's register."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="one_mark_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.person} {'present' if self.present else 'absent'} at {self.event_id}"


class RoundtableSnapshot(models.Model):
    """A roundtable's figures, taken once over a fixed cohort (the community's members at that
    moment) and never recomputed. ``group`` holds one entry per measure: its code, how many
    people contribute, and the median and quartiles, or none of them when fewer than
    ``MIN_CONTRIBUTORS`` do. ``own`` holds each member's own figures under ``p<person id>``:
    read key by key, each by its person alone (never by the facilitator, the coordinators or
    in the admin), and written in one row, so that taking the figures costs the same queries
    for 50 members or 5,000."""

    CONFIDENTIAL_FIELDS = ("own",)

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="snapshot")
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cohort_size = models.PositiveIntegerField()
    group = models.JSONField(default=list)
    own = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Roundtable figures of {self.event_id}, taken {self.taken_at:%d %b %Y}"

    @staticmethod
    def key(person_id: int) -> str:
        """The key of a person's own figures (not a bare number: PostgreSQL would read that as
        an index into an array)."""
        return f"p{person_id}"


class Thread(TimeStampedModel):
    """A discussion: a title, the opening post and the replies. A coordinator may lock it (no
    new replies)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=TITLE_LIMIT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_posted_at = models.DateTimeField(default=timezone.now)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-last_posted_at", "-pk"]
        indexes = [models.Index(fields=["community", "-last_posted_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communities:thread", args=[self.pk])

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


class Post(TimeStampedModel):
    """A post in a thread. Members write for each other, so the admin neither shows nor
    searches what they wrote; coordinators moderate on the community's pages. A hidden post
    reads "hidden by a moderator" to members; its author and the moderators still read it,
    with the reason."""

    CONFIDENTIAL_FIELDS = ("body",)

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=POST_LIMIT)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=REASON_LIMIT, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        return f"Post {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("communities:thread", args=[self.thread_id]) + f"#post-{self.pk}"

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None


class Following(models.Model):
    """Whether a person follows a thread (its author and everyone who replies do, until they
    say otherwise), and when they last read it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="followings")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_followings"
    )
    following = models.BooleanField(default=True)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "person"], name="one_following_per_thread")
        ]

    def __str__(self) -> str:
        return f"{self.person} {'follows' if self.following else 'left'} {self.thread_id}"


def upload_path(instance: Resource, filename: str) -> str:
    """A name of our own under the community's folder: the person's file name is kept in the
    row and used only for the download."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"communities/{instance.community_id}/{uuid.uuid4().hex}{suffix}"


class Resource(TimeStampedModel):
    """A link or an uploaded file in a community's library, with a kind and topic tags. A
    file is sent only to the community's members, through a view that checks who asks."""

    PUBLIC_TEXT_FIELDS = ("description",)

    class Kind(models.TextChoices):
        GUIDE = "guide", "Guide"
        TEMPLATE = "template", "Template"
        ARTICLE = "article", "Article"
        VIDEO = "video", "Video"
        CHECKLIST = "checklist", "Checklist or tool"
        OTHER = "other", "Other"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=TITLE_LIMIT)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.GUIDE)
    description = models.TextField(max_length=DESCRIPTION_LIMIT, blank=True)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to=upload_path, max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    topics = models.ManyToManyField("people.Topic", blank=True, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="resource_is_a_link_or_a_file",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)

    def get_absolute_url(self) -> str:
        """Where opening it goes: the link itself, or the download that checks membership."""
        if self.is_file:
            return reverse("communities:resource_download", args=[self.pk])
        return self.url

    @property
    def size_text(self) -> str:
        size = self.file_size
        if size < 1024:
            return f"{size} bytes"
        if size < 1024 * 1024:
            return f"{size / 1024:.0f} KB"
        return f"{size / 1024 / 1024:.1f} MB"
