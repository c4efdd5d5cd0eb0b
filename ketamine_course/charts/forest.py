"""Interactive forest plot over precomputed meta-analysis variants (pure builder: data in, ``go.Figure`` out).

Three controls that work without a kernel (JupyterLab and nbviewer alike), each changing a *different* trace property
so that they combine freely:

* **Analysis** dropdown (outcome × comparator type) — sets which traces are ``visible`` and the axis, title and notes.
* **Model** dropdown (fixed effect, DerSimonian-Laird, Paule-Mandel) — sets the ``opacity`` / hover of the pooled
  traces of every analysis.
* **Leave one out** slider — sets the pooled traces' ``x`` data (re-pooled without study *j*) and greys out study
  *j*'s marker.

Input: the list returned by :func:`ketamine_course.evidence.analyses.forest_variants`.
"""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go

from ketamine_course.charts.theme import OKABE_ITO, wrap_lines
from ketamine_course.evidence.meta_analysis import MODELS, no_prediction_interval_reason

MODEL_ORDER = ("fixed", "dl", "pm")
MODEL_SHORT = {"fixed": "Fixed effect", "dl": "Random effects (DerSimonian–Laird)",
               "pm": "Random effects (Paule–Mandel)"}
MODEL_COLOURS = {"fixed": OKABE_ITO["vermillion"], "dl": OKABE_ITO["blue"], "pm": OKABE_ITO["bluish_green"]}
DEFAULT_MODEL = "dl"
STUDY_COLOUR = OKABE_ITO["black"]
FADED = 0.2
# Below the x axis: the "favours" labels sit under the axis title (at narrow widths a long title reached them), and
# the note is wrapped short enough to fit a laptop-width page (150 characters ran off the right edge at ~1100 px).
FAVOURS_Y = -0.30
NOTE_Y = -0.40
NOTE_WRAP = 110
UNPOOLED_CONTROLS_NOTE = ("The model menu and the leave-one-out slider change nothing here: they act on pooled "
                          "analyses only.")


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _pooled_text(model: str, res: dict[str, Any], left_out: str | None) -> str:
    pi = (f"prediction interval {_fmt(res['pi_low'])} to {_fmt(res['pi_high'])}" if res["pi_low"] is not None
          else f"prediction interval: {no_prediction_interval_reason(model, res['k'])}")
    het = (f"Q = {res['q']:.2f} (df {res['k'] - 1}), I² = {res['i2_pct']:.0f}%, τ² = {res['tau2']:.3f}"
           if res["k"] > 1 else "one study: no heterogeneity to estimate")
    head = f"<b>{MODEL_SHORT[model]}</b>" + (f" — without {left_out}" if left_out else "")
    return (f"{head}<br>pooled {_fmt(res['estimate'])} (95% CI {_fmt(res['ci_low'])} to {_fmt(res['ci_high'])})"
            f"<br>{pi}<br>{het}<br>k = {res['k']}")


def _segments(pairs: list[tuple[float | None, float | None]], ys: list[float]) -> tuple[list, list]:
    xs: list[float | None] = []
    yy: list[float | None] = []
    for (lo, hi), y in zip(pairs, ys, strict=True):
        if lo is None or hi is None:
            continue
        xs += [lo, hi, None]
        yy += [y, y, None]
    return xs, yy


