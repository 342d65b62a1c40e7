"""The published pages in a real headless Chromium, at a phone's width (390 px) and a desktop's
(1366 px): nothing wider than the screen, no chart text smaller than 12 CSS px.

Uses Debian's /usr/bin/chromium driven by Playwright (never a downloaded browser), as the review
workbench's browser test does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analytics.board.config import BoardConfig
from analytics.board.publish import publish_week

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
WIDTHS = (390, 1366)
# The smallest font size (CSS px) of the charts' text, as drawn: SVG text scales with its chart.
SMALLEST_CHART_TEXT = """() => Math.min(99, ...[...document.querySelectorAll('svg text')].map(
    t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
SMALLEST_TEXT = """() => Math.min(99, ...[...document.querySelectorAll('body *')]
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(e => parseFloat(getComputedStyle(e).fontSize)))"""

pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason="no /usr/bin/chromium: install Debian's chromium package (the CI does) to run the "
    "browser test",
)


@pytest.fixture(scope="module")
def pages(synthetic_warehouse_template, tmp_path_factory):
    root = tmp_path_factory.mktemp("browser") / "warehouse"
    shutil.copytree(synthetic_warehouse_template, root)
    config = BoardConfig(min_listed_entities=1, issuer="示例交通管理部门", contact="举报电话 122")
    folder = publish_week(root, "2026-W47", config).folder
    return {
        "public": folder / "index.html",
        "analysis": folder / "analysis.html",
        "weeks": root / "boards" / "index.html",
    }


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["public", "analysis", "weeks"])
def test_no_page_is_wider_than_the_screen(pages, browser, name, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(pages[name].as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_text_on_the_public_page_or_its_charts_is_smaller_than_12_px(pages, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(pages["public"].as_uri())
    assert page.locator("svg.chart").count() == 2
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 12
    assert page.evaluate(SMALLEST_TEXT) >= 12
    page.close()
