"""Accessibility of every static lesson page, checked by axe-core (injected from the npm registry's package).

Serious and critical violations fail the test; the counts by rule are printed (pytest -s) for the record.
"""

from __future__ import annotations

import pytest

from ketamine_course.notebooks import lesson_paths
from tests.browser.support import axe_violations, notebook_html, open_offline

pytestmark = pytest.mark.browser
BLOCKING = {"serious", "critical"}


@pytest.mark.parametrize("path", lesson_paths(), ids=lambda p: p.stem)
def test_no_serious_or_critical_axe_violations(page, tmp_path, path) -> None:
    html_path = tmp_path / f"{path.stem}.html"
    html_path.write_text(notebook_html(path), encoding="utf-8")
    open_offline(page, html_path)
    page.wait_for_function("Array.from(document.querySelectorAll('.plotly-graph-div'))"
                           ".every(d => d.querySelector('.main-svg'))")
    violations = axe_violations(page)
    print(path.stem, {v["id"]: (v["impact"], len(v["nodes"])) for v in violations})
    blocking = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in violations
                if v["impact"] in BLOCKING]
    assert not blocking, blocking
