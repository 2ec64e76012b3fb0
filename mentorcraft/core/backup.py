"""Backup and restore of the whole database and the uploaded files, in one zip file.

A backup holds ``data.jsonl`` (every row of every installed model, one JSON object a line, with
its own primary key, through Django's serializers), ``media/…`` (every file under MEDIA_ROOT)
and ``manifest.json`` (format version, when it was made, the migrations applied, the number of
rows in every table). It is generic over the installed models: an app added later is covered
without a change here.

What is left out, and why: the sessions (people sign in again; a session is tied to the old
server) and the cache table (it rebuilds itself). Everything else is kept, including the content
types and permissions (restored with their own ids, so every generic relation still points at
the right row), the task queue, allauth's addresses and authenticators, and axes' logs.

``restore`` writes into an empty database only (one that ``migrate`` made, or that has no
tables yet: it is migrated to the backup's state first), unless told to replace what is there.
Everything is loaded in one transaction, so a failed restore changes nothing; the row count of
every table is checked against the manifest before the transaction commits.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    connections,
    models,
    transaction,
)
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "mentorcraft-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
MEDIA_PREFIX = "media/"
# Left out of every backup (see the module's docstring); restore empties them too.
EXCLUDED_MODELS = frozenset({"sessions.session"})
# Rows that `migrate` itself creates: a database holding only these counts as empty.
MADE_BY_MIGRATE = frozenset({"contenttypes.contenttype", "auth.permission"})


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but a moment keeps its microseconds (Django's cuts them to
    milliseconds, and a restored row must equal the row that was backed up)."""

    def default(self, o: object) -> object:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class RestoreResult:
    rows: int = 0
    tables: int = 0
    media_files: int = 0
    nul_stripped: int = 0
    migrated_forward: bool = False
    notes: list[str] = field(default_factory=list)


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model with a table of its own, except the excluded ones. Many-to-many
    links without a model of their own travel with the row that holds the field."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]


def counted_tables() -> dict[str, type[models.Model]]:
    """Every table whose rows a backup carries, by table name (the link tables included)."""
    tables: dict[str, type[models.Model]] = {}
    for model in backed_up_models():
        tables[model._meta.db_table] = model
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created:
                tables[through._meta.db_table] = through
    return tables


def row_counts(using: str) -> dict[str, int]:
    return {
        table: model._base_manager.using(using).count()
        for table, model in sorted(counted_tables().items())
    }


def applied_migrations(using: str) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return {}
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(recorder.applied_migrations()):
        state.setdefault(app_label, []).append(name)
    return state


def _auto_m2m_names(model: type[models.Model]) -> list[str]:
    return [
        m2m.name
        for m2m in model._meta.local_many_to_many
        if m2m.remote_field.through._meta.auto_created
    ]


def _rows(model: type[models.Model], using: str) -> Iterator[models.Model]:
    # The base manager sees every row (a default manager may hide some, as Mentorship's does).
    queryset = model._base_manager.using(using).order_by("pk")
    names = _auto_m2m_names(model)
    if names:
        queryset = queryset.prefetch_related(*names)
    return queryset.iterator(chunk_size=1000)


