"""The meta-analysis engine: a published pooled estimate, statsmodels' own results, hand calculations (including a
homogeneous set where tau² must be 0), the continuity correction, and invalid input."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats
from statsmodels.stats.meta_analysis import combine_effects

from ketamine_course.evidence.meta_analysis import (
    MetaAnalysisInputError,
    binary_effects,
    effects_from_ci,
    leave_one_out,
    no_prediction_interval_reason,
    pool,
    prediction_interval,
    smd_effects,
)

# ---------------------------------------------------------------- a published pooled estimate
# López-Carvajal et al. 2016, "Efficacy of cryotherapy for the treatment of cutaneous leishmaniasis: meta-analyses of
# clinical trials", BMC Infect Dis 16:360, doi:10.1186/s12879-016-1663-3 (reference key bmcid2016_table5), Table 5:
# per-study RR (95% CI) and the "Overall random effects" result, DerSimonian-Laird ("Dersimonian Laird's Q
# Statistic"). Only rounded CIs are printed, so the per-study variances are back-calculated from them and agreement is
# to the printed rounding. A non-ketamine meta-analysis on purpose: no ketamine or esketamine meta-analysis whose
# per-study inputs are printed as text (not only in forest-plot images) was found in the sources read for the course.
BMC_STUDIES = ["Salmanpour", "Layegh", "Lopez", "Negera", "Soto"]
BMC_PP = ([0.93, 2.10, 0.40, 1.04, 0.29], [0.64, 1.16, 0.29, 0.88, 0.11], [1.37, 3.81, 0.55, 1.23, 0.71])
BMC_ITT = ([0.93, 2.05, 0.35, 0.95, 0.29], [0.64, 1.11, 0.25, 0.77, 0.11], [1.37, 3.77, 0.50, 1.17, 0.71])
BMC_PUBLISHED = {"PP": (0.78, 0.45, 1.34, 0.317), "ITT": (0.73, 0.42, 1.29, 0.343)}  # RR, lo, hi, tau2
BMC_PP_WEIGHTS = [21.4, 18.6, 22.2, 23.5, 14.3]
BMC_LOO_PP = [(0.73, 0.36, 1.50), (0.62, 0.35, 1.11), (0.97, 0.62, 1.55), (0.71, 0.33, 1.53), (0.92, 0.52, 1.61)]


@pytest.mark.parametrize(("name", "data"), [("PP", BMC_PP), ("ITT", BMC_ITT)])
def test_reproduces_published_random_effects_estimate(name, data) -> None:
    res = pool(effects_from_ci(BMC_STUDIES, *data, measure="log_rr"), "dl")
    rr, lo, hi, tau2 = BMC_PUBLISHED[name]
    s = res.summary
    assert s["estimate"] == pytest.approx(rr, abs=0.015)
    assert s["ci_low"] == pytest.approx(lo, abs=0.015)
    assert s["ci_high"] == pytest.approx(hi, abs=0.015)
    assert res.tau2 == pytest.approx(tau2, abs=0.01)


def test_reproduces_published_weights_and_leave_one_out() -> None:
    eff = effects_from_ci(BMC_STUDIES, *BMC_PP, measure="log_rr")
    assert pool(eff, "dl").weights_pct == pytest.approx(BMC_PP_WEIGHTS, abs=0.4)
    for (_, res), published in zip(leave_one_out(eff, "dl"), BMC_LOO_PP, strict=True):
        s = res.summary
        assert (s["estimate"], s["ci_low"], s["ci_high"]) == pytest.approx(published, abs=0.015)


# ---------------------------------------------------------------- hand calculations
def hand_fixed(y, v):
    w = 1 / v
    mu = (w * y).sum() / w.sum()
    return mu, np.sqrt(1 / w.sum()), ((w * (y - mu) ** 2).sum())


def hand_dl(y, v):
    w = 1 / v
    _, _, q = hand_fixed(y, v)
    c = w.sum() - (w**2).sum() / w.sum()
    tau2 = max(0.0, (q - (len(y) - 1)) / c)
    ws = 1 / (v + tau2)
    return (ws * y).sum() / ws.sum(), np.sqrt(1 / ws.sum()), tau2, q


def hand_pm(y, v):
    """Paule-Mandel: tau² solving sum w_i(tau²) (y_i - mu(tau²))² = k - 1 (0 if the left side is already below)."""
    def generalised_q(tau2):
        w = 1 / (v + tau2)
        mu = (w * y).sum() / w.sum()
        return (w * (y - mu) ** 2).sum() - (len(y) - 1)

    tau2 = 0.0 if generalised_q(0.0) <= 0 else optimize.brentq(generalised_q, 0.0, 100.0, xtol=1e-12)
    w = 1 / (v + tau2)
    return (w * y).sum() / w.sum(), np.sqrt(1 / w.sum()), tau2


HETEROGENEOUS = (np.array([0.10, 0.80, -0.30, 0.45, 1.20]), np.array([0.04, 0.09, 0.05, 0.02, 0.16]))
HOMOGENEOUS = (np.array([0.20, 0.22, 0.19, 0.21]), np.array([0.04, 0.05, 0.03, 0.06]))


def _eff(y, v):
    from ketamine_course.evidence.meta_analysis import EffectSizes

    return EffectSizes(tuple(f"s{i}" for i in range(len(y))), y, v, "md")


def test_fixed_and_dl_match_hand_calculation_and_statsmodels() -> None:
    y, v = HETEROGENEOUS
    fixed, dl = pool(_eff(y, v), "fixed"), pool(_eff(y, v), "dl")
    mu_f, se_f, q = hand_fixed(y, v)
    mu_r, se_r, tau2, _ = hand_dl(y, v)
    assert (fixed.estimate, fixed.se, fixed.q) == pytest.approx((mu_f, se_f, q), rel=1e-10)
    assert (dl.estimate, dl.se, dl.tau2) == pytest.approx((mu_r, se_r, tau2), rel=1e-10)
    assert dl.tau2 > 0 and dl.q > len(y) - 1
    assert dl.i2 == pytest.approx((q - 4) / q)
    assert dl.ci_low == pytest.approx(mu_r - stats.norm.ppf(0.975) * se_r)
    sm = combine_effects(y, v, method_re="chi2")
    assert dl.estimate == pytest.approx(sm.mean_effect_re) and dl.tau2 == pytest.approx(sm.tau2)
    assert dl.i2 == pytest.approx(sm.i2) and dl.q == pytest.approx(sm.q)
    frame = sm.summary_frame()
    assert dl.se == pytest.approx(frame.loc["random effect", "sd_eff"])
    assert fixed.se == pytest.approx(frame.loc["fixed effect", "sd_eff"])


def test_paule_mandel_matches_hand_calculation_and_statsmodels() -> None:
    y, v = HETEROGENEOUS
    pm = pool(_eff(y, v), "pm")
    mu, se, tau2 = hand_pm(y, v)
    assert pm.tau2 == pytest.approx(tau2, rel=1e-4)
    assert pm.estimate == pytest.approx(mu, rel=1e-5) and pm.se == pytest.approx(se, rel=1e-5)
    assert pm.tau2 == pytest.approx(combine_effects(y, v, method_re="iterated").tau2)


@pytest.mark.parametrize("model", ["dl", "pm"])
def test_homogeneous_set_gives_tau2_zero_and_random_equals_fixed(model) -> None:
    y, v = HOMOGENEOUS
    fixed, rand = pool(_eff(y, v), "fixed"), pool(_eff(y, v), model)
    assert rand.q < len(y) - 1
    assert rand.tau2 == 0.0 and rand.i2 == 0.0
    assert rand.estimate == pytest.approx(fixed.estimate) and rand.se == pytest.approx(fixed.se)
    assert rand.weights_pct == pytest.approx(fixed.weights_pct)


def test_statsmodels_dl_goes_negative_on_a_homogeneous_set_and_the_engine_truncates() -> None:
    """Why the engine recomputes the random-effects mean: statsmodels 0.15 returns tau² < 0 here."""
    y, v = HOMOGENEOUS
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sm = combine_effects(y, v, method_re="chi2")
    assert sm.tau2 < 0
    assert pool(_eff(y, v), "dl").tau2 == 0.0


def test_prediction_interval_formula_and_small_k() -> None:
    y, v = HETEROGENEOUS
    res = pool(_eff(y, v), "dl")
    t = stats.t.ppf(0.975, df=len(y) - 2)
    half = t * np.sqrt(res.tau2 + res.se**2)
    assert (res.pi_low, res.pi_high) == pytest.approx((res.estimate - half, res.estimate + half))
    assert res.pi_high - res.pi_low > res.ci_high - res.ci_low
    assert prediction_interval(0.1, 0.1, 0.0, 2) is None
    assert pool(_eff(y[:2], v[:2]), "dl").pi_low is None
    assert pool(_eff(y, v), "fixed").pi_low is None


def test_single_study_returns_itself() -> None:
    res = pool(_eff(np.array([0.5]), np.array([0.04])), "dl")
    assert res.estimate == 0.5 and res.ci_low == pytest.approx(0.5 - 1.959964 * 0.2, abs=1e-5) and res.k == 1


def test_a_single_study_keeps_its_printed_ci() -> None:
    """Printed CIs are often off-centre (rounding; TRANSFORM-3's median-unbiased estimate): pooling uses the symmetric
    SE from the CI width, but a study left alone (k = 1, e.g. leave-one-out of two) reports its own printed CI."""
    eff = effects_from_ci(["T2", "T3"], [-4.0, -3.6], [-7.31, -7.20], [-0.64, 0.07], "md")
    low, high = eff.ci()
    assert list(low) == [-7.31, -7.20] and list(high) == [-0.64, 0.07]
    symmetric = -3.6 - stats.norm.ppf(0.975) * np.sqrt(eff.variances[1])
    assert symmetric == pytest.approx(-7.235, abs=1e-3)  # what a recomputed interval would say instead of -7.20
    (_, without_t2), (_, without_t3) = leave_one_out(eff, "dl")
    assert (without_t2.estimate, without_t2.ci_low, without_t2.ci_high) == (-3.6, -7.20, 0.07)
    assert (without_t3.ci_low, without_t3.ci_high) == (-7.31, -0.64)
    ratio = effects_from_ci(["x"], [2.0], [1.1], [3.9], "log_rr")
    assert pool(ratio, "fixed").summary["ci_low"] == pytest.approx(1.1)
    assert pool(ratio, "fixed").summary["ci_high"] == pytest.approx(3.9)
    assert eff.ci(0.90)[0][0] == pytest.approx(-4.0 - stats.norm.ppf(0.95) * np.sqrt(eff.variances[0]))


@pytest.mark.parametrize("k", [2, 3, 5])
def test_fixed_effect_never_has_a_prediction_interval(k) -> None:
    y, v = HETEROGENEOUS
    assert pool(_eff(y[:k], v[:k]), "fixed").pi_low is None
    assert "fixed-effect" in no_prediction_interval_reason("fixed", k)
    assert (no_prediction_interval_reason("dl", k) is None) == (k >= 3)


def test_leave_one_out_equals_pooling_without_the_study() -> None:
    y, v = HETEROGENEOUS
    loo = leave_one_out(_eff(y, v), "pm")
    assert [label for label, _ in loo] == [f"s{i}" for i in range(5)]
    assert loo[2][1].estimate == pytest.approx(pool(_eff(np.delete(y, 2), np.delete(v, 2)), "pm").estimate)


# ---------------------------------------------------------------- effect sizes
def test_log_rr_and_log_or_match_hand_formulas_and_accept_lists() -> None:
    eff = binary_effects(["a", "b"], [10, 20], [50, 60], [5, 30], [50, 60], measure="log_rr")
    assert eff.effects[0] == pytest.approx(np.log((10 / 50) / (5 / 50)))
    assert eff.variances[0] == pytest.approx(1 / 10 - 1 / 50 + 1 / 5 - 1 / 50)
    odds = binary_effects(["a"], [10], [50], [5], [50], measure="log_or")
    assert odds.effects[0] == pytest.approx(np.log((10 * 45) / (40 * 5)))
    assert odds.variances[0] == pytest.approx(1 / 10 + 1 / 40 + 1 / 5 + 1 / 45)
    assert eff.corrected == () and eff.excluded == ()


def test_continuity_correction_only_for_zero_cell_studies() -> None:
    eff = binary_effects(["zero", "plain"], [0, 10], [20, 50], [4, 5], [20, 50], measure="log_or", correction=0.5)
    assert eff.corrected == ("zero",)
    assert eff.effects[0] == pytest.approx(np.log((0.5 * 16.5) / (20.5 * 4.5)))
    assert eff.variances[0] == pytest.approx(1 / 0.5 + 1 / 20.5 + 1 / 4.5 + 1 / 16.5)
    assert eff.effects[1] == pytest.approx(np.log((10 * 45) / (40 * 5)))  # untouched
    assert np.isfinite(pool(eff, "dl").estimate)


def test_double_zero_and_all_event_studies_are_excluded_and_reported() -> None:
    eff = binary_effects(["none", "all", "ok"], [0, 10, 3], [10, 10, 20], [0, 12, 6], [12, 12, 20])
    assert eff.labels == ("ok",)
    assert [label for label, _ in eff.excluded] == ["none", "all"]
    assert "no events" in eff.excluded[0][1]
    with pytest.raises(MetaAnalysisInputError, match="every study was excluded"):
        binary_effects(["none"], [0], [10], [0], [10])


def test_hedges_g_matches_formula() -> None:
    m1, s1, n1, m2, s2, n2 = -15.3, 8.87, 12, -4.9, 10.0, 33
    eff = smd_effects(["x"], [m1], [s1], [n1], [m2], [s2], [n2])
    sp = np.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2))
    g = (1 - 3 / (4 * (n1 + n2) - 9)) * (m1 - m2) / sp
    assert eff.effects[0] == pytest.approx(g, rel=1e-6)
    assert eff.variances[0] == pytest.approx(1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2 - 3.94)), rel=1e-6)


def test_effects_from_ci_log_scale_variance() -> None:
    eff = effects_from_ci(["x"], [2.0], [1.0], [4.0], measure="log_rr")
    assert eff.effects[0] == pytest.approx(np.log(2.0))
    assert np.sqrt(eff.variances[0]) == pytest.approx((np.log(4) - np.log(1)) / (2 * stats.norm.ppf(0.975)))


# ---------------------------------------------------------------- invalid input
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: binary_effects(["t1"], [1], [0], [1], [10]), "study 't1': n_treatment must be at least 1"),
        (lambda: binary_effects(["t1"], [11], [10], [1], [10]), r"study 't1': events_treatment \(11\) is greater"),
        (lambda: binary_effects(["t1"], [1], [10], [-1], [10]), "events_control must be a whole number >= 0"),
        (lambda: binary_effects(["t1"], [1.5], [10], [1], [10]), "events_treatment must be a whole number"),
        (lambda: binary_effects(["t1"], [1], [10], [1], [10], correction=0), "continuity correction must be > 0"),
        (lambda: smd_effects(["t1"], [1], [-2], [10], [0], [2], [10]), "study 't1': sd_treatment must be > 0"),
        (lambda: smd_effects(["t1"], [1], [2], [0], [0], [2], [10]), "n_treatment must be at least 1"),
        (lambda: smd_effects(["t1"], [1], [2], [10], [np.nan], [2], [10]), "mean_control is missing"),
        (lambda: effects_from_ci(["t1"], [1.0], [2.0], [3.0], "md"), "ci_low < estimate < ci_high"),
        (lambda: effects_from_ci(["t1"], [1.0], [0.0], [3.0], "log_rr"), "must be > 0"),
        (lambda: binary_effects([], [], [], [], []), "no studies"),
        (lambda: binary_effects(["a", "a"], [1, 1], [5, 5], [1, 1], [5, 5]), "unique"),
        (lambda: binary_effects(["a"], [1, 2], [5], [1], [5]), "expected 1 values"),
        (lambda: pool(effects_from_ci(["a"], [1.0], [0.0], [2.0], "md"), "reml"), "model must be one of"),
    ],
)
def test_invalid_input_names_study_and_field(call, message) -> None:
    with pytest.raises(MetaAnalysisInputError, match=message):
        call()
