"""Lessons 6 and 7 as nbviewer shows them (offline): the charts draw, and their plotly buttons work without a kernel."""

from __future__ import annotations

from pathlib import Path

from ketamine_course.paths import lessons_dir
from tests.browser.support import notebook_html, open_offline


def _open(page, tmp_path: Path, stem: str):
    html = tmp_path / f"{stem}.html"
    html.write_text(notebook_html(lessons_dir() / f"{stem}.ipynb"), encoding="utf-8")
    report = open_offline(page, html)
    page.wait_for_function("document.querySelectorAll('.plotly-graph-div .main-svg').length >= 2")
    return report


def _chart(page, title: str):
    return page.locator(".js-plotly-plot", has=page.locator(".gtitle", has_text=title))


def test_adverse_effects_sort_button_reorders_rows(page, tmp_path) -> None:
    report = _open(page, tmp_path, "06-safety-misuse-harm")
    chart = _chart(page, "Adverse reactions in 4-week trials")
    ticks = chart.locator(".yaxislayer-above .ytick text")
    # Sorted by rate on esketamine, the least frequent reaction (tachycardia, 2%) is at the bottom (first tick).
    assert ticks.first.text_content() == "Tachycardia"
    chart.get_by_text("Sort by difference from placebo").click()
    page.wait_for_timeout(300)
    assert ticks.first.text_content() != "Tachycardia"
    assert ticks.last.text_content() == "Dissociation"
    assert not report.errors, report.errors


def test_benefit_risk_button_switches_to_numbers_needed(page, tmp_path) -> None:
    report = _open(page, tmp_path, "07-regulation")
    chart = _chart(page, "Illustration: benefits and harms")
    labels = chart.locator(".bartext")
    assert "17.9" in labels.all_text_contents()
    chart.get_by_text("Number needed (NNT / NNH)").click()
    page.wait_for_timeout(300)
    texts = labels.all_text_contents()
    assert "17" in texts and "6" in texts and "17.9" not in texts
    assert not report.errors, report.errors
