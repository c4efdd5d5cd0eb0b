"""Item analysis chart: percent correct against discrimination, one marker per question (a pure builder)."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from ketamine_course.charts.theme import MARKER_SYMBOLS, PALETTE
from ketamine_course.instructor.item_analysis import WEAK_DISCRIMINATION, ItemStats

TYPE_ORDER = ("single", "multiple", "numeric", "matching")


def item_analysis_figure(stats: Sequence[ItemStats], title: str) -> go.Figure:
    """x = percent correct (difficulty), y = item–rest correlation (or the upper–lower index when r is undefined).
    Questions in the shaded band discriminate weakly; below zero, check the key."""
    fig = go.Figure()
    for index, kind in enumerate(TYPE_ORDER):
        rows = [s for s in stats if s.type == kind]
        if not rows:
            continue
        y = [s.item_rest_r if s.item_rest_r is not None else (s.upper_lower_d or 0.0) for s in rows]
        fig.add_trace(go.Scatter(
            x=[round(s.percent_correct, 1) for s in rows], y=[round(v, 3) for v in y], mode="markers+text",
            name=kind, text=[s.question_id for s in rows], textposition="top center",
            marker={"size": 11, "color": PALETTE[index], "symbol": MARKER_SYMBOLS[index]},
            customdata=[[s.difficulty, s.objectives, "" if s.upper_lower_d is None else round(s.upper_lower_d, 3),
                         s.flag or "—"] for s in rows],
            hovertemplate=("<b>%{text}</b><br>%{x:.1f} % correct<br>item–rest r %{y:.3f}<br>upper–lower D "
                           "%{customdata[2]}<br>bank difficulty: %{customdata[0]}<br>objectives: %{customdata[1]}"
                           "<br>%{customdata[3]}<extra>" + kind + "</extra>"),
        ))
    fig.add_hrect(y0=-1, y1=WEAK_DISCRIMINATION, fillcolor="#999999", opacity=0.12, line_width=0,
                  annotation_text="weak discrimination (< 0.2)", annotation_position="bottom left")
    fig.update_layout(title=title, xaxis_title="Students with full marks (%)",
                      yaxis_title="Discrimination (item–rest correlation)", legend_title="Question type",
                      xaxis={"range": [-5, 105]}, yaxis={"range": [-1, 1]}, height=560)
    return fig
