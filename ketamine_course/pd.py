"""Pharmacodynamics helpers for lesson 2: unit conversion and the simple receptor-occupancy model.

The model is the law of mass action for one drug binding one site at equilibrium::

    occupancy = C / (C + K)

with ``C`` the free drug concentration and ``K`` its equilibrium dissociation constant (Ki). It is a teaching model:
it treats total plasma concentration as the free concentration at the receptor (no protein binding, no brain/plasma
partition), an IC50 as if it were a Ki, and a racemate as one compound. The lesson states these limits next to the
chart. No plotting here, so the maths is testable on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Ketamine free base C13H16ClNO (NCATS Inxight Drugs, UNII 690G0D6V8H): the form plasma assays report.
KETAMINE_BASE_MOLAR_MASS_G_PER_MOL = 237.725
# Ketamine hydrochloride C13H16ClNO·HCl (NCATS Inxight Drugs, UNII O18YUO0I83): the salt in the vial.
KETAMINE_HCL_MOLAR_MASS_G_PER_MOL = 274.186

ArrayLike = float | Sequence[float] | np.ndarray


def _positive(name: str, value: float) -> float:
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive, finite number; got {value!r}")
    return value


def _non_negative_array(name: str, values: ArrayLike) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if np.any(~np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"{name} must be finite and >= 0; got {values!r}")
    return array


def ng_per_ml_to_uM(ng_per_ml: ArrayLike, molar_mass_g_per_mol: float = KETAMINE_BASE_MOLAR_MASS_G_PER_MOL):
    """Mass concentration (ng/mL = µg/L) to molar concentration (µmol/L): divide by the molar mass (g/mol)."""
    mass = _positive("molar_mass_g_per_mol", molar_mass_g_per_mol)
    result = _non_negative_array("ng_per_ml", ng_per_ml) / mass
    return float(result) if result.ndim == 0 else result


def uM_to_ng_per_ml(uM: ArrayLike, molar_mass_g_per_mol: float = KETAMINE_BASE_MOLAR_MASS_G_PER_MOL):
    """Molar concentration (µmol/L) to mass concentration (ng/mL): multiply by the molar mass (g/mol)."""
    mass = _positive("molar_mass_g_per_mol", molar_mass_g_per_mol)
    result = _non_negative_array("uM", uM) * mass
    return float(result) if result.ndim == 0 else result


def base_fraction_of_salt(
    base_g_per_mol: float = KETAMINE_BASE_MOLAR_MASS_G_PER_MOL,
    salt_g_per_mol: float = KETAMINE_HCL_MOLAR_MASS_G_PER_MOL,
) -> float:
    """Mass fraction of the free base in a salt (0.867 for ketamine hydrochloride)."""
    base, salt = _positive("base_g_per_mol", base_g_per_mol), _positive("salt_g_per_mol", salt_g_per_mol)
    if base > salt:
        raise ValueError(f"the base ({base} g/mol) cannot weigh more than its salt ({salt} g/mol)")
    return base / salt


def occupancy(concentration_uM: ArrayLike, k_uM: float):
    """Fraction of receptors occupied at equilibrium, C/(C+K), between 0 and 1 (scalar in, scalar out)."""
    k = _positive("k_uM", k_uM)
    c = _non_negative_array("concentration_uM", concentration_uM)
    result = c / (c + k)
    return float(result) if result.ndim == 0 else result


def concentration_for_occupancy(fraction: float, k_uM: float) -> float:
    """The concentration (µM) that occupies ``fraction`` of receptors: C = K·f/(1−f). At f = 0.5, C = K."""
    k = _positive("k_uM", k_uM)
    f = float(fraction)
    if not 0 <= f < 1:
        raise ValueError(f"fraction must be in [0, 1); got {fraction!r}")
    return k * f / (1 - f)


def log_concentration_grid(low_uM: float = 0.01, high_uM: float = 100.0, points_per_decade: int = 12) -> np.ndarray:
    """Concentrations evenly spaced on a log axis (for smooth curves with few points: figures stay small)."""
    low, high = _positive("low_uM", low_uM), _positive("high_uM", high_uM)
    if high <= low:
        raise ValueError(f"high_uM ({high}) must be above low_uM ({low})")
    if points_per_decade < 1:
        raise ValueError(f"points_per_decade must be >= 1; got {points_per_decade}")
    decades = np.log10(high) - np.log10(low)
    return np.logspace(np.log10(low), np.log10(high), round(float(decades * points_per_decade)) + 1)
