"""A new app plugs into every seam without editing another app: a next step, a programme
panel, a periodic job, a calendar event and demo data (config.tests.extension_app)."""

from __future__ import annotations

import ast
import datetime
import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.tests.extension_app.models import ReadingSession
from mentorcraft.programmes import services
from mentorcraft.programmes.models import Role

pytestmark = pytest.mark.django_db
APP = Path(__file__).parent / "extension_app"


@pytest.fixture
def session(programme, alice, mark):  # noqa: ANN001, ANN201
    services.programme_role_grant(programme=programme, user=mark, role=Role.MENTOR, by=alice)
    return ReadingSession.objects.create(
        programme=programme,
        title="Ask, don't tell",
        starts_at=timezone.now() + datetime.timedelta(hours=20),
    )


def test_it_is_installed_in_the_tests_only():
    from config import settings as deployment

    assert "config.tests.extension_app" not in deployment.INSTALLED_APPS


def test_it_stands_on_the_seams_alone():
    """It imports the extension points and the shared pieces, and no app's internals above
    programmes."""
    imported = set()
    for path in APP.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    ours = {m for m in imported if m.startswith("mentorcraft.")}
    assert "mentorcraft.core.extensions" in ours
    assert not {m for m in ours if m.split(".")[1] in {"matching", "mentorships", "home", "demo"}}


def test_it_adds_a_next_step_to_the_home_page(client, session, mark):
    client.force_login(mark)
    assert "Join the reading circle: Ask, don&#x27;t tell" in client.get("/").text


def test_it_adds_a_panel_to_the_programme_page(client, session, mark, olive):
    client.force_login(mark)
    page = client.get(reverse("programmes:detail", args=[session.programme_id])).text
    assert "Reading circle" in page and "Ask, don&#x27;t tell" in page
    client.force_login(olive)  # no part in the programme: no panel
    assert "Reading circle" not in client.get(session.programme.get_absolute_url()).text


def test_its_calendar_file_comes_from_the_shared_builder(client, session, mark, olive):
    client.force_login(mark)
    ics = client.get(reverse("extension_app:ics", args=[session.pk])).content.decode()
    assert f"UID:{session.uid}@mentorcraft" in ics and "SEQUENCE:0" in ics
    assert "METHOD:PUBLISH" in ics
    client.force_login(olive)
    assert client.get(reverse("extension_app:ics", args=[session.pk])).status_code == 404


def test_its_periodic_job_runs_with_the_others_and_sends_once(
    session, django_capture_on_commit_callbacks
):
    for expected in ("1 reading-circle reminders sent.", "0 reading-circle reminders sent."):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("periodic", stdout=out)
        assert f"reading circle reminders: {expected}" in out.getvalue()
        assert "expire offers:" in out.getvalue()  # the other apps' jobs ran too
    assert [m.subject for m in mail.outbox] == ["Tomorrow: reading circle on Ask, don't tell"]


@pytest.mark.slow
def test_it_seeds_its_demo_data_and_its_hint_holds(capsys):
    call_command("seed_demo")
    session = ReadingSession.objects.get()
    assert session.programme.name == "Nursing Leadership Mentoring 2026"
    call_command("demo_logins")
    assert "join the reading circle" in capsys.readouterr().out
