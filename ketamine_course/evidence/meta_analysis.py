"""A small, checked meta-analysis engine on top of ``statsmodels.stats.meta_analysis``.

What it adds to statsmodels, and why:

* **Input checks with clear errors.** statsmodels silently returns NaN (with only a warning) for a zero cell, raises a
  bare ``TypeError`` for plain lists, and accepts negative SDs or more events than participants. Here every study is
  checked first and an error names the study and the field.
* **A stated continuity correction.** For binary outcomes, ``correction`` (default 0.5) is added to all four cells of
  *only* the studies that have a zero cell; those studies are listed in :attr:`EffectSizes.corrected`. Studies with
  no events in both arms (or events in every participant of both arms) carry no information about a ratio and are
  excluded and listed in :attr:`EffectSizes.excluded`, with the reason.
* **Variances, not SEs.** statsmodels' effect-size functions return variances; so does :class:`EffectSizes`.
* **tau² truncated at 0** for DerSimonian-Laird (statsmodels 0.15 lets it go negative when Q < k - 1).
* **Prediction interval** (statsmodels has none), computed as in Higgins, Thompson & Spiegelhalter (2009), J R Stat
  Soc A 172:137-159, doi:10.1111/j.1467-985X.2008.00552.x:

      mu_hat ± t_{1-alpha/2, k-2} * sqrt(tau2_hat + SE(mu_hat)^2)

  with a t distribution on k-2 degrees of freedom; it needs k >= 3 studies (``None`` otherwise).
* **Leave-one-out** re-pooling with the same model.
* **A single study keeps its printed CI.** For effects given with a CI, the variance used for pooling is
  ((upper - lower) / 3.92)², which treats the CI as symmetric about the estimate. Printed CIs are often slightly
  off-centre (the estimate and the limits are rounded separately; some estimators, such as a median-unbiased estimate,
  give asymmetric intervals), so a "pooled" result of one study (leave-one-out with two studies) reports the study's
  own printed 95 % CI rather than a recomputed symmetric one: it then matches the study's row in the forest plot.
* **No prediction interval for a fixed-effect model**: that model assumes a single true effect (tau² = 0), so there
  is no between-study distribution to predict from; ``pi_low``/``pi_high`` are ``None`` for it whatever k is.

Effects are pooled on the analysis scale: log risk ratio / log odds ratio for ratios (back-transform with ``exp``),
Hedges' g for standardised mean differences, or the reported scale (mean difference, risk difference) for effects
given with a confidence interval. Models: ``"fixed"`` (inverse variance), ``"dl"`` (DerSimonian-Laird method of
moments) and ``"pm"`` (Paule-Mandel, statsmodels' ``method_re="iterated"``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects, effectsize_2proportions, effectsize_smd

Model = Literal["fixed", "dl", "pm"]
MODELS: dict[str, str] = {"fixed": "Fixed effect (inverse variance)", "dl": "Random effects (DerSimonian-Laird)",
                          "pm": "Random effects (Paule-Mandel)"}
RATIO_MEASURES = ("log_rr", "log_or")
MEASURE_LABELS = {
    "log_rr": "risk ratio",
    "log_or": "odds ratio",
    "smd": "standardised mean difference (Hedges' g)",
    "md": "mean difference",
    "rd": "risk difference",
}


class MetaAnalysisInputError(ValueError):
    """Invalid study data; the message names the study and the field."""


@dataclass(frozen=True)
class EffectSizes:
    """Per-study effects on the analysis scale with their variances (not standard errors)."""

    labels: tuple[str, ...]
    effects: np.ndarray
    variances: np.ndarray
    measure: str
    excluded: tuple[tuple[str, str], ...] = ()  # (study, reason)
    corrected: tuple[str, ...] = ()  # studies that received the continuity correction
    correction: float = 0.0
    # the CI as printed by each study (analysis scale), when effects came from a reported CI, and its level
    reported_low: np.ndarray | None = None
    reported_high: np.ndarray | None = None
    reported_level: float | None = None

    def __post_init__(self) -> None:
        if not (len(self.labels) == len(self.effects) == len(self.variances)):
            raise MetaAnalysisInputError("labels, effects and variances must have the same length")
        if (self.reported_low is None) != (self.reported_high is None):
            raise MetaAnalysisInputError("reported_low and reported_high must be given together")
        if self.reported_low is not None and not (len(self.reported_low) == len(self.reported_high) == self.k):
            raise MetaAnalysisInputError("reported CIs must have one value per study")

    @property
    def k(self) -> int:
        return len(self.labels)

    @property
    def is_ratio(self) -> bool:
        return self.measure in RATIO_MEASURES

    def ci(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Each study's CI on the analysis scale: as printed when the effects came from printed CIs of this level,
        otherwise estimate ± z × SE."""
        if self.reported_low is not None and self.reported_level is not None and np.isclose(level, self.reported_level):
            return np.asarray(self.reported_low, dtype=float), np.asarray(self.reported_high, dtype=float)
        z = stats.norm.ppf(0.5 + level / 2)
        se = np.sqrt(self.variances)
        return self.effects - z * se, self.effects + z * se

    def without(self, index: int) -> EffectSizes:
        keep = [i for i in range(self.k) if i != index]
        low = None if self.reported_low is None else self.reported_low[keep]
        high = None if self.reported_high is None else self.reported_high[keep]
        return EffectSizes(tuple(self.labels[i] for i in keep), self.effects[keep], self.variances[keep],
                           self.measure, self.excluded, self.corrected, self.correction, low, high,
                           self.reported_level)


