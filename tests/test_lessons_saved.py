"""Guards nbval cannot give: lessons are saved executed (nbval silently skips unexecuted cells), without errors,
with charts nbviewer can draw, quizzes that fall back to HTML, and a reasonable size."""

from __future__ import annotations

import json

import nbformat
import pytest

from ketamine_course.notebooks import QUIZ_HTML_MARKER, WIDGET_STATE_MIME, WIDGET_VIEW_MIME, lesson_paths

MAX_LESSON_BYTES = 1_500_000
LESSONS = lesson_paths()


def test_there_are_lessons() -> None:
    assert any(p.stem == "00-start-here" for p in LESSONS)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_is_saved_executed_in_order(path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert code, "a lesson has code cells"
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), \
        "run `python course.py regenerate`: cells must be executed top to bottom in a fresh kernel"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, f"saved error output: {errors[0].get('ename')}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_saved_outputs_render_without_a_kernel(path) -> None:
    nb = nbformat.read(path, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    plotly = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert all("text/html" in o["data"] for o in plotly), "a plotly chart without text/html is blank on nbviewer"
    quizzes = [o for o in outputs if QUIZ_HTML_MARKER in o.get("data", {}).get("text/html", "")]
    assert all(WIDGET_VIEW_MIME not in o["data"] for o in quizzes), "quiz widget views must be stripped"
    other_views = [o for o in outputs if WIDGET_VIEW_MIME in o.get("data", {})]
    if other_views:
        state = nb.metadata["widgets"][WIDGET_STATE_MIME]["state"]
        assert all(o["data"][WIDGET_VIEW_MIME]["model_id"] in state for o in other_views)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_size_and_no_absolute_paths(path) -> None:
    assert path.stat().st_size <= MAX_LESSON_BYTES
    text = path.read_text(encoding="utf-8")
    for marker in ("/work/", "/home/", "/root/", "/tmp/"):
        assert marker not in text, f"absolute path {marker!r} saved in {path.name}"
    json.loads(text)
