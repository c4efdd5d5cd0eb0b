"""Charts for lesson 6 (safety): adverse effects on drug vs placebo, and blood-pressure rises by age group.

Pure builders: each takes a validated data frame (``load_dataset``) and returns a ``go.Figure``. Sorting buttons and
age-group buttons are plotly ``updatemenus``, so they work on nbviewer and in static HTML without a kernel.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ketamine_course.charts.theme import OKABE_ITO
from ketamine_course.evidence.nnt import risk_difference_ci
from ketamine_course.references import ReferenceList, course_references, source_labels

DRUG_COLOUR = OKABE_ITO["vermillion"]
PLACEBO_COLOUR = OKABE_ITO["blue"]


def _rows(frame: pd.DataFrame, category: str) -> pd.DataFrame:
    rows = frame[frame["category"] == category]
    if rows.empty:
        raise ValueError(f"no rows with category {category!r} in the adverse-effects data")
    return rows



def _rate(events: float, n: float, pct: float) -> float:
    """The share in % from the counts when the source gives them, otherwise the label's rounded percentage."""
    return 100 * events / n if pd.notna(events) and pd.notna(n) else pct


def risk_measures(frame: pd.DataFrame) -> pd.DataFrame:
    """Per row: rates on drug and placebo (%), risk difference in percentage points with its 95 % Wald confidence
    interval, and risk ratio (drug rate / placebo rate; NaN when no placebo patient had the effect or there was no
    placebo). Computed from event counts where the data give them, else from the label's rounded percentages."""
    out = []
    for row in frame.itertuples():
        drug = _rate(row.events_drug, row.n_drug, row.drug_pct)
        if pd.isna(row.placebo_pct):
            out.append({"drug_rate": drug, "placebo_rate": float("nan"), "difference": float("nan"),
                        "difference_low": float("nan"), "difference_high": float("nan"), "ratio": float("nan")})
            continue
        placebo = _rate(row.events_placebo, row.n_placebo, row.placebo_pct)
        low = high = float("nan")
        if pd.notna(row.n_drug) and pd.notna(row.n_placebo):
            low, high = risk_difference_ci(drug / 100, int(row.n_drug), placebo / 100, int(row.n_placebo))
            low, high = 100 * low, 100 * high
        out.append({"drug_rate": drug, "placebo_rate": placebo, "difference": drug - placebo,
                    "difference_low": low, "difference_high": high,
                    "ratio": drug / placebo if placebo > 0 else float("nan")})
    return pd.DataFrame(out, index=frame.index)


def _ratio_text(ratio: float, placebo_rate: float) -> str:
    if pd.isna(placebo_rate):
        return "—"
    return "not defined (none on placebo)" if pd.isna(ratio) else f"{ratio:.1f}×"


