"""Package-level behaviour: renderer set on import, the start-up workaround, the README's course map."""

from __future__ import annotations

import math
import re
import subprocess
import sys

import plotly.io as pio

import ketamine_course
from ketamine_course.charts.theme import COURSE_RENDERER, round_floats
from ketamine_course.course_map import COURSE_MAP, readme_with_course_map
from ketamine_course.paths import course_root


def test_import_sets_the_course_renderer() -> None:
    assert ketamine_course.__version__
    assert pio.renderers.default == COURSE_RENDERER


def test_figure_html_has_no_mathjax_script() -> None:
    import plotly.graph_objects as go

    bundle = pio.renderers["course_notebook_connected"].to_mimebundle(go.Figure(go.Scatter(x=[1], y=[1])).to_dict())
    assert "cdn.plot.ly" in bundle["text/html"]
    assert "mathjax/3" not in bundle["text/html"].lower()


def test_figure_html_rounds_float_noise_away() -> None:
    """Two positions that differ only in the last bit (as np.log10 does between CPUs) give the same saved HTML."""
    import plotly.graph_objects as go

    def html_with_annotation_at(x: float) -> str:
        fig = go.Figure(go.Scatter(x=[1], y=[1]))
        fig.add_annotation(x=x, y=0.5, text="band")
        html = pio.renderers["course_notebook_connected"].to_mimebundle(fig.to_dict())["text/html"]
        return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID", html)

    assert -0.1676790122219372 != -0.16767901222193718
    assert html_with_annotation_at(-0.1676790122219372) == html_with_annotation_at(-0.16767901222193718)
    assert '"x":-0.167679012222' in html_with_annotation_at(-0.1676790122219372)
    rounded = round_floats({"a": [0.1 + 0.2, (2.5, float("nan"))], "b": "text", "c": 3})
    assert rounded["a"][0] == 0.3 and rounded["a"][1][0] == 2.5 and math.isnan(rounded["a"][1][1])
    assert rounded["b"] == "text" and rounded["c"] == 3 and isinstance(rounded["a"][1], tuple)


def test_figure_ids_are_the_same_on_every_run_and_unique_on_a_page() -> None:
    import plotly.graph_objects as go

    from ketamine_course.charts.theme import PLOTLY_DIV_ID, CourseNotebookRenderer

    def ids(renderer: CourseNotebookRenderer, figures: list[go.Figure]) -> list[str]:
        return [PLOTLY_DIV_ID.search(renderer.to_mimebundle(f.to_dict())["text/html"]).group(1) for f in figures]

    a, b = go.Figure(go.Scatter(x=[1], y=[1])), go.Figure(go.Bar(x=[1], y=[2]))
    first_run = ids(CourseNotebookRenderer(), [a, b, a])
    assert first_run == ids(CourseNotebookRenderer(), [a, b, a])  # a fresh kernel draws the same ids
    assert len(set(first_run)) == 3  # the same figure shown twice gets two ids
    html = CourseNotebookRenderer().to_mimebundle(a.to_dict())["text/html"]
    assert html.count(PLOTLY_DIV_ID.search(html).group(1)) >= 2  # every use of the id was replaced


def test_slow_iri_checker_is_not_imported() -> None:
    """Importing the course then nbformat's validator must not import rfc3987_syntax (2.5 s per kernel)."""
    code = ("import ketamine_course, nbformat.validator, sys, jsonschema;"
            "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is not None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_readme_lists_every_lesson_and_the_two_commands() -> None:
    readme = (course_root() / "README.md").read_text(encoding="utf-8")
    for entry in COURSE_MAP:
        assert entry.title in readme, entry.title
    assert readme_with_course_map(readme) == readme, "README course map is stale: run python3 course.py regenerate"
    assert "python3 course.py open" in readme
    assert "python3 course.py test" in readme
    ci = (course_root() / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 course.py test" in ci
