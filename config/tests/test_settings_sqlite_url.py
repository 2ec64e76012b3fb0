"""A SQLite file named by DATABASE_URL (as the README's commands do) gets the same options as
the default one: without them, a page that reads and then writes met "database is locked" while
the worker wrote (a coordinator's programme export failed so)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _database_settings(env: dict[str, str]) -> dict:
    script = "import json, config.settings as s; print(json.dumps(s.DATABASES['default']))"
    out = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_sqlite_database_url_gets_wal_immediate_transactions_and_a_busy_timeout(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    options = _database_settings(env)["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert "journal_mode=WAL" in options["init_command"]


def test_postgres_urls_get_no_sqlite_options():
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"}
    settings = _database_settings(env)
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert "transaction_mode" not in settings.get("OPTIONS", {})
