"""Lesson 5's views of the trial data set: the forest-plot analyses, the trials behind the NNT explorer and the points
of the funnel plot. Plain data out (pandas / dicts), so the chart builders stay pure and the numbers can be tested.

Nothing here pools studies that ask different questions: of the three analyses only the two ASPIRE trials (same
comparison, outcome, time point and design) are pooled, and with k = 2 that pool is shown to teach its limits.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ketamine_course.evidence.analyses import Analysis, pooled_table
from ketamine_course.evidence.meta_analysis import EffectSizes, effects_from_ci, pool
from ketamine_course.evidence.nnt import nnt_interval, whole_patients
from ketamine_course.references import source_labels

BEYOND_ANALYSES: tuple[Analysis, ...] = (
    Analysis(
        "aspire_madrs", "Esketamine, depression with suicidal intent · MADRS change at 24 h (ASPIRE I and II)",
        "placebo", "continuous",
        (("ASPIRE1_MADRS", "ASPIRE I"), ("ASPIRE2_MADRS", "ASPIRE II")),
        "ci", "md", "LS mean difference in MADRS change (points; negative = more improvement)",
        "favours esketamine", "favours placebo", True,
        "Same comparison (esketamine 84 mg + standard care vs placebo spray + standard care), outcome (MADRS) and "
        "time (24 h). k = 2 trials: heterogeneity is barely estimable and no prediction interval exists. Both trials "
        "also measured suicidality (CGI-SS-r), and on that outcome neither separated from placebo; it is not plotted "
        "because ASPIRE II reports only that its difference was not significant, with no estimate to plot.",
    ),
    Analysis(
        "si_binary", "Suicidal ideation · response or remission, odds ratios (Grunebaum 2018, Abbar 2022)",
        "placebo", "binary",
        (("GRUNEBAUM2018", "Grunebaum 2018: SSI response, 24 h, vs midazolam"),
         ("ABBAR2022", "Abbar 2022: SSI remission, day 3, vs saline")),
        "ci", "log_or", "Odds ratio (log scale; > 1 favours ketamine)", "favours control", "favours ketamine",
        False,
        "Different outcomes (response, ≥50% fall in SSI, vs remission, SSI ≤ 3), controls (midazolam vs saline), "
        "patients (major depression vs mixed diagnoses, inpatients) and times (24 h vs day 3, one vs two "
        "infusions): shown side by side, not pooled.",
    ),
    Analysis(
        "abbar_subgroups", "Suicidal ideation · Abbar 2022 overall and by diagnosis (odds ratio for remission)",
        "placebo", "binary",
        (("ABBAR2022", "All participants"), ("ABBAR2022_bipolar", "Bipolar disorder"),
         ("ABBAR2022_depressive", "Depressive disorder"), ("ABBAR2022_other", "Other disorders")),
        "ci", "log_or", "Odds ratio for full remission at day 3 (log scale; > 1 favours ketamine)",
        "favours placebo", "favours ketamine", False,
        "Subgroups of one trial are not separate studies: never pool them with the overall result. Small subgroups "
        "give wide intervals (bipolar: 3.0 to 92.2).",
    ),
)

NNT_TRIALS: tuple[tuple[str, str], ...] = (
    ("GRUNEBAUM2018", "Grunebaum 2018 · SSI response (vs midazolam)"),
    ("ABBAR2022", "Abbar 2022 · SSI remission (vs saline)"),
    ("DOMANY2020", "Domany 2020 · SI remission (vs saline)"),
    ("FEDER2021", "Feder 2021 · PTSD response (vs midazolam)"),
    ("DAKWAR2019", "Dakwar 2019 · cocaine abstinence (vs midazolam)"),
    ("TAYLOR2018_LSAS", "Taylor 2018 · LSAS response (vs saline, crossover)"),
)


def nnt_trials(trials: pd.DataFrame) -> pd.DataFrame:
    """Binary rows with printed percentages in both arms: rates, RD, NNT, and a CI only where arm sizes were read
    and the design is parallel (a crossover's paired data need a different interval)."""
    rows = []
    for trial_id, label in NNT_TRIALS:
        match = trials[(trials["trial_id"] == trial_id) & (trials["outcome_type"] == "binary")]
        if len(match) != 1:
            raise KeyError(f"nnt_trials: expected one binary row for {trial_id!r}, found {len(match)}")
        row = match.iloc[0]
        if pd.isna(row["pct_drug"]) or pd.isna(row["pct_comparator"]):
            raise ValueError(f"nnt_trials: {trial_id!r} has no printed percentages (pct_drug / pct_comparator)")
        p1, p2 = float(row["pct_drug"]) / 100, float(row["pct_comparator"]) / 100
        rd = p1 - p2
        ci = "not computed: arm sizes not read"
        if row["design"] != "parallel":
            ci = "not computed: crossover (paired data)"
        elif not (pd.isna(row["n_drug"]) or pd.isna(row["n_comparator"])):
            ci = nnt_interval(p1, int(row["n_drug"]), p2, int(row["n_comparator"])).describe().split("(", 1)[1][:-1]
        # the printed rates are rounded (Taylor's 33.33% is 6 of 18, exactly 1/3), so the NNT is rounded up from its
        # one-decimal value: 1/0.3333 = 3.0003 must not become 4 patients
        nnt_shown = round(1 / rd, 1) if rd else math.inf
        rows.append({"trial_id": trial_id, "label": label, "pct_drug": round(100 * p1, 1),
                     "pct_control": round(100 * p2, 1), "rd_points": round(100 * rd, 1),
                     "nnt": nnt_shown,
                     "nnt_whole": whole_patients(nnt_shown) if rd else math.inf, "nnt_ci": ci,
                     "source_key": row["source_key"]})
    return pd.DataFrame(rows)


def funnel_points(trials: pd.DataFrame) -> pd.DataFrame:
    """Every odds ratio with a 95% CI among the lesson-5 rows, on the log scale with its SE = (ln hi - ln lo) / 3.92.
    ``independent`` is False for subgroup rows (they re-use the overall trial's participants)."""
    rows = trials[trials["effect_measure"].fillna("").str.startswith("odds ratio")
                  & trials["effect"].notna() & trials["ci_low"].notna()]
    eff = effects_from_ci(rows["trial_id"].tolist(), rows["effect"].to_numpy(float), rows["ci_low"].to_numpy(float),
                          rows["ci_high"].to_numpy(float), "log_or")
    return pd.DataFrame({
        "trial_id": rows["trial_id"].to_numpy(), "study": rows["study"].to_numpy(),
        "outcome": rows["outcome"].to_numpy(), "odds_ratio": rows["effect"].to_numpy(float),
        "log_or": eff.effects, "se": np.sqrt(eff.variances),
        "independent": (rows["endpoint_role"] != "subgroup").to_numpy(),
    }).reset_index(drop=True)


def nnt_trials_table(points: pd.DataFrame) -> pd.DataFrame:
    """Text alternative of the trials on the NNT explorer, with readable column names and sources named as the
    reference list names them."""
    return pd.DataFrame({
        "Trial": points["label"], "Drug (%)": points["pct_drug"], "Control (%)": points["pct_control"],
        "Difference (points)": points["rd_points"], "NNT": points["nnt"], "NNT rounded up": points["nnt_whole"],
        "95% CI (computed by us)": points["nnt_ci"],
        "Source": [source_labels(keys) for keys in points["source_key"]],
    })


def funnel_table(points: pd.DataFrame) -> pd.DataFrame:
    """Text alternative of the funnel plot, with readable column names."""
    return pd.DataFrame({
        "Study": points["study"], "Outcome": points["outcome"], "Odds ratio": points["odds_ratio"],
        "log OR": points["log_or"].round(3), "SE of log OR": points["se"].round(3),
        "Counted as": ["independent trial" if ind else "subgroup (same participants)" for ind in points["independent"]],
    })


def pooled_aspire_table(variants: list[dict[str, object]]) -> pd.DataFrame:
    """Text alternative of the pooled ASPIRE diamond: each model, all trials and each trial left out."""
    table = pooled_table([v for v in variants if v["analysis"].pooled])  # type: ignore[union-attr]
    return table.drop(columns="Analysis").reset_index(drop=True)


def funnel_centre(points: pd.DataFrame) -> float:
    """Fixed-effect pooled log OR of the independent points (the funnel's centre line)."""
    ind = points[points["independent"]]
    eff = EffectSizes(tuple(ind["trial_id"]), ind["log_or"].to_numpy(float), ind["se"].to_numpy(float) ** 2,
                      "log_or")
    return pool(eff, "fixed").estimate
