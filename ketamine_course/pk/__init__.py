"""Pharmacokinetics of ketamine: a linear mammillary compartment model solved exactly.

Pure numpy/scipy (no plotly, no pandas): :mod:`.models` holds the published parameter sets, :mod:`.dosing` turns
routes, doses and regimens into input events, :mod:`.simulate` solves the linear system with the matrix exponential
(``scipy.linalg.expm``) and superposition, and :mod:`.results` derives Cmax, Tmax, AUC and time above a threshold.
Bad input raises :class:`PKInputError`, whose message names the parameter.
"""

from ketamine_course.pk.dosing import (
    ROUTES,
    Dose,
    RouteSettings,
    dose_amount_mg,
    single_dose,
    weekly_regimen,
)
from ketamine_course.pk.errors import PKInputError
from ketamine_course.pk.models import (
    DEFAULT_MODEL,
    KETAMINE_MOLAR_MASS_G_PER_MOL,
    MODELS,
    Disposition,
    disposition,
)
from ketamine_course.pk.results import PKResult
from ketamine_course.pk.simulate import simulate

__all__ = [
    "DEFAULT_MODEL",
    "KETAMINE_MOLAR_MASS_G_PER_MOL",
    "MODELS",
    "ROUTES",
    "Disposition",
    "Dose",
    "PKInputError",
    "PKResult",
    "RouteSettings",
    "disposition",
    "dose_amount_mg",
    "simulate",
    "single_dose",
    "weekly_regimen",
]
