"""Number needed to treat (NNT) from two proportions, with a confidence interval (lesson 5).

For a *good* outcome (response, remission, abstinence) the absolute difference is
``RD = p_drug - p_control`` and ``NNT = 1 / RD``: on average, how many people must receive the drug instead of the
control for one more of them to have the outcome. A negative RD means harm; its reciprocal is a number needed to harm.

Confidence interval, as in Altman (1998), BMJ 317:1309, doi:10.1136/bmj.317.7168.1309: compute a 95 % CI for the
risk difference, then invert and exchange its limits. When that CI includes 0, the NNT interval runs from an NNT to
benefit (NNTB) through infinity to an NNT to harm (NNTH) — it is not a finite range, and printing "NNT 4 (2 to 40)"
would hide that. The risk-difference CI here is the simple Wald interval
``RD ± z * sqrt(p1 (1 - p1) / n1 + p2 (1 - p2) / n2)``; Bender (2001), Control Clin Trials 22:102, shows it is too
narrow in many cases, so the explorer uses it to teach the idea, not to analyse a trial. Two of its failures are
handled so that no impossible number is shown: near 0 % or 100 % the Wald limits can pass ±1 (±100 percentage points),
which would give an NNT below 1 although the NNT scale runs from 1 through ∞ to −1 (Bender 2001), so
:func:`nnt_interval` cuts them at ±1; and when both rates are 0 % or 100 % the Wald interval has no width at all, so
:meth:`NNTInterval.describe` says it is not defined there instead of printing one.

Whole patients: an NNT of 2.7 means "about 3 people". Cochrane's open learning material rounds an NNT *up* to the
next whole number (:func:`whole_patients`), and an NNT always belongs to a time frame (the trial's outcome time).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats


class NNTInputError(ValueError):
    """Invalid proportion or sample size; the message names the argument."""


def _check_rate(value: float, name: str) -> float:
    if not isinstance(value, int | float) or math.isnan(value) or not 0 <= value <= 1:
        raise NNTInputError(f"{name} must be a proportion between 0 and 1, got {value!r}")
    return float(value)


def _check_n(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise NNTInputError(f"{name} must be a whole number of participants >= 1, got {value!r}")
    return value


def risk_difference(p_drug: float, p_control: float) -> float:
    """p_drug - p_control (a proportion; positive = more people with the good outcome on the drug)."""
    return _check_rate(p_drug, "p_drug") - _check_rate(p_control, "p_control")


def nnt(p_drug: float, p_control: float) -> float:
    """1 / risk difference: positive = NNT to benefit, negative = NNT to harm, ``inf`` when the rates are equal."""
    rd = risk_difference(p_drug, p_control)
    return math.inf if rd == 0 else 1 / rd


def whole_patients(nnt_value: float) -> int | float:
    """An NNT (benefit or harm) rounded up to whole patients: 2.67 -> 3, -4.2 -> 5 (an NNTH of 5); ``inf`` stays."""
    if not isinstance(nnt_value, int | float) or math.isnan(nnt_value) or nnt_value == 0:
        raise NNTInputError(f"an NNT is a non-zero number (or infinite), got {nnt_value!r}")
    if math.isinf(nnt_value):
        return math.inf
    return math.ceil(abs(nnt_value) - 1e-9)


def risk_difference_ci(p_drug: float, n_drug: int, p_control: float, n_control: int,
                       level: float = 0.95) -> tuple[float, float]:
    """Wald confidence interval for the risk difference (see the module docstring for its limits)."""
    p1, p2 = _check_rate(p_drug, "p_drug"), _check_rate(p_control, "p_control")
    n1, n2 = _check_n(n_drug, "n_drug"), _check_n(n_control, "n_control")
    if not 0 < level < 1:
        raise NNTInputError(f"level must be between 0 and 1, got {level!r}")
    z = stats.norm.ppf(0.5 + level / 2)
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    rd = p1 - p2
    return rd - z * se, rd + z * se


@dataclass(frozen=True)
class NNTInterval:
    """An NNT with its confidence interval stated as Altman (1998) does."""

    rd: float
    rd_low: float
    rd_high: float

    @property
    def nnt(self) -> float:
        return math.inf if self.rd == 0 else 1 / self.rd

    @property
    def significant(self) -> bool:
        """True when the risk-difference CI excludes 0 (the NNT interval is then a finite range)."""
        return self.rd_low > 0 or self.rd_high < 0

    def describe(self) -> str:
        """Readable NNT and CI, e.g. 'NNTB 4.0 (95% CI NNTB 2.3 to 15.6)' or '... NNTB 3.1 to ∞ to NNTH 12.5'."""
        if self.rd == 0:
            head = "no difference (NNT infinite)"
        elif self.rd > 0:
            head = f"NNTB {1 / self.rd:.1f}"
        else:
            head = f"NNTH {-1 / self.rd:.1f}"
        lo, hi = self.rd_low, self.rd_high
        if lo == hi:
            return f"{head} (95% CI not defined: the simple interval has no width when rates are 0% or 100%)"
        if lo > 0:
            ci = f"NNTB {1 / hi:.1f} to {1 / lo:.1f}"
        elif hi < 0:
            ci = f"NNTH {1 / -lo:.1f} to {1 / -hi:.1f}"
        else:
            left = f"NNTB {1 / hi:.1f}" if hi > 0 else "NNTB ∞"
            right = f"NNTH {1 / -lo:.1f}" if lo < 0 else "NNTH ∞"
            ci = f"{left} to ∞ to {right}"
        return f"{head} (95% CI {ci})"


def nnt_interval(p_drug: float, n_drug: int, p_control: float, n_control: int, level: float = 0.95) -> NNTInterval:
    """NNT and its CI from two proportions and arm sizes; the risk-difference limits are cut at ±1 (see the module
    docstring), so no NNT limit is below 1."""
    lo, hi = risk_difference_ci(p_drug, n_drug, p_control, n_control, level)
    return NNTInterval(risk_difference(p_drug, p_control), max(lo, -1.0), min(hi, 1.0))
