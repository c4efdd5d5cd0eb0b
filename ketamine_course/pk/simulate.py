"""The exact solution of the linear compartment model on a time grid, by matrix exponential and superposition.

State: amounts (mg) in central, peripheral 2, peripheral 3, *eliminated* (cumulative, so mass balance and the exact
AUC = eliminated / CL come for free), *not absorbed* ((1 − F)·dose), one absorption depot per distinct ka, and one
*input-rate* state u (mg/min) that feeds the central compartment: an infusion is a step of +R in u at its start and
−R at its end. Every dose is then an instantaneous change of the state vector, and because the system is linear and
time-invariant

    x(t) = Σ_events expm(A·(t − τ_e)) · Δx_e        for t ≥ τ_e,

which is exact for piecewise-constant inputs (no step-size error, unlike an Euler loop). On a uniform grid
t_n = n·dt the propagators expm(A·n·dt) = Φⁿ are computed once by repeated squaring; an event between grid points
needs one more small expm for its offset.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy.linalg import expm

from ketamine_course.pk.dosing import Dose
from ketamine_course.pk.errors import PKInputError, require_positive
from ketamine_course.pk.models import DEFAULT_MODEL, Disposition, disposition
from ketamine_course.pk.results import PKResult

CENTRAL, PERIPHERAL2, PERIPHERAL3, ELIMINATED, NOT_ABSORBED = 0, 1, 2, 3, 4
BASE_STATES = ("central", "peripheral_2", "peripheral_3", "eliminated", "not_absorbed")
FIRST_DEPOT = len(BASE_STATES)
MAX_POINTS = 200_001


def system_matrix(model: Disposition, kas: Sequence[float]) -> np.ndarray:
    """The augmented rate matrix: disposition, elimination sink, a sink for the part of extravascular doses that
    never reaches the circulation, depots (one per ka) and the input-rate state."""
    n = FIRST_DEPOT + len(kas) + 1
    a = np.zeros((n, n))
    a[:3, :3] = model.disposition_matrix()
    a[ELIMINATED, CENTRAL] = model.k10
    for i, ka in enumerate(kas):
        depot = FIRST_DEPOT + i
        a[depot, depot] = -ka
        a[CENTRAL, depot] = ka
    a[CENTRAL, n - 1] = 1.0  # u (mg/min) flows into the central compartment
    return a


@lru_cache(maxsize=32)
def _powers(matrix_key: bytes, n: int, dt: float, steps: int) -> np.ndarray:
    """Φ⁰…Φ^steps with Φ = expm(A·dt), by doubling (log2(steps) batched matrix products)."""
    a = np.frombuffer(matrix_key).reshape(n, n)
    out = np.empty((steps + 1, n, n))
    out[0] = np.eye(n)
    if steps:
        out[1] = expm(a * dt)
    filled = min(2, steps + 1)
    while filled < steps + 1:
        take = min(filled - 1, steps + 1 - filled)  # needs Φ¹…Φ^take already filled
        out[filled:filled + take] = out[filled - 1] @ out[1:take + 1]
        filled += take
    out.setflags(write=False)
    return out


def _events(doses: Sequence[Dose], model: Disposition, kas: list[float], n: int):
    """(time, Δstate) for every dose."""
    events: list[tuple[float, np.ndarray]] = []
    for dose in doses:
        if dose.route == "iv_bolus":
            delta = np.zeros(n)
            delta[CENTRAL] = dose.amount_mg
            events.append((dose.time_min, delta))
        elif dose.route == "iv_infusion":
            rate = dose.amount_mg / dose.duration_min
            on, off = np.zeros(n), np.zeros(n)
            on[n - 1], off[n - 1] = rate, -rate
            events += [(dose.time_min, on), (dose.time_min + dose.duration_min, off)]
        else:
            settings = dose.absorption
            assert settings is not None
            delta = np.zeros(n)
            delta[FIRST_DEPOT + kas.index(settings.ka(model))] = settings.bioavailability * dose.amount_mg
            delta[NOT_ABSORBED] = (1.0 - settings.bioavailability) * dose.amount_mg
            events.append((dose.time_min, delta))
    return events


def simulate(doses: Sequence[Dose], model: Disposition | str = DEFAULT_MODEL, weight_kg: float = 70.0,
             t_end_min: float = 24 * 60, dt_min: float = 1.0) -> PKResult:
    """Amounts and plasma concentration from 0 to ``t_end_min`` every ``dt_min`` minutes after ``doses``.

    ``model`` is a :class:`Disposition` or a model name (then scaled to ``weight_kg``).
    """
    if isinstance(model, str):
        model = disposition(model, weight_kg)
    if isinstance(doses, Dose):
        doses = [doses]
    if not doses:
        raise PKInputError("doses", "give at least one dose")
    for i, dose in enumerate(doses):
        if not isinstance(dose, Dose):
            raise PKInputError("doses", f"item {i} is {type(dose).__name__}, not a Dose")
    t_end = require_positive("t_end_min", t_end_min)
    dt = require_positive("dt_min", dt_min)
    steps = round(t_end / dt)
    if abs(steps * dt - t_end) > 1e-9 * max(1.0, t_end):
        raise PKInputError("dt_min", f"must divide t_end_min ({t_end:g}) into whole steps (got {dt:g})")
    if steps + 1 > MAX_POINTS:
        raise PKInputError("dt_min", f"gives {steps + 1} points; at most {MAX_POINTS} (use a larger step)")

    kas = sorted({d.absorption.ka(model) for d in doses if d.absorption is not None})
    a = system_matrix(model, kas)
    n = a.shape[0]
    powers = _powers(a.tobytes(), n, dt, steps)
    events = _events(doses, model, kas, n)

    x = np.zeros((steps + 1, n))
    for time, delta in events:
        first = int(np.ceil(time / dt - 1e-9))
        if first > steps:
            continue
        offset = first * dt - time
        state = expm(a * offset) @ delta if offset > 1e-12 else delta
        x[first:] += powers[: steps + 1 - first] @ state
    states = (*BASE_STATES, *(f"depot_ka_{ka:.4g}" for ka in kas), "input_rate")
    return PKResult(time_min=np.arange(steps + 1) * dt, amounts_mg=x, state_names=states, model=model,
                    dose_total_mg=float(sum(d.amount_mg for d in doses)))