def forest_figure(variants: list[dict[str, Any]], initial: int = 0, title: str = "Forest plot") -> go.Figure:
    """The interactive forest plot (see module docstring). ``initial``: index of the analysis shown first."""
    fig = go.Figure()
    owner: list[int] = []  # analysis index of each trace
    pooled_traces: list[tuple[int, int, str, str]] = []  # (trace index, analysis index, model, role)
    study_traces: list[tuple[int, int]] = []  # (trace index, analysis index)
    # leave-one-out acts on pooled analyses only: a step per study of the largest pooled one (not of a larger
    # unpooled one, whose extra steps would leave out nothing)
    max_k = max((len(v["studies"]["labels"]) for v in variants if v["analysis"].pooled), default=0)
    layouts: list[dict[str, Any]] = []

    for a, entry in enumerate(variants):
        item = entry["analysis"]
        st = entry["studies"]
        k = len(st["labels"])
        ys = list(range(k))
        vis = a == initial
        hover = [f"<b>{lab}</b><br>{entry['measure_label']}: {e:.2f} (95% CI {lo:.2f} to {hi:.2f})"
                 for lab, e, lo, hi in zip(st["labels"], st["estimate"], st["ci_low"], st["ci_high"], strict=True)]
        xs, yy = _segments(list(zip(st["ci_low"], st["ci_high"], strict=True)), ys)
        fig.add_trace(go.Scatter(x=xs, y=yy, mode="lines", line={"color": STUDY_COLOUR, "width": 2},
                                 hoverinfo="skip", showlegend=False, visible=vis, name="95% CI"))
        owner.append(a)
        fig.add_trace(go.Scatter(x=st["estimate"], y=ys, mode="markers", name="Study (95% CI)",
                                 marker={"symbol": "square", "size": 12, "color": STUDY_COLOUR,
                                         "opacity": [1.0] * k},
                                 hovertext=hover, hoverinfo="text", showlegend=a == initial, visible=vis))
        owner.append(a)
        study_traces.append((len(fig.data) - 1, a))

        ticktext = [f"{i + 1} · {lab}" for i, lab in enumerate(st["labels"])]
        tickvals: list[float] = list(ys)
        if item.pooled:
            for model in MODEL_ORDER:
                res = entry["models"][model]["all"]
                y = k + 0.5  # the chosen model's diamond, below the studies
                shown = 1.0 if model == DEFAULT_MODEL else 0.0
                # CI segment, prediction interval segment, diamond
                fig.add_trace(go.Scatter(x=[res["ci_low"], res["ci_high"]], y=[y, y], mode="lines",
                                         line={"color": MODEL_COLOURS[model], "width": 4}, opacity=shown,
                                         hoverinfo="skip", showlegend=False, visible=vis))
                owner.append(a)
                pooled_traces.append((len(fig.data) - 1, a, model, "ci"))
                pi = [res["pi_low"], res["pi_high"]] if res["pi_low"] is not None else [None, None]
                fig.add_trace(go.Scatter(x=pi, y=[y + 0.25, y + 0.25], mode="lines",
                                         line={"color": MODEL_COLOURS[model], "width": 2, "dash": "dot"},
                                         opacity=shown, hoverinfo="skip", showlegend=False, visible=vis,
                                         name="prediction interval"))
                owner.append(a)
                pooled_traces.append((len(fig.data) - 1, a, model, "pi"))
                fig.add_trace(go.Scatter(x=[res["estimate"]], y=[y], mode="markers+text",
                                         marker={"symbol": "diamond-wide", "size": 22, "color": MODEL_COLOURS[model],
                                                 "line": {"color": "#222222", "width": 1}},
                                         text=[f"{res['estimate']:.2f} ({res['ci_low']:.2f} to {res['ci_high']:.2f})"],
                                         textposition="top center", textfont={"size": 12},
                                         hovertext=[_pooled_text(model, res, None)],
                                         hoverinfo="text" if shown else "skip", opacity=shown,
                                         name=MODEL_SHORT[model], showlegend=False, visible=vis))
                owner.append(a)
                pooled_traces.append((len(fig.data) - 1, a, model, "diamond"))
            tickvals += [k + 0.5]
            ticktext += ["<b>Pooled estimate</b>"]
        null = 1.0 if entry["log_axis"] else 0.0
        bottom = tickvals[-1] + 0.8
        note = ("<b>Pooled.</b> " + item.why if item.pooled
                else "<b>Not pooled.</b> " + item.why + " " + UNPOOLED_CONTROLS_NOTE)
        layouts.append({
            "title.text": f"{title}: {item.label}",
            "title.y": 0.985,
            "title.yanchor": "top",
            "title.font.size": 15,
            "xaxis.title.text": item.axis_title,
            "xaxis.type": "log" if entry["log_axis"] else "linear",
            "xaxis.range": _x_range(entry),
            "xaxis.autorange": False,
            "yaxis.tickvals": tickvals,
            "yaxis.ticktext": ticktext,
            "yaxis.range": [bottom, -0.8],
            "shapes": [{"type": "line", "xref": "x", "yref": "paper", "x0": null, "x1": null, "y0": 0, "y1": 1,
                        "line": {"color": "#555555", "width": 1, "dash": "dash"}}],
            "annotations": [
                {"text": f"← {item.favours_left}", "xref": "paper", "yref": "paper", "x": 0.0, "y": FAVOURS_Y,
                 "xanchor": "left", "showarrow": False, "font": {"size": 12}},
                {"text": f"{item.favours_right} →", "xref": "paper", "yref": "paper", "x": 1.0, "y": FAVOURS_Y,
                 "xanchor": "right", "showarrow": False, "font": {"size": 12}},
                {"text": wrap_lines(note, NOTE_WRAP), "xref": "paper", "yref": "paper", "x": 0.0, "y": NOTE_Y,
                 "xanchor": "left", "yanchor": "top", "align": "left", "showarrow": False, "font": {"size": 12}},
            ],
        })

    n = len(fig.data)
    analysis_buttons = []
    for a, entry in enumerate(variants):
        visible = [owner[t] == a for t in range(n)]
        analysis_buttons.append({"label": entry["analysis"].label, "method": "update",
                                 "args": [{"visible": visible}, layouts[a]]})

    pooled_idx = [t for t, *_ in pooled_traces]
    model_buttons = []
    for model in MODEL_ORDER:
        opacity = [1.0 if m == model else 0.0 for _, _, m, _ in pooled_traces]
        hoverinfo = ["text" if (m == model and role == "diamond") else "skip" for _, _, m, role in pooled_traces]
        model_buttons.append({"label": MODELS[model], "method": "restyle",
                              "args": [{"opacity": opacity, "hoverinfo": hoverinfo}, pooled_idx]})

    steps = [_slider_step(j, variants, fig, pooled_traces, study_traces) for j in range(-1, max_k)]

    fig.update_layout(
        height=680,
        showlegend=False,
        hovermode="closest",
        margin={"l": 250, "r": 40, "t": 175, "b": 215},
        xaxis={"zeroline": False},
        title={"x": 0.0, "xanchor": "left"},
        yaxis={"autorange": False},
        updatemenus=[
            {"type": "dropdown", "buttons": analysis_buttons, "active": initial, "x": 0.0, "y": 1.40,
             "xanchor": "left", "yanchor": "top", "showactive": True, "font": {"size": 12}},
            {"type": "dropdown", "buttons": model_buttons, "active": MODEL_ORDER.index(DEFAULT_MODEL), "x": 0.0,
             "y": 1.27, "xanchor": "left", "yanchor": "top", "showactive": True, "font": {"size": 12}},
        ],
        sliders=[{"active": 0, "steps": steps, "x": 0.42, "y": 1.30, "len": 0.58, "xanchor": "left",
                  "yanchor": "top", "currentvalue": {"prefix": "Leave one out: ", "font": {"size": 12}},
                  "pad": {"t": 0, "b": 0}, "font": {"size": 11}}],
    )
    fig.update_layout(**_dotted(layouts[initial]))
    return fig


