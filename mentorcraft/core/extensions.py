"""Extension points: how an app adds to what other apps show or run without importing them.

An app lower in the layers (docs/architecture.md) offers a registry here; an app higher up fills
it from its ``AppConfig.ready()``. The lower app reads the registry and never learns who filled
it. For example, the home page lists next steps from every app, but imports none of them::

    # mentorcraft/training/apps.py
    def ready(self) -> None:
        from mentorcraft.core.extensions import next_steps
        from mentorcraft.training import hooks

        next_steps.register(hooks.next_steps, order=40)

Each registry holds entries in ``order`` (lower first, then in registration order). Registering
the same entry twice keeps one: ``ready()`` may run more than once in tests.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered list of entries that other apps add to."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: list[tuple[int, int, T]] = []

    def register(self, entry: T, *, order: int = 100) -> T:
        if not any(existing is entry for _, _, existing in self._entries):
            self._entries.append((order, len(self._entries), entry))
            self._entries.sort(key=lambda item: (item[0], item[1]))
        return entry

    def unregister(self, entry: T) -> None:
        self._entries = [item for item in self._entries if item[2] is not entry]

    def __iter__(self) -> Iterator[T]:
        return iter([entry for _, _, entry in self._entries])

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {len(self)} entries>"


# --- A person's next steps (the home page's to-do list) ------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """One thing a person should do, with where to do it. ``kind`` is a short label shown beside
    it ("ethics", "review", "mentorship"). Lower ``urgency`` comes first."""

    title: str
    detail: str
    url: str
    kind: str
    urgency: int = 50


# A provider answers for one person in a fixed number of queries, whatever they take part in.
NextStepsProvider = Callable[[Any], Iterable[NextStep]]
next_steps: Registry[NextStepsProvider] = Registry("next steps")


def next_steps_for(user: Any) -> list[NextStep]:
    """Every app's next steps for this person, most urgent first (stable within an urgency)."""
    steps = [step for provider in next_steps for step in provider(user)]
    return sorted(steps, key=lambda step: step.urgency)


# --- Panels: cards that apps add to a page owned by another app ----------------------------------


@dataclass(frozen=True)
class Panel:
    """A card rendered from ``template``, which reads ``context`` as ``panel`` beside the page's
    own context (``programme``, ``user``). ``column`` is "main" or "aside"."""

    template: str
    context: dict = field(default_factory=dict)
    column: str = "aside"


# The home page: provider(request) -> Panel | None.
home_panels: Registry[Callable[..., Panel | None]] = Registry("home panels")
# A programme's page: provider(request, programme, roles) -> Panel | None, where ``roles`` is the
# set of roles the reader holds in the programme.
programme_panels: Registry[Callable[..., Panel | None]] = Registry("programme panels")
# A programme's list of pairs: provider(request, programme) -> Panel | None.
pairs_panels: Registry[Callable[..., Panel | None]] = Registry("pairs panels")
# A pair's own page: provider(request, mentorship, in_pair) -> Panel | None, where ``in_pair``
# says whether the reader is one of the two (else a coordinator). Supervision adds "raise a
# concern" and the mentor's reflections here.
mentorship_panels: Registry[Callable[..., Panel | None]] = Registry("mentorship panels")


def panels_for(registry: Registry[Callable[..., Panel | None]], *args: Any) -> list[Panel]:
    return [panel for provider in registry if (panel := provider(*args)) is not None]


# --- Periodic jobs (manage.py periodic) ----------------------------------------------------------


@dataclass(frozen=True)
class PeriodicJob:
    """A job run every few minutes. It must be idempotent: a second run, or two runs at once on
    two machines, does no harm. ``run`` returns a line saying what it did."""

    name: str
    run: Callable[[], str]


periodic_jobs: Registry[PeriodicJob] = Registry("periodic jobs")


# --- Demo data (manage.py seed_demo) -------------------------------------------------------------


@dataclass
class DemoContext:
    """What the demo seeders share: the named people (by login key, "coordinator", "mentor",
    ...), the programmes (by a short key: "recruiting", "matching", "running"), the staff pool,
    one seeded random generator and today's date."""

    rng: random.Random
    today: datetime.date
    people: dict[str, Any] = field(default_factory=dict)
    staff: list[Any] = field(default_factory=list)
    programmes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoSeeder:
    """Seeds one app's demo data through that app's services. Seeders run in ``order``: the
    people (10), programmes (20), matching (30), mentorships (40); later apps take 50 and up."""

    name: str
    seed: Callable[[DemoContext], None]


demo_seeders: Registry[DemoSeeder] = Registry("demo seeders")


@dataclass(frozen=True)
class DemoLogin:
    """What to try with one demo account (``key`` is the part of its email before the @).
    ``check(user)`` is true when the seeded data makes the hint work: a test holds every
    printed hint to it. Several apps may add hints for the same account."""

    key: str
    role: str
    name: str
    hint: str
    check: Callable[[Any], bool]


demo_logins: Registry[DemoLogin] = Registry("demo logins")


