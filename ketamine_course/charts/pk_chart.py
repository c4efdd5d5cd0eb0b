"""PK charts: concentration–time curves with sourced concentration ranges shaded (lesson 3).

Pure builders returning ``go.Figure``. :func:`pk_scenario_figure` carries every precomputed curve so that its
controls work without a kernel (nbviewer): a dropdown picks the route/regimen (trace visibility), a slider picks the
dose (it rewrites the curves' y values), the legend shows or hides body weights, and buttons switch log/linear.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ketamine_course.charts.theme import PALETTE
from ketamine_course.pk.models import KETAMINE_MOLAR_MASS_G_PER_MOL
from ketamine_course.pk.scenarios import DOSES_MG_PER_KG, SCENARIOS, WEIGHTS_KG
from ketamine_course.references import ReferenceList, course_references, source_labels

BAND_EFFECTS = {"analgesia": "#56B4E9", "dissociation": "#CC79A7", "anaesthesia": "#E69F00"}
LINE_EFFECTS = {"antidepressant": "#000000"}
# where each band's label goes: the analgesia and dissociation bands overlap (100-160 ng/mL) and the dotted
# 185 ng/mL line crosses the dissociation band, so those two labels sit outside their bands (below / above)
BAND_LABEL_PLACE = {"analgesia": ("low", "top"), "dissociation": ("high", "bottom"), "anaesthesia": ("high", "top")}
Y_RANGE_NG_PER_ML = (1.0, 5000.0)
WEIGHT_DASH = {50.0: "dot", 70.0: "solid", 100.0: "dash"}
# line colours chosen to differ from the band colours (sky blue, reddish purple, orange)
WEIGHT_COLOUR = {50.0: "#D55E00", 70.0: "#0072B2", 100.0: "#009E73"}


def round_values(values: np.ndarray) -> list[float]:
    """3 significant digits: enough for a chart, small in the saved notebook."""
    return [float(f"{v:.3g}") for v in np.asarray(values, dtype=float)]


CONCENTRATION_FLOOR_NG_PER_ML = 0.01


def round_conc(values: np.ndarray) -> list[float]:
    """Concentrations for drawing: 3 significant digits, and 0 below 0.01 ng/mL (a thousand times under the lowest
    sourced range), which also hides ±1e-11 rounding noise left where an infusion's on and off steps cancel."""
    conc = np.asarray(values, dtype=float)
    return round_values(np.where(conc < CONCENTRATION_FLOOR_NG_PER_ML, 0.0, conc))


def range_shapes(ranges: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """Shaded bands (analgesia, dissociation, anaesthesia) and a line (antidepressant-dose peak), with labels."""
    shapes, notes = [], []
    for row in ranges.itertuples(index=False):
        if row.effect in BAND_EFFECTS:
            shapes.append({"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": row.low_ng_per_ml,
                           "y1": row.high_ng_per_ml, "fillcolor": BAND_EFFECTS[row.effect], "opacity": 0.18,
                           "line": {"width": 0}, "layer": "below"})
            label = f"{row.label}: {row.low_ng_per_ml:g}–{row.high_ng_per_ml:g} ng/mL"
            y, anchor = BAND_LABEL_PLACE.get(row.effect, ("high", "top"))
            notes.append({"name": row.effect, "xref": "paper", "x": 0.995, "xanchor": "right", "yref": "y",
                          "y": math.log10(getattr(row, f"{y}_ng_per_ml")), "yanchor": anchor, "text": label,
                          "showarrow": False, "font": {"size": 11, "color": "#333333"}})
        elif row.effect in LINE_EFFECTS:
            shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": row.low_ng_per_ml,
                           "y1": row.low_ng_per_ml, "line": {"color": LINE_EFFECTS[row.effect], "dash": "dot",
                                                             "width": 1.5}})
            # a third of the way along the time axis: single-dose curves have fallen below it there, and the band
            # labels on the right keep clear of it
            notes.append({"xref": "paper", "x": 0.33, "xanchor": "center", "yref": "y",
                          "y": math.log10(row.low_ng_per_ml), "yanchor": "bottom",
                          "text": f"reported peak, 0.5 mg/kg over 40 min: {row.low_ng_per_ml:g} ng/mL",
                          "showarrow": False, "font": {"size": 11}})
    return shapes, notes


