"""Routes, doses and regimens, turned into the input events the solver superposes.

Routes: ``iv_bolus`` (the whole dose into plasma at once), ``iv_infusion`` (constant rate over ``duration_min``),
and three extravascular routes with first-order absorption, ``im``, ``intranasal`` and ``oral``: a fraction F of the
dose (bioavailability) enters an absorption depot that empties into plasma with rate constant ka; the rest never
reaches the circulation (first-pass metabolism, drug swallowed or lost).

Default F and Tmax per route come from ``data/route_bioavailability.csv`` (sources named there); ka is derived so
that the model's Tmax after one dose equals the sourced Tmax (:func:`ka_for_tmax`), because none of the checked
sources reports ka for racemic ketamine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy.linalg import expm
from scipy.optimize import brentq

from ketamine_course.pk.errors import PKInputError, require_positive
from ketamine_course.pk.models import Disposition

ROUTES = ("iv_bolus", "iv_infusion", "im", "intranasal", "oral")
EXTRAVASCULAR = ("im", "intranasal", "oral")
DOSE_UNITS = ("mg/kg", "mg")


@dataclass(frozen=True)
class RouteSettings:
    """Absorption of an extravascular dose: bioavailability F (0–1] and either ka (1/min) or a Tmax to match."""

    bioavailability: float
    tmax_min: float | None = None
    ka_per_min: float | None = None
    label: str = ""

    def __post_init__(self) -> None:
        f = require_positive("bioavailability", self.bioavailability)
        if f > 1:
            raise PKInputError("bioavailability", f"is a fraction and must be ≤ 1 (got {self.bioavailability!r})")
        if self.ka_per_min is None and self.tmax_min is None:
            raise PKInputError("ka_per_min", "give ka_per_min or tmax_min for an extravascular route")
        if self.ka_per_min is not None:
            require_positive("ka_per_min", self.ka_per_min)
        if self.tmax_min is not None:
            require_positive("tmax_min", self.tmax_min)

    def ka(self, model: Disposition) -> float:
        if self.ka_per_min is not None:
            return float(self.ka_per_min)
        return ka_for_tmax(model, float(self.tmax_min))  # type: ignore[arg-type]


# Defaults (see data/route_bioavailability.csv). IM: F 93 %, peak about 15 min (Swiss Ketalar label). Intranasal:
# the sources disagree (about 45 % in 3 volunteers, Yanagihara 2003, vs 11-17 % at 10-50 mg in the 2022
# Pharmacotherapy study, whose Tmax was 14-23 min); the default takes the larger, more recent study (13 % at 30 mg,
# Tmax 14 min). Oral: F about 20 % (Yanagihara 2003, tablets); no checked source gives an oral Tmax, and Yanagihara
# reports the tablet profile "almost similar" to the sublingual one, so the sublingual wafer's median Tmax, 45 min
# (Rolan 2014), stands in - an assumption the lesson states.
DEFAULT_ROUTE_SETTINGS: dict[str, RouteSettings] = {
    "im": RouteSettings(0.93, tmax_min=15.0, label="IM (F 93 %)"),
    "intranasal": RouteSettings(0.13, tmax_min=14.0, label="intranasal (F 13 %)"),
    "oral": RouteSettings(0.20, tmax_min=45.0, label="oral (F 20 %)"),
}
INTRANASAL_HIGH_F = RouteSettings(0.45, tmax_min=14.0, label="intranasal (F 45 %)")


@dataclass(frozen=True)
class Dose:
    """One administration: ``amount_mg`` of ketamine (base) at ``time_min`` by ``route``."""

    time_min: float
    amount_mg: float
    route: str
    duration_min: float = 0.0
    settings: RouteSettings | None = field(default=None)

    def __post_init__(self) -> None:
        if self.route not in ROUTES:
            raise PKInputError("route", f"unknown route {self.route!r}; choose one of {', '.join(ROUTES)}")
        require_positive("time_min", self.time_min, allow_zero=True)
        require_positive("dose", self.amount_mg)
        if self.route == "iv_infusion":
            require_positive("duration_min", self.duration_min)
        elif self.duration_min:
            raise PKInputError("duration_min", f"applies only to iv_infusion, not to route {self.route!r}")
        if self.settings is not None and self.route not in EXTRAVASCULAR:
            raise PKInputError("settings", f"absorption settings apply only to {', '.join(EXTRAVASCULAR)}")

    @property
    def absorption(self) -> RouteSettings | None:
        if self.route not in EXTRAVASCULAR:
            return None
        return self.settings or DEFAULT_ROUTE_SETTINGS[self.route]


def dose_amount_mg(dose: float, dose_unit: str, weight_kg: float) -> float:
    """A dose in mg from ``dose`` given in ``mg/kg`` (times body weight) or ``mg``."""
    if dose_unit not in DOSE_UNITS:
        raise PKInputError("dose_unit", f"unknown unit {dose_unit!r}; choose one of {', '.join(DOSE_UNITS)}")
    value = require_positive("dose", dose)
    weight = require_positive("weight_kg", weight_kg)
    return value * weight if dose_unit == "mg/kg" else value


def single_dose(dose: float, dose_unit: str = "mg/kg", weight_kg: float = 70.0, route: str = "iv_infusion",
                duration_min: float = 40.0, settings: RouteSettings | None = None) -> list[Dose]:
    """One dose at time 0 (``duration_min`` is used only for ``iv_infusion``)."""
    amount = dose_amount_mg(dose, dose_unit, weight_kg)
    return [Dose(0.0, amount, route, duration_min if route == "iv_infusion" else 0.0, settings)]


WEEKLY_DAYS = {1: (0,), 2: (0, 3), 3: (0, 2, 4)}  # once: Monday; twice: Mon + Thu; three times: Mon, Wed, Fri


def weekly_regimen(dose: float, dose_unit: str = "mg/kg", weight_kg: float = 70.0, per_week: int = 2,
                   weeks: int = 2, route: str = "iv_infusion", duration_min: float = 40.0,
                   settings: RouteSettings | None = None) -> list[Dose]:
    """Repeated doses ``per_week`` times a week (1, 2 or 3) for ``weeks`` weeks, e.g. 0.5 mg/kg over 40 min twice
    weekly for 2 weeks."""
    if per_week not in WEEKLY_DAYS:
        raise PKInputError("per_week", f"must be 1, 2 or 3 doses a week (got {per_week!r})")
    if not isinstance(weeks, int) or not 1 <= weeks <= 8:
        raise PKInputError("weeks", f"must be a whole number of weeks from 1 to 8 (got {weeks!r})")
    amount = dose_amount_mg(dose, dose_unit, weight_kg)
    infusion = duration_min if route == "iv_infusion" else 0.0
    return [Dose(float((7 * week + day) * 24 * 60), amount, route, infusion, settings)
            for week in range(weeks) for day in WEEKLY_DAYS[per_week]]


@lru_cache(maxsize=256)
def _ka_for_tmax(matrix_key: tuple[float, ...], tmax_min: float) -> float:
    a = np.array(matrix_key).reshape(3, 3)

    def slope(ka: float) -> float:
        # d(central)/dt at tmax after a unit dose into the depot: > 0 means the peak is still to come (ka too small)
        big = np.zeros((4, 4))
        big[:3, :3] = a
        big[0, 3] = ka
        big[3, 3] = -ka
        x = expm(big * tmax_min) @ np.array([0.0, 0.0, 0.0, 1.0])
        return float(a[0] @ x[:3] + ka * x[3])

    low, high = 1e-5, 50.0
    if slope(high) > 0:
        raise PKInputError("tmax_min", f"{tmax_min:g} min is shorter than this model can produce")
    if slope(low) < 0:
        raise PKInputError("tmax_min", f"{tmax_min:g} min is longer than this model can produce")
    # the fast root (ka > the smallest disposition rate) is the physically meant one: search from above
    return float(brentq(slope, _fast_bracket(slope, low, high), high, xtol=1e-12))


def _fast_bracket(slope, low: float, high: float) -> float:
    """The largest ka below ``high`` on a log grid where the slope is still > 0 (bracket for the fast root)."""
    for ka in np.geomspace(high, low, 200):
        if slope(ka) > 0:
            return float(ka)
    return low


def ka_for_tmax(model: Disposition, tmax_min: float) -> float:
    """The absorption rate constant (1/min) that puts the single-dose peak at ``tmax_min`` in ``model``."""
    tmax = require_positive("tmax_min", tmax_min)
    key = tuple(round(float(v), 12) for v in model.disposition_matrix().ravel())
    return _ka_for_tmax(key, tmax)
