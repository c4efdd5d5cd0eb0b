"""Show a figure the way every course chart is shown: the chart, a caption saying what to notice, and a text
alternative (the numbers as a table) for screen readers and for readers whose charts do not load.

The caption is Markdown rendered by :mod:`ketamine_course.markdown` (safe: raw HTML is escaped); the table is
escaped HTML inside a ``<details>`` element so it stays out of the way until wanted.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML, display

from ketamine_course.markdown import render_markdown


def caption_html(caption: str) -> str:
    return f'<figcaption class="course-caption">{render_markdown(caption)}</figcaption>'


DEFAULT_SUMMARY = "The numbers behind this chart (text alternative)"


def text_alternative_html(table: pd.DataFrame, summary: str = DEFAULT_SUMMARY) -> str:
    """An accessible, escaped HTML table in a collapsible ``<details>`` element."""
    return f"<details class=\"course-text-alternative\"><summary>{html.escape(summary)}</summary>\n" \
           f"{table_html(table)}\n</details>"


LEFT = 'style="text-align:left;vertical-align:top"'


def table_html(table: pd.DataFrame) -> str:
    """An escaped, left-aligned HTML table (notebook CSS right-aligns table cells by default)."""
    head = "".join(f'<th scope="col" {LEFT}>{html.escape(str(c))}</th>' for c in table.columns)
    body = "\n".join(
        "<tr>" + "".join(f"<td {LEFT}>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in table.itertuples(index=False)
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def show_figure(fig: go.Figure, caption: str, table: pd.DataFrame | None = None) -> None:
    """Display ``fig``, then its caption and (when given) its text-alternative table."""
    display(fig)
    parts = [caption_html(caption)]
    if table is not None:
        parts.append(text_alternative_html(table))
    display(HTML("\n".join(parts)))
