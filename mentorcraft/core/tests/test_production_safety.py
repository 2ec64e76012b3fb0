from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _start(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _start(DEBUG="0")
    assert result.returncode != 0
    assert "DEBUG=0 needs SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_production_settings_start_with_a_secret_key():
    result = _start(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="mentoring.example.org")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_a_refusal_is_logged_as_one_warning_line(client, mark, caplog):
    client.force_login(mark)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/invitations/")  # coordinators only
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.levelname for r in records] == ["WARNING"]
    assert records[0].exc_info is None
    assert "Forbidden" in records[0].getMessage()
