"""Permission-scoped reads for recognition, and one access helper per entity.

Who reads what:

- a thank-you note: the person who sent it and the person it thanks; the programme's
  coordinators only when the recipient has shown it to them (otherwise 403, as for everyone
  else with a part in the programme); everyone else 404. Coordinators see how many notes each
  person received (``thanks_counts``), never the words;
- a certificate, and its verification: the holder and the programme's coordinators (403 to
  others with a part in the programme, 404 to the rest);
- a programme's recognition page: its coordinators;
- a record of mentoring: the person's own, nobody else's.

Mentorships are read through ``Mentorship.objects``, which holds mentoring only: a peer
partnership between two mentors earns no certificate and is no reason to thank a "mentor".
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NoReturn

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from mentorcraft.mentorships.models import Closure, Meeting, Mentorship
from mentorcraft.people.models import User
from mentorcraft.programmes.access import first_or_404, is_coordinator, refuse, roles_by_programme
from mentorcraft.programmes.models import Programme, ProgrammeRole, Role
from mentorcraft.recognition import rules
from mentorcraft.recognition.models import REFERENCE_PATTERN, Certificate, ThankYouNote
from mentorcraft.support.models import Assignment, Supervisor
from mentorcraft.support.selectors import supervises_in, supervision_attended
from mentorcraft.training.models import Completion

# What the home card and a record show of the thanks received.
RECENT_THANKS = datetime.timedelta(days=90)
RECENT_SHOWN = 3
RECORD_THANKS_SHOWN = 20
# A new certificate is a next step for this long, until its holder opens it.
NEW_CERTIFICATE = datetime.timedelta(days=60)


def _refuse(
    user: User, programme: Programme, message: str, *, what: str, known: bool = False
) -> NoReturn:
    """403 with ``message`` to anyone with a part in the programme (a supervisor in it
    counts), 404 "No such <what>" to everyone else."""
    refuse(
        user,
        programme,
        message,
        what=what,
        known=known or (user.is_authenticated and supervises_in(user, programme)),
    )


def coordinates(user: User, programme_id: int) -> bool:
    """Holds the coordinator role in the programme itself (a note is from a coordinator only
    when they are one; an administrator is not)."""
    return Role.COORDINATOR in roles_by_programme(user).get(programme_id, set())


# --- Access helpers --------------------------------------------------------------------------


def note_get_for_user(user: User, pk: int, *, share: bool = False) -> ThankYouNote:
    """Read: the sender and the recipient, and the coordinators if the recipient showed it to
    them. ``share`` (show it to the coordinators, or stop): the recipient alone."""
    note = first_or_404(
        ThankYouNote.objects.select_related("sender__profile", "recipient__profile", "programme"),
        pk,
        "note",
        user,
    )
    if user.pk == note.recipient_id:
        return note
    between = user.pk == note.sender_id
    if not share and (
        between or (note.shown_to_coordinators and is_coordinator(user, note.programme))
    ):
        return note
    _refuse(
        user,
        note.programme,
        "Only the person thanked decides who else reads it."
        if share
        else "A thank-you note is read by the two people it is between; the coordinators see "
        "how many notes each person received.",
        what="note",
        known=between,
    )


def certificate_get_for_user(user: User, reference: str) -> Certificate:
    """The holder and the programme's coordinators; a reference that is not one is 404."""
    reference = (reference or "").strip().upper()
    if not user.is_authenticated or not re.fullmatch(REFERENCE_PATTERN, reference):
        raise Http404("No such certificate.")
    certificate = (
        Certificate.objects.select_related("programme", "holder__profile", "mentorship")
        .filter(reference=reference)
        .first()
    )
    if certificate is None:
        raise Http404("No such certificate.")
    if certificate.holder_id == user.pk or is_coordinator(user, certificate.programme):
        return certificate
    _refuse(
        user,
        certificate.programme,
        "A certificate is read by its holder and the programme's coordinators.",
        what="certificate",
    )


def programme_for_sender(user: User, pk: int) -> Programme:
    """A programme someone may thank people in: one they take part in (a role, or supervising
    there). Anyone else gets 404, and learns nothing of the programme or its people."""
    programme = first_or_404(Programme.objects.all(), pk, "programme", user)
    if roles_by_programme(user).get(programme.pk) or supervises_in(user, programme):
        return programme
    raise Http404("No such programme.")