@dataclass(frozen=True)
class PooledResult:
    """One pooled estimate on the analysis scale (use :meth:`display` for ratios on their natural scale)."""

    model: str
    measure: str
    k: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    q: float
    df: int
    p_heterogeneity: float
    i2: float  # fraction 0..1
    tau2: float
    weights_pct: tuple[float, ...]
    pi_low: float | None = None
    pi_high: float | None = None
    labels: tuple[str, ...] = field(default=())

    def display(self, value: float | None) -> float | None:
        """A value on the scale readers see: exp() for ratio measures."""
        if value is None:
            return None
        return float(np.exp(value)) if self.measure in RATIO_MEASURES else float(value)

    @property
    def summary(self) -> dict[str, float | None]:
        return {"estimate": self.display(self.estimate), "ci_low": self.display(self.ci_low),
                "ci_high": self.display(self.ci_high), "pi_low": self.display(self.pi_low),
                "pi_high": self.display(self.pi_high), "q": self.q, "i2_pct": 100 * self.i2, "tau2": self.tau2}


# ---------------------------------------------------------------- input checks

def _array(values: Sequence[float] | np.ndarray, name: str, labels: Sequence[str]) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or len(arr) != len(labels):
        raise MetaAnalysisInputError(f"{name}: expected {len(labels)} values (one per study), got {arr.shape}")
    for label, value in zip(labels, arr, strict=True):
        if not np.isfinite(value):
            raise MetaAnalysisInputError(f"study {label!r}: {name} is missing or not a finite number ({value})")
    return arr


def _labels(labels: Sequence[str]) -> tuple[str, ...]:
    labels = tuple(str(label) for label in labels)
    if not labels:
        raise MetaAnalysisInputError("no studies given")
    if len(set(labels)) != len(labels):
        raise MetaAnalysisInputError(f"study labels must be unique: {labels}")
    return labels


def _check_n(n: np.ndarray, name: str, labels: Sequence[str]) -> None:
    for label, value in zip(labels, n, strict=True):
        if value <= 0:
            raise MetaAnalysisInputError(f"study {label!r}: {name} must be at least 1 participant, got {value:g}")
        if value != int(value):
            raise MetaAnalysisInputError(f"study {label!r}: {name} must be a whole number, got {value:g}")


def _check_events(events: np.ndarray, n: np.ndarray, name: str, n_name: str, labels: Sequence[str]) -> None:
    for label, e, total in zip(labels, events, n, strict=True):
        if e < 0 or e != int(e):
            raise MetaAnalysisInputError(f"study {label!r}: {name} must be a whole number >= 0, got {e:g}")
        if e > total:
            raise MetaAnalysisInputError(f"study {label!r}: {name} ({e:g}) is greater than {n_name} ({total:g})")


# ---------------------------------------------------------------- effect sizes

