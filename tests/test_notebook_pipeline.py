"""The regenerate pipeline's steps, tested alone on small notebooks."""

from __future__ import annotations

import nbformat

from ketamine_course.notebooks import (
    WIDGET_STATE_MIME,
    WIDGET_VIEW_MIME,
    RunContext,
    drop_volatile_metadata,
    execute,
    regenerate,
    strip_quiz_widget_state,
)

QUIZ_ROOT, QUIZ_CHILD, SHARED_LAYOUT, SLIDER = "a" * 32, "b" * 32, "c" * 32, "d" * 32


def notebook_with_widgets() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    quiz_output = nbformat.v4.new_output("display_data", data={
        "text/plain": "quiz",
        "text/html": '<div class="course-quiz" data-course-quiz="x" data-course-static-twin="quiz">…</div>',
        WIDGET_VIEW_MIME: {"model_id": QUIZ_ROOT, "version_major": 2, "version_minor": 0}})
    slider_output = nbformat.v4.new_output("display_data", data={
        "text/plain": "slider", WIDGET_VIEW_MIME: {"model_id": SLIDER, "version_major": 2, "version_minor": 0}})
    nb.cells = [nbformat.v4.new_code_cell("quiz", outputs=[quiz_output], execution_count=1),
                nbformat.v4.new_code_cell("slider", outputs=[slider_output], execution_count=2)]
    state = {
        "e" * 32: {"state": {"description": "an orphan no view shows"}},
        QUIZ_ROOT: {"state": {"children": [f"IPY_MODEL_{QUIZ_CHILD}"], "layout": f"IPY_MODEL_{SHARED_LAYOUT}"}},
        QUIZ_CHILD: {"state": {"description": "Check"}},
        SHARED_LAYOUT: {"state": {}},
        SLIDER: {"state": {"layout": f"IPY_MODEL_{SHARED_LAYOUT}"}},
    }
    nb.metadata["widgets"] = {WIDGET_STATE_MIME: {"state": state, "version_major": 2, "version_minor": 0}}
    return nb


def test_quiz_widget_state_is_stripped_but_other_widgets_kept(tmp_path) -> None:
    nb = strip_quiz_widget_state(notebook_with_widgets(), RunContext(tmp_path / "x.ipynb"))
    state = nb.metadata["widgets"][WIDGET_STATE_MIME]["state"]
    assert set(state) == {SHARED_LAYOUT, SLIDER}  # the layout is still used by the slider
    quiz_data, slider_data = (c.outputs[0]["data"] for c in nb.cells)
    assert WIDGET_VIEW_MIME not in quiz_data and "text/html" in quiz_data
    assert WIDGET_VIEW_MIME in slider_data


def test_execute_and_save_a_notebook(tmp_path) -> None:
    path = tmp_path / "tiny.ipynb"
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "x"}})
    nb.cells = [nbformat.v4.new_code_cell("import os\nprint(os.environ['PYTHONHASHSEED'], 6 * 7)")]
    nbformat.write(nb, path)
    seconds = regenerate([path], steps=[execute, drop_volatile_metadata])
    saved = nbformat.read(path, as_version=4)
    assert saved.cells[0].outputs[0]["text"] == "0 42\n"
    assert saved.cells[0].execution_count == 1
    assert seconds[path] > 0
