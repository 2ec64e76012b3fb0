"""Issue 10.11: `manage.py backup` and `restore` move everything, SQLite to SQLite and SQLite to
PostgreSQL, with every table's row count equal and the values intact (a meeting's moment, a
name beyond ASCII, an uploaded file's bytes).

The round trips run the real commands in subprocesses, each with its own DATABASE_URL and
MEDIA_ROOT; the rows are counted here straight from each database, not from the manifest."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from mentorcraft.core.backup import BackupError, _safe_media_path, row_counts

# Core sits below the apps: it reaches their models by name (the backup is generic over them).
Meeting = apps.get_model("mentorships", "Meeting")
Profile = apps.get_model("people", "Profile")

BASE_DIR = Path(settings.BASE_DIR)
POSTGRES = os.environ.get("POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# Tables a backup leaves out on purpose (sessions, the cache) or that each database keeps for
# itself; django_migrations is compared as a set of names instead.
NOT_COUNTED = {"django_session", "mentorcraft_cache", "django_migrations", "sqlite_sequence"}

SPECIAL_ROWS = """
import datetime, json, os
from django.utils import timezone
from mentorcraft.mentorships.models import Meeting
from mentorcraft.people.models import Profile
profile = Profile.objects.order_by("pk").first()
Profile.objects.filter(pk=profile.pk).update(full_name="Zoë Łukasiewicz-Nguyễn 李小龍")
meeting = Meeting.objects.order_by("pk").first()
moment = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=123456)
# A NUL typed before the forms refused it: SQLite stores it, PostgreSQL cannot.
Meeting.objects.filter(pk=meeting.pk).update(starts_at=moment, agenda="before\\x00after")
json.dump({"profile": profile.pk, "meeting": meeting.pk, "moment": moment.isoformat()},
          open(os.environ["SPECIAL_ROWS_OUT"], "w"))