def adverse_effects_figure(frame: pd.DataFrame, references: ReferenceList | None = None) -> go.Figure:
    """A dot plot: each adverse reaction on one row, esketamine (diamond) vs placebo (circle), joined by a line.

    Buttons re-sort the rows by the rate on esketamine, by the risk difference from placebo (percentage points) or by
    the risk ratio (how many times as often); reactions with no placebo cases sort to the top of the ratio order.
    """
    references = references or course_references()
    rows = _rows(frame, "adverse_reaction").copy()
    rows["placebo"] = rows["placebo_pct"].fillna(0.0)
    rows = rows.join(risk_measures(rows))
    rows["ratio_order"] = rows["ratio"].fillna(float("inf"))
    by_drug = rows.sort_values(["drug_pct", "adverse_effect"])["adverse_effect"].tolist()
    by_difference = rows.sort_values(["difference", "adverse_effect"])["adverse_effect"].tolist()
    by_ratio = rows.sort_values(["ratio_order", "difference"])["adverse_effect"].tolist()
    fig = go.Figure()
    line_x: list[float | None] = []
    line_y: list[str | None] = []
    for row in rows.itertuples():
        line_x += [row.placebo, row.drug_pct, None]
        line_y += [row.adverse_effect, row.adverse_effect, None]
    fig.add_trace(go.Scatter(x=line_x, y=line_y, mode="lines", line={"color": "#999999", "width": 2},
                             hoverinfo="skip", showlegend=False))
    sources = [source_labels(k, references) for k in rows["source_key"]]
    counts = [f"{int(e1)} of {int(n1)} vs {int(e2)} of {int(n2)}"
              for e1, n1, e2, n2 in zip(rows["events_drug"], rows["n_drug"], rows["events_placebo"], rows["n_placebo"],
                                        strict=True)]
    ratios = [_ratio_text(r, p) for r, p in zip(rows["ratio"], rows["placebo_rate"], strict=True)]
    for name, column, colour, symbol in (("Placebo + oral antidepressant", "placebo", PLACEBO_COLOUR, "circle"),
                                         ("Esketamine + oral antidepressant", "drug_pct", DRUG_COLOUR, "diamond")):
        fig.add_trace(go.Scatter(
            x=rows[column].tolist(), y=rows["adverse_effect"].tolist(), mode="markers", name=name,
            marker={"size": 11, "color": colour, "symbol": symbol, "line": {"width": 1, "color": "#333333"}},
            customdata=list(zip(rows["drug_pct"], rows["placebo"], rows["difference"].round(1),
                                rows["difference_low"].round(1), rows["difference_high"].round(1), ratios, counts,
                                sources, strict=True)),
            hovertemplate="<b>%{y}</b><br>Esketamine: %{customdata[0]:g}%  ·  placebo: %{customdata[1]:g}%"
                          " (%{customdata[6]} patients)"
                          "<br>Risk difference: %{customdata[2]:+.1f} percentage points"
                          " (95% CI %{customdata[3]:+.1f} to %{customdata[4]:+.1f})"
                          "<br>Risk ratio: %{customdata[5]}"
                          "<br><i>Source: %{customdata[7]}</i><extra></extra>",
        ))
    fig.update_layout(
        title={"text": "Adverse reactions in 4-week trials of esketamine nasal spray (treatment-resistant depression)"},
        height=880,
        xaxis={"title": {"text": "Patients with the reaction (%)"}, "range": [-1, 45]},
        # dtick=1: label every row (plotly otherwise skips every other category label when rows are dense)
        yaxis={"title": {"text": ""}, "categoryorder": "array", "categoryarray": by_drug, "dtick": 1,
               "tickfont": {"size": 12}},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1.0, "xanchor": "right"},
        margin={"l": 170, "t": 150},
        updatemenus=[{
            "type": "buttons", "direction": "right", "x": 0, "y": 1.04, "xanchor": "left", "yanchor": "bottom",
            "pad": {"b": 8}, "showactive": True,
            "buttons": [
                {"label": "Sort by rate on esketamine", "method": "relayout",
                 "args": [{"yaxis.categoryarray": by_drug}]},
                {"label": "Sort by difference from placebo", "method": "relayout",
                 "args": [{"yaxis.categoryarray": by_difference}]},
                {"label": "Sort by ratio to placebo", "method": "relayout",
                 "args": [{"yaxis.categoryarray": by_ratio}]},
            ],
        }],
    )
    return fig


def adverse_effects_table(frame: pd.DataFrame, category: str = "adverse_reaction") -> pd.DataFrame:
    """Text alternative: effect, % on drug and placebo (with counts), risk difference with its 95 % confidence
    interval, risk ratio and arm sizes — most frequent on the drug first."""
    rows = _rows(frame, category).sort_values("drug_pct", ascending=False)
    measures = risk_measures(rows)

    def percent(pct: float, events: float) -> str:
        if pd.isna(pct):
            return "—"
        return f"{pct:g}" + (f" ({int(events)})" if pd.notna(events) else "")

    def difference(m: pd.Series) -> str:
        if pd.isna(m["difference"]):
            return "—"
        interval = "" if pd.isna(m["difference_low"]) else \
            f" ({m['difference_low']:+.1f} to {m['difference_high']:+.1f})"
        return f"{m['difference']:+.1f}{interval}"

    return pd.DataFrame({
        "Effect": rows["adverse_effect"].tolist(),
        "Population": rows["population"].str.split(";").str[0].tolist(),
        "Drug % (patients)": [percent(p, e) for p, e in zip(rows["drug_pct"], rows["events_drug"], strict=True)],
        "Placebo % (patients)": [percent(p, e) for p, e in zip(rows["placebo_pct"], rows["events_placebo"],
                                                                strict=True)],
        "Risk difference, points (95% CI)": [difference(m) for _, m in measures.iterrows()],
        "Risk ratio": [_ratio_text(r, p) for r, p in zip(measures["ratio"], measures["placebo_rate"], strict=True)],
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
        for name, column, colour, pattern in (("Esketamine + oral antidepressant", "drug_pct", DRUG_COLOUR, ""),
                                              ("Placebo + oral antidepressant", "placebo_pct", PLACEBO_COLOUR,
                                               "/")):
            values = part[column].tolist()
            arm_size = n_drug if column == "drug_pct" else n_placebo
            events = part["events_drug" if column == "drug_pct" else "events_placebo"].tolist()
            counts = ["" if pd.isna(e) else f" ({int(e)} of {arm_size} patients)" for e in events]
            fig.add_trace(go.Bar(
                x=part["adverse_effect"].tolist(), y=[0 if pd.isna(v) else v for v in values],
                name=f"{name} (n={arm_size})",
                marker={"color": colour, "pattern": {"shape": pattern}},
                text=["not given" if pd.isna(v) else f"{v:g}%" for v in values], textposition="outside",
                customdata=counts, visible=g_index == 0,
                hovertemplate=f"<b>%{{x}}</b><br>{group}<br>{name}: %{{text}}%{{customdata}}<extra></extra>",
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
