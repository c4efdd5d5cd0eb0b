"""Charts for lesson 6 (safety): adverse effects on drug vs placebo, and blood-pressure rises by age group.

Pure builders: each takes a validated data frame (``load_dataset``) and returns a ``go.Figure``. Sorting buttons and
age-group buttons are plotly ``updatemenus``, so they work on nbviewer and in static HTML without a kernel.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ketamine_course.charts.theme import OKABE_ITO
from ketamine_course.references import ReferenceList, course_references

DRUG_COLOUR = OKABE_ITO["vermillion"]
PLACEBO_COLOUR = OKABE_ITO["blue"]


def _rows(frame: pd.DataFrame, category: str) -> pd.DataFrame:
    rows = frame[frame["category"] == category]
    if rows.empty:
        raise ValueError(f"no rows with category {category!r} in the adverse-effects data")
    return rows


def _labels(keys: str, references: ReferenceList) -> str:
    return "; ".join(references[k].short_label for k in keys.split(";") if k)


def adverse_effects_figure(frame: pd.DataFrame, references: ReferenceList | None = None) -> go.Figure:
    """A dot plot: each adverse reaction on one row, esketamine (diamond) vs placebo (circle), joined by a line.

    Buttons re-sort the rows by the rate on esketamine or by the difference from placebo.
    """
    references = references or course_references()
    rows = _rows(frame, "adverse_reaction").copy()
    rows["placebo"] = rows["placebo_pct"].fillna(0.0)
    rows["difference"] = rows["drug_pct"] - rows["placebo"]
    by_drug = rows.sort_values(["drug_pct", "adverse_effect"])["adverse_effect"].tolist()
    by_difference = rows.sort_values(["difference", "adverse_effect"])["adverse_effect"].tolist()
    fig = go.Figure()
    line_x: list[float | None] = []
    line_y: list[str | None] = []
    for row in rows.itertuples():
        line_x += [row.placebo, row.drug_pct, None]
        line_y += [row.adverse_effect, row.adverse_effect, None]
    fig.add_trace(go.Scatter(x=line_x, y=line_y, mode="lines", line={"color": "#999999", "width": 2},
                             hoverinfo="skip", showlegend=False))
    sources = [_labels(k, references) for k in rows["source_key"]]
    for name, column, colour, symbol in (("Placebo + oral antidepressant", "placebo", PLACEBO_COLOUR, "circle"),
                                         ("Esketamine + oral antidepressant", "drug_pct", DRUG_COLOUR, "diamond")):
        fig.add_trace(go.Scatter(
            x=rows[column].tolist(), y=rows["adverse_effect"].tolist(), mode="markers", name=name,
            marker={"size": 11, "color": colour, "symbol": symbol, "line": {"width": 1, "color": "#333333"}},
            customdata=list(zip(rows["drug_pct"], rows["placebo"], rows["difference"], sources, strict=True)),
            hovertemplate="<b>%{y}</b><br>Esketamine: %{customdata[0]:g}%<br>Placebo: %{customdata[1]:g}%"
                          "<br>Difference: %{customdata[2]:+.1f} percentage points"
                          "<br><i>Source: %{customdata[3]}</i><extra></extra>",
        ))
    fig.update_layout(
        title={"text": "Adverse reactions in 4-week trials of esketamine nasal spray (treatment-resistant depression)"},
        height=860,
        xaxis={"title": {"text": "Patients with the reaction (%)"}, "range": [-1, 45]},
        # dtick=1: label every row (plotly otherwise skips every other category label when rows are dense)
        yaxis={"title": {"text": ""}, "categoryorder": "array", "categoryarray": by_drug, "dtick": 1,
               "tickfont": {"size": 12}},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1.0, "xanchor": "right"},
        margin={"l": 170, "t": 120},
        updatemenus=[{
            "type": "buttons", "direction": "right", "x": 0, "y": 1.0, "xanchor": "left", "yanchor": "bottom",
            "pad": {"b": 8}, "showactive": True,
            "buttons": [
                {"label": "Sort by rate on esketamine", "method": "relayout",
                 "args": [{"yaxis.categoryarray": by_drug}]},
                {"label": "Sort by difference from placebo", "method": "relayout",
                 "args": [{"yaxis.categoryarray": by_difference}]},
            ],
        }],
    )
    return fig


def adverse_effects_table(frame: pd.DataFrame, category: str = "adverse_reaction") -> pd.DataFrame:
    """Text alternative: effect, % on drug, % on placebo, difference, arm sizes — most frequent first."""
    rows = _rows(frame, category).sort_values("drug_pct", ascending=False)
    placebo = rows["placebo_pct"]
    return pd.DataFrame({
        "Effect": rows["adverse_effect"].tolist(),
        "Population": rows["population"].str.split(";").str[0].tolist(),
        "Drug (%)": rows["drug_pct"].tolist(),
        "Placebo (%)": ["—" if pd.isna(p) else f"{p:g}" for p in placebo],
        "Difference (points)": ["—" if pd.isna(p) else f"{d - p:+.1f}" for d, p in zip(rows["drug_pct"], placebo,
                                                                                       strict=True)],
        "Patients (drug / placebo)": [f"{int(a)} / {int(b)}" if pd.notna(a) and pd.notna(b) else "—"
                                      for a, b in zip(rows["n_drug"], rows["n_placebo"], strict=True)],
    })


def blood_pressure_figure(frame: pd.DataFrame) -> go.Figure:
    """Grouped bars: share of patients crossing each blood-pressure threshold, esketamine vs placebo, with buttons
    to switch between the under-65 and 65-and-over trials."""
    rows = _rows(frame, "blood_pressure")
    groups = list(dict.fromkeys(rows["population"].str.split(";").str[0]))
    fig = go.Figure()
    for g_index, group in enumerate(groups):
        part = rows[rows["population"].str.startswith(group)]
        n_drug, n_placebo = int(part["n_drug"].iloc[0]), int(part["n_placebo"].iloc[0])
        for name, column, colour, pattern in (("Esketamine + oral AD", "drug_pct", DRUG_COLOUR, ""),
                                              ("Placebo + oral AD", "placebo_pct", PLACEBO_COLOUR, "/")):
            values = part[column].tolist()
            fig.add_trace(go.Bar(
                x=part["adverse_effect"].tolist(), y=[0 if pd.isna(v) else v for v in values],
                name=f"{name} (n={n_drug if column == 'drug_pct' else n_placebo})",
                marker={"color": colour, "pattern": {"shape": pattern}},
                text=["not given" if pd.isna(v) else f"{v:g}%" for v in values], textposition="outside",
                visible=g_index == 0,
                hovertemplate=f"<b>%{{x}}</b><br>{group}<br>{name}: %{{text}}<extra></extra>",
            ))
    buttons = []
    for g_index, group in enumerate(groups):
        visible = [i // 2 == g_index for i in range(2 * len(groups))]
        buttons.append({"label": group, "method": "update", "args": [{"visible": visible}]})
    fig.update_layout(
        title={"text": "Blood-pressure rises after esketamine nasal spray vs placebo (label table)"},
        barmode="group", height=460,
        xaxis={"title": {"text": "Threshold reached at least once"}},
        yaxis={"title": {"text": "Patients (%)"}, "range": [0, 20]},
        legend={"orientation": "h", "y": -0.25},
        margin={"t": 110},
        updatemenus=[{"type": "buttons", "direction": "right", "x": 0, "y": 1.15, "xanchor": "left",
                      "showactive": True, "buttons": buttons}],
    )
    return fig
