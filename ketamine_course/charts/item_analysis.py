"""Item analysis chart: percent correct against discrimination, one marker per question, with the figures as a table
underneath (the text alternative, and readable where markers crowd). A pure builder returning a go.Figure."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ketamine_course.charts.theme import MARKER_SYMBOLS, PALETTE
from ketamine_course.instructor.item_analysis import WEAK_DISCRIMINATION, ItemStats

TYPE_ORDER = ("single", "multiple", "numeric", "matching")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def item_analysis_figure(stats: Sequence[ItemStats], title: str) -> go.Figure:
    """Top: x = percent correct, y = item–rest correlation (the upper–lower index when r is undefined); the shaded
    band marks weak discrimination. Bottom: every question's figures and flag, weakest discrimination first."""
    plot_height, gap, table_height = 420, 110, 60 + 27 * max(1, len(stats))
    total = plot_height + gap + table_height + 120  # + title and margins
    fig = make_subplots(rows=2, cols=1, specs=[[{"type": "xy"}], [{"type": "table"}]],
                        row_heights=[plot_height, table_height], vertical_spacing=gap / total)
    for index, kind in enumerate(TYPE_ORDER):
        rows = [s for s in stats if s.type == kind]
        if not rows:
            continue
        y = [s.item_rest_r if s.item_rest_r is not None else (s.upper_lower_d or 0.0) for s in rows]
        fig.add_trace(go.Scatter(
            x=[round(s.percent_correct, 1) for s in rows], y=[round(v, 3) for v in y], mode="markers",
            name=kind, text=[s.question_id for s in rows],
            marker={"size": 11, "color": PALETTE[index], "symbol": MARKER_SYMBOLS[index]},
            customdata=[[s.difficulty, s.objectives, _fmt(s.upper_lower_d), s.flag or "—"] for s in rows],
            hovertemplate=("<b>%{text}</b><br>%{x:.1f} % correct<br>item–rest r %{y:.3f}<br>upper–lower D "
                           "%{customdata[2]}<br>bank difficulty: %{customdata[0]}<br>objectives: %{customdata[1]}"
                           "<br>%{customdata[3]}<extra>" + kind + "</extra>"),
        ), row=1, col=1)
    fig.add_hrect(y0=-1, y1=WEAK_DISCRIMINATION, fillcolor="#999999", opacity=0.12, line_width=0, row=1, col=1,
                  annotation_text="weak discrimination (< 0.2)", annotation_position="bottom left")
    ordered = sorted(stats, key=lambda s: (s.item_rest_r if s.item_rest_r is not None else 2.0, s.question_id))
    columns = ["Question", "Type", "Difficulty", "% full marks", "Mean", "Item–rest r", "Upper–lower D", "Flag"]
    values = [[s.question_id for s in ordered], [s.type for s in ordered], [s.difficulty for s in ordered],
              [f"{s.percent_correct:.1f}" for s in ordered], [f"{s.mean_score:.2f}" for s in ordered],
              [_fmt(s.item_rest_r) for s in ordered], [_fmt(s.upper_lower_d) for s in ordered],
              [s.flag or "" for s in ordered]]
    fig.add_trace(go.Table(header={"values": columns, "align": "left", "fill_color": "#eeeeee"},
                           cells={"values": values, "align": "left", "height": 26},
                           columnwidth=[2.2, 1.1, 1.2, 1.3, 0.9, 1.3, 1.5, 3.2]), row=2, col=1)
    fig.update_xaxes(title_text="Students with full marks (%)", range=[-5, 105], row=1, col=1)
    fig.update_yaxes(title_text="Discrimination (item–rest correlation)", range=[-1, 1], row=1, col=1)
    fig.update_layout(title=title, legend_title="Question type", height=total,
                      legend={"y": 1, "yanchor": "top"})
    return fig
