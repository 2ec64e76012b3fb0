"""End to end in a real browser: a coordinator signs in and screens a mentor application.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright; no browser is downloaded.
"""

from __future__ import annotations

import pytest

from conftest import SCREENSHOTS, make_person
from mentorcraft.programmes.models import ApplicationStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_signs_in_and_screens_an_application(
    page, live_server, alice, programme, mentor_application
):
    alice.set_password("a long demo password")
    alice.save()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "alice@example.org")
    page.fill("input[name=password]", "a long demo password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "Review 1 application" in page.inner_text("main")

    page.click("text=Review 1 application")
    page.click("text=Mark Mentor")
    page.click("text=Screen against the Ideal Mentor Profile")
    for criterion in programme.criteria.all():
        page.check(f"input[name=score_{criterion.pk}][value='4']")
    page.fill("textarea[name=comment]", "Thoughtful answers; strong listener.")
    page.screenshot(path=str(SCREENSHOTS / "screening_form.png"), full_page=True)
    page.click("button:has-text('Save screening')")

    assert "Weighted fit is now 4.00 of 5" in page.inner_text("main")
    page.check("input[name=decision][value=accept]")
    page.click("button:has-text('Record decision')")
    assert "Application accepted." in page.inner_text("main")
    page.screenshot(path=str(SCREENSHOTS / "application_accepted.png"), full_page=True)

    mentor_application.refresh_from_db()
    assert mentor_application.status == ApplicationStatus.ACCEPTED
    assert mentor_application.screenings.get().comment == "Thoughtful answers; strong listener."


def test_pages_carry_no_inline_script(page, live_server, db):
    person = make_person("page@example.org", "Page Reader")
    person.set_password("a long demo password")
    person.save()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "page@example.org")
    page.fill("input[name=password]", "a long demo password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    # htmx loaded from our own origin under the Content-Security-Policy, and nothing was blocked.
    assert page.evaluate("typeof window.htmx") == "object"
    assert not [e for e in errors if "Content Security Policy" in e]