"""


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if check and done.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def environment(database_url: str, media: Path) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.update(DATABASE_URL=database_url, MEDIA_ROOT=str(media), DEBUG="1")
    return env


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in tables
            if table not in NOT_COUNTED
        }


def sqlite_one(path: Path, sql: str, *params: object) -> object:
    with sqlite3.connect(path) as db:
        return db.execute(sql, params).fetchone()[0]


def sqlite_migrations(path: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        return set(db.execute("SELECT app, name FROM django_migrations"))


@pytest.fixture(scope="module")
def source(tmp_path_factory):  # noqa: ANN001, ANN201
    """The demo organisation in a SQLite file, an empty migrated copy of it, and its backup."""
    work = tmp_path_factory.mktemp("moving")
    database = work / "source.sqlite3"
    env = environment(f"sqlite:///{database}", work / "media-source")
    manage("migrate", "--noinput", env=env)
    with sqlite3.connect(database) as live, sqlite3.connect(work / "empty.sqlite3") as copy:
        live.backup(copy)  # migrated, with no rows of ours: a new server's database
    manage("seed_demo", env=env)
    manage("shell", "-c", SPECIAL_ROWS, env={**env, "SPECIAL_ROWS_OUT": str(work / "special.json")})
    manage("backup", str(work / "backup.zip"), env=env)
    special = json.loads((work / "special.json").read_text())
    return {"work": work, "database": database, "special": special}


def uploaded_files(source_media: Path) -> dict[str, bytes]:
    files = {
        path.relative_to(source_media).as_posix(): path.read_bytes()
        for path in source_media.rglob("*")
        if path.is_file()
    }
    assert files, "the demo uploads files to its communities"
    return files


@pytest.mark.slow
@pytest.mark.once
def test_the_manifest_counts_every_table(source):  # noqa: ANN001
    with zipfile.ZipFile(source["work"] / "backup.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = archive.namelist()
    assert manifest["row_counts"] == sqlite_counts(source["database"])
    assert {(app, name) for app, names_ in manifest["migrations"].items() for name in names_} == (
        sqlite_migrations(source["database"])
    )
    assert manifest["media"]["files"] == sum(n.startswith("media/") for n in names) > 0
    assert manifest["excluded_models"] == ["sessions.session"]


@pytest.mark.slow
@pytest.mark.once
def test_sqlite_to_sqlite_keeps_every_row_and_refuses_to_load_twice(source):  # noqa: ANN001
    work, special = source["work"], source["special"]
    target = work / "target.sqlite3"
    shutil.copy(work / "empty.sqlite3", target)
    env = environment(f"sqlite:///{target}", work / "media-sqlite")
    done = manage("restore", str(work / "backup.zip"), env=env)
    assert "hold as many rows as the backup says" in done.stdout

    counts = sqlite_counts(source["database"])
    assert sqlite_counts(target) == counts
    assert counts["people_user"] > 200 and counts["mentorships_meeting"] > 0
    assert sqlite_migrations(target) == sqlite_migrations(source["database"])
    name_sql = "SELECT full_name FROM people_profile WHERE id = ?"
    assert sqlite_one(target, name_sql, special["profile"]) == "Zoë Łukasiewicz-Nguyễn 李小龍"
    moment = sqlite_one(
        target, "SELECT starts_at FROM mentorships_meeting WHERE id = ?", special["meeting"]
    )
    restored = datetime.datetime.fromisoformat(moment).replace(tzinfo=datetime.UTC)
    assert restored == datetime.datetime.fromisoformat(special["moment"])
    agenda = sqlite_one(
        target, "SELECT agenda FROM mentorships_meeting WHERE id = ?", special["meeting"]
    )
    assert agenda == "before\x00after"  # SQLite keeps what it was given
    for name, content in uploaded_files(work / "media-source").items():
        assert (work / "media-sqlite" / name).read_bytes() == content

    again = manage("restore", str(work / "backup.zip"), env=env, check=False)
    assert again.returncode != 0
    assert "already holds data" in again.stderr and "--replace" in again.stderr
    assert sqlite_counts(target) == counts


@pytest.fixture
def postgres_database():  # noqa: ANN201
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES}: {exc}")
    name = f"mentorcraft_restore_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def postgres_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as db:
        tables = [
            row[0]
            for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        return {
            table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in tables
            if table not in NOT_COUNTED
        }


@pytest.mark.slow
@pytest.mark.once
@pytest.mark.postgres
def test_sqlite_to_postgresql_keeps_every_row(source, postgres_database):  # noqa: ANN001
    import psycopg

    work, special = source["work"], source["special"]
    env = environment(postgres_database, work / "media-postgres")
    refused = manage("restore", str(work / "backup.zip"), env=env, check=False)
    assert refused.returncode != 0
    assert "NUL" in refused.stderr and "--strip-nul" in refused.stderr
    assert f"Meeting {special['meeting']}" in refused.stderr
    assert postgres_counts(postgres_database)["people_user"] == 0  # nothing half-loaded

    done = manage("restore", "--strip-nul", str(work / "backup.zip"), env=env)
    assert "NUL characters removed from 1 values" in done.stdout
    assert postgres_counts(postgres_database) == sqlite_counts(source["database"])
    with psycopg.connect(postgres_database) as db:
        (name,) = db.execute(
            "SELECT full_name FROM people_profile WHERE id = %s", [special["profile"]]
        ).fetchone()
        starts_at, agenda = db.execute(
            "SELECT starts_at, agenda FROM mentorships_meeting WHERE id = %s", [special["meeting"]]
        ).fetchone()
        migrations = set(db.execute("SELECT app, name FROM django_migrations"))
        # New rows get new ids after the restored ones: the sequences were moved on.
        user_ids = db.execute("SELECT MAX(id), nextval('people_user_id_seq') FROM people_user")
        highest, following = user_ids.fetchone()
    assert name == "Zoë Łukasiewicz-Nguyễn 李小龍"
    assert starts_at == datetime.datetime.fromisoformat(special["moment"])
    assert agenda == "beforeafter"
    assert migrations == sqlite_migrations(source["database"])
    assert following > highest
    for name_, content in uploaded_files(work / "media-source").items():
        assert (work / "media-postgres" / name_).read_bytes() == content


# --- In the test database itself: quick, and on whichever database the suite runs on. -----------


@pytest.mark.django_db
def test_restore_with_replace_brings_back_what_was_deleted(tmp_path, mentorship, mark):  # noqa: ANN001
    moment = (timezone.now() + datetime.timedelta(days=5)).replace(microsecond=654321)
    meeting = Meeting.objects.create(mentorship=mentorship, starts_at=moment, agenda="Première")
    Profile.objects.filter(user=mark).update(full_name="Mårten Ødegård")
    before = row_counts("default")
    backup = tmp_path / "backup.zip"
    call_command("backup", str(backup), "--no-media", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with zipfile.ZipFile(backup) as archive:
        assert json.loads(archive.read("manifest.json"))["row_counts"] == before

    meeting_pk = meeting.pk
    meeting.delete()
    Profile.objects.filter(user=mark).update(full_name="Someone Else")
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(backup))
    assert not Meeting.objects.filter(pk=meeting_pk).exists()

    call_command("restore", str(backup), "--replace", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert row_counts("default") == before
    back = Meeting.objects.get(pk=meeting_pk)
    assert (back.starts_at, back.agenda) == (moment, "Première")
    assert Profile.objects.get(user=mark).full_name == "Mårten Ødegård"


@pytest.mark.django_db
def test_a_damaged_backup_is_refused_and_the_database_keeps_its_rows(tmp_path, mark):  # noqa: ANN001
    backup = tmp_path / "backup.zip"
    call_command("backup", str(backup), "--no-media", stdout=open(os.devnull, "w"))  # noqa: SIM115
    before = row_counts("default")
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(backup) as good, zipfile.ZipFile(damaged, "w") as bad:
        bad.writestr("manifest.json", good.read("manifest.json"))
        lines = good.read("data.jsonl").decode().splitlines()
        bad.writestr("data.jsonl", "\n".join([*lines[:3], '{"model": "people.nothing"', ""]))
    with pytest.raises(CommandError, match="could not be loaded .*Nothing was restored"):
        call_command("restore", str(damaged), "--replace")
    assert row_counts("default") == before
    assert Profile.objects.filter(user=mark).exists()


@pytest.mark.django_db
def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(tmp_path, mark):  # noqa: ANN001
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(CommandError, match="not a zip file"):
        call_command("restore", str(text))
    with pytest.raises(CommandError, match="No such file"):
        call_command("restore", str(tmp_path / "missing.zip"))

    def archive(manifest: dict | None) -> str:
        path = tmp_path / f"{uuid.uuid4().hex}.zip"
        with zipfile.ZipFile(path, "w") as out:
            out.writestr("data.jsonl", "")
            if manifest is not None:
                out.writestr("manifest.json", json.dumps(manifest))
        return str(path)

    with pytest.raises(CommandError, match="no manifest"):
        call_command("restore", archive(None))
    with pytest.raises(CommandError, match="format version 99"):
        call_command("restore", archive({"format": "mentorcraft-backup", "format_version": 99}))
    newer = {
        "format": "mentorcraft-backup",
        "format_version": 1,
        "migrations": {"people": ["0001_initial", "9999_from_the_future"]},
        "row_counts": {},
    }
    with pytest.raises(CommandError, match="newer version of Mentorcraft"):
        call_command("restore", archive(newer), "--replace")
    assert Profile.objects.filter(user=mark).exists()


def test_a_file_name_that_climbs_out_of_media_root_is_refused(tmp_path):  # noqa: ANN001
    assert _safe_media_path(tmp_path, "media/communities/1/a.pdf") == (
        tmp_path / "communities" / "1" / "a.pdf"
    )
    for name in ("media/../secret_key", "media//etc/passwd", "media/"):
        with pytest.raises(BackupError, match="unsafe name"):
            _safe_media_path(tmp_path, name)