def programme_for_coordinator(user: User, pk: int) -> Programme:
    """A programme's recognition page: its coordinators."""
    programme = first_or_404(Programme.objects.all(), pk, "programme", user)
    if not is_coordinator(user, programme):
        _refuse(
            user,
            programme,
            "Only the programme's coordinators see its thanks and certificates.",
            what="programme",
        )
    return programme


# --- Whom a person may thank -----------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Someone this person may thank, in one programme, and why."""

    person: User
    programme: Programme
    kind: str  # ThankYouNote.Kind: what the sender is to them
    relation: str  # "your mentor", "a mentor", "your supervisor", ...
    mentorship: Mentorship | None = None

    @property
    def key(self) -> str:
        return f"{self.programme.pk}-{self.person.pk}"

    @property
    def label(self) -> str:
        return f"{self.person.display_name}, {self.relation}"


def recipients_for(user: User) -> list[Recipient]:
    """Everyone this person may thank: as a mentee, their mentors (now or before); as a
    coordinator, the programme's mentors, coaches and supervisors; as a mentor, their
    supervisors (now or before). At most four queries; one entry per person and programme,
    by programme."""
    if not user.is_authenticated:
        return []
    roles = roles_by_programme(user)
    found: dict[str, Recipient] = {}

    def add(recipient: Recipient) -> None:
        if recipient.person.pk != user.pk:
            found.setdefault(recipient.key, recipient)

    for m in (
        Mentorship.objects.filter(mentee=user)
        .select_related("programme", "mentor__profile")
        .order_by("-started_on", "-pk")
    ):
        add(Recipient(m.mentor, m.programme, ThankYouNote.Kind.FROM_MENTEE, "your mentor", m))
    if any(Role.MENTOR in r for r in roles.values()):
        for a in Assignment.objects.filter(mentor=user).select_related(
            "programme", "supervisor__person__profile"
        ):
            add(
                Recipient(
                    a.supervisor.person,
                    a.programme,
                    ThankYouNote.Kind.FROM_MENTOR,
                    "your supervisor",
                )
            )
    coordinated = [pk for pk, r in roles.items() if Role.COORDINATOR in r]
    if coordinated:
        words = {Role.MENTOR: "a mentor", Role.COACH: "a coach"}
        for row in (
            ProgrammeRole.objects.filter(
                programme__in=coordinated, role__in=[Role.MENTOR, Role.COACH], user__is_active=True
            )
            .select_related("programme", "user__profile")
            .order_by("role", "user__profile__full_name", "user_id")
        ):
            add(
                Recipient(
                    row.user, row.programme, ThankYouNote.Kind.FROM_COORDINATOR, words[row.role]
                )
            )
        for s in Supervisor.objects.filter(programme__in=coordinated).select_related(
            "programme", "person__profile"
        ):
            add(
                Recipient(s.person, s.programme, ThankYouNote.Kind.FROM_COORDINATOR, "a supervisor")
            )
    return sorted(
        found.values(),
        key=lambda r: (r.programme.name, r.kind != ThankYouNote.Kind.FROM_MENTEE, r.label),
    )


def relation_of(
    sender: User, recipient: User, programme: Programme, mentorship: Mentorship | None = None
) -> tuple[str, Mentorship | None]:
    """What the sender is to the recipient in this programme (a ``ThankYouNote.Kind``), and
    the mentorship the thanks is for; ("", None) when they may not thank them here."""
    mentored = Mentorship.objects.filter(programme=programme, mentee=sender, mentor=recipient)
    if mentorship is not None:
        mentored = mentored.filter(pk=mentorship.pk)
    found = mentored.order_by("-started_on", "-pk").first()
    if found is not None:
        return ThankYouNote.Kind.FROM_MENTEE, found
    if mentorship is not None:
        return "", None
    if coordinates(sender, programme.pk) and (
        ProgrammeRole.objects.filter(
            programme=programme, user=recipient, role__in=[Role.MENTOR, Role.COACH]
        ).exists()
        or Supervisor.objects.filter(programme=programme, person=recipient).exists()
    ):
        return ThankYouNote.Kind.FROM_COORDINATOR, None
    if Assignment.objects.filter(
        programme=programme, mentor=sender, supervisor__person=recipient
    ).exists():
        return ThankYouNote.Kind.FROM_MENTOR, None
    return "", None


