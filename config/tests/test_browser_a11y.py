"""Accessibility in a real browser: every app page, for every demo role, audited with axe-core.

axe-core comes from the npm package pinned in package.json (installed with `npm ci` when it is
missing), never from a CDN. It is evaluated into the page through the DevTools protocol, so the
page keeps its Content-Security-Policy during the audit and a page that breaks the policy shows
up as a console error here.

The crawl starts at each person's home page and follows same-origin links, one page for each
URL shape (`/mentorships/12/` and `/mentorships/13/` are the same shape), skipping the admin,
the API, signing out and anything that is not HTML. Every demo account's home page is audited;
each other shape once for the coordinators (and the admin) and once for everyone else, by the
first account that reaches it, which keeps the walk to a few minutes (``A11Y_EVERY_ROLE=1``:
every shape for every account). On each page: axe's
WCAG 2.0/2.1/2.2 A and AA rules and its best practices, no sideways scrolling at 1280, 640 (200%
zoom) and 320 px, no console error (a blocked inline style is one), and no two buttons with one
name that act on different things.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from conftest import SCREENSHOTS, make_person

pytestmark = [pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/accounts/logout/", "/__")
PAGES_PER_ROLE = 120
RUN_PROGRAMMES = {"Coordinator", "Admin"}
DOWNLOAD = re.compile(r"(/download/|/export/|\.ics$|\.csv$|\.pdf$|/calendar/)")


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's own script, installed from the npm registry on first use (CI has npm)."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install axe-core for the accessibility tests.")
        subprocess.run(  # noqa: S603 - a fixed command
            [npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True, timeout=300
        )
    return AXE.read_text(encoding="utf-8")


def shape(path: str) -> str:
    """The URL's shape: numbers and long tokens become placeholders; the query is left out."""
    segments = [
        "<id>" if re.fullmatch(r"\d+", s) else "<token>" if len(s) >= 20 else s
        for s in urlsplit(path).path.split("/")
    ]
    return "/".join(segments)


