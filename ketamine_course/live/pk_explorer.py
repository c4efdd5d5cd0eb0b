"""The live PK simulator for JupyterLab: ipywidgets controls wired to the PK engine and the pure chart builder.

Created only when a reader calls :func:`pk_explorer` (its figure is shown in an ``Output`` widget as a plain plotly
figure, never a ``go.FigureWidget``, so a saved notebook stores little widget state). ``explorer.update()`` redraws;
tests and the benchmark call it after setting a control's value.
"""

from __future__ import annotations

import json

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from IPython.display import display

from ketamine_course.charts.pk_chart import pk_curve_figure, round_conc, round_values
from ketamine_course.datasets import load_dataset
from ketamine_course.live.static_twin import STATIC_TWIN_MARKER
from ketamine_course.pk.dosing import INTRANASAL_HIGH_F, single_dose, weekly_regimen
from ketamine_course.pk.models import MODEL_LABELS, disposition
from ketamine_course.pk.results import auc_to_infinity_ng_h_per_ml
from ketamine_course.pk.simulate import simulate

ROUTE_CHOICES = [
    ("IV infusion", ("iv_infusion", None)),
    ("IV bolus", ("iv_bolus", None)),
    ("IM (F 93 %)", ("im", None)),
    ("Intranasal (F 13 %)", ("intranasal", None)),
    ("Intranasal (F 45 %)", ("intranasal", INTRANASAL_HIGH_F)),
    ("Oral (F 20 %)", ("oral", None)),
]
REGIMEN_CHOICES = [("Once", 0), ("Twice weekly for 2 weeks", 2), ("Three times weekly for 2 weeks", 3)]
DISPLAY_STEP_MIN = {0: 2.0, 2: 60.0, 3: 60.0}
MINUTES_PER_DAY = 24 * 60
ANAESTHETIC_LOW_NG_PER_ML = 1200.0

ASSUMPTIONS_HTML = (
    "<p><b>What the simulator assumes.</b> A linear compartment model of an average person: the parameter set you "
    "choose, scaled to body weight (volumes in proportion to weight, clearances to weight<sup>0.75</sup>). The "
    "default Herd 2007 set was fitted in 54 children, so for adults it is an extrapolation. IM, nasal and oral doses "
    "use a fixed bioavailability F and an absorption rate set to reproduce a published time of peak. Shaded bands "
    "are plasma levels reported for effects in a review table. Real people differ from the model by tens of percent "
    "or more: this teaches pharmacokinetics and gives no dosing advice.</p>"
)


def peak_time_text(tmax_min: float, dose_times_min: list[float]) -> str:
    """When the highest peak comes: minutes after the dose that produced it (and which day, for a regimen)."""
    start = max(t for t in dose_times_min if t <= tmax_min + 1e-9)
    after = tmax_min - start
    if len(dose_times_min) == 1:
        return f"{after:g} min after the start of the dose"
    return f"{after:g} min after the start of the dose on day {int(start // MINUTES_PER_DAY) + 1}"


def display_indices(time_min: np.ndarray, dose_times: list[float], duration_min: float,
                    every_min: float) -> np.ndarray:
    """Grid indices to draw: a coarse grid plus every point from each dose to 3 h after it (keeps the peaks)."""
    keep = np.isclose(np.mod(time_min, every_min), 0.0)
    for start in dose_times:
        keep |= (time_min >= start) & (time_min <= start + duration_min + 180.0)
    return np.flatnonzero(keep)