# --- Notes -----------------------------------------------------------------------------------


def thanks_received(user: User) -> QuerySet[ThankYouNote]:
    return ThankYouNote.objects.filter(recipient=user).select_related(
        "sender__profile", "programme"
    )


def thanks_sent(user: User) -> QuerySet[ThankYouNote]:
    return ThankYouNote.objects.filter(sender=user).select_related(
        "recipient__profile", "programme"
    )


def recent_thanks(user: User, now: datetime.datetime | None = None) -> list[ThankYouNote]:
    """The latest few notes this person received in the last three months (one query)."""
    since = (now or timezone.now()) - RECENT_THANKS
    return list(thanks_received(user).filter(created_at__gte=since)[:RECENT_SHOWN])


def thanks_between(sender: User, recipient: User) -> QuerySet[ThankYouNote]:
    return ThankYouNote.objects.filter(sender=sender, recipient=recipient)


@dataclass
class ThanksCount:
    """How many notes one person received in a programme (no words: coordinators read it)."""

    person: User
    is_mentor: bool
    total: int = 0
    from_mentees: int = 0
    from_coordinators: int = 0
    from_mentors: int = 0
    last: datetime.datetime | None = None


def thanks_counts(programme: Programme) -> list[ThanksCount]:
    """Every mentor of the programme, and anyone else thanked in it, with how many notes they
    received and from whom; those never thanked first, so nobody is forgotten. Two queries."""
    counts = {
        row["recipient"]: row
        for row in ThankYouNote.objects.filter(programme=programme)
        .values("recipient")
        .annotate(
            total=Count("pk"),
            from_mentees=Count("pk", filter=Q(kind=ThankYouNote.Kind.FROM_MENTEE)),
            from_coordinators=Count("pk", filter=Q(kind=ThankYouNote.Kind.FROM_COORDINATOR)),
            from_mentors=Count("pk", filter=Q(kind=ThankYouNote.Kind.FROM_MENTOR)),
            last=Max("created_at"),
        )
        .order_by()
    }
    mentors = set(
        ProgrammeRole.objects.filter(programme=programme, role=Role.MENTOR).values_list(
            "user_id", flat=True
        )
    )
    people = User.objects.filter(pk__in=mentors | set(counts)).select_related("profile")
    rows = []
    for person in people:
        row = counts.get(person.pk, {})
        rows.append(
            ThanksCount(
                person=person,
                is_mentor=person.pk in mentors,
                total=row.get("total", 0),
                from_mentees=row.get("from_mentees", 0),
                from_coordinators=row.get("from_coordinators", 0),
                from_mentors=row.get("from_mentors", 0),
                last=row.get("last"),
            )
        )
    rows.sort(key=lambda r: (r.total > 0, not r.is_mentor, r.person.display_name, r.person.pk))
    return rows


def thanks_totals(programme: Programme) -> dict[str, int]:
    """How many notes were sent in the programme, and to how many people (one query)."""
    return ThankYouNote.objects.filter(programme=programme).aggregate(
        notes=Count("pk"), people=Count("recipient", distinct=True)
    )


def notes_shown_to_coordinators(programme: Programme) -> QuerySet[ThankYouNote]:
    return ThankYouNote.objects.filter(
        programme=programme, shown_to_coordinators=True
    ).select_related("sender__profile", "recipient__profile")


# --- National Mentoring Day ------------------------------------------------------------------


@dataclass(frozen=True)
class Prompt:
    mentor: User
    programme: Programme
    mentorship: Mentorship


def mentoring_day_prompts(user: User, today: datetime.date) -> list[Prompt]:
    """Around National Mentoring Day, each mentor (now or before) this person has not thanked
    yet this year. Outside the window, no query; inside it, one."""
    if rules.mentoring_day_window(today) is None or not user.is_authenticated:
        return []
    thanked = ThankYouNote.objects.filter(
        sender=user, recipient=OuterRef("mentor"), created_at__year=today.year
    )
    prompts: dict[int, Prompt] = {}
    for m in (
        Mentorship.objects.filter(mentee=user)
        .annotate(thanked=Exists(thanked))
        .select_related("programme", "mentor__profile")
        .order_by("-started_on", "-pk")
    ):
        if not m.thanked and m.mentor_id not in prompts:
            prompts[m.mentor_id] = Prompt(m.mentor, m.programme, m)
    return list(prompts.values())


