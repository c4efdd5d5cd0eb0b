"""Published disposition models for ketamine (racemic, IV data), as plain numbers.

The values are copied from ``data/pk_parameters.csv``, where each row names its source and where in it the value
is stated; ``tests/test_pk_models.py`` checks that the two agree. Two sets:

- ``herd2007`` (default): two compartments; V1 38.7 L, V2 102 L, CL 90 L/h and Q 215 L/h per 70 kg, every value
  read in the paper's PubMed abstract (Herd & Anderson 2007, children 8.3 ± 3.5 y, standardised to 70 kg with
  allometric models). The abstract does not print the exponents; the weight scaling used here (volumes × W/70,
  clearances × (W/70)^0.75) is the one opentiva implements.
- ``domino_opentiva``: three compartments as implemented in the open-source TCI library opentiva (class ``Domino``,
  citing PMID 7198883). Checked against that code (and an independent copy, fus_anes) only, not against the paper.

Units inside the package: time in minutes, amounts in mg, volumes in L, so mg/L = µg/mL = 1000 ng/mL.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ketamine_course.pk.errors import PKInputError, require_positive

# Ketamine free base, C13H16ClNO: 237.725 g/mol (NCATS Inxight Drugs, UNII 690G0D6V8H). Doses and concentrations
# are of ketamine base, so ng/mL ÷ 237.725 = µM.
KETAMINE_MOLAR_MASS_G_PER_MOL = 237.725


@dataclass(frozen=True)
class Disposition:
    """A mammillary model for one person: central volume and first-order rate constants (1/min).

    Compartment 1 is central (plasma), 2 and 3 peripheral; a two-compartment model has ``k13 = k31 = 0``.
    """

    name: str
    weight_kg: float
    v1_l: float
    k10: float
    k12: float
    k21: float
    k13: float = 0.0
    k31: float = 0.0

    @property
    def cl_l_per_min(self) -> float:
        """Elimination clearance CL = V1·k10."""
        return self.v1_l * self.k10

    @property
    def v2_l(self) -> float:
        return self.v1_l * self.k12 / self.k21

    @property
    def v3_l(self) -> float:
        return self.v1_l * self.k13 / self.k31 if self.k31 else 0.0

    @property
    def vss_l(self) -> float:
        """Volume of distribution at steady state, V1 + V2 + V3."""
        return self.v1_l + self.v2_l + self.v3_l

    def disposition_matrix(self) -> np.ndarray:
        """The 3×3 rate matrix A of d(amounts)/dt = A·amounts for central, peripheral 2, peripheral 3."""
        return np.array(
            [
                [-(self.k10 + self.k12 + self.k13), self.k21, self.k31],
                [self.k12, -self.k21, 0.0],
                [self.k13, 0.0, -self.k31],
            ]
        )

    def half_lives_min(self) -> list[float]:
        """Disposition half-lives (ln 2 / eigenvalue), shortest first."""
        eig = -np.linalg.eigvals(self.disposition_matrix()).real
        return sorted(float(np.log(2) / e) for e in eig if e > 1e-12)


# Herd & Anderson 2007, abstract: per 70 kg.
HERD2007 = {"V1_L": 38.7, "V2_L": 102.0, "CL_L_per_h": 90.0, "Q_L_per_h": 215.0}
# opentiva ketamine.py, class Domino: V1 in L/kg, rate constants in 1/min.
DOMINO_OPENTIVA = {"V1_L_per_kg": 0.063, "k10": 0.4381, "k12": 0.5921, "k13": 0.5900, "k21": 0.2470, "k31": 0.0146}
ALLOMETRIC_CLEARANCE_EXPONENT = 0.75  # opentiva's Herd implementation


def herd2007(weight_kg: float) -> Disposition:
    w = require_positive("weight_kg", weight_kg)
    scale_v, scale_cl = w / 70.0, (w / 70.0) ** ALLOMETRIC_CLEARANCE_EXPONENT
    v1, v2 = HERD2007["V1_L"] * scale_v, HERD2007["V2_L"] * scale_v
    cl, q = HERD2007["CL_L_per_h"] / 60.0 * scale_cl, HERD2007["Q_L_per_h"] / 60.0 * scale_cl
    return Disposition("herd2007", w, v1, k10=cl / v1, k12=q / v1, k21=q / v2)


def domino_opentiva(weight_kg: float) -> Disposition:
    w = require_positive("weight_kg", weight_kg)
    p = DOMINO_OPENTIVA
    return Disposition("domino_opentiva", w, p["V1_L_per_kg"] * w, k10=p["k10"], k12=p["k12"], k21=p["k21"],
                       k13=p["k13"], k31=p["k31"])


MODELS = {"herd2007": herd2007, "domino_opentiva": domino_opentiva}
MODEL_LABELS = {
    "herd2007": "Herd & Anderson 2007 (2 compartments; values from the paper's abstract)",
    "domino_opentiva": "'Domino' set as implemented in opentiva (3 compartments; values from software, not the paper)",
}
DEFAULT_MODEL = "herd2007"
WEIGHT_RANGE_KG = (5.0, 250.0)


def disposition(model: str = DEFAULT_MODEL, weight_kg: float = 70.0) -> Disposition:
    """The named model scaled to ``weight_kg``; unknown names and implausible weights raise PKInputError."""
    if model not in MODELS:
        raise PKInputError("model", f"unknown model {model!r}; choose one of {', '.join(sorted(MODELS))}")
    w = require_positive("weight_kg", weight_kg)
    low, high = WEIGHT_RANGE_KG
    if not low <= w <= high:
        raise PKInputError("weight_kg", f"must be between {low:g} and {high:g} kg (got {weight_kg!r})")
    return MODELS[model](w)