def _axes(fig: go.Figure, log: bool = True) -> None:
    low, high = Y_RANGE_NG_PER_ML
    y_range = [math.log10(low), math.log10(high)] if log else [0, high * 0.6]
    um_range = ([math.log10(low / KETAMINE_MOLAR_MASS_G_PER_MOL), math.log10(high / KETAMINE_MOLAR_MASS_G_PER_MOL)]
                if log else [0, high * 0.6 / KETAMINE_MOLAR_MASS_G_PER_MOL])
    fig.update_layout(
        yaxis={"title": {"text": "Plasma ketamine (ng/mL)"}, "type": "log" if log else "linear", "range": y_range,
               "dtick": 1 if log else None},
        yaxis2={"title": {"text": "Plasma ketamine (µM)"}, "type": "log" if log else "linear", "range": um_range,
                "overlaying": "y", "side": "right", "showgrid": False, "dtick": 1 if log else None},
    )
    # an invisible point gives the µM axis something to belong to
    fig.add_trace(go.Scatter(x=[0], y=[None], yaxis="y2", showlegend=False, hoverinfo="skip", name="µM axis"))


def pk_curve_figure(curves: list[tuple[str, np.ndarray, np.ndarray]], ranges: pd.DataFrame, title: str,
                    log: bool = True) -> go.Figure:
    """Curves given as (label, time in hours, ng/mL), with the concentration ranges shaded."""
    fig = go.Figure()
    for i, (label, hours, conc) in enumerate(curves):
        fig.add_trace(go.Scatter(x=round_values(hours), y=round_conc(conc), mode="lines", name=label,
                                 line={"color": PALETTE[i % len(PALETTE)], "width": 2.5},
                                 hovertemplate="%{x:.2f} h: %{y:.3g} ng/mL<extra>" + label + "</extra>"))
    shapes, notes = range_shapes(ranges)
    fig.update_layout(title={"text": title}, xaxis={"title": {"text": "Time after the first dose (h)"}},
                      shapes=shapes, annotations=notes, height=520, legend={"orientation": "h", "y": -0.18})
    _axes(fig, log)
    return fig


def pk_scenario_figure(curves: dict, ranges: pd.DataFrame, default_scenario: str = "iv40",
                       default_dose: float = 0.5) -> go.Figure:
    """The nbviewer-ready simulator: every scenario × weight as a trace, dose on a slider (see module docstring)."""
    keys = [s.key for s in SCENARIOS]
    labels = {s.key: s.label for s in SCENARIOS}
    fig = go.Figure()
    trace_keys = []
    for key in keys:
        for weight in WEIGHTS_KG:
            hours, conc = curves[key][(default_dose, weight)]
            visible = (True if weight == 70.0 else "legendonly") if key == default_scenario else False
            fig.add_trace(go.Scatter(
                x=round_values(hours), y=round_conc(conc), mode="lines", name=f"{weight:g} kg", visible=visible,
                line={"color": WEIGHT_COLOUR[weight], "dash": WEIGHT_DASH[weight], "width": 2.5},
                hovertemplate="%{x:.2f} h: %{y:.3g} ng/mL<extra>" + f"{weight:g} kg</extra>"))
            trace_keys.append((key, weight))
    n = len(trace_keys)

    def visibility(selected: str) -> list:
        return [(True if w == 70.0 else "legendonly") if k == selected else False for k, w in trace_keys] + [True]

    def x_range(key: str) -> list[float]:
        return [0, 14 * 24] if key.startswith("iv40x") else [0, 6]

    buttons = [{"label": labels[k], "method": "update",
                "args": [{"visible": visibility(k)}, {"xaxis.range": x_range(k)}]} for k in keys]
    steps = [{"label": f"{d:g}", "method": "restyle",
              "args": [{"y": [round_conc(curves[k][(d, w)][1]) for k, w in trace_keys]}, list(range(n))]}
             for d in DOSES_MG_PER_KG]
    shapes, notes = range_shapes(ranges)
    scale_buttons = [
        {"label": "log scale", "method": "relayout",
         "args": [{**_scale_args(True), **_low_band_labels(notes, ranges, True)}]},
        {"label": "linear scale", "method": "relayout",
         "args": [{**_scale_args(False), **_low_band_labels(notes, ranges, False)}]},
    ]
    fig.update_layout(
        title={"text": "Simulated plasma ketamine after one dose or a regimen"},
        xaxis={"title": {"text": "Time after the first dose (h)"}, "range": x_range(default_scenario)},
        shapes=shapes, annotations=notes, height=640, margin={"t": 130, "b": 190},
        legend={"title": {"text": "Body weight (click to show or hide)"}, "orientation": "h", "y": -0.5},
        updatemenus=[
            {"buttons": buttons, "active": keys.index(default_scenario), "x": 0, "xanchor": "left", "y": 1.17,
             "yanchor": "top", "showactive": True},
            {"buttons": scale_buttons, "type": "buttons", "direction": "right", "x": 1, "xanchor": "right",
             "y": 1.17, "yanchor": "top"},
        ],
        sliders=[{"active": DOSES_MG_PER_KG.index(default_dose), "steps": steps, "y": -0.12, "yanchor": "top",
                  "currentvalue": {"prefix": "Dose (mg/kg): "}, "pad": {"t": 30}}],
    )
    _axes(fig, log=True)
    return fig


