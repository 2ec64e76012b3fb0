from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from mentorcraft.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Load a backup made by `backup` into an empty database (one with no tables is migrated "
        "to the backup's state first), in one transaction, then check that every table holds "
        "as many rows as the backup says. Exits non-zero, having changed nothing, otherwise."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("backup", help="The zip file that `backup` wrote.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete everything the database holds first (in the same transaction).",
        )
        parser.add_argument(
            "--strip-nul",
            action="store_true",
            help="Remove NUL characters from text (PostgreSQL cannot store them).",
        )
        parser.add_argument(
            "--no-media", action="store_true", help="Do not write the backup's uploaded files."
        )

    def handle(  # noqa: PLR0913
        self,
        *args,  # noqa: ANN002
        backup: str,
        database: str,
        replace: bool,
        strip_nul: bool,
        no_media: bool,
        **options,  # noqa: ANN003
    ) -> None:
        verbose = options["verbosity"] > 1
        try:
            result = restore_backup(
                Path(backup),
                using=database,
                replace=replace,
                strip_nul=strip_nul,
                include_media=not no_media,
                log=lambda line: verbose and self.stdout.write(line),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        lines = [
            f"Restored {result.rows} rows; all {result.tables} tables hold as many rows as the "
            f"backup says; {result.media_files} uploaded files written."
        ]
        if result.nul_stripped:
            lines.append(f"NUL characters removed from {result.nul_stripped} values.")
        if result.migrated_forward:
            lines.append("The backup was older than this code: migrated forward afterwards.")
        self.stdout.write(" ".join(lines))
