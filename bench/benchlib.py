"""What the Django benchmarks under bench/ share: a throwaway database, a best-of timer, a
page's query count, and the table of results (printed, and written as JSON)."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup_django(path: str) -> None:
    """Django on a fresh SQLite file at ``path``, migrated, with mail and tasks kept in
    memory and no query log growing without bound."""
    os.environ["SQLITE_PATH"] = path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.ALLOWED_HOSTS = ["*"]
    settings.HOME_CACHE_SECONDS = 0
    call_command("migrate", verbosity=0)


def timed(function: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    """The best of ``repeat`` runs, in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def page_queries(client, url: str) -> int:  # noqa: ANN001
    """How many queries one GET of ``url`` makes, after a warm-up GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


class Table:
    """The rows of results: printed as they come, written as JSON at the end."""

    def __init__(self, widths: tuple[int, int] = (58, 34)) -> None:
        self.rows: list[tuple[str, str, str]] = []
        self.widths = widths

    def header(self) -> None:
        first, second = self.widths
        print(f"  {'measure':<{first}} {'measured':<{second}} target")

    def report(self, name: str, measured: str, target: str) -> None:
        self.rows.append((name, measured, target))
        first, second = self.widths
        print(f"  {name:<{first}} {measured:<{second}} {target}")

    def write(self, path: Path) -> None:
        path.write_text(
            json.dumps(
                [
                    dict(zip(("measure", "measured", "target"), row, strict=True))
                    for row in self.rows
                ],
                indent=2,
            )
            + "\n"
        )
