"""Screenshots of the review workbench for docs/review.md, in real Chromium: the event page of
the rendered sample's wrong-way courier at 1440x900 (desktop) and 390 px wide (phone), and the
queue at 1440x900.

Loads a ``civility detect`` output folder (default: the demo's, ``civility demo`` writes it)
into a throw-away warehouse, serves the workbench on loopback as ``civility review serve`` does,
logs in and saves the pictures.

    .venv/bin/python scripts/review_screenshots.py [--results out/demo/results/intersection]
        [--out docs/images]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from analytics.decisions.queue_sync import sync_from_warehouse
from analytics.decisions.store import store_session
from analytics.decisions.users import add_user
from analytics.warehouse import load_clip
from review.app import create_app
from review.serving import served_in_thread
from review.settings import ReviewSettings

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "screenshot password"


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=Path("out/demo/results/intersection"))
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="review-shots-") as folder:
        root = Path(folder) / "warehouse"
        load_clip(root, args.results)
        sync_from_warehouse(root)
        with store_session(root) as conn:
            add_user(conn, "li", "reviewer", PASSWORD)
        app = create_app(ReviewSettings(warehouse=root, sync_enabled=False))
        with served_in_thread(app) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox"]
            )
            desktop = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            desktop.goto(f"{base}/login")
            desktop.fill("input[name=username]", "li")
            desktop.fill("input[name=password]", PASSWORD)
            desktop.click("button[type=submit]")
            desktop.wait_for_url(f"{base}/")
            desktop.screenshot(path=args.out / "review-queue-1440.png")
            # the wrong-way courier: its detected platform waits for the reviewer's word
            courier = desktop.locator("tr", has_text="美团外卖").locator("a.event-link")
            event = courier.first.get_attribute("href")
            desktop.goto(f"{base}{event}")
            desktop.wait_for_function(
                "() => document.getElementById('evidence-video').readyState >= 2"
            )
            desktop.screenshot(path=args.out / "review-event-1440x900.png")
            cookies = desktop.context.cookies()
            phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
            phone.add_cookies(cookies)
            page = phone.new_page()
            page.goto(f"{base}{event}")
            page.screenshot(path=args.out / "review-event-390.png", full_page=True)
            browser.close()
    for name in ("review-queue-1440.png", "review-event-1440x900.png", "review-event-390.png"):
        print(args.out / name)


if __name__ == "__main__":
    main()
