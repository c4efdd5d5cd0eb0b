"""The live PK simulator for JupyterLab: ipywidgets controls wired to the PK engine and the pure chart builder.

Created only when a reader calls :func:`pk_explorer` (its figure is shown in an ``Output`` widget as a plain plotly
figure, never a ``go.FigureWidget``, so a saved notebook stores little widget state). ``explorer.update()`` redraws;
tests and the benchmark call it after setting a control's value.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from ketamine_course.charts.pk_chart import pk_curve_figure
from ketamine_course.datasets import load_dataset
from ketamine_course.pk.dosing import INTRANASAL_HIGH_F, single_dose, weekly_regimen
from ketamine_course.pk.models import MODEL_LABELS, disposition
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
DISPLAY_STEP_MIN = {0: 2.0, 2: 30.0, 3: 30.0}


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
        self.output = widgets.Output()
        for control in (self.model, self.route, self.dose, self.weight, self.duration, self.regimen):
            control.observe(lambda _change: self.update(), names="value")
        super().__init__([self.model, self.route, self.dose, self.weight, self.duration, self.regimen, self.summary,
                          self.output])
        self.update()

    def figure(self):
        route, settings = self.route.value
        per_week = self.regimen.value
        kwargs = {"route": route, "duration_min": float(self.duration.value), "settings": settings}
        if per_week:
            doses = weekly_regimen(self.dose.value, "mg/kg", self.weight.value, per_week=per_week, weeks=2, **kwargs)
            end = 14 * 24 * 60.0
        else:
            doses = single_dose(self.dose.value, "mg/kg", self.weight.value, **kwargs)
            end = 6 * 60.0
        result = simulate(doses, disposition(self.model.value, self.weight.value), t_end_min=end, dt_min=1.0)
        step = int(DISPLAY_STEP_MIN[per_week])
        hours, conc = result.time_min[::step] / 60, result.conc_ng_per_ml[::step]
        label = f"{self.route.label}, {self.dose.value:g} mg/kg, {self.weight.value} kg"
        fig = pk_curve_figure([(label, hours, conc)], self.ranges, title="Your simulation")
        self.summary.value = (f"Peak {result.cmax_ng_per_ml:.3g} ng/mL ({result.summary()['cmax_um']:.2f} µM) at "
                              f"{result.tmax_min:g} min; AUC {result.auc_ng_h_per_ml:.3g} ng·h/mL; time above "
                              f"1200 ng/mL (anaesthetic range): {result.time_above_min(1200):.0f} min.")
        return fig

    def update(self) -> None:
        fig = self.figure()
        with self.output:
            self.output.clear_output(wait=True)
            display(fig)


def pk_explorer() -> PKExplorer:
    """Show the live simulator (JupyterLab with a running kernel)."""
    explorer = PKExplorer()
    display(explorer)
    return explorer
