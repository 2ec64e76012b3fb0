from __future__ import annotations

from types import SimpleNamespace

import pytest


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch):  # noqa: ANN001
    """Mail is queued on commit; a test runs inside one transaction that never commits, so here
    it leaves at once. (The on-commit behaviour itself is tested with the matching offers.)"""
    monkeypatch.setattr(
        "mentorcraft.notifications.services.transaction",
        SimpleNamespace(on_commit=lambda callback: callback()),
    )
