"""The organisation's record of its people, from a spreadsheet (CSV): names, job titles, teams,
locations and line managers, for people who already have an account.

A line manager from the import is the organisation's record (``Profile.org_manager``): it wins
over the one a person picks on their profile, and an application says who confirmed it. The import
is all or nothing: every row is checked inside one transaction, and if any row is wrong nothing is
kept and each wrong row is reported by its line number. A check ("dry run") is the same run, rolled
back, so what it reports is exactly what the import would do.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower

from mentorcraft.core import audit
from mentorcraft.core.validators import check_single_line
from mentorcraft.people.models import Department, PeopleImport, Profile, User
from mentorcraft.people.services import (
    manages_through_chain,
    profile_ensure,
    profile_set_org_manager,
)

MAX_CHARS = 1_000_000
# What a text box or a JSON body may carry: the file's text with room for CRLF line ends.
TEXT_MAX_CHARS = MAX_CHARS + 50_000
# A page or API import runs inside one request and one transaction: 2,000 people keep it to
# seconds (bench/import_bench.py). The command runs outside any request and takes more.
MAX_ROWS = 2_000
COMMAND_MAX_ROWS = 50_000
MAX_ERRORS_SHOWN = 200
INVITE_AT_ONCE = 50  # people.forms.MAX_INVITATIONS

# Column -> the names a spreadsheet may give it (case and spaces do not matter).
COLUMNS = {
    "email": ("email", "e-mail", "email address", "e-mail address"),
    "full_name": ("full name", "name"),
    "job_title": ("job title", "job"),
    "team": ("team", "department"),
    "location": ("location",),
    "line_manager_email": ("line manager email", "line manager e-mail", "line manager"),
}
LIMITS = {
    "full_name": Profile._meta.get_field("full_name").max_length,
    "job_title": Profile._meta.get_field("job_title").max_length,
    "team": Department._meta.get_field("name").max_length,
    "location": Profile._meta.get_field("location").max_length,
}
FIELD_WORDS = {
    "full_name": "name",
    "job_title": "job title",
    "department": "team",
    "location": "location",
}
LABELS = {
    "email": "e-mail",
    "full_name": "name",
    "job_title": "job title",
    "team": "team",
    "location": "location",
    "line_manager_email": "line manager",
}


@dataclass
class RowError:
    line: int  # the line in the file (the header is line 1)
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    changed: int = 0
    unchanged: int = 0
    managers_set: int = 0
    new_teams: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    record: PeopleImport | None = None
    # Addresses in the file (people or line managers) with no account: to be invited first.
    missing: list[str] = field(default_factory=list)

    @property
    def invite_query(self) -> str:
        """The invitations page's query string, its box filled with the missing addresses (as
        many as one batch of invitations takes)."""
        return urlencode({"emails": "\n".join(self.missing[:INVITE_AT_ONCE])})

    @property
    def more_errors(self) -> int:
        return max(0, len(self.errors) - MAX_ERRORS_SHOWN)

    @property
    def errors_shown(self) -> list[RowError]:
        return self.errors[:MAX_ERRORS_SHOWN]


class _Rollback(Exception):
    """Raised inside the import's transaction to undo a check or a run with errors."""


def may_import_people(user: User | AnonymousUser) -> bool:
    """Only the site's administrators bring in the organisation's record."""
    return bool(user.is_authenticated and user.is_superuser)


def _normalise(header: str) -> str:
    return " ".join(header.strip().lower().replace("_", " ").split())