# --- Certificates ----------------------------------------------------------------------------


def _held() -> Q:
    return Q(meetings__status=Meeting.Status.HELD)


def with_meetings(mentorships: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    """Each mentorship with ``held`` (meetings held) and ``held_minutes`` (their minutes, as
    logged, else as planned)."""
    return mentorships.annotate(
        held=Count("meetings", filter=_held()),
        held_minutes=Coalesce(
            Sum(
                Coalesce("meetings__minutes_spent", "meetings__duration_minutes"),
                filter=_held(),
            ),
            0,
            output_field=IntegerField(),
        ),
    )


def finished(mentorships: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    """The mentorships that ran their course: closed with a planned close, which the
    mentorships app allows only from a month before the agreed end date. A mentorship closed
    early earns no certificate of completion."""
    return mentorships.filter(status=Mentorship.Status.CLOSED, closure__kind=Closure.Kind.PLANNED)


def is_finished(mentorship: Mentorship) -> bool:
    return finished(Mentorship.objects.filter(pk=mentorship.pk)).exists()


def mentorships_awaiting_certificates(people: list[int] | None = None) -> list[Mentorship]:
    """Finished mentorships whose mentor or mentee has no certificate for it yet (of these
    people, when given), with meetings held and their minutes. One query."""
    base = Mentorship.objects.all()
    if people is not None:
        base = base.filter(Q(mentor__in=people) | Q(mentee__in=people))
    issued = Certificate.objects.filter(kind=Certificate.Kind.MENTORSHIP, mentorship=OuterRef("pk"))
    return list(
        with_meetings(finished(base))
        .annotate(
            mentor_has=Exists(issued.filter(holder=OuterRef("mentor"))),
            mentee_has=Exists(issued.filter(holder=OuterRef("mentee"))),
        )
        .filter(Q(mentor_has=False) | Q(mentee_has=False))
        .select_related("programme", "mentor__profile", "mentee__profile")
    )


def coordinator_names(programme_ids: list[int]) -> dict[int, str]:
    """The coordinator who signs each programme's certificates: the first named coordinator
    (the one who set the programme up, unless they have left it). One query."""
    names: dict[int, str] = {}
    for row in (
        ProgrammeRole.objects.filter(programme__in=programme_ids, role=Role.COORDINATOR)
        .select_related("user__profile")
        .order_by("created_at", "pk")
    ):
        names.setdefault(row.programme_id, row.user.display_name)
    return names


def supervision_by_programme(
    mentor_ids: list[int],
) -> dict[tuple[int, int], list[tuple[datetime.date, int]]]:
    """Sessions attended, by (mentor, programme): (day, minutes), oldest first. One query,
    through supervision's own selector."""
    zone = timezone.get_current_timezone()
    found: dict[tuple[int, int], list[tuple[datetime.date, int]]] = defaultdict(list)
    for row in supervision_attended(mentor_ids):
        found[(row.mentor_id, row.programme_id)].append(
            (row.starts_at.astimezone(zone).date(), row.minutes)
        )
    return found


def supervision_years_of(
    mentor_ids: list[int], today: datetime.date
) -> dict[tuple[int, int], list[rules.SupervisionYear]]:
    return {
        (mentor_id, programme_id): rules.supervision_years(programme_id, attended, today)
        for (mentor_id, programme_id), attended in supervision_by_programme(mentor_ids).items()
    }


def certificates_of(user: User) -> QuerySet[Certificate]:
    return Certificate.objects.filter(holder=user).select_related("programme")


def certificates_in(programme: Programme) -> QuerySet[Certificate]:
    return Certificate.objects.filter(programme=programme).select_related("holder__profile")


def new_certificates(user: User, now: datetime.datetime | None = None) -> list[Certificate]:
    """Certificates issued to this person lately that they have not opened yet (one query)."""
    since = (now or timezone.now()) - NEW_CERTIFICATE
    return list(
        Certificate.objects.filter(holder=user, opened_at__isnull=True, issued_at__gte=since)
    )


def certificate_of(mentorship: Mentorship, holder_id: int) -> Certificate | None:
    return Certificate.objects.filter(
        kind=Certificate.Kind.MENTORSHIP, mentorship=mentorship, holder_id=holder_id
    ).first()


# --- A mentor's own record -------------------------------------------------------------------


@dataclass
class MentoringRow:
    mentorship: Mentorship
    held: int
    minutes: int
    closure_kind: str | None

    @property
    def state(self) -> str:
        if self.mentorship.status == Mentorship.Status.ACTIVE:
            return "active"
        return "completed" if self.closure_kind == Closure.Kind.PLANNED else "closed"

    @property
    def state_label(self) -> str:
        return {"active": "Active", "completed": "Completed", "closed": "Closed early"}[self.state]

    @property
    def until(self) -> datetime.date:
        return self.mentorship.closed_on or self.mentorship.ends_on

    @property
    def hours(self) -> str:
        whole, rest = divmod(self.minutes, 60)
        return f"{whole}½" if rest >= 30 else str(whole)


@dataclass
class SupervisionRow:
    programme: Programme
    sessions: int
    minutes: int
    first: datetime.date
    last: datetime.date
    years: list[rules.SupervisionYear]

    @property
    def hours(self) -> str:
        whole, rest = divmod(self.minutes, 60)
        return f"{whole}½" if rest >= 30 else str(whole)

    @property
    def current(self) -> rules.SupervisionYear | None:
        """The year still under way, if the last one is not complete."""
        return self.years[-1] if self.years and not self.years[-1].complete else None


@dataclass
class Record:
    """What a person has done as a mentor: their mentorships, the supervision they attended,
    their training, the thanks they received and their certificates."""

    person: User
    mentorships: list[MentoringRow] = field(default_factory=list)
    supervision: list[SupervisionRow] = field(default_factory=list)
    completions: list[Completion] = field(default_factory=list)
    thanks: list[ThankYouNote] = field(default_factory=list)
    thanks_count: int = 0
    certificates: list[Certificate] = field(default_factory=list)
    today: datetime.date | None = None

    @property
    def meetings(self) -> int:
        return sum(r.held for r in self.mentorships)

    @property
    def hours(self) -> str:
        whole, rest = divmod(sum(r.minutes for r in self.mentorships), 60)
        return f"{whole}½" if rest >= 30 else str(whole)

    @property
    def completed(self) -> int:
        return sum(1 for r in self.mentorships if r.state == "completed")

    @property
    def sessions(self) -> int:
        return sum(r.sessions for r in self.supervision)

    @property
    def empty(self) -> bool:
        return not (self.mentorships or self.supervision or self.completions or self.thanks)


def record_of(user: User, today: datetime.date | None = None) -> Record:
    """The person's own record of mentoring, in a fixed number of queries (seven), whatever
    they have done."""
    today = today or timezone.localdate()
    rows = [
        MentoringRow(m, m.held, m.held_minutes, m.closure_kind)
        for m in with_meetings(Mentorship.objects.filter(mentor=user))
        .annotate(closure_kind=Max("closure__kind"))
        .select_related("programme", "mentee__profile")
        .order_by("-started_on", "-pk")
    ]
    attended = supervision_by_programme([user.pk])
    programmes = Programme.objects.in_bulk([programme_id for _, programme_id in attended])
    supervision = []
    for (_, programme_id), sessions in attended.items():
        supervision.append(
            SupervisionRow(
                programme=programmes[programme_id],
                sessions=len(sessions),
                minutes=sum(minutes for _, minutes in sessions),
                first=sessions[0][0],
                last=sessions[-1][0],
                years=rules.supervision_years(programme_id, sessions, today),
            )
        )
    supervision.sort(key=lambda r: r.last, reverse=True)
    received = thanks_received(user)
    return Record(
        person=user,
        mentorships=rows,
        supervision=supervision,
        completions=list(
            Completion.objects.filter(person=user)
            .select_related("module")
            .order_by("-completed_on", "-pk")
        ),
        thanks=list(received[:RECORD_THANKS_SHOWN]),
        thanks_count=received.count(),
        certificates=list(certificates_of(user)),
        today=today,
    )
