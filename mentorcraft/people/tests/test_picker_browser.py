"""The person picker in a real browser: search as one types, choose, remove, save."""

from __future__ import annotations

import pytest

from conftest import make_person, sign_in
from mentorcraft.people.models import Department, Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_a_line_manager_by_typing(page, live_server):
    ops = Department.objects.create(name="Operations")
    finance = Department.objects.create(name="Finance")
    olive = make_person("olive@example.org", "Olive Outsider")
    nurse = make_person("ana.ops@example.org", "Ana Patel", job_title="Nurse", department=ops)
    make_person("ana.fin@example.org", "Ana Patel", job_title="Accountant", department=finance)
    sign_in(page, live_server, olive)
    page.goto(f"{live_server.url}/me/")
    page.get_by_label("Line manager").fill("ana pa")
    results = page.locator("#id_line_manager_results li")
    results.first.wait_for()
    assert results.count() == 2
    assert "ana.ops@example.org" not in page.content()
    assert "2 people found" in page.locator("#id_line_manager_status").inner_text()
    results.filter(has_text="Nurse").get_by_role("button", name="Choose Ana Patel").click()
    chosen = page.locator("#id_line_manager_chosen li")
    chosen.first.wait_for()
    assert "Nurse" in chosen.inner_text()
    # Changing one's mind: remove, choose the other, then the nurse again (one person only).
    chosen.get_by_role("button", name="Remove Ana Patel").click()
    chosen.first.wait_for(state="detached")
    results.filter(has_text="Accountant").get_by_role("button", name="Choose Ana Patel").click()
    chosen.first.wait_for()
    results.filter(has_text="Nurse").get_by_role("button", name="Choose Ana Patel").click()
    page.wait_for_function(
        "document.querySelector('#id_line_manager_chosen').textContent.includes('Nurse')"
    )
    assert chosen.count() == 1
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_load_state()
    assert Profile.objects.get(user=olive).line_manager == nurse