def binary_effects(
    labels: Sequence[str],
    events_treatment: Sequence[float],
    n_treatment: Sequence[float],
    events_control: Sequence[float],
    n_control: Sequence[float],
    measure: Literal["log_rr", "log_or"] = "log_rr",
    correction: float = 0.5,
) -> EffectSizes:
    """Log risk ratios or log odds ratios (treatment vs control) and their variances.

    ``correction`` is added to every cell of a study with a zero cell (only those studies); studies with zero events
    in both arms, or all participants with the event in both arms, are excluded and reported.
    """
    labels = _labels(labels)
    if measure not in RATIO_MEASURES:
        raise MetaAnalysisInputError(f"measure must be one of {RATIO_MEASURES}, got {measure!r}")
    if not correction > 0:
        raise MetaAnalysisInputError(f"continuity correction must be > 0, got {correction}")
    e1, n1 = _array(events_treatment, "events_treatment", labels), _array(n_treatment, "n_treatment", labels)
    e2, n2 = _array(events_control, "events_control", labels), _array(n_control, "n_control", labels)
    _check_n(n1, "n_treatment", labels)
    _check_n(n2, "n_control", labels)
    _check_events(e1, n1, "events_treatment", "n_treatment", labels)
    _check_events(e2, n2, "events_control", "n_control", labels)

    excluded: list[tuple[str, str]] = []
    keep: list[int] = []
    for i, label in enumerate(labels):
        if e1[i] == 0 and e2[i] == 0:
            excluded.append((label, "no events in either arm (no information about a ratio)"))
        elif e1[i] == n1[i] and e2[i] == n2[i]:
            excluded.append((label, "every participant had the event in both arms (no information about a ratio)"))
        else:
            keep.append(i)
    if not keep:
        raise MetaAnalysisInputError("every study was excluded: " + "; ".join(f"{s}: {r}" for s, r in excluded))
    e1, n1, e2, n2 = e1[keep], n1[keep], e2[keep], n2[keep]
    kept = tuple(labels[i] for i in keep)
    zero = (e1 == 0) | (e2 == 0) | (e1 == n1) | (e2 == n2)
    # add the correction to the four cells of zero-cell studies only: events + c, non-events + c, so n + 2c
    e1c, e2c = e1 + correction * zero, e2 + correction * zero
    n1c, n2c = n1 + 2 * correction * zero, n2 + 2 * correction * zero
    statistic = "risk-ratio" if measure == "log_rr" else "odds-ratio"
    eff, var = effectsize_2proportions(e1c, n1c, e2c, n2c, statistic=statistic, zero_correction=None)
    return EffectSizes(kept, np.asarray(eff, dtype=float), np.asarray(var, dtype=float), measure, tuple(excluded),
                       tuple(label for label, z in zip(kept, zero, strict=True) if z), correction)


def smd_effects(
    labels: Sequence[str],
    mean_treatment: Sequence[float],
    sd_treatment: Sequence[float],
    n_treatment: Sequence[float],
    mean_control: Sequence[float],
    sd_control: Sequence[float],
    n_control: Sequence[float],
) -> EffectSizes:
    """Hedges' g (bias-corrected standardised mean difference, treatment minus control) for change scores.

    g = J * (m1 - m2) / s_pooled, J = 1 - 3 / (4 (n1 + n2) - 9), var = 1/n1 + 1/n2 + g^2 / (2 (n1 + n2 - 3.94))
    (statsmodels' ``effectsize_smd``, checked against this formula in the tests; some software uses 2 (n1 + n2) in
    the last denominator, which gives a slightly smaller variance).
    """
    labels = _labels(labels)
    m1, s1, n1 = (_array(v, f, labels) for v, f in ((mean_treatment, "mean_treatment"),
                                                    (sd_treatment, "sd_treatment"), (n_treatment, "n_treatment")))
    m2, s2, n2 = (_array(v, f, labels) for v, f in ((mean_control, "mean_control"),
                                                    (sd_control, "sd_control"), (n_control, "n_control")))
    _check_n(n1, "n_treatment", labels)
    _check_n(n2, "n_control", labels)
    for name, sd in (("sd_treatment", s1), ("sd_control", s2)):
        for label, value in zip(labels, sd, strict=True):
            if value <= 0:
                raise MetaAnalysisInputError(f"study {label!r}: {name} must be > 0, got {value:g}")
    for label, a, b in zip(labels, n1, n2, strict=True):
        if a + b < 3:
            raise MetaAnalysisInputError(f"study {label!r}: Hedges' g needs at least 3 participants, got {a + b:g}")
    eff, var = effectsize_smd(m1, s1, n1, m2, s2, n2)
    return EffectSizes(labels, np.asarray(eff, dtype=float), np.asarray(var, dtype=float), "smd")


def effects_from_ci(
    labels: Sequence[str],
    estimate: Sequence[float],
    ci_low: Sequence[float],
    ci_high: Sequence[float],
    measure: Literal["log_rr", "log_or", "md", "rd", "smd"],
    level: float = 0.95,
) -> EffectSizes:
    """Effects reported as an estimate with a confidence interval.

    Ratios (``log_rr``, ``log_or``) are given on their natural scale and converted to the log scale; the variance is
    ((hi - lo) / (2 z))^2 on the analysis scale, z the normal quantile for ``level`` (1.96 for 95 %).
    """
    labels = _labels(labels)
    est, lo, hi = (_array(v, f, labels) for v, f in ((estimate, "estimate"), (ci_low, "ci_low"),
                                                     (ci_high, "ci_high")))
    if not 0 < level < 1:
        raise MetaAnalysisInputError(f"confidence level must be between 0 and 1, got {level}")
    if measure in RATIO_MEASURES:
        for label, values in zip(labels, zip(est, lo, hi, strict=True), strict=True):
            if min(values) <= 0:
                raise MetaAnalysisInputError(f"study {label!r}: a ratio and its CI must be > 0, got {values}")
        est, lo, hi = np.log(est), np.log(lo), np.log(hi)
    for label, e, a, b in zip(labels, est, lo, hi, strict=True):
        if not a < e < b:
            raise MetaAnalysisInputError(f"study {label!r}: expected ci_low < estimate < ci_high, got {a}, {e}, {b}")
    z = stats.norm.ppf(0.5 + level / 2)
    var = ((hi - lo) / (2 * z)) ** 2
    return EffectSizes(labels, est, var, measure, reported_low=lo, reported_high=hi, reported_level=level)