def _columns(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Which column of the file holds what, and the problems with the header row."""
    names = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
    where: dict[int, str] = {}
    problems: list[str] = []
    for index, raw in enumerate(header):
        title = _normalise(raw)
        if not title:
            continue
        column = names.get(title)
        if column is None:
            problems.append(
                f"“{raw.strip()[:60]}” is not a column this import knows. The columns are: "
                "email, full name, job title, team, location, line manager email."
            )
        elif column in where.values():
            problems.append(f"The column “{raw.strip()[:60]}” appears twice.")
        else:
            where[index] = column
    if "email" not in where.values():
        problems.append("The first row must name the columns, and one of them must be “email”.")
    return where, problems


def parse(
    text: str, *, max_rows: int = MAX_ROWS, max_chars: int = MAX_CHARS
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The rows of the file, each with its line number, or the reasons it cannot be read."""
    # Windows (CRLF) and old Mac (CR) line ends read as one: a browser sends a text box's
    # lines with CRLF, so the limit is on the text, not on how its lines end.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > max_chars:
        return [], [RowError(0, f"The file is too long: at most {max_chars:,} characters.")]
    if "\x00" in text:
        return [], [RowError(0, "The file holds a NUL character: save it again as CSV text.")]
    text = text.lstrip("\ufeff")
    if not text.strip():
        return [], [RowError(0, "The file is empty.")]
    # The separator is read from the header row alone: column names hold no separators, while
    # a quoted cell further down ("Ward sister; Leeds") could mislead a guess over the rows.
    header_line = text.splitlines()[0]
    delimiter = max(",;\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
        named = len(header)
        where, problems = _columns(header)
        if problems:
            return [], [RowError(1, problem) for problem in problems]
        rows: list[tuple[int, dict[str, str]]] = []
        start = reader.line_num + 1  # a quoted cell may hold a line break: a row is named
        for values in reader:  # by the line it starts on
            line, start = start, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue  # a blank line
            if len(rows) >= max_rows:
                return [], [
                    RowError(
                        line,
                        f"At most {max_rows:,} people in one import here: split the file, or "
                        "import it with manage.py import_people.",
                    )
                ]
            row = dict.fromkeys(COLUMNS, "")
            for index, value in enumerate(values):
                if index in where:
                    row[where[index]] = value.strip()
                elif value.strip():
                    # A cell with no column (an unquoted comma in a name, say) would shift
                    # every cell after it into the wrong column.
                    where_said = "past the last column" if index >= named else "under no column"
                    row.setdefault("_problems", [])  # type: ignore[arg-type]
                    row["_problems"].append(  # type: ignore[attr-defined]
                        f"Cell {index + 1} (“{value.strip()[:40]}”) is {where_said}: is a comma "
                        "inside a name or title not in quotes?"
                    )
                    break
            rows.append((line, row))
    except csv.Error as exc:
        return [], [RowError(reader.line_num, f"This line cannot be read as CSV ({exc}).")]
    if not rows:
        return [], [RowError(0, "The file names its columns but has nobody in it.")]
    return rows, []


def _row_problems(row: dict[str, str]) -> list[str]:
    problems = list(row.pop("_problems", []))  # type: ignore[arg-type]
    for column, value in row.items():
        if not value:
            continue
        try:
            check_single_line(value)
        except ValueError:
            problems.append(f"The {LABELS[column]} must be on one line (no line breaks or tabs).")
            continue
        limit = LIMITS.get(column)
        if limit and len(value) > limit:
            problems.append(f"The {LABELS[column]} is {len(value)} characters; at most {limit}.")
    for column in ("email", "line_manager_email"):
        if len(row[column]) > 254:
            problems.append(f"The {LABELS[column]} is too long for an e-mail address.")
        elif row[column] and not _is_address(row[column]):
            problems.append(f"“{row[column][:80]}” is not an e-mail address.")
    if not row["email"]:
        problems.append("The e-mail address is missing.")
    return problems


def _is_address(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return len(value) <= 254


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(m for messages in exc.message_dict.values() for m in messages)
    return " ".join(exc.messages)


def people_import(
    *,
    text: str,
    by: User | None,
    check_only: bool = False,
    file_name: str = "",
    max_rows: int = MAX_ROWS,
) -> ImportResult:
    """Check the file and, unless ``check_only`` or a row is wrong, apply it: in one
    transaction, all or nothing. Blank cells leave what is there as it is."""
    result = ImportResult()
    rows, problems = parse(text, max_rows=max_rows, max_chars=max(MAX_CHARS, max_rows * 200))
    if problems:
        result.errors = problems
        return result
    result.rows = len(rows)
    try:
        with transaction.atomic():
            _apply(rows, by, result)
            if result.errors or check_only:
                raise _Rollback
            result.record = PeopleImport.objects.create(
                by=by,
                file_name=file_name[:200],
                rows=result.rows,
                changed=result.changed,
                managers_set=result.managers_set,
                new_teams=", ".join(result.new_teams)[:1000],
            )
            audit.record(
                actor=by,
                action="people.imported",
                target=result.record,
                detail=f"{result.rows} rows, {result.changed} people changed, "
                f"{result.managers_set} line managers on record",
            )
            result.applied = True
    except _Rollback:
        result.applied = False
    return result


def _apply(rows: list[tuple[int, dict[str, str]]], by: User | None, result: ImportResult) -> None:
    emails = {row["email"].lower() for _, row in rows if row["email"]}
    emails |= {row["line_manager_email"].lower() for _, row in rows if row["line_manager_email"]}
    people = {
        user.email.lower(): user
        for user in User.objects.annotate(address=Lower("email"))
        .filter(address__in=emails)
        .select_related("profile")
    }
    teams = {d.name.lower(): d for d in Department.objects.all()}
    seen: dict[str, int] = {}
    managed: list[tuple[int, User, User]] = []  # (line, person, manager) put on record
    for line, row in rows:
        problems = _row_problems(row)
        email = row["email"].lower()
        if email and email in seen:
            problems.append(f"{row['email']} is on line {seen[email]} already.")
        seen.setdefault(email, line)
        person = people.get(email)
        manager_email = row["line_manager_email"].lower()
        manager = people.get(manager_email) if manager_email else None
        for address, found in ((email, person), (manager_email, manager)):
            if address and found is None and _is_address(address) and address not in result.missing:
                result.missing.append(address)
        if email and person is None and not problems:
            problems.append(
                f"Nobody in Mentorcraft has the address {row['email']}: invite them first "
                "(Invitations), then import again."
            )
        elif person is not None and not person.is_active:
            problems.append(f"{row['email']} is no longer active (or was erased).")
        if manager_email and manager is None and not problems:
            problems.append(
                f"The line manager {row['line_manager_email']} has no account in Mentorcraft: "
                "invite them first, or leave the cell empty."
            )
        if problems:
            result.errors.extend(RowError(line, p) for p in problems)
            continue
        managers_before = result.managers_set
        try:
            changed = _apply_row(person, row, manager, by, teams, result)
        except ValidationError as exc:
            result.errors.append(RowError(line, _messages(exc)))
            continue
        if result.managers_set > managers_before:
            # Only a new reporting line can close a loop: any loop runs through one of them.
            managed.append((line, person, manager))
        if changed:
            result.changed += 1
        else:
            result.unchanged += 1
    # Reporting loops are judged on the whole file's outcome, not row by row: a file may move
    # B under A in one row and A under C in the next, which only the order would make a loop.
    for line, person, manager in managed:
        if manages_through_chain(person, manager):
            result.errors.append(
                RowError(
                    line,
                    f"{row_name(person)}'s line manager would be {row_name(manager)}, who "
                    f"reports to {row_name(person)} in the end: a loop.",
                )
            )


def row_name(person: User) -> str:
    profile = Profile.objects.filter(user=person).only("full_name").first()
    return profile.full_name if profile else person.email


def _apply_row(
    person: User,
    row: dict[str, str],
    manager: User | None,
    by: User | None,
    teams: dict[str, Department],
    result: ImportResult,
) -> bool:
    """One person's record: only the fields that differ are validated and written (the cells
    were checked for length and line breaks already), so a file imported again costs little."""
    profile = profile_ensure(user=person)
    changed: dict[str, object] = {}
    for column in ("full_name", "job_title", "location"):
        if row[column] and row[column] != getattr(profile, column):
            changed[column] = row[column]
    if row["team"]:
        team = teams.get(row["team"].lower())
        if team is None:
            # get_or_create: another import at the same moment may have just made it.
            team, made = Department.objects.get_or_create(name=row["team"])
            teams[row["team"].lower()] = team
            if made:
                result.new_teams.append(team.name)
        if team.pk != profile.department_id:
            changed["department"] = team
    if changed:
        for name, value in changed.items():
            setattr(profile, name, value)
        text_fields = [n for n in changed if n != "department"]
        profile.clean_fields(
            exclude=[f.name for f in Profile._meta.concrete_fields if f.name not in text_fields]
        )
        profile.save(update_fields=[*changed, "updated_at"])
        # Which fields (not their text) changed, so a questioned record can be traced.
        audit.record(
            actor=by,
            action="people.record_imported",
            target=person,
            detail="from an import: " + ", ".join(FIELD_WORDS[name] for name in changed),
        )
    if manager is not None and manager.pk != profile.org_manager_id:
        # The loop check waits for the whole file (see _apply).
        profile_set_org_manager(profile=profile, manager=manager, by=by, check_loop=False)
        result.managers_set += 1
        return True
    return bool(changed)


def imports_recent() -> QuerySet[PeopleImport]:
    """Every import, newest first (the page shows them a page at a time)."""
    return PeopleImport.objects.select_related("by__profile").order_by("-created_at", "-pk")
