"""Supervision: who mentors the mentors. Supervisors (internal mentoring coaches from the cadre,
or external supervisors) take mentors per programme, in circles of three to five or one to one;
sessions with a register; the topics mentors bring, tagged by function; the coach's own
confidential notes; and concerns about a mentorship, which go to the coordinators alone.

Confidentiality is the point: a topic is read by the mentor who brought it and their
supervisor; a coach note by its author alone (it is not even in the admin); a concern by whoever
raised it and the programme's coordinators, never by the other party of the mentorship.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from mentorcraft.core.agreements import AgreementSignatureBase, AgreementVersionBase
from mentorcraft.core.models import TimeStampedModel
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.programmes.models import Programme

TEXT_LIMIT = 4000


class Supervisor(TimeStampedModel):
    """Someone who supervises mentors in one programme, with how many mentors they can take."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", "Internal mentoring coach"
        EXTERNAL = "external", "External supervisor"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="supervisors")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervising"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.INTERNAL)
    capacity = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
        help_text="How many mentors they can supervise in this programme.",
    )
    active = models.BooleanField(default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person__profile__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="one_supervisor_row")
        ]

    def __str__(self) -> str:
        return f"{self.person} supervising in {self.programme}"


class Formation(TimeStampedModel):
    """One proposal of circles from the engine: a draft the coordinator edits, then publishes
    (or throws away). ``whole`` re-forms every circle; otherwise only mentors without one."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Set aside"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="formations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.DRAFT)
    whole = models.BooleanField(default=False)
    stats = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Circles proposed {self.created_at:%d %b %Y} for {self.programme}"

    def get_absolute_url(self) -> str:
        return reverse("support:formation", args=[self.pk])


class Circle(TimeStampedModel):
    """A supervision circle: three to five mentors with a supervisor. ``proposed`` circles
    belong to a draft formation and are nobody's yet; publishing makes them active."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    MIN_SIZE, MAX_SIZE = 3, 5

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="circles")
    formation = models.ForeignKey(
        Formation, null=True, blank=True, on_delete=models.CASCADE, related_name="circles"
    )
    name = models.CharField(max_length=80)
    supervisor = models.ForeignKey(
        Supervisor, null=True, blank=True, on_delete=models.SET_NULL, related_name="circles"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    reasons = models.JSONField(default=list, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("support:circle", args=[self.pk])


class CircleMember(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="members")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_memberships"
    )

    class Meta:
        ordering = ["mentor__profile__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["circle", "mentor"], name="one_seat_per_circle")
        ]

    def __str__(self) -> str:
        return f"{self.mentor} in {self.circle}"


class Assignment(TimeStampedModel):
    """A mentor's supervisor in a programme (through a circle, or one to one). One open
    assignment per mentor and programme; ending it keeps the history."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="supervision_assignments"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervised_by"
    )
    supervisor = models.ForeignKey(Supervisor, on_delete=models.CASCADE, related_name="assignments")
    circle = models.ForeignKey(
        Circle, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentor"],
                condition=Q(ended_at__isnull=True),
                name="one_open_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor} supervised by {self.supervisor.person}"


class SupervisionSession(TimeStampedModel):
    """A circle's session, an individual supervision, or the programme's introductory session
    for all its mentors. The summary is shared with those who attended; the coach's own notes
    are a separate record (``CoachNote``) that only they read."""

    CONFIDENTIAL_FIELDS = ("summary",)

    class Kind(models.TextChoices):
        GROUP = "group", "Circle session"
        INDIVIDUAL = "individual", "Individual supervision"
        INTRO = "intro", "Introductory session"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="supervision_sessions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_led"
    )
    circle = models.ForeignKey(
        Circle, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="individual_supervision",
    )
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(
        default=75, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    place = models.CharField(max_length=300, blank=True, help_text="A room or a video link.")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.SCHEDULED)
    attendance_taken_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(
        blank=True,
        max_length=TEXT_LIMIT,
        help_text="Shared with the mentors who attended. Write what they would want to keep; "
        "your own notes go below and nobody else reads them.",
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="group", circle__isnull=False, mentor__isnull=True))
                | Q(kind="individual", circle__isnull=True, mentor__isnull=False)
                | Q(kind="intro", circle__isnull=True, mentor__isnull=True),
                name="session_kind_matches_who",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} on {self.starts_at:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("support:session", args=[self.pk])

    @property
    def title(self) -> str:
        if self.kind == self.Kind.GROUP and self.circle_id:
            return f"{self.circle.name}: circle session"
        if self.kind == self.Kind.INDIVIDUAL and self.mentor_id:
            return f"Supervision with {self.mentor.display_name}"
        return f"What supervision is: introductory session ({self.programme.name})"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.minutes)


class Attendance(models.Model):
    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="attendance"
    )
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "mentor"], name="one_mark_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.mentor} {'present' if self.present else 'absent'} at {self.session_id}"


class CoachNote(TimeStampedModel):
    """The coach's own notes of a session: read by their author alone, through no page but
    the author's, no API, no export and no admin screen."""

    NOT_IN_ADMIN = True
    CONFIDENTIAL_FIELDS = ("text",)

    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="coach_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=TEXT_LIMIT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "author"], name="one_note_per_coach")
        ]

    def __str__(self) -> str:
        return f"Coach note {self.pk}"


