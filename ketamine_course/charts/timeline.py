"""Interactive timeline of dated events (milestones of ketamine's history, regulatory events).

One lane per category, one marker symbol per category (colour is not the only cue), the full detail and source on
hover, a range slider and period buttons that work without a kernel (nbviewer).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ketamine_course.charts.theme import MARKER_SYMBOLS, PALETTE, wrap_lines
from ketamine_course.references import ReferenceList, course_references, source_labels

CATEGORY_LABELS = {
    "discovery": "Discovery & chemistry",
    "clinical": "Clinical use",
    "approval": "Approvals",
    "regulation": "Control & regulation",
    "psychiatry": "Psychiatry research",
    "safety": "Safety warnings",
}


def decimal_year(year: int, date: str | None) -> float:
    """Position on the time axis: the year, moved within it when month/day are known (mid-year otherwise)."""
    if not date or len(date) < 7:
        return year + 0.5
    month = int(date[5:7])
    day = int(date[8:10]) if len(date) >= 10 else 15
    return round(year + (month - 1) / 12 + (day - 1) / 365, 3)



def _with_none_for_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns with ``None`` for missing cells, so ``value or default`` works whatever pandas' NA is."""
    return frame.astype(object).where(frame.notna(), None)



def timeline_figure(
    events: pd.DataFrame,
    title: str = "Milestones of ketamine's history",
    references: ReferenceList | None = None,
) -> go.Figure:
    """A timeline from rows with ``year, date, category, region, event, detail, source_key`` columns."""
    references = references or course_references()
    events = _with_none_for_missing(events)
    events = events.assign(x=[decimal_year(int(y), d) for y, d in zip(events["year"], events["date"], strict=True)])
    events = events.sort_values("x")
    categories = [c for c in CATEGORY_LABELS if c in set(events["category"])]
    fig = go.Figure()
    for index, category in enumerate(categories):
        lane = events[events["category"] == category]
        label = CATEGORY_LABELS[category]
        hover = [
            f"<b>{wrap_lines(row.event)}</b><br>{row.date or row.year} · {row.region}<br>{wrap_lines(row.detail)}"
            f"<br><i>Source: {source_labels(row.source_key, references)}</i>"
            for row in lane.itertuples()
        ]
        fig.add_trace(
            go.Scatter(
                x=lane["x"].tolist(),
                y=[label] * len(lane),
                mode="markers",
                name=label,
                marker={"size": 14, "symbol": MARKER_SYMBOLS[index % len(MARKER_SYMBOLS)],
                        "color": PALETTE[index % len(PALETTE)], "line": {"width": 1, "color": "#333333"}},
                hovertext=hover,
                hoverinfo="text",
            )
        )
    first, last = int(events["year"].min()) - 2, int(events["year"].max()) + 3
    fig.update_layout(
        title={"text": title},
        height=420,
        showlegend=False,  # each kind has its own labelled lane
        hovermode="closest",
        xaxis={"title": {"text": "Year"}, "range": [first, last], "rangeslider": {"visible": True, "thickness": 0.08},
               "dtick": 10},
        yaxis={"title": {"text": ""}, "categoryorder": "array",
               "categoryarray": [CATEGORY_LABELS[c] for c in reversed(categories)]},
        updatemenus=[
            {
                "type": "buttons",
                "direction": "right",
                "x": 0,
                "y": 1.12,
                "xanchor": "left",
                "showactive": True,
                "buttons": [
                    {"label": "All years", "method": "relayout", "args": [{"xaxis.range": [first, last]}]},
                    {"label": "Before 2000", "method": "relayout", "args": [{"xaxis.range": [first, 2000]}]},
                    {"label": "2000 onwards", "method": "relayout", "args": [{"xaxis.range": [1998, last]}]},
                ],
            }
        ],
        margin={"l": 170, "t": 90},
    )
    return fig


def timeline_table(events: pd.DataFrame, references: ReferenceList | None = None) -> pd.DataFrame:
    """The text alternative: year/date, event, region, source labels — one row per event, in time order."""
    references = references or course_references()
    events = _with_none_for_missing(events)
    ordered = events.assign(
        x=[decimal_year(int(y), d) for y, d in zip(events["year"], events["date"], strict=True)]
    ).sort_values("x")
    return pd.DataFrame(
        {
            "When": [d or str(y) for y, d in zip(ordered["year"], ordered["date"], strict=True)],
            "Event": ordered["event"].tolist(),
            "Region": ordered["region"].tolist(),
            "Detail": ordered["detail"].tolist(),
            "Source": [source_labels(k, references) for k in ordered["source_key"]],
        }
    )