def _low_band_labels(notes: list[dict], ranges: pd.DataFrame, log: bool) -> dict:
    """On the linear scale the analgesia and dissociation bands are a few pixels tall and their labels would overlap:
    the analgesia label is hidden and the dissociation label names both bands. On the log scale each has its own."""
    index = {note.get("name"): i for i, note in enumerate(notes)}
    bands = {row.effect: row for row in ranges.itertuples(index=False)}
    if not {"analgesia", "dissociation"} <= index.keys():
        return {}
    low, high = bands["analgesia"], bands["dissociation"]
    both = (f"{high.label} {high.low_ng_per_ml:g}–{high.high_ng_per_ml:g} / {low.label.lower()} "
            f"{low.low_ng_per_ml:g}–{low.high_ng_per_ml:g} ng/mL")
    return {f"annotations[{index['analgesia']}].visible": log,
            f"annotations[{index['dissociation']}].text": notes[index["dissociation"]]["text"] if log else both}


def _scale_args(log: bool) -> dict:
    low, high = Y_RANGE_NG_PER_ML
    if log:
        return {"yaxis.type": "log", "yaxis.range": [math.log10(low), math.log10(high)], "yaxis.dtick": 1,
                "yaxis2.type": "log", "yaxis2.dtick": 1,
                "yaxis2.range": [math.log10(low / KETAMINE_MOLAR_MASS_G_PER_MOL),
                                 math.log10(high / KETAMINE_MOLAR_MASS_G_PER_MOL)]}
    return {"yaxis.type": "linear", "yaxis.range": [0, high * 0.6], "yaxis.dtick": None, "yaxis2.type": "linear",
            "yaxis2.dtick": None,
            "yaxis2.range": [0, high * 0.6 / KETAMINE_MOLAR_MASS_G_PER_MOL]}


MINUTES_PER_DAY = 24 * 60


def scenario_table(curves: dict, weight: float = 70.0) -> pd.DataFrame:
    """Text alternative: peak concentration (ng/mL and µM) and its time for every scenario and dose. For a regimen
    the time is counted from the start of the dose that produced the peak (regimen doses start on whole days)."""
    rows = []
    for scenario in SCENARIOS:
        for dose in DOSES_MG_PER_KG:
            hours, conc = curves[scenario.key][(dose, weight)]
            i = int(np.argmax(conc))
            minutes = round(hours[i] * 60)
            rows.append({"route and regimen": scenario.label, "dose (mg/kg)": dose,
                         "peak (ng/mL)": float(f"{conc[i]:.3g}"),
                         "peak (µM)": round(conc[i] / KETAMINE_MOLAR_MASS_G_PER_MOL, 2),
                         "time of peak (min after the dose)": minutes % MINUTES_PER_DAY if scenario.per_week
                         else minutes})
    return pd.DataFrame(rows)


ROUTE_NAMES = {
    "iv": "Intravenous (IV)", "im": "Intramuscular (IM)", "intranasal": "Intranasal (sprayed into the nose)",
    "oral": "Oral (swallowed)", "sublingual": "Sublingual (under the tongue)",
    "sublingual_buccal": "Sublingual or buccal (under the tongue or against the cheek)", "rectal": "Rectal",
}



def route_table(routes: pd.DataFrame, references: ReferenceList | None = None) -> pd.DataFrame:
    """The bioavailability data set for readers: plain route names, F with its interval when given, Tmax, and the
    source as an author-year label."""
    references = references or course_references()

    def interval(low: float, high: float) -> str:
        return f"{low:g}–{high:g}" if pd.notna(low) and pd.notna(high) else ""

    return pd.DataFrame({
        "Route": [ROUTE_NAMES[r] for r in routes["route"]],
        "Product, dose and study": routes["product"].tolist(),
        "Compound": routes["compound"].tolist(),
        "Bioavailability F (%)": [f"{v:g}" for v in routes["bioavailability_percent"]],
        "Confidence interval of F (%)": [interval(lo, hi) for lo, hi in zip(routes["bioavailability_low_percent"],
                                                                 routes["bioavailability_high_percent"],
                                                                 strict=True)],
        "Tmax, time of the peak (min)": [f"{v:g}" if pd.notna(v) else "" for v in routes["tmax_min"]],
        "Source": [source_labels(keys, references) for keys in routes["source_key"]],
    })