@contextlib.contextmanager
def _consistent_read(using: str) -> Iterator[None]:
    """One snapshot for the whole dump, so every reference in it points at a row in it."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # On SQLite the transaction itself holds the snapshot (writers wait meanwhile).
        yield


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, MEDIA_PREFIX + path.relative_to(root).as_posix()


def _require_fully_migrated(using: str) -> None:
    # A model whose migration has not run has no table yet; a backup must match the code.
    loader = MigrationLoader(connections[using])
    missing = sorted(set(loader.graph.leaf_nodes()) - set(loader.applied_migrations))
    if missing:
        listed = ", ".join(f"{app}.{name}" for app, name in missing[:5])
        raise BackupError(
            f"The database is not migrated to this code's state (missing {listed}): run "
            "`manage.py migrate` first, or back up with the version of Mentorcraft that "
            "matches the database."
        )


def make_backup(
    destination: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    include_media: bool = True,
    log: Callable[[str], None] = lambda line: None,
) -> dict:
    """Write the backup to ``destination`` (through a temporary file beside it, so a failed
    backup never leaves a half-written file under the final name) and return its manifest."""
    _require_fully_migrated(using)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    serializer_class = serializers.get_serializer("jsonl")
    fd, temporary = tempfile.mkstemp(prefix=".backup-", suffix=".zip.part", dir=destination.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            with _consistent_read(using):
                counts = row_counts(using)
                migrations = applied_migrations(using)
                # Written model by model and row by row: the dump is never whole in memory.
                with (
                    archive.open(DATA, "w", force_zip64=True) as raw,
                    io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as stream,
                ):
                    for model in backed_up_models():
                        serializer = serializer_class()
                        serializer.serialize(
                            _rows(model, using), stream=stream, cls=ExactJSONEncoder
                        )
                        log(f"{model._meta.label}: {counts[model._meta.db_table]} rows")
            media_root = Path(settings.MEDIA_ROOT)
            media = {"files": 0, "bytes": 0}
            if include_media:
                for path, name in _media_files(media_root):
                    archive.write(path, name)
                    media["files"] += 1
                    media["bytes"] += path.stat().st_size
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "database_vendor": connections[using].vendor,
                "migrations": migrations,
                "row_counts": counts,
                "rows": sum(counts.values()),
                "excluded_models": sorted(EXCLUDED_MODELS),
                "media": {"included": include_media, **media},
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        os.replace(temporary, destination)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return manifest


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(
            "This file has no manifest.json: it is not a Mentorcraft backup."
        ) from None
    except ValueError as exc:
        raise BackupError(f"The backup's manifest.json is not valid JSON: {exc}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This file is not a Mentorcraft backup (its manifest says otherwise).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup has format version {manifest.get('format_version')!r}; this version "
            f"of Mentorcraft reads version {FORMAT_VERSION}."
        )
    if not isinstance(manifest.get("migrations"), dict) or not isinstance(
        manifest.get("row_counts"), dict
    ):
        raise BackupError("The backup's manifest lacks its migrations or its row counts.")
    return manifest


def _open_archive(source: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except FileNotFoundError:
        raise BackupError(f"No such file: {source}.") from None
    except zipfile.BadZipFile:
        raise BackupError(f"{source} is not a zip file: it is not a Mentorcraft backup.") from None


def _bring_schema_to(manifest: dict, using: str) -> bool:
    """Make the database's migration state the backup's. An empty database is migrated to
    exactly the backup's state; returns whether the code has migrations newer than the backup
    (to apply once the rows are in)."""
    connection = connections[using]
    wanted = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    loader = MigrationLoader(connection)
    unknown = sorted(key for key in wanted if key not in loader.graph.nodes)
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            "The backup was made by a newer version of Mentorcraft: this code does not know "
            f"its migrations {listed}. Restore it with the version that made it (or newer)."
        )
    applied = set(loader.applied_migrations)
    if not applied:
        targets = []
        for app_label in sorted(loader.migrated_apps):
            names = {name for app, name in wanted if app == app_label}
            leaves = [
                name
                for name in names
                if not any(
                    child.key[0] == app_label and child.key[1] in names
                    for child in loader.graph.node_map[(app_label, name)].children
                )
            ]
            targets.extend((app_label, name) for name in sorted(leaves))
        executor = MigrationExecutor(connection)
        executor.migrate(targets, plan=executor.migration_plan(targets))
        applied = set(MigrationRecorder(connection).applied_migrations())
    if applied != wanted:
        missing = sorted(wanted - applied)
        extra = sorted(applied - wanted)
        parts = []
        if missing:
            parts.append("the backup has " + ", ".join(f"{a}.{n}" for a, n in missing[:5]))
        if extra:
            parts.append("the database has " + ", ".join(f"{a}.{n}" for a, n in extra[:5]))
        raise BackupError(
            "The database's migrations differ from the backup's ("
            + "; ".join(parts)
            + "). Restore into an empty database (restore migrates it to the backup's state) "
            "or run the version of Mentorcraft that made the backup."
        )
    leaves = set(loader.graph.leaf_nodes())
    return not leaves <= wanted


def _rows_already_there(using: str) -> dict[str, int]:
    held = {}
    for table, model in counted_tables().items():
        owner = model._meta.auto_created or model
        if owner._meta.label_lower in MADE_BY_MIGRATE:
            continue
        count = model._base_manager.using(using).count()
        if count:
            held[table] = count
    return held


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict | list):
        return "\\u0000" in json.dumps(value)
    return False


def _strip_nul(value: object) -> object:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_strip_nul(k): _strip_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_nul(v) for v in value]
    return value


def _nul_checked(obj: models.Model, *, strip: bool, vendor: str, result: RestoreResult) -> None:
    for model_field in obj._meta.concrete_fields:
        value = getattr(obj, model_field.attname)
        if not _has_nul(value):
            continue
        if strip:
            setattr(obj, model_field.attname, _strip_nul(value))
            result.nul_stripped += 1
        elif vendor == "postgresql":
            raise BackupError(
                f"{obj._meta.label} {obj.pk}: the field {model_field.name!r} holds a NUL "
                "character, which PostgreSQL cannot store. Restore with --strip-nul to remove "
                "such characters (each removal is counted in the report)."
            )


def _safe_media_path(root: Path, name: str) -> Path:
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"The backup holds a file with an unsafe name: {name!r}.")
    return root.joinpath(*relative.parts)


def _disable_audit_logging() -> contextlib.AbstractContextManager:
    # Loaded rows are history, not new changes: an installed audit log must not log them
    # (imported here because django-auditlog is optional for this module).
    if not apps.is_installed("auditlog"):
        return contextlib.nullcontext()
    from auditlog.context import disable_auditlog

    return disable_auditlog()


def _load_rows(
    archive: zipfile.ZipFile, *, using: str, strip_nul: bool, result: RestoreResult
) -> set[type[models.Model]]:
    """Every row of data.jsonl, read a line at a time, saved with its own primary key."""
    vendor = connections[using].vendor
    loaded: set[type[models.Model]] = set()
    where = "the start"
    try:
        with archive.open(DATA) as raw, io.TextIOWrapper(raw, encoding="utf-8") as stream:
            for deserialized in serializers.deserialize("jsonl", stream, using=using):
                obj = deserialized.object
                where = f"{obj._meta.label} {obj.pk}"
                _nul_checked(obj, strip=strip_nul, vendor=vendor, result=result)
                deserialized.save(using=using, force_insert=True)
                loaded.add(type(obj))
                result.rows += 1
    except (DeserializationError, DatabaseError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise BackupError(
            f"The backup's rows could not be loaded (near {where}): {exc}. Nothing was restored."
        ) from exc
    return loaded


def restore_backup(
    source: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    replace: bool = False,
    strip_nul: bool = False,
    include_media: bool = True,
    log: Callable[[str], None] = lambda line: None,
) -> RestoreResult:
    connection = connections[using]
    result = RestoreResult()
    with _open_archive(Path(source)) as archive:
        manifest = read_manifest(archive)
        if DATA not in archive.namelist():
            raise BackupError("The backup has no data.jsonl: it is incomplete.")
        newer_code = _bring_schema_to(manifest, using)
        held = _rows_already_there(using)
        if held and not replace:
            listed = ", ".join(f"{table} ({count})" for table, count in sorted(held.items())[:5])
            raise BackupError(
                f"The database already holds data: {listed}. Restore into an empty database, "
                "or pass --replace to delete everything in it first (in the same transaction: "
                "if the restore fails, nothing is lost)."
            )
        expected: dict[str, int] = manifest["row_counts"]
        tables = connection.introspection.django_table_names(only_existing=True)
        media_root = Path(settings.MEDIA_ROOT)
        with transaction.atomic(using=using), _disable_audit_logging():
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # TRUNCATE refuses tables with checks still pending from earlier writes of
                    # an enclosing transaction: run those checks now, defer them again after.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for statement in connection.ops.sql_flush(no_style(), tables):
                    cursor.execute(statement)
                if connection.vendor == "postgresql":
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            apps.get_model("contenttypes", "ContentType").objects.clear_cache()
            loaded_models = _load_rows(archive, using=using, strip_nul=strip_nul, result=result)
            statements = connection.ops.sequence_reset_sql(no_style(), list(loaded_models))
            if statements:
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
            try:
                connection.check_constraints(table_names=list(counted_tables()))
            except IntegrityError as exc:
                raise BackupError(
                    f"The backup's rows refer to rows it does not hold ({exc}); nothing was "
                    "restored."
                ) from exc
            found = row_counts(using)
            mismatched = {
                table: (count, found.get(table))
                for table, count in expected.items()
                if found.get(table) != count
            }
            mismatched.update(
                {table: (0, count) for table, count in found.items() if table not in expected}
            )
            if mismatched:
                listed = "; ".join(
                    f"{table}: backup {want}, restored {got}"
                    for table, (want, got) in sorted(mismatched.items())
                )
                raise BackupError(f"Row counts differ, nothing was restored: {listed}.")
            result.tables = len(found)
            if include_media and manifest.get("media", {}).get("included"):
                for name in archive.namelist():
                    if not name.startswith(MEDIA_PREFIX) or name.endswith("/"):
                        continue
                    target = _safe_media_path(media_root, name)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(name) as member, open(target, "wb") as out:
                        while chunk := member.read(1 << 20):
                            out.write(chunk)
                    result.media_files += 1
            log(f"{result.rows} rows in {result.tables} tables, counts as in the manifest")
    with contextlib.suppress(Exception):  # a cache that cannot be reached holds nothing stale
        cache.clear()
    if newer_code:
        call_command("migrate", database=using, interactive=False, verbosity=0)
        result.migrated_forward = True
    return result