# --- Matching eligibility ------------------------------------------------------------------------

# check(programme, candidates): adds Blockers to the candidates who may not be matched yet.
eligibility_checks: Registry[Callable[..., None]] = Registry("eligibility checks")
# source(programme) -> iterable of (mentee id, mentor id) pairs that take a mentor's place.
load_sources: Registry[Callable[..., Iterable[tuple[int, int]]]] = Registry("load sources")


# --- Support for mentors -------------------------------------------------------------------------

# provider(programme, mentor_ids) -> {mentor id: [support in words]}: support a mentor has that
# the supervision app does not hold itself (an active part in a community of practice, say).
# The coverage view lists these beside supervision, peers and outside support; a mentor with
# any is covered. A fixed number of queries, whatever the number of mentors.
mentor_supports: Registry[Callable[..., dict[int, list[str]]]] = Registry("mentor supports")


def mentor_supports_for(programme: Any, mentor_ids: Iterable[int]) -> dict[int, list[str]]:
    ids = list(mentor_ids)
    found: dict[int, list[str]] = {}
    for provider in mentor_supports:
        for mentor_id, words in (provider(programme, ids) or {}).items():
            found.setdefault(mentor_id, []).extend(words)
    return found


# --- Applications --------------------------------------------------------------------------------

# provider(user, programme, role) -> dict: what the application form opens with, beyond what
# programmes itself fills in (an invitation to mentor drafts the statement, say). Later
# providers' values win; the person edits them all before sending.
application_prefill: Registry[Callable[..., dict]] = Registry("application prefill")


def application_initial(user: Any, programme: Any, role: str) -> dict:
    initial: dict = {}
    for provider in application_prefill:
        initial.update(provider(user, programme, role) or {})
    return initial


# --- Navigation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """A link in the site's main navigation. ``url_name`` is reversed; the link is marked as
    the current page when the page's URL namespace is ``app_name``. ``show(user)`` decides
    who sees it (everyone signed in, by default)."""

    label: str
    url_name: str
    app_name: str = ""
    show: Callable[[Any], bool] | None = None


nav_items: Registry[NavItem] = Registry("navigation")


# --- People --------------------------------------------------------------------------------------

# provider(user) -> a Q on User: more people whose profile this person may read (beyond
# themselves and their direct reports), e.g. the people of the programmes they coordinate.
people_visibility: Registry[Callable[[Any], Any]] = Registry("people visibility")
# provider(user) -> set of role names the person holds anywhere ("coordinator", "mentor", ...).
role_sources: Registry[Callable[[Any], set[str]]] = Registry("role sources")


def roles_anywhere(user: Any) -> set[str]:
    """Every role the person holds in any programme, read once per request (cached on the user
    object, which lives for one request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_roles_anywhere", None)
    if cached is None:
        cached = set().union(*(source(user) for source in role_sources))
        user._roles_anywhere = cached
    return cached


# --- A person's own data: export, erasure and its retention check --------------------------------


@dataclass(frozen=True)
class Section:
    """A titled part of a data export: ``rows`` are dicts of plain values (text, numbers, true
    or false, ISO dates), ready for JSON and for a readable page."""

    title: str
    rows: list[dict]
    note: str = ""


def plain_rows(queryset: Iterable[Any], fields: dict[str, str]) -> list[dict]:
    """Rows of plain values from model instances: ``fields`` maps a column's label to a path on
    the row (``"mentor.display_name"`` follows a relation; ``None`` if missing); a date or time
    becomes ISO text, anything else not plain becomes text. Only the named paths are read."""
    rows = []
    for obj in queryset:
        row = {}
        for label, path in fields.items():
            value: Any = obj
            for part in path.split("."):
                value = getattr(value, part, None) if value is not None else None
            if isinstance(value, (datetime.date, datetime.datetime)):
                value = value.isoformat()
            elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
                value = str(value)
            row[label] = value
        rows.append(row)
    return rows


# provider(user) -> [Section]: what the app holds about this person and for them: their own rows,
# their own private notes included (they are theirs), never what someone else wrote privately
# about them (a coach's notes). One export reads every provider.
personal_data: Registry[Callable[[Any], list[Section]]] = Registry("personal data")
# eraser(user) -> None: removes or blanks what only this person wrote for themselves (private
# notes, free text about themselves), keeping every record shared with someone else. Run inside
# the erasure's transaction, after the person is anonymised; ``user.erased_name`` is the name
# they had, for an app that copied it into text (a timeline's "Mark and Meg were paired").
erasers: Registry[Callable[[Any], None]] = Registry("erasers")
# hold(user) -> [words]: why erasing this person must wait for now (an active mentorship, an open
# concern). No words: erasure may go ahead.
erasure_holds: Registry[Callable[[Any], list[str]]] = Registry("erasure holds")
# provider(programme) -> [Section]: a programme's records for its coordinators' export; only what
# a coordinator may already read (no private notes, no confidential fields).
programme_data: Registry[Callable[[Any], list[Section]]] = Registry("programme data")