class Help(models.TextChoices):
    """What a mentor wants from supervision (the seeds' own list of what mentoring support
    means to a mentor). Peer support reads the same list."""

    LISTEN = "listen", "Someone to listen without interrupting"
    ACKNOWLEDGE = "acknowledge", "Acknowledgement, and areas to develop"
    ENCOURAGE = "encourage", "Encouragement"
    ADVISE = "advise", "Advice, because I am asking for it"
    OPTIONS = "options", "Options for a challenging situation"
    EXPERIENCE = "experience", "Another mentor's experience of something similar"


class Function(models.TextChoices):
    """The three sides of supervision."""

    FORMATIVE = "formative", "Formative: skills"
    NORMATIVE = "normative", "Normative: boundaries and ethics"
    RESTORATIVE = "restorative", "Restorative: encouragement and strain"


class Part(models.TextChoices):
    """Which part of the mentoring relationship a topic concerns."""

    STARTING = "starting", "Getting started: rapport and the agreement"
    GOALS = "goals", "Goals and progress"
    MEETINGS = "meetings", "Meetings and their rhythm"
    BOUNDARIES = "boundaries", "Boundaries and confidentiality"
    CHALLENGE = "challenge", "A difficult conversation"
    CLOSING = "closing", "Closing well"
    OTHER = "other", "Something else"


# Suggested themes for a coach planning sessions (from the seeds on mentoring the mentors).
THEMES = (
    ("The mentor's many roles", "Guide, sounding board, challenger, door-opener: which one now?"),
    ("One's own style, values and biases", "What do I bring into the room without noticing?"),
    ("Power and influence", "Seniority, gatekeeping, and giving the mentee the lead."),
    ("Making tacit know-how explicit", "Turning 'I just know' into something a mentee can use."),
    ("Motivation and engagement", "Why I mentor, and what keeps me at it when it is hard."),
    ("Tools for mentoring", "Questions, goal frames, reflective writing, feedback models."),
    ("The skills of a good mentor", "Listening, questioning, support and challenge."),
)


