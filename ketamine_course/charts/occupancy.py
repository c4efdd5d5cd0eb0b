"""Lesson 2 charts: published affinities on a log scale, and predicted receptor occupancy vs concentration.

Both charts shade the plasma concentrations reported for analgesia, dissociation and anaesthesia and mark the peak
of the usual antidepressant infusion, so a reader can see which targets are plausibly engaged at which dose.
Censored results ("no binding up to 10 µM") are drawn as what they are — a lower bound, never a point estimate —
and disputed findings (the D2High claim) are labelled. Controls are plotly's own (dropdowns, legend, hover), so the
charts stay explorable on nbviewer without a kernel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ketamine_course.charts.theme import MARKER_SYMBOLS, OKABE_ITO
from ketamine_course.pd import KETAMINE_BASE_MOLAR_MASS_G_PER_MOL, log_concentration_grid, ng_per_ml_to_uM, occupancy
from ketamine_course.references import ReferenceList, course_references, source_labels

COMPOUND_LABELS = {
    "racemic_ketamine": "Ketamine (racemic)",
    "esketamine": "S-ketamine (esketamine)",
    "arketamine": "R-ketamine (arketamine)",
    "norketamine": "Norketamine",
    "s_norketamine": "S-norketamine",
    "r_norketamine": "R-norketamine",
    "dehydronorketamine": "Dehydronorketamine",
    "hnk_2r6r": "(2R,6R)-HNK",
}
TARGET_LABELS = {
    "NMDA receptor (PCP site in the channel pore)": "NMDA receptor",
    "dopamine D2 receptor (high-affinity state D2High)": "Dopamine D2High",
    "dopamine receptors D1-D5": "Dopamine D1–D5",
    "monoamine transporters (DAT, NET, SERT)": "DAT / NET / SERT",
    "5-HT2 receptor (high-affinity state)": "5-HT2 (high-affinity)",
    "alpha7 nicotinic ACh receptor": "α7 nicotinic",
    "alpha4beta2 nicotinic ACh receptor": "α4β2 nicotinic",
    "alpha3beta4 nicotinic ACh receptor": "α3β4 nicotinic",
}
BAND_COLOURS = {
    "analgesia": "rgba(0,158,115,0.15)",
    "dissociation": "rgba(204,121,167,0.18)",
    "anaesthesia": "rgba(86,180,233,0.22)",
}
ANTIDEPRESSANT_COLOUR = OKABE_ITO["vermillion"]
X_RANGE_UM = (0.01, 200.0)



def affinity_row(frame: pd.DataFrame, target_group: str, compound: str, source_key: str,
                 target: str | None = None) -> pd.Series:
    """The one measured (not censored) row for a target group (or exact target), compound and source; a clear
    error naming the selection otherwise."""
    rows = frame[(frame["target_group"] == target_group) & (frame["compound"] == compound)
                 & (frame["source_key"] == source_key) & frame["value_uM"].notna()]
    if target is not None:
        rows = rows[rows["target"] == target]
    if len(rows) != 1:
        raise ValueError(f"expected one measured value for {target_group}/{target or 'any target'}/{compound}/"
                         f"{source_key} in receptor_affinities, found {len(rows)}")
    return rows.iloc[0]


@dataclass(frozen=True)
class CurveOption:
    """One K value a curve can show: which row of the data set, and how the dropdown names it."""

    target_group: str
    compound: str
    source_key: str
    label: str
    target: str | None = None


NMDA_OPTIONS = (
    CurveOption("nmda", "racemic_ketamine", "kapur2002", "racemate, Kapur & Seeman 2002"),
    CurveOption("nmda", "racemic_ketamine", "seeman2005", "racemate, Seeman et al. 2005"),
    CurveOption("nmda", "esketamine", "ebert1997", "S-ketamine, Ebert et al. 1997"),
    CurveOption("nmda", "arketamine", "ebert1997", "R-ketamine, Ebert et al. 1997"),
)
D2_OPTIONS = (
    CurveOption("dopamine", "racemic_ketamine", "kapur2002", "D2High claim, Kapur & Seeman 2002"),
    CurveOption("dopamine", "racemic_ketamine", "seeman2005", "D2High claim, Seeman et al. 2005"),
)
OTHER_CURVES = (
    CurveOption("nicotinic", "racemic_ketamine", "moaddel2012", "α3β4 nicotinic (IC50)",
                "alpha3beta4 nicotinic ACh receptor"),
    CurveOption("serotonin", "racemic_ketamine", "kapur2002", "5-HT2 high-affinity (Ki)"),
    CurveOption("nicotinic", "racemic_ketamine", "coates2001", "α7 nicotinic (IC50)",
                "alpha7 nicotinic ACh receptor"),
)


def occupancy_percent(grid: np.ndarray, k_uM: float) -> list[float]:
    return [round(v, 1) for v in (100 * occupancy(grid, k_uM)).tolist()]


def _add_concentration_bands(fig: go.Figure, ranges: pd.DataFrame, y_top: float, log_axis: bool = True) -> None:
    """Shade the analgesic, dissociative and anaesthetic ranges; mark the antidepressant-infusion peak."""
    # all labels sit above the plot area (inside it they covered data); the analgesia and dissociation bands
    # overlap, so their labels grow away from each other: one ends at its band's centre, the other starts at its own
    label_anchor = {"analgesia": "right", "dissociation": "left", "anaesthesia": "center"}
    for row in ranges.itertuples():
        if row.effect in BAND_COLOURS:
            fig.add_vrect(x0=row.low_uM, x1=row.high_uM, fillcolor=BAND_COLOURS[row.effect], line_width=0,
                          layer="below")
            centre = float(np.sqrt(row.low_uM * row.high_uM)) if log_axis else (row.low_uM + row.high_uM) / 2
            fig.add_annotation(x=np.log10(centre) if log_axis else centre, y=1.0, yref="paper",
                               xanchor=label_anchor[row.effect], text=row.label, showarrow=False,
                               font={"size": 12, "color": "#333333"}, yanchor="bottom")
        elif row.effect == "antidepressant":
            fig.add_vline(x=row.low_uM, line={"color": ANTIDEPRESSANT_COLOUR, "width": 2, "dash": "dot"})
            fig.add_annotation(x=np.log10(row.low_uM) if log_axis else row.low_uM, y=0.5, yref="paper",
                               text=f"antidepressant<br>infusion peak<br>{row.low_uM:g} µM", showarrow=False,
                               xanchor="left", xshift=4, font={"size": 11, "color": ANTIDEPRESSANT_COLOUR})


def occupancy_figure(affinities: pd.DataFrame, ranges: pd.DataFrame, references: ReferenceList | None = None,
                     points_per_decade: int = 12) -> go.Figure:
    """Predicted occupancy C/(C+K) vs plasma concentration, with dropdowns for the conflicting NMDA and D2 values."""
    references = references or course_references()
    grid = log_concentration_grid(*X_RANGE_UM, points_per_decade=points_per_decade)
    x = [float(f"{v:.4g}") for v in grid]
    fig = go.Figure()

    def add_curve(option: CurveOption, name: str, colour: str, symbol: str, dash: str = "solid",
                  visible: bool | str = True) -> None:
        row = affinity_row(affinities, option.target_group, option.compound, option.source_key, option.target)
        fig.add_trace(go.Scatter(
            x=x, y=occupancy_percent(grid, row.value_uM), mode="lines+markers", name=name, visible=visible,
            line={"color": colour, "width": 3, "dash": dash},
            marker={"symbol": symbol, "size": 6, "maxdisplayed": 12, "color": colour},
            hovertemplate=f"{name}<br>{row.measure} {row.value_uM:g} µM ({source_labels(row.source_key, references)})"
                          "<br>%{x:.3g} µM → %{y:.0f}% occupied<extra></extra>",
        ))

    nmda0, d20 = NMDA_OPTIONS[0], D2_OPTIONS[0]
    add_curve(nmda0, f"NMDA receptor ({nmda0.label})", OKABE_ITO["blue"], MARKER_SYMBOLS[0])
    add_curve(d20, f"Dopamine D2High — disputed ({d20.label.split(', ')[1]})", OKABE_ITO["orange"],
              MARKER_SYMBOLS[1], dash="dash", visible="legendonly")  # drawn on request: the claim was not replicated
    colours = [OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"], OKABE_ITO["black"]]
    for index, option in enumerate(OTHER_CURVES):
        add_curve(option, option.label, colours[index], MARKER_SYMBOLS[index + 2], dash="dot")

    censored = affinities[(affinities["target_group"] == "dopamine") & affinities["no_effect_up_to_uM"].notna()]
    limit = float(censored["no_effect_up_to_uM"].min())
    source = source_labels(censored["source_key"].iloc[0], references)
    fig.add_trace(go.Scatter(
        x=[X_RANGE_UM[0], limit], y=[0, 0], mode="lines+markers", name=f"D1–D5: no binding up to {limit:g} µM",
        line={"color": OKABE_ITO["orange"], "width": 6}, marker={"symbol": ["line-ns", "triangle-right"],
                                                                  "size": [1, 14], "color": OKABE_ITO["orange"]},
        hovertemplate=f"Dopamine D1–D5 receptors: no binding detected up to {limit:g} µM<br>({source}; S- and "
                      "R-ketamine). A lower bound, not a Ki: no curve can be drawn.<extra></extra>",
    ))

    def options_menu(options: tuple[CurveOption, ...], trace: int, prefix: str, y: float, title: str) -> dict:
        buttons = []
        for option in options:
            row = affinity_row(affinities, option.target_group, option.compound, option.source_key, option.target)
            name = f"{prefix} ({option.label})" if prefix.startswith("NMDA") else \
                f"{prefix} ({option.label.split(', ')[1]})"
            buttons.append({
                "label": f"{option.label}: {row.measure} {row.value_uM:g} µM",
                "method": "restyle",
                "args": [{"y": [occupancy_percent(grid, row.value_uM)], "name": name, "visible": True,
                          "hovertemplate": f"{name}<br>{row.measure} {row.value_uM:g} µM "
                                           f"({source_labels(row.source_key, references)})"
                                           "<br>%{x:.3g} µM → %{y:.0f}% occupied<extra></extra>"}, [trace]],
            })
        if not prefix.startswith("NMDA"):
            buttons.insert(0, {"label": "not drawn (click to choose a claim)", "method": "restyle",
                               "args": [{"visible": "legendonly"}, [trace]]})
        return {"type": "dropdown", "buttons": buttons, "x": 0.0, "xanchor": "left", "y": y, "yanchor": "top",
                "direction": "down", "showactive": True, "bgcolor": "white", "font": {"size": 12},
                "pad": {"l": 0}, "name": title}

    _add_concentration_bands(fig, ranges, 100)
    fig.update_layout(
        title={"text": "Predicted receptor occupancy by ketamine, occupancy = C / (C + K)", "y": 0.98,
               "yanchor": "top"},
        height=600,
        xaxis={"title": {"text": "Ketamine concentration (µM, log scale)"}, "type": "log",
               "range": [np.log10(X_RANGE_UM[0]), np.log10(X_RANGE_UM[1])]},
        yaxis={"title": {"text": "Receptors occupied (%)"}, "range": [-4, 104]},
        hovermode="closest",
        legend={"orientation": "h", "x": 0, "y": -0.22, "xanchor": "left", "yanchor": "top"},
        updatemenus=[options_menu(NMDA_OPTIONS, 0, "NMDA receptor", 1.24, "NMDA K"),
                     options_menu(D2_OPTIONS, 1, "Dopamine D2High — disputed", 1.24, "D2 K")],
        margin={"t": 170, "b": 170},
    )
    fig.layout.updatemenus[1].x = 0.5
    fig.add_annotation(x=0, y=1.30, xref="paper", yref="paper", showarrow=False, xanchor="left",
                       text="NMDA K value (conflicting sources):", font={"size": 12})
    fig.add_annotation(x=0.5, y=1.30, xref="paper", yref="paper", showarrow=False, xanchor="left",
                       text="Dopamine D2High claim (not replicated):", font={"size": 12})
    return fig


def concentration_table(ranges: pd.DataFrame, references: ReferenceList | None = None) -> pd.DataFrame:
    """The concentration ranges for readers, with the published µM values beside the course's own conversion
    (ng/mL ÷ the molar mass of ketamine base), so a reader can see which form the authors converted with."""
    references = references or course_references()
    return pd.DataFrame({
        "Effect": ranges["label"].tolist(),
        "Regimen": ranges["regimen"].tolist(),
        "Plasma concentration (ng/mL)": [_span(lo, hi) for lo, hi in zip(ranges["low_ng_per_ml"],
                                                                          ranges["high_ng_per_ml"], strict=True)],
        "Published (µM)": [_span(lo, hi) for lo, hi in zip(ranges["low_uM"], ranges["high_uM"], strict=True)],
        f"ng/mL ÷ {KETAMINE_BASE_MOLAR_MASS_G_PER_MOL:.1f} (µM)": [
            _span(round(float(ng_per_ml_to_uM(lo)), 2), round(float(ng_per_ml_to_uM(hi)), 2))
            for lo, hi in zip(ranges["low_ng_per_ml"], ranges["high_ng_per_ml"], strict=True)],
        "Source": [source_labels(k, references) for k in ranges["source_key"]],
    })


def _span(low: float, high: float) -> str:
    return f"{low:g}" if low == high else f"{low:g}–{high:g}"


def _percent_range(low: float, high: float) -> str:
    low_text, high_text = f"{100 * low:.0f}", f"{100 * high:.0f}"
    return f"about {low_text}%" if low_text == high_text else f"{low_text}–{high_text}%"


def occupancy_table(affinities: pd.DataFrame, ranges: pd.DataFrame,
                    references: ReferenceList | None = None) -> pd.DataFrame:
    """Text alternative: every K the chart can show, and predicted occupancy at the antidepressant peak and in
    the anaesthetic range."""
    references = references or course_references()
    peak = float(ranges.loc[ranges["effect"] == "antidepressant", "low_uM"].iloc[0])
    anaesthesia = ranges.loc[ranges["effect"] == "anaesthesia"].iloc[0]
    rows = []
    for option in (*NMDA_OPTIONS, *D2_OPTIONS, *OTHER_CURVES):
        row = affinity_row(affinities, option.target_group, option.compound, option.source_key, option.target)
        target = TARGET_LABELS.get(row.target, row.target)
        rows.append({
            "Target": target + (" (disputed)" if row.disputed else ""),
            "Compound": COMPOUND_LABELS[row.compound],
            "K (µM)": f"{row.measure} {row.value_uM:g}",
            f"Occupied at {peak:g} µM (antidepressant peak)": f"{100 * occupancy(peak, row.value_uM):.0f}%",
            f"Occupied at {anaesthesia.low_uM:g}–{anaesthesia.high_uM:g} µM (anaesthesia)":
                _percent_range(occupancy(anaesthesia.low_uM, row.value_uM),
                               occupancy(anaesthesia.high_uM, row.value_uM)),
            "Source": source_labels(row.source_key, references),
        })
    for row in affinities[affinities["no_effect_up_to_uM"].notna()].itertuples():
        rows.append({
            "Target": TARGET_LABELS.get(row.target, row.target), "Compound": COMPOUND_LABELS[row.compound],
            "K (µM)": f"{row.measure} > {row.no_effect_up_to_uM:g} (no effect seen)",
            f"Occupied at {peak:g} µM (antidepressant peak)":
                f"below {100 * occupancy(peak, row.no_effect_up_to_uM):.0f}% (upper bound)",
            f"Occupied at {anaesthesia.low_uM:g}–{anaesthesia.high_uM:g} µM (anaesthesia)":
                f"below {100 * occupancy(anaesthesia.high_uM, row.no_effect_up_to_uM):.0f}% (upper bound)",
            "Source": source_labels(row.source_key, references),
        })
    return pd.DataFrame(rows)


def affinity_figure(affinities: pd.DataFrame, ranges: pd.DataFrame,
                    references: ReferenceList | None = None) -> go.Figure:
    """Every published value on one log axis: one row per target, one marker per compound; censored values drawn
    as a right-pointing arrow at the highest concentration tested; disputed values as open markers."""
    references = references or course_references()
    frame = affinities.assign(row_label=[TARGET_LABELS.get(t, t) for t in affinities["target"]])
    order = list(dict.fromkeys(frame["row_label"]))
    fig = go.Figure()
    compounds = list(dict.fromkeys(frame["compound"]))
    for index, compound in enumerate(compounds):
        part = frame[frame["compound"] == compound]
        measured = part[part["value_uM"].notna()]
        censored = part[part["no_effect_up_to_uM"].notna()]
        colour = [OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish_green"], OKABE_ITO["vermillion"],
                  OKABE_ITO["reddish_purple"], OKABE_ITO["sky_blue"], OKABE_ITO["black"], "#999999"][index % 8]
        symbol = MARKER_SYMBOLS[index % len(MARKER_SYMBOLS)]
        name = COMPOUND_LABELS[compound]
        if len(measured):
            fig.add_trace(go.Scatter(
                x=measured["value_uM"].tolist(), y=measured["row_label"].tolist(), mode="markers", name=name,
                legendgroup=compound,
                marker={"size": 13, "color": colour, "line": {"width": 2, "color": colour},
                        "symbol": [f"{symbol}-open" if d else symbol for d in measured["disputed"]]},
                hovertext=[f"<b>{name}</b> at {TARGET_LABELS.get(r.target, r.target)}<br>{r.measure} {r.value_uM:g} µM"
                           f"{' — DISPUTED: not reproduced by independent studies' if r.disputed else ''}"
                           f"<br>{r.system}<br><i>{source_labels(r.source_key, references)}, {r.source_location}</i>"
                           for r in measured.itertuples()],
                hoverinfo="text",
            ))
        if len(censored):
            fig.add_trace(go.Scatter(
                x=censored["no_effect_up_to_uM"].tolist(), y=censored["row_label"].tolist(), mode="markers+text",
                name=f"{name} (no effect up to the value shown)", legendgroup=compound, showlegend=not len(measured),
                marker={"size": 15, "color": colour, "symbol": "triangle-right-open", "line": {"width": 2}},
                text=[f">{v:g}" for v in censored["no_effect_up_to_uM"]], textposition="middle right",
                hovertext=[f"<b>{name}</b> at {TARGET_LABELS.get(r.target, r.target)}<br>no binding or effect seen up "
                           f"to {r.no_effect_up_to_uM:g} µM (censored: the true value is higher, or there is none)"
                           f"<br>{r.system}<br><i>{source_labels(r.source_key, references)}, {r.source_location}</i>"
                           for r in censored.itertuples()],
                hoverinfo="text",
            ))
    _add_concentration_bands(fig, ranges, len(order))
    fig.update_layout(
        title={"text": "Published Ki / IC50 values of ketamine and metabolites (lower = binds more tightly)"},
        height=560,
        xaxis={"title": {"text": "Ki or IC50 (µM, log scale)"}, "type": "log",
               "range": [np.log10(0.02), np.log10(200)]},
        yaxis={"title": {"text": ""}, "categoryorder": "array", "categoryarray": list(reversed(order))},
        legend={"orientation": "h", "x": 0, "y": -0.18, "xanchor": "left", "yanchor": "top"},
        margin={"l": 170, "t": 90, "b": 150},
        hovermode="closest",
    )
    return fig


def affinity_table(affinities: pd.DataFrame, references: ReferenceList | None = None) -> pd.DataFrame:
    """Text alternative of the affinity chart: every row, censored values written as '> limit'."""
    references = references or course_references()
    return pd.DataFrame({
        "Target": [TARGET_LABELS.get(t, t) for t in affinities["target"]],
        "Compound": [COMPOUND_LABELS[c] for c in affinities["compound"]],
        "Value (µM)": [f"{m} {v:g}" if pd.notna(v) else f"{m} > {u:g} (none seen)"
                       for m, v, u in zip(affinities["measure"], affinities["value_uM"],
                                          affinities["no_effect_up_to_uM"], strict=True)],
        "Disputed": ["yes" if d else "" for d in affinities["disputed"]],
        "System": affinities["system"].tolist(),
        "Source": [source_labels(k, references) for k in affinities["source_key"]],
    })
