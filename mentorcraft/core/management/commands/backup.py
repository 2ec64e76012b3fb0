from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from mentorcraft.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Write every row of the database and the uploaded files into one zip file, with a "
        "manifest of the migrations and of the row count of every table (`restore` reads it). "
        "Sessions are left out. Keep SECRET_KEY and the settings beside it."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "output",
            nargs="?",
            help="Where to write the backup (default: mentorcraft-backup-<UTC time>.zip here).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="Leave out the files under MEDIA_ROOT (back them up another way).",
        )

    def handle(self, *args, output: str | None, database: str, no_media: bool, **options) -> None:  # noqa: ANN002, ANN003
        if not output:
            output = f"mentorcraft-backup-{timezone.now():%Y%m%dT%H%M%SZ}.zip"
        verbose = options["verbosity"] > 1
        try:
            manifest = make_backup(
                Path(output),
                using=database,
                include_media=not no_media,
                log=lambda line: verbose and self.stdout.write(line),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = manifest["media"]
        self.stdout.write(
            f"Backed up {manifest['rows']} rows in {len(manifest['row_counts'])} tables"
            + (f" and {media['files']} uploaded files" if media["included"] else "")
            + f" to {output}."
        )