class Topic(TimeStampedModel):
    """Something a mentor brings to supervision: the situation and the help they want. Read by
    the mentor and their supervisor (or the session's leader); tagged by the supervisor."""

    CONFIDENTIAL_FIELDS = ("title", "situation")

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="topics")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_topics"
    )
    session = models.ForeignKey(
        SupervisionSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="topics"
    )
    title = models.CharField(max_length=120, help_text="A few words the coach will recognise.")
    situation = models.TextField(
        max_length=TEXT_LIMIT,
        help_text="What is happening, as you see it. Leave out what would identify your mentee "
        "to others in a circle.",
    )
    help_wanted = models.JSONField(default=list)
    function = models.CharField(max_length=11, choices=Function.choices, blank=True)
    part = models.CharField(max_length=10, choices=Part.choices, blank=True)
    strain = models.BooleanField(
        default=False, help_text="The mentor is under strain and needs looking after."
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Topic {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("support:topic", args=[self.pk])

    @property
    def help_labels(self) -> list[str]:
        return [Help(code).label for code in self.help_wanted if code in Help.values]


class Concern(TimeStampedModel):
    """An ethics or safeguarding concern about a mentorship. Read by whoever raised it and the
    programme's coordinators; never by the other party of the mentorship. Every change of
    status is in the audit log."""

    CONFIDENTIAL_FIELDS = ("description",)

    class Kind(models.TextChoices):
        ETHICS = "ethics", "Ethics"
        SAFEGUARDING = "safeguarding", "Safeguarding"

    class Status(models.TextChoices):
        RAISED = "raised", "Raised"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        IN_HAND = "in_hand", "In hand"
        CLOSED = "closed", "Closed"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="concerns")
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="+")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_raised"
    )
    session = models.ForeignKey(
        SupervisionSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.TextField(
        max_length=TEXT_LIMIT,
        help_text="What you saw or heard, when, and anything already done. Only the "
        "programme's coordinators read it.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RAISED)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Concern {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("support:concern", args=[self.pk])


DEFAULT_AGREEMENT = (
    "How often we meet: {frequency}, and we give notice if we cannot come.\n\n"
    "What stays confidential: what each of us brings, and anything said about our mentees, "
    "stays among us and our supervisor. Mentees are not named where they could be recognised. "
    "The supervisor's own notes are theirs alone.\n\n"
    "The one limit: if what we hear suggests a risk of harm to anyone, it is passed to the "
    "programme's coordinators, and the person concerned is told first where that is safe.\n\n"
    "How concerns are raised: with \"Raise a concern\" on a pair's page or a session's page. A "
    "concern goes to the programme's coordinators only, never to the other person of the "
    "mentorship.\n\n"
    "How we work: we listen before we advise, we bring live situations, and we say what help "
    "we want."
)


class SupervisionAgreement(TimeStampedModel):
    """The agreement of a circle, or of one mentor's individual supervision: how often they
    meet, what stays confidential and its one limit, how concerns are raised. Signed by all,
    in versions (``core.agreements``, as a pair's working agreement)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="supervision_agreements"
    )
    circle = models.OneToOneField(
        Circle, null=True, blank=True, on_delete=models.CASCADE, related_name="agreement"
    )
    supervisor = models.ForeignKey(
        Supervisor, null=True, blank=True, on_delete=models.CASCADE, related_name="agreements"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(circle__isnull=False, supervisor__isnull=True, mentor__isnull=True)
                | Q(circle__isnull=True, supervisor__isnull=False, mentor__isnull=False),
                name="agreement_of_a_circle_or_a_pair",
            ),
            models.UniqueConstraint(
                fields=["supervisor", "mentor"],
                condition=Q(circle__isnull=True),
                name="one_individual_agreement",
            ),
        ]

    def __str__(self) -> str:
        return f"Supervision agreement {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("support:agreement", args=[self.pk])

    @property
    def title(self) -> str:
        if self.circle_id:
            return f"{self.circle.name}: supervision agreement"
        return f"Individual supervision of {self.mentor.display_name}: agreement"


class SupervisionAgreementVersion(AgreementVersionBase):
    CONFIDENTIAL_FIELDS = ("text",)

    agreement = models.ForeignKey(
        SupervisionAgreement, on_delete=models.CASCADE, related_name="versions"
    )

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="one_number_per_supervision_version"
            )
        ]

    def __str__(self) -> str:
        return f"Supervision agreement v{self.number}"


class SupervisionAgreementSignature(AgreementSignatureBase):
    version = models.ForeignKey(
        SupervisionAgreementVersion, on_delete=models.CASCADE, related_name="signatures"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "user"], name="one_supervision_signature_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} signed {self.version}"


class CheckInSettings(models.Model):
    """How often the programme's coordinators meet each mentor (a support of its own)."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="check_in_settings"
    )
    every_weeks = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text="A check-in with each mentor every this many weeks.",
    )

    class Meta:
        verbose_name_plural = "check-in settings"

    def __str__(self) -> str:
        return f"Check-ins every {self.every_weeks} weeks in {self.programme}"


