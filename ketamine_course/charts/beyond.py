"""Lesson 5's chart builders (pure: data in, ``go.Figure`` out; no ipywidgets), each explorable without a kernel:

* :func:`nnt_explorer_figure` — a grid of (control rate, drug rate) pairs coloured by NNT; a slider over the number
  of participants per arm restyles which cells are washed out (their 95 % CI includes "no difference"); hover gives
  RD, NNT, the NNT rounded up to whole patients and its CI (Altman 1998 style); the trials' printed rates are
  overlaid. Assumptions, printed on the chart: equal arms, observed rates taken at face value, Wald 95 % interval.
* :func:`unblinding_figure` — the observed difference as the share of correct allocation guesses rises, for a few
  true effects; a slider over the expectancy effect. Labelled as an illustration in the chart itself.
* :func:`funnel_figure` — odds ratio against its standard error with pseudo-95 % limits, honest about how few points
  there are.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ketamine_course.charts.theme import OKABE_ITO
from ketamine_course.evidence.nnt import nnt_interval, whole_patients
from ketamine_course.evidence.unblinding import observed_difference

NNT_CAP = 20  # colour scale stops here; larger NNTs share the last colour
VEIL = "rgba(255,255,255,0.72)"  # washes out cells whose 95% CI includes no difference
DEFAULT_N_VALUES = (10, 30, 100, 300)
DEFAULT_RATES = tuple(range(0, 101, 5))
TEXT_POSITION = {"FEDER2021": "top left", "ABBAR2022": "middle right", "GRUNEBAUM2018": "bottom right",
                 "DAKWAR2019": "middle left", "TAYLOR2018_LSAS": "middle right"}


def _nnt_layers(rates: list[int], n: int) -> tuple[list[list[float | None]], list[list[float | None]], list]:
    """z (NNT, capped; None where no benefit), grey layer (1 where the CI includes 0) and hover data for one n."""
    z: list[list[float | None]] = []
    grey: list[list[float | None]] = []
    custom: list[list[str]] = []
    for drug in rates:
        zrow, grow, crow = [], [], []
        for control in rates:
            p1, p2 = drug / 100, control / 100
            interval = nnt_interval(p1, n, p2, n)
            benefit = drug > control
            # colour on a log scale, so that NNTs of 2, 5 and 10 look as different as they are
            zrow.append(round(math.log10(min(1 / (p1 - p2), NNT_CAP)), 4) if benefit else None)
            grow.append(None if interval.significant else 1)
            if drug != control:
                people = whole_patients(interval.nnt)
                whole = f" · rounded up: {people} patient{'' if people == 1 else 's'}"
            else:
                whole = ""
            crow.append(f"difference {drug - control:+d} points{whole}<br>{interval.describe()}")
        z.append(zrow)
        grey.append(grow)
        custom.append(crow)
    return z, grey, custom


def nnt_explorer_figure(trial_points: pd.DataFrame, rates: tuple[int, ...] = DEFAULT_RATES,
                        n_values: tuple[int, ...] = DEFAULT_N_VALUES, initial_n: int = 30) -> go.Figure:
    """NNT explorer. ``trial_points``: :func:`ketamine_course.evidence.beyond.nnt_trials` output."""
    if initial_n not in n_values:
        raise ValueError(f"initial_n ({initial_n}) must be one of n_values {n_values}")
    rates_l = list(rates)
    layers = {n: _nnt_layers(rates_l, n) for n in n_values}
    z, grey, custom = layers[initial_n]
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        x=rates_l, y=rates_l, z=z, customdata=custom, zmin=0, zmax=math.log10(NNT_CAP), name="NNT",
        colorscale=[[0, OKABE_ITO["blue"]], [0.5, OKABE_ITO["sky_blue"]], [1, OKABE_ITO["yellow"]]],
        colorbar={"title": {"text": "NNT"}, "tickvals": [round(math.log10(v), 4) for v in (1, 2, 5, 10, 20)],
                  "ticktext": ["1", "2", "5", "10", "≥20"]},
        hovertemplate="Control %{x}% · drug %{y}%<br>%{customdata}<extra></extra>"))
    fig.add_trace(go.Heatmap(
        x=rates_l, y=rates_l, z=grey, zmin=0, zmax=1, showscale=False, name="95% CI includes no difference",
        colorscale=[[0, VEIL], [1, VEIL]], hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=[0, 100], y=[0, 100], mode="lines", line={"color": OKABE_ITO["black"], "dash": "dot", "width": 1},
        name="Drug = control (NNT infinite)", hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=trial_points["pct_control"], y=trial_points["pct_drug"], mode="markers+text",
        text=[label.split(" · ")[0] for label in trial_points["label"]],
        textposition=[TEXT_POSITION.get(t, "top center") for t in trial_points["trial_id"]],
        marker={"symbol": "diamond", "size": 11, "color": OKABE_ITO["vermillion"],
                "line": {"color": "white", "width": 1}},
        customdata=np.column_stack([trial_points["label"], trial_points["rd_points"], trial_points["nnt"],
                                    trial_points["nnt_ci"], trial_points["nnt_whole"]]),
        hovertemplate="<b>%{customdata[0]}</b><br>Drug %{y}% vs control %{x}%<br>Difference %{customdata[1]} "
                      "points · NNT %{customdata[2]} (rounded up: %{customdata[4]})<br>95% CI: %{customdata[3]}"
                      "<extra></extra>",
        name="Trials (rates as printed)"))
    steps = []
    for n in n_values:
        zn, gn, cn = layers[n]
        steps.append({"method": "restyle", "label": str(n),
                      "args": [{"z": [zn, gn], "customdata": [cn, None]}, [0, 1]]})
    fig.update_layout(
        title={"text": "NNT explorer: two response rates → difference → NNT (and how sure we are)"},
        xaxis={"title": {"text": "Control group: % with the good outcome"}, "range": [-2.5, 102.5],
               "dtick": 10},
        yaxis={"title": {"text": "Drug group: % with the good outcome"}, "range": [-2.5, 102.5], "dtick": 10},
        height=720, margin={"t": 100, "b": 210},
        legend={"orientation": "h", "y": -0.45, "x": 0},
        sliders=[{"active": list(n_values).index(initial_n), "steps": steps, "y": -0.12, "len": 0.9,
                  "currentvalue": {"prefix": "Participants per arm: "}}],
        annotations=[
            {"text": "Washed-out cells: the 95% CI for the difference includes 0 at this sample size.<br>"
                     "Assumes equal arms of the chosen size, the rates taken at face value, and the simple (Wald) "
                     "interval, which is often too narrow.",
             "xref": "paper", "yref": "paper", "x": 0, "y": 1.09, "showarrow": False, "xanchor": "left",
             "align": "left", "font": {"size": 12}},
            {"text": "Below the dotted line the drug did worse:<br>an NNT to harm (not coloured)", "x": 78, "y": 12,
             "xref": "x", "yref": "y", "showarrow": False, "font": {"size": 12, "color": "#333333"},
             "bgcolor": "rgba(255,255,255,0.8)"},
        ],
    )
    return fig


def nnt_explorer_table(rates: tuple[int, ...] = (10, 30, 50), n_values: tuple[int, ...] = (30, 100)) -> pd.DataFrame:
    """Text alternative: a few grid cells with their NNT and CI at two sample sizes."""
    rows = []
    for control in rates:
        for drug in (control + 10, control + 25):
            row = {"Control (%)": control, "Drug (%)": drug, "NNT": round(100 / (drug - control), 1)}
            for n in n_values:
                row[f"95% CI, {n} per arm"] = nnt_interval(drug / 100, n, control / 100, n).describe().split(
                    "(95% CI ", 1)[1][:-1]
            rows.append(row)
    return pd.DataFrame(rows)


UNBLINDING_TRUE = (0.0, 2.0, 4.0)
UNBLINDING_EXPECTANCY = (0, 1, 2, 3, 4, 5, 6, 8)
GUESS = tuple(range(50, 101, 5))


def _unblinding_y(true_effect: float, expectancy: float) -> list[float]:
    return [round(observed_difference(true_effect, c / 100, expectancy), 2) for c in GUESS]


def unblinding_figure(true_effects: tuple[float, ...] = UNBLINDING_TRUE,
                      expectancies: tuple[float, ...] = UNBLINDING_EXPECTANCY, initial: float = 4) -> go.Figure:
    """Observed difference (points) vs share guessing correctly, one line per true effect; slider: expectancy."""
    if initial not in expectancies:
        raise ValueError(f"initial expectancy ({initial}) must be one of {expectancies}")
    colours = [OKABE_ITO["vermillion"], OKABE_ITO["orange"], OKABE_ITO["blue"]]
    fig = go.Figure()
    for i, true in enumerate(true_effects):
        fig.add_trace(go.Scatter(
            x=list(GUESS), y=_unblinding_y(true, initial), mode="lines+markers", name=f"True effect {true:g} points",
            line={"color": colours[i % len(colours)], "width": 3},
            marker={"symbol": ["circle", "square", "diamond"][i % 3]},
            hovertemplate=f"True effect {true:g}<br>" + "%{x}% guess correctly<br>observed difference %{y} points"
                          "<extra></extra>"))
    for i, true in enumerate(true_effects):
        fig.add_trace(go.Scatter(x=[50, 100], y=[true, true], mode="lines", hoverinfo="skip", showlegend=False,
                                 line={"color": colours[i % len(colours)], "dash": "dot", "width": 1}))
    steps = [{"method": "restyle", "label": f"{e:g}",
              "args": [{"y": [_unblinding_y(t, e) for t in true_effects]}, list(range(len(true_effects)))]}
             for e in expectancies]
    fig.update_layout(
        title={"text": "ILLUSTRATION, not a finding: how unblinding could add to an observed difference"},
        xaxis={"title": {"text": "Participants who correctly guess their allocation, each arm (%; 50 = chance)"},
               "range": [48, 102]},
        yaxis={"title": {"text": "Observed drug − placebo difference (scale points)"}, "rangemode": "tozero"},
        height=560, margin={"t": 110, "b": 150}, legend={"orientation": "v", "x": 1.02, "y": 1},
        sliders=[{"active": list(expectancies).index(initial), "steps": steps, "y": -0.16, "len": 0.9,
                  "currentvalue": {"prefix": "Assumed expectancy effect (points): "}}],
        annotations=[{"text": "Model: observed = true effect + expectancy × (2 × share correct − 1). Dotted: true "
                              "effect. Assumed numbers, not data.<br>Assumes: the same share guesses right in both "
                              "arms; believing you had the drug adds the expectancy effect whatever you had; nothing "
                              "else differs.", "xref": "paper", "yref": "paper", "x": 0,
                      "y": 1.02, "yanchor": "bottom", "align": "left", "showarrow": False, "xanchor": "left",
                      "font": {"size": 12}}],
    )
    return fig


def unblinding_table(true_effect: float = 2.0, expectancy: float = 4.0) -> pd.DataFrame:
    """Text alternative for the unblinding chart at one setting."""
    rows = []
    for c in (50, 60, 70, 80, 90, 100):
        obs = observed_difference(true_effect, c / 100, expectancy)
        rows.append({"Correct guesses (%)": c, "True effect": true_effect, "Expectancy": expectancy,
                     "Observed difference": round(obs, 2),
                     "Share from unblinding (%)": round(100 * (obs - true_effect) / obs) if obs else None})
    return pd.DataFrame(rows)


def funnel_figure(points: pd.DataFrame, centre_log_or: float) -> go.Figure:
    """Funnel plot: odds ratio (log x axis) against SE (reversed y axis), pseudo-95% limits around the centre."""
    se_max = max(1.2, float(points["se"].max()) * 1.1)
    se_grid = np.linspace(0, se_max, 30)
    fig = go.Figure()
    for sign in (-1, 1):
        fig.add_trace(go.Scatter(
            x=np.round(np.exp(centre_log_or + sign * 1.96 * se_grid), 4), y=np.round(se_grid, 4), mode="lines",
            line={"color": "grey", "dash": "dash"}, hoverinfo="skip", showlegend=sign == 1,
            name="Pseudo 95% limits (where studies would fall by chance alone)"))
    fig.add_trace(go.Scatter(x=[math.exp(centre_log_or)] * 2, y=[0, se_max], mode="lines",
                             line={"color": "grey"},
                             name=f"Centre: fixed-effect average of the trials (OR {math.exp(centre_log_or):.2f}), "
                                  "drawn only to place the funnel",
                             hoverinfo="skip"))
    for independent, name, symbol, colour in ((True, "Trial (overall result)", "circle", OKABE_ITO["blue"]),
                                              (False, "Subgroup of a trial (not independent)", "circle-open",
                                               OKABE_ITO["orange"])):
        sel = points[points["independent"] == independent]
        fig.add_trace(go.Scatter(
            x=sel["odds_ratio"], y=sel["se"].round(3), mode="markers", name=name,
            marker={"symbol": symbol, "size": 12, "color": colour, "line": {"width": 2, "color": colour}},
            customdata=np.column_stack([sel["study"], sel["outcome"]]),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>OR %{x}, SE(log OR) %{y}<extra></extra>"))
    n_ind = int(points["independent"].sum())
    fig.update_layout(
        title={"text": f"Funnel plot of every odds ratio in the lesson-5 data: {n_ind} trials, "
                       f"{len(points) - n_ind} subgroups"},
        xaxis={"title": {"text": "Odds ratio (log scale; > 1 favours ketamine)"}, "type": "log",
               "tickvals": [0.25, 0.5, 1, 2, 4, 8, 16, 32],
               "ticktext": ["0.25", "0.5", "1", "2", "4", "8", "16", "32"]},
        yaxis={"title": {"text": "SE of log OR (larger = smaller study)"}, "autorange": "reversed"},
        height=540, legend={"orientation": "h", "y": -0.25, "x": 0}, margin={"t": 90, "b": 160},
    )
    return fig
