"""Lessons 6 and 7 as nbviewer shows them (offline): the charts draw, and their plotly buttons work without a kernel."""

from __future__ import annotations

from pathlib import Path

from ketamine_course.paths import lessons_dir
from tests.browser.support import notebook_html, open_offline


def _open(page, tmp_path: Path, stem: str):
    html = tmp_path / f"{stem}.html"
    html.write_text(notebook_html(lessons_dir() / f"{stem}.ipynb"), encoding="utf-8")
    report = open_offline(page, html)
    return report


WAIT_MS = 20_000  # generous: a loaded CI machine can take seconds to draw a chart


def _chart(page, title: str):
    return page.locator(".js-plotly-plot", has=page.locator(".gtitle", has_text=title))


def test_adverse_effects_sort_button_reorders_rows(page, tmp_path) -> None:
    from playwright.sync_api import expect  # imported here: without playwright the page fixture skips the test

    report = _open(page, tmp_path, "06-safety-misuse-harm")
    chart = _chart(page, "Adverse reactions in 4-week trials")
    ticks = chart.locator(".yaxislayer-above .ytick text")
    # Sorted by rate on esketamine, the least frequent reaction (tachycardia, 2%) is at the bottom (first tick).
    expect(ticks.first).to_have_text("Tachycardia", timeout=WAIT_MS)
    chart.get_by_text("Sort by difference from placebo").click()
    expect(ticks.first).not_to_have_text("Tachycardia", timeout=WAIT_MS)
    expect(ticks.last).to_have_text("Dissociation", timeout=WAIT_MS)
    assert not report.errors, report.errors


def test_benefit_risk_button_switches_to_numbers_needed(page, tmp_path) -> None:
    from playwright.sync_api import expect

    report = _open(page, tmp_path, "07-regulation")
    chart = _chart(page, "Illustration: benefits and harms")
    labels = chart.locator(".bartext")
    expect(labels.filter(has_text="17.9")).to_have_count(1, timeout=WAIT_MS)
    chart.get_by_text("Number needed (NNT / NNH)").click()
    expect(labels.filter(has_text="17.9")).to_have_count(0, timeout=WAIT_MS)
    texts = labels.all_text_contents()
    assert "17" in texts and "6" in texts and "17.9" not in texts
    assert not report.errors, report.errors