class CheckIn(TimeStampedModel):
    """A coordinator's regular check-in with one mentor: when, how, and a short record."""

    PUBLIC_TEXT_FIELDS = ("note",)

    class How(models.TextChoices):
        MEETING = "meeting", "In person"
        CALL = "call", "Call or video"
        MESSAGE = "message", "In writing"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="check_ins")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coordinator_check_ins"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_on = models.DateField()
    how = models.CharField(max_length=8, choices=How.choices, default=How.MEETING)
    note = models.TextField(
        max_length=1000,
        blank=True,
        help_text="A short record for the coordinators: how they are, what they asked for.",
    )

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Check-in with {self.mentor} on {self.held_on}"


class Practice(models.TextChoices):
    """What our sources ask of a mentor in a conversation: the list a reflection is written
    against, and the first-meeting and mid-point guides on the pair's page."""

    KNOW = "know", "Got to know my mentee: their world, hopes and worries"
    BALANCE = "balance", "Kept a balance of talking and listening"
    QUESTIONS = "questions", "Asked questions rather than gave answers"
    ASSUMPTIONS = "assumptions", "Checked my assumptions out loud"
    SUPPORT = "support", "Gave support and challenge, both"
    FEEDBACK = "feedback", "Asked for feedback on my own mentoring"


# The practices as something to do next time (the list itself says what was done).
PRACTICE_NEXT = {
    Practice.KNOW: "Get to know my mentee better",
    Practice.BALANCE: "Keep a balance of talking and listening",
    Practice.QUESTIONS: "Ask questions rather than give answers",
    Practice.ASSUMPTIONS: "Check my assumptions out loud",
    Practice.SUPPORT: "Give support and challenge, both",
    Practice.FEEDBACK: "Ask for feedback on my own mentoring",
}


# What each practice asks, at the first meeting and at the mid-point.
GUIDES = {
    "first": {
        Practice.KNOW: "Ask about their work, their path so far and what they hope for; share a "
        "little of yours.",
        Practice.BALANCE: "Aim to listen for two thirds of the time.",
        Practice.QUESTIONS: "Open questions: what, how, what else. Hold back the story of how "
        "you did it.",
        Practice.ASSUMPTIONS: "Say what you think you heard, and ask if it is right.",
        Practice.SUPPORT: "Agree the working agreement together, and one first step.",
        Practice.FEEDBACK: "Ask: how was this for you, and what should we do differently?",
    },
    "midpoint": {
        Practice.KNOW: "What has changed for them since you started?",
        Practice.BALANCE: "Who has done most of the talking lately?",
        Practice.QUESTIONS: "Which of their goals moved because of their own answer, not yours?",
        Practice.ASSUMPTIONS: "Which of your first impressions turned out wrong?",
        Practice.SUPPORT: "Where could you stretch them more, or back off?",
        Practice.FEEDBACK: "How is the mentoring working for them? Let them say it in their "
        "own words.",
    },
}


