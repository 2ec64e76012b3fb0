"""The publish button's count follows the ticks (the walk found it stuck at the page's total)."""

from __future__ import annotations

import pytest

from conftest import new_page, sign_in
from mentorcraft.matching.tests.test_walkthrough_fixes import finished_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unticking_a_pair_lowers_the_count_on_the_publish_button(
    browser, live_server, alice, matching_programme
):
    run = finished_run(matching_programme, alice)
    total = run.proposals.count()
    assert total >= 2
    page = new_page(browser)
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/matching/runs/{run.pk}/")
    count = page.locator("[data-ticked=proposal]")
    assert count.inner_text() == str(total)
    page.locator("input[name=proposal]").first.uncheck()
    assert count.inner_text() == str(total - 1)
    page.locator("input[name=proposal]").first.check()
    assert count.inner_text() == str(total)
