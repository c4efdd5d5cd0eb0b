"""Lesson 2's main chart must stay explorable on nbviewer: in the static page (no kernel, network off), the NMDA
dropdown redraws the occupancy curve with the other published K, and the D2 dropdown draws the disputed claim."""

from __future__ import annotations

import pytest

from ketamine_course.notebooks import lesson_paths
from tests.browser.support import notebook_html, open_offline


@pytest.fixture(scope="module")
def lesson_html(tmp_path_factory):
    path = tmp_path_factory.mktemp("lesson02") / "02-pharmacodynamics.html"
    path.write_text(notebook_html(lesson_paths(["02"])[0]), encoding="utf-8")
    return path


def test_occupancy_dropdowns_work_without_a_kernel(page, lesson_html) -> None:
    report = open_offline(page, lesson_html)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    plots = page.locator(".js-plotly-plot")
    occupancy = next(plots.nth(i) for i in range(plots.count())
                     if "occupancy" in plots.nth(i).evaluate("el => el.layout.title.text"))
    x, before = occupancy.evaluate("el => [el.data[0].x[24], el.data[0].y[24]]")
    assert before == pytest.approx(100 * x / (x + 0.5), abs=0.1)

    occupancy.locator(".updatemenu-header-group").nth(0).click()
    occupancy.locator(".updatemenu-item-text", has_text="Ki 3.1").first.click()
    page.wait_for_function("el => el.data[0].name.includes('Seeman')", arg=occupancy.element_handle())
    after = occupancy.evaluate("el => el.data[0].y[24]")
    assert after == pytest.approx(100 * x / (x + 3.1), abs=0.1)

    assert occupancy.evaluate("el => el.data[1].visible") == "legendonly"
    occupancy.locator(".updatemenu-header-group").nth(1).click()
    occupancy.locator(".updatemenu-item-text", has_text="0.055").first.click()
    page.wait_for_function("el => el.data[1].visible === true", arg=occupancy.element_handle())
    assert not [e for e in report.errors if "plotly" in e.lower()]
