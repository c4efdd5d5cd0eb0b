"""The course's look and the one place that decides how plotly figures are rendered.

Renderer: ``plotly_mimetype+notebook_connected`` — JupyterLab draws the mimetype (offline, even untrusted), while
nbconvert / nbviewer draw the HTML part, which loads plotly.js from its CDN. plotly_mimetype alone is dropped by
nbconvert; notebook_connected alone fails in JupyterLab 4; ``notebook`` inlines ~5 MB of plotly.js per notebook.

Palette: Okabe & Ito's colour-blind-safe set; every chart also distinguishes series by marker symbol or label, never
by colour alone.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.io._base_renderers import NotebookRenderer

COURSE_HTML_RENDERER = "course_notebook_connected"
COURSE_RENDERER = f"plotly_mimetype+{COURSE_HTML_RENDERER}"
# plotly's notebook renderer always adds a MathJax 3 <script> per figure (from a CDN). Course figures use no LaTeX,
# and nbconvert's page already loads MathJax 2 for the Markdown: two MathJax versions on one page, one more CDN
# request per chart. The course renderer drops that script and keeps everything else.
PLOTLY_MATHJAX_SCRIPT = re.compile(
    r'<script src="[^"]*mathjax[^"]*"></script>\s*<script>if \(window\.MathJax[^<]*</script>', re.IGNORECASE
)
TEMPLATE_NAME = "ketamine_course"

# Okabe M, Ito K. Color Universal Design (2008): distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "sky_blue": "#56B4E9",
    "reddish_purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
PALETTE = [OKABE_ITO[name] for name in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue",
                                       "black", "yellow")]
MARKER_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"]
FONT_FAMILY = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"


def course_template() -> go.layout.Template:
    """A light template: readable 14 px text, the colour-blind-safe colourway, grey gridlines."""
    return go.layout.Template(
        layout=go.Layout(
            font={"family": FONT_FAMILY, "size": 14, "color": "#222222"},
            title={"font": {"size": 18}, "x": 0.0, "xanchor": "left"},
            colorway=PALETTE,
            paper_bgcolor="white",
            plot_bgcolor="white",
            xaxis={"gridcolor": "#e5e5e5", "linecolor": "#555555", "ticks": "outside", "zeroline": False},
            yaxis={"gridcolor": "#e5e5e5", "linecolor": "#555555", "ticks": "outside", "zeroline": False},
            legend={"bgcolor": "rgba(255,255,255,0.8)"},
            hoverlabel={"font": {"family": FONT_FAMILY, "size": 13}},
            margin={"l": 70, "r": 30, "t": 70, "b": 60},
        )
    )


def wrap_lines(text: str, width: int = 60) -> str:
    """``text`` broken into lines of at most ``width`` characters with ``<br>``: plotly does not wrap hover labels,
    annotations or titles itself."""
    return "<br>".join(textwrap.wrap(text, width))


# Significant digits kept for every plain float in a figure's HTML. Layout values computed with numpy (np.log10 of an
# annotation's position, say) can differ in the last bit between CPUs (numpy picks SIMD code paths at run time), and
# nbval compares the HTML text: a lesson regenerated on one machine then fails on another. 12 digits is far beyond
# what a chart can show and far above float noise (~16 digits).
FIGURE_FLOAT_DIGITS = 12


def round_floats(value: Any, digits: int = FIGURE_FLOAT_DIGITS) -> Any:
    """``value`` with every Python float inside dicts, lists and tuples rounded to ``digits`` significant digits.

    numpy arrays are left alone: plotly stores them as base64 typed arrays (``bdata``), which the nbval sanitize file
    masks, and rounding them would cost a copy of every trace.
    """
    if isinstance(value, float):  # np.float64 is a float subclass
        return float(f"{value:.{digits}g}") if value == value and abs(value) != float("inf") else value
    if isinstance(value, dict):
        return {key: round_floats(item, digits) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(round_floats(item, digits) for item in value)
    return value


PLOTLY_DIV_ID = re.compile(r'<div id="([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"')


class FigureIds:
    """Element ids for figures that are the same on every run: plotly draws a random UUID per figure, so every
    regenerate rewrote every lesson's saved HTML (nbval masks it, git does not). The id is a hash of the figure and of
    how many times this process has shown that same figure, so a figure shown twice on one page gets two ids."""

    def __init__(self) -> None:
        self._shown: dict[str, int] = {}

    def next_id(self, figure_html: str) -> str:
        digest = hashlib.sha256(figure_html.encode("utf-8")).hexdigest()
        count = self._shown.get(digest, 0)
        self._shown[digest] = count + 1
        h = hashlib.sha256(f"{digest}:{count}".encode()).hexdigest()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


class CourseNotebookRenderer(NotebookRenderer):
    """plotly's ``notebook_connected`` renderer without the per-figure MathJax script (see module docstring), with
    floats rounded so the saved HTML is the same on every CPU (see :data:`FIGURE_FLOAT_DIGITS`) and element ids that
    do not change between runs (:class:`FigureIds`)."""

    def __init__(self) -> None:
        super().__init__(connected=True)
        self.ids = FigureIds()

    def to_mimebundle(self, fig_dict: dict[str, Any]) -> dict[str, str]:
        bundle = super().to_mimebundle(round_floats(fig_dict))
        html = PLOTLY_MATHJAX_SCRIPT.sub("", bundle["text/html"])
        found = PLOTLY_DIV_ID.search(html)
        if found:
            random_id = found.group(1)
            html = html.replace(random_id, self.ids.next_id(html.replace(random_id, "")))
        bundle["text/html"] = html
        return bundle


def use_course_renderer() -> None:
    """Register the course template and renderer and make them the defaults (idempotent; run on package import)."""
    pio.templates[TEMPLATE_NAME] = course_template()
    pio.renderers[COURSE_HTML_RENDERER] = CourseNotebookRenderer()
    pio.templates.default = f"plotly_white+{TEMPLATE_NAME}"
    pio.renderers.default = COURSE_RENDERER
