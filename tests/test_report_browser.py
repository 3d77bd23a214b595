"""The HTML report in a real browser: Debian's Chromium driven by Playwright, nothing downloaded.

Skips, with the reason, where there is no Chromium or no playwright package (`.ci/run`
installs both). The page must render its matrix, chart and evidence, sort and filter on a
click, and show a hostile policy's <script> and <img onerror> as text without running them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from policy_samples import EVIL_NAME, corpus

from checker.cli import main

CHROMIUM = os.environ.get("PRIVCHECK_CHROMIUM") or shutil.which("chromium") or \
    shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not CHROMIUM:
    pytest.skip("no chromium on PATH (Debian: apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        except Exception as exc:  # a browser that cannot start here is a skip, not a failure
            pytest.skip(f"chromium at {CHROMIUM} did not start: {exc}")
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    folder = corpus(tmp_path, evil=True)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(folder), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    pg = browser.new_page(viewport={"width": 1400, "height": 1000})
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(out.as_uri())
    pg.wait_for_load_state("load")
    yield pg
    assert [u for u in requests if not u.startswith("file:")] == [], "the report used the network"
    pg.close()


def visible_paths(pg: Any) -> list[str]:
    return pg.eval_on_selector_all(
        "#matrix-table tbody tr:not(.hidden-row)", "rows => rows.map(r => r.dataset.path)")


def test_matrix_chart_and_evidence_render(page: Any) -> None:
    assert page.locator("#matrix-table tbody tr").count() == 6
    assert page.locator("#matrix-table tbody td.cell").first.is_visible()
    bars = page.locator("svg.chart rect.fill")
    assert bars.count() >= 10
    assert bars.first.bounding_box()["width"] > 0
    assert "Showing 6 of 6 policies" in page.locator("#f-count").inner_text()
    page.locator("#matrix-table tbody tr").first.locator("td.cell a").first.click()
    target = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    article = page.locator(f'[id="{target}"]')
    article.wait_for(state="visible")
    assert "law" in article.inner_text().lower()
    assert "line" in article.inner_text().lower()


def test_sort_and_filter_with_a_click(page: Any) -> None:
    before = visible_paths(page)
    page.locator('th[data-key="score"] button').click()
    ascending = visible_paths(page)
    assert sorted(before) == sorted(ascending) and ascending != before
    scores = page.eval_on_selector_all("#matrix-table tbody tr",
                                       "rows => rows.map(r => parseFloat(r.dataset.score))")
    assert scores == sorted(scores)
    assert page.locator('th[data-key="score"]').get_attribute("aria-sort") == "ascending"

    page.select_option("#f-rule", "core.contact")
    assert page.locator('td.cell[data-rule="core.opt-out"]').first.is_hidden()
    assert page.locator('td.cell[data-rule="core.contact"]').first.is_visible()
    page.select_option("#f-status", "fail")
    shown = visible_paths(page)
    statuses = page.eval_on_selector_all(
        '#matrix-table tbody tr:not(.hidden-row) td.cell[data-rule="core.contact"]',
        "cells => cells.map(c => c.dataset.status)")
    assert statuses and set(statuses) == {"fail"} and len(shown) < 6
    page.click("#f-reset")
    assert len(visible_paths(page)) == 6

    page.locator('svg.chart .bar[data-rule="core.security"]').click()
    assert page.input_value("#f-rule") == "core.security"


def test_hostile_policy_is_shown_as_text_and_runs_nothing(page: Any, tmp_path: Path) -> None:
    evil_row = page.locator(f'#matrix-table tbody tr[data-path$="{EVIL_NAME}"]')
    assert evil_row.count() == 1
    evil_row.locator("th a").click()
    section = page.locator(f'section.policy:has(span.ptitle:text-matches("{EVIL_NAME}$"))')
    section.locator("article.finding").first.wait_for(state="visible")
    text = section.inner_text()
    assert "<script>window.__pwned = 1; alert(1)</script>" in text
    assert '<img src=x onerror="window.__pwned=2;alert(1)">' in text
    assert EVIL_NAME in page.locator("#matrix-table").inner_text()
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("section.policy img, section.policy script, #matrix-table b").count() == 0
    assert page.dialogs == [] and page.errors == []
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)


def test_enter_in_the_filter_keeps_the_page(page: Any) -> None:
    """Issue 13: the CSP blocked an inline onsubmit, so Enter reloaded and cleared the page."""
    page.fill("#f-search", "no-such-policy")
    page.press("#f-search", "Enter")
    page.wait_for_timeout(300)
    assert page.input_value("#f-search") == "no-such-policy"
    assert page.errors == []


def test_print_shows_the_whole_matrix_open_and_unstuck(page: Any) -> None:
    """Issue 13: printing cut the matrix, kept sticky rows over policies, left findings shut."""
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate("[...document.querySelectorAll('details')].every(d => d.open)")
    assert page.evaluate("[...document.querySelectorAll('.matrix *')]"
                         ".filter(e => getComputedStyle(e).position === 'sticky').length") == 0
    right, width = page.evaluate("[document.getElementById('matrix-table')"
                                 ".getBoundingClientRect().right, "
                                 "document.documentElement.clientWidth]")
    assert right <= width + 1