class PKExplorer(widgets.VBox):
    """Controls (model, route, dose, weight, infusion duration, regimen) above a figure that follows them."""

    def __init__(self, ranges: pd.DataFrame | None = None) -> None:
        self.ranges = ranges if ranges is not None else load_dataset("concentration_ranges")
        style = {"description_width": "150px"}
        layout = widgets.Layout(width="460px")
        self.model = widgets.Dropdown(options=[(label, key) for key, label in MODEL_LABELS.items()],
                                      description="Model", style=style, layout=widgets.Layout(width="620px"))
        self.route = widgets.Dropdown(options=ROUTE_CHOICES, description="Route", style=style, layout=layout)
        self.dose = widgets.FloatSlider(value=0.5, min=0.05, max=3.0, step=0.05, description="Dose (mg/kg)",
                                        style=style, layout=layout)
        self.weight = widgets.IntSlider(value=70, min=40, max=150, step=5, description="Body weight (kg)",
                                        style=style, layout=layout)
        self.duration = widgets.IntSlider(value=40, min=1, max=120, step=1, description="Infusion (min)",
                                          style=style, layout=layout)
        self.regimen = widgets.Dropdown(options=REGIMEN_CHOICES, description="Regimen", style=style, layout=layout)
        self.summary = widgets.HTML()
        self.assumptions = widgets.HTML(ASSUMPTIONS_HTML)
        limits = load_dataset("pk_parameters").set_index(["model", "parameter"])["value"]
        self.herd_weight_kg = (float(limits[("herd2007_opentiva", "weight_lower")]),
                               float(limits[("herd2007_opentiva", "weight_upper")]))
        self.output = widgets.Output()
        # built once: a redraw only swaps the curve (building a plotly figure with its layout costs ~100 ms)
        self._figure = pk_curve_figure([("", [0.0], [0.0])], self.ranges, title="Your simulation")
        for control in (self.model, self.route, self.dose, self.weight, self.duration, self.regimen):
            control.observe(lambda _change: self.update(), names="value")
        super().__init__([self.model, self.route, self.dose, self.weight, self.duration, self.regimen, self.summary,
                          self.output, self.assumptions])
        self.update()

    def figure(self) -> go.Figure:
        """The figure for the current control values (the same object, updated in place)."""
        route, settings = self.route.value
        per_week = self.regimen.value
        self.duration.disabled = route != "iv_infusion"  # the infusion time means nothing for the other routes
        kwargs = {"route": route, "duration_min": float(self.duration.value), "settings": settings}
        if per_week:
            doses = weekly_regimen(self.dose.value, "mg/kg", self.weight.value, per_week=per_week, weeks=2, **kwargs)
            end = 14 * 24 * 60.0
        else:
            doses = single_dose(self.dose.value, "mg/kg", self.weight.value, **kwargs)
            end = 6 * 60.0
        step = 1.0 if not per_week else 5.0
        result = simulate(doses, disposition(self.model.value, self.weight.value), t_end_min=end, dt_min=step)
        index = display_indices(result.time_min, [d.time_min for d in doses], float(self.duration.value),
                                every_min=DISPLAY_STEP_MIN[per_week])
        hours, conc = result.time_min[index] / 60, result.conc_ng_per_ml[index]
        label = f"{self.route.label}, {self.dose.value:g} mg/kg, {self.weight.value} kg"
        fig = self._figure
        with fig.batch_update():
            trace = fig.data[0]
            trace.x, trace.y = round_values(hours), round_conc(conc)
            trace.name = label
            trace.hovertemplate = "%{x:.2f} h: %{y:.3g} ng/mL<extra>" + label + "</extra>"
        shown = "14 days" if per_week else "6 h"
        auc_all = auc_to_infinity_ng_h_per_ml(doses, result.model)
        lines = [
            f"Peak {result.cmax_ng_per_ml:.3g} ng/mL ({result.summary()['cmax_um']:.2f} µM), "
            f"{peak_time_text(result.tmax_min, [d.time_min for d in doses])}.",
            f"AUC over the {shown} shown: {result.auc_ng_h_per_ml:.3g} ng·h/mL; for all of the drug, to infinity "
            f"(F·D/CL): {auc_all:.3g} ng·h/mL.",
            f"Time above {ANAESTHETIC_LOW_NG_PER_ML:g} ng/mL (anaesthetic range): "
            f"{result.time_above_min(ANAESTHETIC_LOW_NG_PER_ML):.0f} min.",
        ]
        low, high = self.herd_weight_kg
        if self.model.value == "herd2007" and not low <= self.weight.value <= high:
            lines.append(f"Note: opentiva's implementation of the Herd 2007 model (fitted in children) is limited to "
                         f"{low:g}–{high:g} kg; at {self.weight.value} kg the model is extrapolated even further.")
        self.summary.value = "<br>".join(lines)
        return fig

    def update(self) -> None:
        """Redraw: the new figure replaces the old one in a single assignment (no flicker, no pile-up; works
        without a kernel too, which is how the tests drive it)."""
        fig = self.figure()
        # JupyterLab draws the plotly mimetype; no HTML twin (this view needs a kernel, so nbviewer gets a note)
        data = {"application/vnd.plotly.v1+json": json.loads(pio.to_json(fig, validate=False)),
                "text/plain": "PK simulator figure (shown in JupyterLab with a running kernel)"}
        self.output.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)


    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        """The widget view, plus a static note for readers without a kernel (the saved widget state is dropped by
        the regenerate pipeline, so nbviewer shows this note instead of dead controls)."""
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/html"] = (
            f'<div class="course-note" {STATIC_TWIN_MARKER}="pk-explorer" role="note"><p><strong>Live PK '
            "simulator.</strong> Its controls (model, route, dose, body weight, infusion time, regimen) need a "
            "running notebook: open this lesson in JupyterLab or on Binder and run the cell. Without a kernel, use the "
            "simulator chart above: its menus, slider and buttons work in this page.</p></div>"
        )
        data["text/plain"] = "Live PK simulator (needs a running notebook; the chart above works without one)."
        return data


def pk_explorer() -> PKExplorer:
    """Show the live simulator (JupyterLab with a running kernel)."""
    explorer = PKExplorer()
    display(explorer)
    return explorer