def audit(page, axe_source: str) -> list[str]:  # noqa: ANN001
    """axe's violations on the page as it is now, one line per failing element."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    lines = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            lines.append(
                f"{violation['id']} ({violation['impact']}): {' '.join(map(str, node['target']))}"
                f" — {' '.join(node.get('failureSummary', '').split()[:30])} {node['html'][:160]}"
            )
    return lines


# Buttons that share a name but act on different things (one "Register" per session) must say
# what they act on: visible or visually hidden text, or an aria-label that starts with the text.
SAME_NAME_OTHER_ACTION = """() => {
  const actions = new Map();
  // checkVisibility() also leaves out what sits in a closed <details>.
  const shown = el => el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0;
  const controls = "main button, main input[type=submit], main a.button";
  for (const el of document.querySelectorAll(controls)) {
    if (!shown(el)) continue;
    const name = (el.getAttribute("aria-label") || el.textContent || el.value || "")
      .replace(/\\s+/g, " ").trim().toLowerCase();
    let action = el.href;
    if (!action) {
      const data = el.form ? new FormData(el.form) : new FormData();
      data.delete("csrfmiddlewaretoken");
      if (el.name) data.append(el.name, el.value);
      action = (el.form ? el.form.action : "") + "?" + new URLSearchParams(data);
    }
    if (!actions.has(name)) actions.set(name, new Set());
    actions.get(name).add(action);
  }
  return [...actions].filter(([, a]) => a.size > 1)
    .map(([name, a]) => `"${name}" acts on ${a.size} things`);
}"""


def ambiguous_buttons(page) -> list[str]:  # noqa: ANN001
    return page.evaluate(SAME_NAME_OTHER_ACTION)


def overflow(page, width: int) -> int:  # noqa: ANN001
    """How far the page scrolls sideways at this viewport width (0 when it fits)."""
    height = page.viewport_size["height"]
    page.set_viewport_size({"width": width, "height": height})
    try:
        return page.evaluate(f"document.documentElement.scrollWidth - {width}")
    finally:
        page.set_viewport_size({"width": 1280, "height": height})


def links(page, origin: str) -> Iterator[str]:  # noqa: ANN001
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
        url, _ = urldefrag(href)
        if url.startswith(origin):
            path = url[len(origin) :] or "/"
            if not path.startswith(SKIP_PREFIXES) and not DOWNLOAD.search(path):
                yield path


def crawl(page, origin: str, axe_source: str, seen: set[str], start: str = "/", log=None):  # noqa: ANN001, ANN201
    """From `start`, visit one page of each URL shape not in `seen` (which grows), and audit
    each; the problems found and the number of pages audited."""
    from playwright.sync_api import Error as PlaywrightError

    problems: list[str] = []
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    seen.add(shape(start))
    queue = [start]
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        path = queue.pop(0)
        try:
            response = page.goto(origin + path, timeout=60_000)
        except PlaywrightError as exc:
            if "Download is starting" not in str(exc):  # a file rather than a page is fine
                problems.append(f"{path}: {str(exc).splitlines()[0]}")
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            problems.append(f"{path}: not a page ({response and response.headers})")
            continue
        visited += 1
        if log:
            log(path)
        if response.status >= 500:
            problems.append(f"{path}: HTTP {response.status}")
        for line in audit(page, axe_source) + ambiguous_buttons(page):
            problems.append(f"{path}: {line}")
        for width in (1280, 640, 320):  # 640 px is 1280 px at 200% zoom
            if (wider := overflow(page, width)) > 0:
                problems.append(f"{path}: scrolls sideways by {wider}px at {width}px wide")
        for error in console:
            problems.append(f"{path}: console error: {error}")
        console.clear()
        for link in links(page, origin):
            if shape(link) not in seen:
                seen.add(shape(link))
                queue.append(link)
    return problems, visited


def demo_sign_in(page, origin: str, email: str, password: str) -> None:  # noqa: ANN001
    page.goto(f"{origin}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{origin}/")


@pytest.mark.slow
@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_every_page_for_every_demo_role_has_no_axe_violation_and_fits_320px(
    browser, live_server, axe_source
):
    from mentorcraft.demo.people import DEMO_PASSWORD
    from mentorcraft.demo.seeding import demo_accounts

    call_command("seed_demo")
    invitee = make_person("invitee@example.org", "Ines Invitee")  # signed up, no role yet
    invitee.set_password(DEMO_PASSWORD)
    invitee.save()
    accounts = [(a.email, a.role) for a in demo_accounts()] + [(invitee.email, "Invitee")]

    problems: list[str] = []
    timings: list[str] = []
    # Each person's home page, and each page shape once for those who run programmes and once
    # for everyone else (the first to reach it), keeps the walk within a few minutes.
    # A11Y_EVERY_ROLE=1 walks every shape each account reaches, for every account (about
    # 350 pages: run it before a release).
    every_role = os.environ.get("A11Y_EVERY_ROLE") == "1"
    seen_by: dict[object, set[str]] = {}
    for email, role in accounts:
        started = time.monotonic()
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        demo_sign_in(page, live_server.url, email, DEMO_PASSWORD)
        seen = seen_by.setdefault(email if every_role else role in RUN_PROGRAMMES, set())
        seen.discard(shape("/"))
        found, visited = crawl(page, live_server.url, axe_source, seen)
        problems += [f"{email} {line}" for line in found]
        context.close()
        timings.append(f"{email}: {visited} pages in {time.monotonic() - started:.0f}s")
    print("\n".join(timings))  # noqa: T201 - how long each role took, in the test's output
    assert not problems, "\n".join(problems)


def _signed_in(browser, live_server, user):  # noqa: ANN001, ANN202
    from conftest import new_page, sign_in

    page = new_page(browser)
    sign_in(page, live_server, user)
    return page


@pytest.mark.django_db(transaction=True)
def test_signed_out_and_missing_pages_have_no_axe_violation(page, live_server, axe_source):
    problems, visited = crawl(page, live_server.url, axe_source, set(), start="/accounts/login/")
    page.goto(f"{live_server.url}/no-such-page/")
    problems += audit(page, axe_source)
    assert not problems, "\n".join(problems)
    assert visited >= 2  # the sign-in page and the pages it links to


@pytest.mark.django_db(transaction=True)
def test_a_form_with_errors_has_a_summary_that_takes_focus_and_links_each_field(
    browser, live_server, axe_source, mentorship
):
    page = _signed_in(browser, live_server, mentorship.mentor)
    page.goto(f"{live_server.url}/mentorships/{mentorship.pk}/meetings/new/")
    page.fill("input[name=duration_minutes]", "1")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Error: ")
    # The summary has focus, so a screen reader reads it first.
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    link = page.locator(".error-summary a[href='#id_duration_minutes']")
    assert link.count() == 1
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_duration_minutes"
    # The error and the help are read with the field: aria-describedby points at real elements.
    described = page.get_attribute("#id_duration_minutes", "aria-describedby") or ""
    assert "id_duration_minutes_error" in described.split()
    for target in described.split():
        assert page.locator(f"#{target}").count() == 1
    assert page.get_attribute("#id_duration_minutes", "aria-invalid") == "true"
    assert audit(page, axe_source) == []


@pytest.mark.django_db(transaction=True)
def test_after_an_htmx_update_the_live_region_says_what_happened_and_focus_stays_near(
    browser, live_server, axe_source, mentorship
):
    page = _signed_in(browser, live_server, mentorship.mentor)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/mentorships/{mentorship.pk}/")
    assert page.locator("[aria-live=polite]#live-region").count() == 1
    page.fill("#private-note-text", "Ask about the rota next time")
    page.click("#private-notes button[type=submit]")
    page.wait_for_function(
        "() => document.getElementById('live-region').textContent.includes('Note kept')"
    )
    assert "Ask about the rota next time" in page.inner_text("#private-notes")
    # The button that had focus was replaced: focus is on the notes' heading, not lost to <body>.
    assert page.evaluate("document.activeElement.id") == "private-heading"
    # An empty note: the error is announced and focus goes back to the text box.
    page.click("#private-notes button[type=submit]")
    page.wait_for_function(
        "() => document.getElementById('live-region').textContent.includes('Write the note')"
    )
    assert page.evaluate("document.activeElement.id") == "private-note-text"
    assert audit(page, axe_source) == []
    # Nothing swapped in broke the Content-Security-Policy (no inline style or script).
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.mark.django_db(transaction=True)
def test_print_hides_navigation_forms_and_private_notes(browser, live_server, mentorship):
    from mentorcraft.mentorships.services import private_note_add

    private_note_add(mentorship=mentorship, by=mentorship.mentor, text="Only mine to read")
    # One unbroken word of a thousand letters wraps instead of widening the page.
    private_note_add(mentorship=mentorship, by=mentorship.mentor, text="Pneumono" * 125)
    page = _signed_in(browser, live_server, mentorship.mentor)
    page.goto(f"{live_server.url}/mentorships/{mentorship.pk}/")
    assert page.get_by_text("Only mine to read").is_visible()
    assert overflow(page, 320) <= 0
    assert page.locator("header.site-header nav").first.is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_text("Only mine to read").is_visible()
    assert not page.locator("header.site-header nav").first.is_visible()
    forms = page.locator("main form")
    assert forms.count() > 0
    assert not any(forms.nth(i).is_visible() for i in range(forms.count()))
    assert page.locator("main h1").is_visible()
    # On paper the page says which programme the pair is in (the breadcrumb does not print).
    assert mentorship.programme.name in page.locator("main .print-only").first.inner_text()
    assert page.locator("main .print-only").first.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "pair_page_print.png"), full_page=True)
