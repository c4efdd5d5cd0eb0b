"""The pipeline that regenerates lesson outputs: each lesson is executed top to bottom in a fresh kernel and saved.

Outputs saved in ``lessons/*.ipynb`` are what nbviewer shows and what nbval compares, so they must only ever come from
here (never from hand edits). Shaped like nbgrader's converters: an ordered list of small steps, each a function
``(notebook, context) -> notebook`` that can be tested alone.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from ketamine_course.live.static_twin import STATIC_TWIN_MARKER
from ketamine_course.paths import lessons_dir
from ketamine_course.quiz.progress import PROGRESS_STORE_ENV

KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 300


@dataclass
class RunContext:
    """What a step may need: the notebook's path, and timings collected along the way."""

    path: Path
    timings_s: dict[str, float] = field(default_factory=dict)


Step = Callable[[nbformat.NotebookNode, RunContext], nbformat.NotebookNode]


def deterministic_kernel_env(progress_db: Path) -> dict[str, str]:
    """Environment every regenerated (and nbval-checked) kernel sees: no hash randomisation, and a throwaway
    progress store so a developer's own quiz answers never leak into saved outputs. BLAS runs single-threaded: the
    course's matrices are tiny (the PK model's expm is 6×6), threads only add start-up cost (on a busy 2-core machine
    a 24-h PK simulation took 19 ms with 2 OpenBLAS threads against 0.7 ms with one), and one thread keeps float
    results independent of the thread count."""
    return {"PYTHONHASHSEED": "0", PROGRESS_STORE_ENV: str(progress_db), "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def execute(nb: nbformat.NotebookNode, context: RunContext) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel, in the lesson's folder, storing widget state (nbviewer draws widgets)."""
    started = time.perf_counter()
    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(context.path.parent)}},
        store_widget_state=True,
        record_timing=False,
        allow_errors=False,
    )
    client.execute()
    context.timings_s["execute"] = time.perf_counter() - started
    return nb


WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
QUIZ_HTML_MARKER = "data-course-quiz="

MODEL_REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def _referenced_models(state: dict, roots: set[str]) -> set[str]:
    """Every model reachable from ``roots`` through ``IPY_MODEL_<id>`` references in the widget state."""
    seen: set[str] = set()
    pending = [r for r in roots if r in state]
    while pending:
        model_id = pending.pop()
        if model_id in seen:
            continue
        seen.add(model_id)
        text = json.dumps(state[model_id].get("state", {}))
        pending += [m for m in MODEL_REFERENCE.findall(text) if m in state and m not in seen]
    return seen


def strip_quiz_widget_state(nb: nbformat.NotebookNode, context: RunContext) -> nbformat.NotebookNode:
    """Make saved quizzes (and other widgets with a static twin) show their static HTML, which works on nbviewer,
    instead of a dead widget.

    nbconvert / nbviewer render a widget view only if its model is in the saved widget state; otherwise they fall
    back to the output's ``text/html``. So: drop the widget view from quiz outputs, and keep in ``metadata.widgets``
    only the models that the remaining (non-quiz) widget views need — a model no saved view reaches is dead weight,
    and one that refers to a removed model makes the page's widget manager fail.
    """
    quiz_roots: set[str] = set()
    other_roots: set[str] = set()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            view = data.get(WIDGET_VIEW_MIME)
            if not view:
                continue
            if STATIC_TWIN_MARKER in data.get("text/html", ""):
                quiz_roots.add(view["model_id"])
                del data[WIDGET_VIEW_MIME]
            else:
                other_roots.add(view["model_id"])
    widgets_meta = nb.metadata.get("widgets", {}).get(WIDGET_STATE_MIME)
    if widgets_meta:
        state = widgets_meta["state"]
        needed = _referenced_models(state, other_roots)
        for model_id in [m for m in state if m not in needed]:
            del state[model_id]
        if not state:
            del nb.metadata["widgets"]
    return nb


def drop_volatile_metadata(nb: nbformat.NotebookNode, context: RunContext) -> nbformat.NotebookNode:
    """Remove metadata that changes from run to run without meaning anything to a reader."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None) if cell.cell_type != "code" else None
    nb.metadata.get("kernelspec", {}).update({"name": KERNEL_NAME, "display_name": "Python 3 (ipykernel)",
                                               "language": "python"})
    return nb


DEFAULT_STEPS: list[Step] = [execute, strip_quiz_widget_state, drop_volatile_metadata]


def lesson_paths(names: Iterable[str] | None = None) -> list[Path]:
    """The lesson notebooks, sorted; ``names`` filters by stem or prefix (``"00"``, ``"03-pharmacokinetics"``)."""
    all_paths = sorted(p for p in lessons_dir().glob("*.ipynb") if not p.name.startswith("."))
    if not names:
        return all_paths
    wanted = list(names)
    chosen = [p for p in all_paths if any(p.stem == n or p.stem.startswith(n) or p.name == n for n in wanted)]
    if not chosen:
        raise FileNotFoundError(f"no lesson matches {wanted}; lessons: {[p.stem for p in all_paths]}")
    return chosen


def regenerate(paths: Sequence[Path], steps: Sequence[Step] = DEFAULT_STEPS) -> dict[Path, float]:
    """Run the pipeline on each notebook and save it in place. Returns seconds taken per notebook.

    A notebook whose execution fails is left unchanged on disk (the error propagates after naming the file).
    """
    seconds: dict[Path, float] = {}
    with tempfile.TemporaryDirectory(prefix="ketamine-course-regenerate-") as scratch:
        saved_env = {k: os.environ.get(k) for k in deterministic_kernel_env(Path(scratch))}
        os.environ.update(deterministic_kernel_env(Path(scratch) / "progress.sqlite"))
        try:
            for path in paths:
                started = time.perf_counter()
                nb = nbformat.read(path, as_version=4)
                context = RunContext(path=path)
                try:
                    for step in steps:
                        nb = step(nb, context)
                except Exception as exc:
                    raise RuntimeError(f"regenerating {path.name} failed in step: {exc}") from exc
                nbformat.validate(nb)
                nbformat.write(nb, path)
                seconds[path] = time.perf_counter() - started
        finally:
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    return seconds
