"""End to end in a real headless Chromium: log in, open the queue, play an event's clip, confirm
one event and reject another with the keyboard, and see the review figures change.

Uses Debian's /usr/bin/chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.decisions.decisions import current_decision
from analytics.decisions.store import store_session

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse 42"
WAIT_MS = 20_000

pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason="no /usr/bin/chromium: install Debian's chromium package (the CI does) to run the "
    "browser test",
)


@pytest.fixture
def server(app, events, accounts, serve):
    """The workbench on a free local port, served by uvicorn in a thread."""
    return serve(app)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_a_reviewer_works_through_the_queue(server, browser, events, warehouse):
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    newest, middle, oldest = (event["event_id"] for event in reversed(events))

    page.goto(f"{server}/")
    assert "/login" in page.url
    page.fill("input[name=username]", "li")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")
    assert page.inner_text("#count-pending") == "3"
    assert (page.inner_text("#figure-confirmed"), page.inner_text("#figure-rejected")) == ("0", "0")

    page.keyboard.press("j")  # the first event of the queue: the newest
    page.wait_for_url(f"**/events/{newest}")
    page.wait_for_function(
        "() => { const v = document.getElementById('evidence-video');"
        " return v.readyState >= 2 && v.currentTime > 1.0; }"
    )
    page.keyboard.press(" ")  # replay from the start
    page.wait_for_function("() => document.getElementById('evidence-video').currentTime < 0.9")
    assert page.evaluate("() => document.querySelector('img[alt=特写]').naturalWidth") == 160

    page.keyboard.press("c")  # confirm: on to the next pending event
    page.wait_for_url(f"**/events/{middle}")
    page.select_option("#reason-code", "bad_footage")
    page.keyboard.press("Escape")
    page.keyboard.press("r")  # reject with the chosen reason
    page.wait_for_url(f"**/events/{oldest}")

    page.goto(f"{server}/")
    assert page.inner_text("#count-pending") == "1"
    assert (page.inner_text("#figure-confirmed"), page.inner_text("#figure-rejected")) == ("1", "1")
    page.goto(f"{server}/board")
    assert "1" in page.inner_text("#confirmed-by-rule")
    assert problems == []

    with store_session(warehouse) as conn:
        confirmed, rejected = current_decision(conn, newest), current_decision(conn, middle)
    assert (confirmed.decision, confirmed.decided_by) == ("confirmed", "li")
    assert (rejected.decision, rejected.reason_code) == ("rejected", "bad_footage")


def log_in(page, server):
    page.goto(f"{server}/login")
    page.fill("input[name=username]", "li")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")


def test_a_detected_platform_is_confirmed_explicitly_before_c_confirms(server, browser, events):
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    log_in(page, server)
    wrong_way = events[1]["event_id"]  # a meituan courier, detected
    page.goto(f"{server}/events/{wrong_way}")
    page.keyboard.press("c")  # the platform is not confirmed yet: the cursor goes there instead
    assert page.evaluate("() => document.activeElement.id") == "courier-platform"
    assert page.url.endswith(f"/events/{wrong_way}")
    page.keyboard.press("Escape")
    page.keyboard.press("p")  # take the detected platform
    assert page.input_value("#courier-platform") == "meituan"
    page.keyboard.press("c")
    page.wait_for_url(f"**/events/{events[0]['event_id']}")


def test_the_decision_form_sits_beside_the_playing_clip_at_1440x900(server, browser, events):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.set_default_timeout(WAIT_MS)
    log_in(page, server)
    page.goto(f"{server}/events/{events[1]['event_id']}")
    page.wait_for_function(
        "() => { const v = document.getElementById('evidence-video');"
        " return v.readyState >= 2 && !v.paused; }"
    )
    video = page.locator("#evidence-video").bounding_box()
    for button in ("#confirm-button", "#reject-button"):
        box = page.locator(button).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 900, (button, box)
        assert box["x"] >= video["x"] + video["width"]  # beside the clip, not under it
    closeup = page.locator("img[alt=特写]").bounding_box()
    assert closeup["height"] < 200 and closeup["width"] > closeup["height"]  # not a tall column


def test_the_event_page_is_usable_at_390_px(server, browser, events):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_default_timeout(WAIT_MS)
    log_in(page, server)
    for link in page.locator("header.top nav a").all():
        assert link.bounding_box()["height"] < 30  # one line each, never a character per line
    page.goto(f"{server}/events/{events[1]['event_id']}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    form = page.locator("#decision-form").bounding_box()
    facts = page.locator("section.facts").bounding_box()
    stills = page.locator(".stills").bounding_box()
    assert stills["y"] < form["y"] < facts["y"]  # evidence, then the decision, then the rest
    assert form["x"] >= 0 and form["x"] + form["width"] <= 390