class Reflection(TimeStampedModel):
    """A mentor's short reflection after a meeting with their mentee, against the practices.
    Private to the mentor (it is not even in the admin) unless they bring it to supervision,
    which makes a topic of it."""

    NOT_IN_ADMIN = True
    CONFIDENTIAL_FIELDS = ("note",)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        "mentorships.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    went_well = models.JSONField(default=list, blank=True)
    to_work_on = models.CharField(max_length=12, choices=Practice.choices, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    topic = models.OneToOneField(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="reflection"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Reflection {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("support:reflection", args=[self.pk])

    @property
    def to_work_on_label(self) -> str:
        return PRACTICE_NEXT.get(self.to_work_on, "")

    @property
    def went_well_labels(self) -> list[str]:
        return [Practice(code).label for code in self.went_well if code in Practice.values]


class ExternalSupport(TimeStampedModel):
    """Support a mentor has outside the programme: an external mentor or supervisor (often
    funded), or a colleague in their own professional network. Recorded by the mentor or a
    coordinator, so that the coordinators see that every mentor has support of some kind."""

    PUBLIC_TEXT_FIELDS = ("notes",)

    class Kind(models.TextChoices):
        MENTOR = "mentor", "An external mentor"
        SUPERVISOR = "supervisor", "An external supervisor"
        NETWORK = "network", "A colleague in my professional network"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="external_supports"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_supports"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    who = models.CharField(max_length=120, help_text="A name, and where they are from.")
    how_often = models.CharField(
        max_length=80, blank=True, help_text="For example: monthly, every six weeks, as needed."
    )
    funded = models.BooleanField(default=False, help_text="Paid for by the organisation.")
    notes = models.TextField(max_length=500, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.mentor}"


class Way(models.TextChoices):
    """The ways a programme can support its mentors (the seeds' five, and supervision)."""

    SUPERVISION = "supervision", "Supervision with a mentoring coach, one to one"
    CIRCLE = "circle", "A supervision circle with other mentors"
    PEER = "peer", "A peer partnership with another mentor"
    COMMUNITY = "community", "A community of practice of mentors"
    EXTERNAL = "external", "A mentor or supervisor outside the organisation"
    CHECK_IN = "check_in", "Regular time with the programme coordinator"


class SupportAsk(TimeStampedModel):
    """A coordinator asks every mentor of a programme what support they would appreciate."""

    PUBLIC_TEXT_FIELDS = ("message",)

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="support_asks")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Support asked in {self.programme} on {self.created_at:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("support:ask", args=[self.pk])


class SupportAnswer(TimeStampedModel):
    """One mentor's answer: the help they would want (the same list as topics) and the ways
    they would use; a word for the coordinators. It can be changed."""

    PUBLIC_TEXT_FIELDS = ("comment",)

    ask = models.ForeignKey(SupportAsk, on_delete=models.CASCADE, related_name="answers")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    help_wanted = models.JSONField(default=list, blank=True)
    ways = models.JSONField(default=list, blank=True)
    comment = models.TextField(max_length=1000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ask", "mentor"], name="one_answer_per_mentor")
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk}"

    @property
    def help_labels(self) -> list[str]:
        return [Help(code).label for code in self.help_wanted if code in Help.values]

    @property
    def way_labels(self) -> list[str]:
        return [Way(code).label for code in self.ways if code in Way.values]


# --- Peer partnerships -----------------------------------------------------------------------
# The partnership itself is a mentorship of kind "peer" (mentorships.models): these rows are
# the asking and the proposing around it.


class PeerRequest(TimeStampedModel):
    """A mentor asks for a peer partner and says what they would want from one (the same list
    as supervision topics). Shown to the coordinators and, once paired, to the partner."""

    PUBLIC_TEXT_FIELDS = ("about",)

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a partner"
        PAIRED = "paired", "Paired"
        WITHDRAWN = "withdrawn", "Withdrawn"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="peer_requests")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_requests"
    )
    help_wanted = models.JSONField(default=list, blank=True)
    about = models.TextField(
        max_length=500,
        blank=True,
        help_text="What you would like to talk about with another mentor (optional).",
    )
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.OPEN)
    partnership = models.ForeignKey(
        Mentorship, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentor"],
                condition=Q(status="open"),
                name="one_open_peer_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor} asks for a peer partner in {self.programme}"

    @property
    def help_labels(self) -> list[str]:
        return [Help(code).label for code in self.help_wanted if code in Help.values]


class PeerRound(TimeStampedModel):
    """One proposal of peer pairs from the engine: a draft the coordinator trims, then
    publishes (every pair becomes a partnership) or sets aside."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Set aside"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="peer_rounds")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.DRAFT)
    # Mentors the engine could not pair: [{"mentor": id, "reason": words}].
    unpaired = models.JSONField(default=list, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Peer pairs proposed {self.created_at:%d %b %Y} for {self.programme}"

    def get_absolute_url(self) -> str:
        return reverse("support:peers", args=[self.programme_id])


class PeerMatch(models.Model):
    """A proposed pair: ``first`` has more experience. ``reasons`` are the engine's words."""

    round = models.ForeignKey(PeerRound, on_delete=models.CASCADE, related_name="matches")
    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    partnership = models.ForeignKey(
        Mentorship, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name_plural = "peer matches"

    def __str__(self) -> str:
        return f"{self.first} and {self.second}"
