"""What a simulation returns, and the summary measures read from it: Cmax, Tmax, AUC, time above a threshold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ketamine_course.pk.dosing import Dose
from ketamine_course.pk.errors import require_positive
from ketamine_course.pk.models import KETAMINE_MOLAR_MASS_G_PER_MOL, Disposition

NG_PER_ML_PER_MG_PER_L = 1000.0


@dataclass(frozen=True, eq=False)
class PKResult:
    """Amounts (mg) per state on a uniform time grid (min). ``amounts_mg[:, i]`` is state ``state_names[i]``."""

    time_min: np.ndarray
    amounts_mg: np.ndarray
    state_names: tuple[str, ...]
    model: Disposition
    dose_total_mg: float

    def amount(self, state: str) -> np.ndarray:
        return self.amounts_mg[:, self.state_names.index(state)]

    @property
    def conc_ng_per_ml(self) -> np.ndarray:
        """Plasma (central) concentration, ng/mL."""
        return self.amount("central") / self.model.v1_l * NG_PER_ML_PER_MG_PER_L

    @property
    def conc_um(self) -> np.ndarray:
        """Plasma concentration in µM (ketamine base, 237.725 g/mol)."""
        return self.conc_ng_per_ml / KETAMINE_MOLAR_MASS_G_PER_MOL

    @property
    def cmax_ng_per_ml(self) -> float:
        return float(self.conc_ng_per_ml.max())

    @property
    def tmax_min(self) -> float:
        """Time of the highest grid value (resolution = the grid step)."""
        return float(self.time_min[int(np.argmax(self.conc_ng_per_ml))])

    @property
    def auc_ng_h_per_ml(self) -> float:
        """Exact AUC of plasma concentration from 0 to the end of the grid: eliminated amount / CL."""
        mg_min_per_l = self.amount("eliminated")[-1] / self.model.cl_l_per_min
        return float(mg_min_per_l * NG_PER_ML_PER_MG_PER_L / 60.0)

    def mass_balance_mg(self) -> np.ndarray:
        """Drug in the body + eliminated + never absorbed, at every time: equals the doses given so far."""
        return self.amounts_mg[:, : self.state_names.index("input_rate")].sum(axis=1)

    def time_above_min(self, threshold_ng_per_ml: float) -> float:
        """Minutes with concentration above the threshold (linear interpolation of the crossings)."""
        level = require_positive("threshold_ng_per_ml", threshold_ng_per_ml)
        c, t = self.conc_ng_per_ml - level, self.time_min
        total = 0.0
        for i in range(len(t) - 1):
            a, b = c[i], c[i + 1]
            dt = t[i + 1] - t[i]
            if a > 0 and b > 0:
                total += dt
            elif a > 0 or b > 0:
                total += dt * max(a, b) / (abs(a) + abs(b))
        return float(total)

    def summary(self) -> dict[str, float]:
        return {"cmax_ng_per_ml": self.cmax_ng_per_ml, "cmax_um": self.cmax_ng_per_ml / KETAMINE_MOLAR_MASS_G_PER_MOL,
                "tmax_min": self.tmax_min, "auc_ng_h_per_ml": self.auc_ng_h_per_ml}


def auc_to_infinity_ng_h_per_ml(doses: Sequence[Dose], model: Disposition) -> float:
    """AUC from zero to infinity of all ``doses`` in a linear model: the bioavailable amount over clearance, F·D/CL
    (what :attr:`PKResult.auc_ng_h_per_ml` approaches as the grid grows long)."""
    absorbed_mg = sum(d.amount_mg * (d.absorption.bioavailability if d.absorption else 1.0) for d in doses)
    return float(absorbed_mg / model.cl_l_per_min * NG_PER_ML_PER_MG_PER_L / 60.0)