# ---------------------------------------------------------------- pooling

def prediction_interval(estimate: float, se: float, tau2: float, k: int, level: float = 0.95
                        ) -> tuple[float, float] | None:
    """Higgins-Thompson-Spiegelhalter (2009) prediction interval for the effect in a new study:
    estimate ± t_{k-2} * sqrt(tau2 + se^2). ``None`` when k < 3 (no degrees of freedom). A random-effects
    quantity: :func:`pool` does not compute it for the fixed-effect model."""
    if k < 3:
        return None
    t = stats.t.ppf(0.5 + level / 2, df=k - 2)
    half = t * np.sqrt(tau2 + se**2)
    return float(estimate - half), float(estimate + half)


def no_prediction_interval_reason(model: str, k: int) -> str | None:
    """Why a pooled result has no prediction interval (``None`` when it has one): the fixed-effect model assumes one
    true effect, so there is nothing to predict a spread from; a random-effects model needs k >= 3 (t on k - 2 df)."""
    if model == "fixed":
        return "not used with a fixed-effect model (it assumes one true effect)"
    if k < 3:
        return "needs k ≥ 3 trials"
    return None


def pool(effects: EffectSizes, model: Model = "dl", level: float = 0.95) -> PooledResult:
    """Pool with a fixed-effect or random-effects model (statsmodels' ``combine_effects``)."""
    if model not in MODELS:
        raise MetaAnalysisInputError(f"model must be one of {tuple(MODELS)}, got {model!r}")
    if effects.k == 0:
        raise MetaAnalysisInputError("no studies to pool")
    for label, v in zip(effects.labels, effects.variances, strict=True):
        if not (np.isfinite(v) and v > 0):
            raise MetaAnalysisInputError(f"study {label!r}: variance must be a positive number, got {v}")
    y, v = np.asarray(effects.effects, dtype=float), np.asarray(effects.variances, dtype=float)
    k = effects.k
    if k == 1:  # nothing to combine: the study itself (with its printed CI if it had one), no heterogeneity
        low, high = effects.ci(level)
        return PooledResult(model, effects.measure, 1, float(y[0]), float(np.sqrt(v[0])), float(low[0]),
                            float(high[0]), 0.0, 0, float("nan"), 0.0, 0.0, (100.0,), None, None, effects.labels)
    method_re = "iterated" if model == "pm" else "chi2"
    with warnings.catch_warnings():  # statsmodels warns about sqrt of its negative tau² (replaced below)
        warnings.simplefilter("ignore", RuntimeWarning)
        res = combine_effects(y, v, method_re=method_re, alpha=1 - level)
    q, df = float(res.q), k - 1
    z = stats.norm.ppf(0.5 + level / 2)
    if model == "fixed":
        est, se, tau2 = float(res.mean_effect_fe), float(res.sd_eff_w_fe), 0.0
        weights = np.asarray(res.weights_rel_fe, dtype=float)
        pi = None
    else:
        # statsmodels 0.15 does not truncate the DerSimonian-Laird tau² at 0: with Q < k - 1 it returns a negative
        # tau² and re-weights the studies with it (and a negative I²). The estimator is defined as max(0, ...), so
        # the random-effects mean is recomputed here with the truncated tau² (then it equals the fixed effect).
        tau2 = max(0.0, float(res.tau2))
        w = 1 / (v + tau2)
        est, se = float((w * y).sum() / w.sum()), float(np.sqrt(1 / w.sum()))
        weights = w / w.sum()
        pi = prediction_interval(est, se, tau2, k, level)
    lo, hi = est - z * se, est + z * se
    i2 = max(0.0, (q - df) / q) if q > 0 else 0.0
    return PooledResult(model, effects.measure, k, est, se, float(lo), float(hi), q, df,
                        float(stats.chi2.sf(q, df)), i2, tau2, tuple(float(w) * 100 for w in weights),
                        pi[0] if pi else None, pi[1] if pi else None, effects.labels)


def leave_one_out(effects: EffectSizes, model: Model = "dl", level: float = 0.95) -> list[tuple[str, PooledResult]]:
    """Pool again without each study in turn: (left-out study, result) pairs, in study order."""
    if effects.k < 2:
        raise MetaAnalysisInputError("leave-one-out needs at least 2 studies")
    return [(label, pool(effects.without(i), model, level)) for i, label in enumerate(effects.labels)]