def _x_range(entry: dict[str, Any]) -> list[float]:
    """An x range that shows every CI and prediction interval of the analysis (any model, any left-out study), with
    5 % padding; in log10 units for ratio measures (plotly's convention for log axes)."""
    values = list(entry["studies"]["ci_low"]) + list(entry["studies"]["ci_high"])
    for results in entry["models"].values():
        for res in [results["all"], *results["leave_out"]]:
            values += [v for v in (res["ci_low"], res["ci_high"], res["pi_low"], res["pi_high"]) if v is not None]
    if entry["log_axis"]:
        values = [math.log10(v) for v in values] + [0.0]
    else:
        values += [0.0]
    low, high = min(values), max(values)
    pad = 0.05 * (high - low)
    return [low - pad, high + pad]


def _dotted(layout: dict[str, Any]) -> dict[str, Any]:
    """plotly's update_layout accepts 'a.b' keys only as magic underscores: translate them."""
    return {key.replace(".", "_"): value for key, value in layout.items()}



def _slider_step(j: int, variants: list[dict[str, Any]], fig: go.Figure,
                 pooled_traces: list[tuple[int, int, str, str]], study_traces: list[tuple[int, int]]) -> dict[str, Any]:
    """Slider step j (-1 = all studies): pooled traces get the leave-one-out results, study j is faded."""
    xs: list[list] = []
    texts: list[list] = []
    hovers: list[Any] = []
    opacity: list[list[float]] = []
    for _, a, model, role in pooled_traces:
        entry = variants[a]
        labels = entry["studies"]["labels"]
        use_loo = 0 <= j < len(labels)
        res = entry["models"][model]["leave_out"][j] if use_loo else entry["models"][model]["all"]
        if role == "ci":
            xs.append([res["ci_low"], res["ci_high"]])
        elif role == "pi":
            xs.append([res["pi_low"], res["pi_high"]] if res["pi_low"] is not None else [None, None])
        else:
            xs.append([res["estimate"]])
        texts.append([f"{res['estimate']:.2f} ({res['ci_low']:.2f} to {res['ci_high']:.2f})"] if role == "diamond"
                     else [])
        hovers.append([_pooled_text(model, res, labels[j] if use_loo else None)] if role == "diamond" else [])
        opacity.append([1.0])
    for t, a in study_traces:
        k = len(variants[a]["studies"]["labels"])
        xs.append(list(variants[a]["studies"]["estimate"]))
        texts.append([])
        hovers.append(list(fig.data[t].hovertext))
        # only a pooled analysis leaves a study out; an unpooled one keeps every marker as it is
        left_out = j if variants[a]["analysis"].pooled else -1
        opacity.append([FADED if i == left_out else 1.0 for i in range(k)])
    indices = [t for t, *_ in pooled_traces] + [t for t, _ in study_traces]
    return {"label": "All studies" if j < 0 else f"Without study {j + 1}", "method": "restyle",
            "args": [{"x": xs, "text": texts, "hovertext": hovers, "marker.opacity": opacity}, indices]}
