from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentorcraft.people import imports


class Command(BaseCommand):
    help = (
        "Import the organisation's record of people (names, job titles, teams, locations, line "
        "managers) from a CSV file whose first row names the columns: email, full name, job "
        "title, team, location, line manager email. All or nothing: if any row is wrong, nothing "
        "changes and every wrong row is listed. It takes up to 50,000 people (the page 2,000). "
        "Everyone in the file needs an account: an export from the HR system should hold "
        "only the people who use Mentorcraft."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("file", help="The CSV file (UTF-8), or - to read standard input.")
        parser.add_argument(
            "--check", action="store_true", help="Check every row and keep nothing."
        )

    def handle(self, *args, file: str, check: bool, **options) -> None:  # noqa: ANN002, ANN003
        if file == "-":
            text, name = sys.stdin.read(), "standard input"
        else:
            path = Path(file)
            try:
                text = path.read_text(encoding="utf-8-sig")
            except FileNotFoundError:
                raise CommandError(f"There is no file {file}.") from None
            except UnicodeDecodeError:
                raise CommandError(f"{file} is not UTF-8 text: save it as CSV UTF-8.") from None
            name = path.name
        result = imports.people_import(
            text=text,
            by=None,
            check_only=check,
            file_name=name,
            max_rows=imports.COMMAND_MAX_ROWS,
        )
        if result.errors:
            for error in result.errors:
                where = f"line {error.line}" if error.line else "the file"
                self.stderr.write(f"{where}: {error.message}")
            raise CommandError(
                f"Nothing was imported: {len(result.errors)} problem"
                f"{'s' if len(result.errors) != 1 else ''}."
            )
        verb = "Checked (nothing kept)" if check else "Imported"
        teams = f"; new teams: {', '.join(result.new_teams)}" if result.new_teams else ""
        self.stdout.write(
            f"{verb}: {result.rows} rows, {result.changed} people changed, {result.unchanged} "
            f"unchanged, {result.managers_set} line managers on record{teams}."
        )
