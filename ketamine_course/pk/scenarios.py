"""Precomputed scenarios for the client-side PK chart (plotly controls on nbviewer need every curve in advance).

Each scenario is a route and regimen; each is simulated for a few doses (mg/kg) and body weights, then sampled at a
few dozen time points chosen to keep the peaks (so the saved notebook stays small).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ketamine_course.pk.dosing import INTRANASAL_HIGH_F, RouteSettings, single_dose, weekly_regimen
from ketamine_course.pk.models import DEFAULT_MODEL, disposition
from ketamine_course.pk.simulate import simulate

DOSES_MG_PER_KG = (0.1, 0.25, 0.5, 1.0, 2.0)
WEIGHTS_KG = (50.0, 70.0, 100.0)
SINGLE_END_MIN = 360.0
SINGLE_TIMES_MIN = np.unique(np.concatenate([np.arange(0, 10, 1.0), np.arange(10, 60, 2.5),
                                             np.arange(60, SINGLE_END_MIN + 1, 10.0)]))


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    route: str
    duration_min: float = 0.0
    per_week: int = 0  # 0 = a single dose
    settings: RouteSettings | None = None


SCENARIOS = (
    Scenario("iv40", "IV infusion over 40 min, once", "iv_infusion", 40.0),
    Scenario("iv1", "IV injection over 1 min, once", "iv_infusion", 1.0),
    Scenario("im", "IM injection (F 93 %)", "im"),
    Scenario("in13", "Intranasal (F 13 %, 2022 study)", "intranasal"),
    Scenario("in45", "Intranasal (F 45 %, 3-volunteer study)", "intranasal", settings=INTRANASAL_HIGH_F),
    Scenario("oral", "Oral (F 20 %)", "oral"),
    Scenario("iv40x2", "IV infusion over 40 min, twice weekly for 2 weeks", "iv_infusion", 40.0, per_week=2),
    Scenario("iv40x3", "IV infusion over 40 min, 3 times weekly for 2 weeks", "iv_infusion", 40.0, per_week=3),
)


def _regimen_times(dose_times: list[float], end: float) -> np.ndarray:
    around = [t + np.array([0, 10, 20, 30, 40, 45, 50, 60, 90, 120, 180, 240]) for t in dose_times]
    return np.unique(np.concatenate([np.arange(0, end + 1, 120.0), *around]))


def scenario_curve(scenario: Scenario, dose_mg_per_kg: float, weight_kg: float,
                   model: str = DEFAULT_MODEL) -> tuple[np.ndarray, np.ndarray]:
    """(time in hours, concentration in ng/mL) at the scenario's display times."""
    body = disposition(model, weight_kg)
    if scenario.per_week:
        doses = weekly_regimen(dose_mg_per_kg, "mg/kg", weight_kg, per_week=scenario.per_week, weeks=2,
                               route=scenario.route, duration_min=scenario.duration_min or 40.0)
        end = 14 * 24 * 60.0
        times = _regimen_times([d.time_min for d in doses], end)
    else:
        doses = single_dose(dose_mg_per_kg, "mg/kg", weight_kg, scenario.route,
                            duration_min=scenario.duration_min or 40.0, settings=scenario.settings)
        end = SINGLE_END_MIN
        times = SINGLE_TIMES_MIN
    result = simulate(doses, body, t_end_min=end, dt_min=1.0 if not scenario.per_week else 5.0)
    step = result.time_min[1] - result.time_min[0]
    index = np.clip(np.round(times / step).astype(int), 0, len(result.time_min) - 1)
    return result.time_min[index] / 60.0, result.conc_ng_per_ml[index]


def precompute(model: str = DEFAULT_MODEL) -> dict[str, dict[tuple[float, float], tuple[np.ndarray, np.ndarray]]]:
    """Every scenario × dose × weight: {scenario key: {(dose, weight): (hours, ng/mL)}}."""
    return {s.key: {(d, w): scenario_curve(s, d, w, model) for d in DOSES_MG_PER_KG for w in WEIGHTS_KG}
            for s in SCENARIOS}


ANCHORS = (
    # (what, dose mg/kg, infusion min, time read (min), sourced value ng/mL, source)
    ("0.5 mg/kg over 40 min, peak", 0.5, 40.0, None, "185 (review table)"),
    ("2 mg/kg over 1 min, at 5 min", 2.0, 1.0, 5.0, "1800–2000 (Swiss label)"),
)


ANCHOR_COLUMNS = {"herd2007": "Herd 2007 model (ng/mL)", "domino_opentiva": "'Domino' set, opentiva (ng/mL)"}


def anchor_comparison(weight_kg: float = 70.0) -> list[dict[str, object]]:
    """Each model's prediction next to a sourced adult value: how well does the model match the patient data?"""
    rows = []
    for what, dose, infusion, at, sourced in ANCHORS:
        row: dict[str, object] = {"situation (70 kg)": what, "sourced value (ng/mL)": sourced}
        for model in ("herd2007", "domino_opentiva"):
            result = simulate(single_dose(dose, "mg/kg", weight_kg, "iv_infusion", infusion),
                              disposition(model, weight_kg), t_end_min=120, dt_min=1.0)
            value = result.cmax_ng_per_ml if at is None else float(result.conc_ng_per_ml[int(at)])
            row[ANCHOR_COLUMNS[model]] = round(value)
        rows.append(row)
    return rows



def infusion_duration_comparison(dose_mg_per_kg: float = 0.5, durations_min: tuple[float, ...] = (1.0, 10.0, 40.0),
                                 weight_kg: float = 70.0) -> list[dict[str, object]]:
    """The same IV dose given over different times: each model's peak, and that peak as a share of the peak after
    the shortest infusion. Shows how much of the gap between an anaesthetic injection and a 40-minute infusion comes
    from the infusion time rather than from the dose."""
    first_column = f"{dose_mg_per_kg:g} mg/kg IV given over"
    shortest: dict[str, float] = {}
    rows = []
    for duration in sorted(durations_min):
        row: dict[str, object] = {first_column: f"{duration:g} min"}
        for model in ("herd2007", "domino_opentiva"):
            result = simulate(single_dose(dose_mg_per_kg, "mg/kg", weight_kg, "iv_infusion", duration),
                              disposition(model, weight_kg), t_end_min=max(120.0, 2 * duration), dt_min=0.5)
            peak = result.cmax_ng_per_ml
            shortest.setdefault(model, peak)
            name = ANCHOR_COLUMNS[model].removesuffix(" (ng/mL)")
            row[f"{name}: peak (ng/mL)"] = round(peak)
            row[f"{name}: peak as % of the shortest"] = round(100 * peak / shortest[model])
        rows.append(row)
    return rows
