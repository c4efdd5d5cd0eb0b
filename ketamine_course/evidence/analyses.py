"""The analyses of the trial data set (``data/trials.csv``) that lesson 4 draws as forest plots.

Each :class:`Analysis` names the rows it uses, how their effects are computed, and — the important part — whether they
may be pooled and why (or why not). Studies are only pooled when they share the comparison, the outcome, the time
point and the design; otherwise the forest plot shows them side by side without a pooled diamond.

:func:`forest_variants` precomputes everything the interactive forest plot needs (every model and every
leave-one-out variant), so the chart can switch between them without a kernel (nbviewer).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from ketamine_course.datasets import DEPRESSION_INDICATIONS
from ketamine_course.evidence.meta_analysis import (
    MEASURE_LABELS,
    MODELS,
    EffectSizes,
    PooledResult,
    binary_effects,
    effects_from_ci,
    leave_one_out,
    no_prediction_interval_reason,
    pool,
    smd_effects,
)
from ketamine_course.references import course_references, source_labels

Source = Literal["ci", "binary", "smd"]


@dataclass(frozen=True)
class Analysis:
    """A named comparison: which rows, how effects are computed, and whether (and why) they are pooled."""

    id: str
    label: str
    comparator_group: Literal["placebo", "active"]
    outcome_type: Literal["binary", "continuous"]
    rows: tuple[tuple[str, str], ...]  # (trial_id, display label)
    source: Source
    measure: str  # rd, md (from the reported CI), log_rr (from events), smd (from means/SDs)
    axis_title: str
    favours_left: str
    favours_right: str
    pooled: bool
    why: str


def _with_transform1_84mg(analysis: Analysis, why: str) -> Analysis:
    """The same esketamine analysis with TRANSFORM-1 entered as its 84 mg arm instead of its 56 mg arm (the two arms
    share one placebo group, so a pooled analysis may hold only one of them)."""
    rows = tuple(("TRANSFORM1_84mg", "TRANSFORM-1, 84 mg") if trial_id == "TRANSFORM1_56mg" else (trial_id, label)
                 for trial_id, label in analysis.rows)
    return replace(analysis, id=analysis.id.replace("_t1_56", "_t1_84"), label=analysis.label.replace("56 mg", "84 mg"),
                   rows=rows, why=why)


ESK_RESPONSE_T1_56 = Analysis(
    "esk_response_t1_56", "Placebo-controlled · esketamine response, day 28 (TRANSFORM-1 as its 56 mg arm)",
    "placebo", "binary",
    (("TRANSFORM1_56mg", "TRANSFORM-1, 56 mg"), ("TRANSFORM2", "TRANSFORM-2, flexible"),
     ("TRANSFORM3", "TRANSFORM-3, age ≥65")),
    "ci", "rd", "Risk difference in response (percentage points)", "favours placebo", "favours esketamine",
    True,
    "Same comparison (esketamine + new oral antidepressant vs placebo spray + new oral antidepressant), outcome "
    "(MADRS response, a secondary outcome; risk differences from a post hoc benefit-risk analysis) and time "
    "(day 28). TRANSFORM-1 enters once: its 56 mg and 84 mg arms share one placebo group, and counting both would "
    "count those placebo patients twice.",
)
ESK_MADRS_T1_56 = Analysis(
    "esk_madrs_t1_56", "Placebo-controlled · esketamine MADRS change, day 28 (mean difference; TRANSFORM-1 as its "
    "56 mg arm)",
    "placebo", "continuous",
    (("TRANSFORM1_56mg", "TRANSFORM-1, 56 mg"), ("TRANSFORM2", "TRANSFORM-2, flexible"),
     ("TRANSFORM3", "TRANSFORM-3, age ≥65")),
    "ci", "md", "Difference in MADRS change (points; negative = more improvement)", "favours esketamine",
    "favours placebo", True,
    "The trials' primary outcome. TRANSFORM-1 enters once (its arms share one placebo group); its 56 mg "
    "comparison could not be formally tested because the 84 mg arm, tested first, missed significance. "
    "TRANSFORM-3's estimate comes from a different method (a median-unbiased estimate). The Japanese phase 2b "
    "reported means without SDs, so it cannot be added.",
)


ANALYSES: tuple[Analysis, ...] = (
    ESK_RESPONSE_T1_56,
    _with_transform1_84mg(
        ESK_RESPONSE_T1_56,
        "As the 56 mg version, with TRANSFORM-1's 84 mg arm instead: compare the two to see how much the choice of "
        "arm matters.",
    ),
    ESK_MADRS_T1_56,
    _with_transform1_84mg(
        ESK_MADRS_T1_56,
        "As the 56 mg version, with TRANSFORM-1's 84 mg arm: the arm its testing plan looked at first, whose CI "
        "crosses 0.",
    ),
    Analysis(
        "esk_phase2_smd", "Placebo-controlled · esketamine phase 2 by dose, MADRS change at 1 week (Hedges' g)",
        "placebo", "continuous",
        (("DALY2018_P1_28mg", "Daly, 28 mg"), ("DALY2018_P1_56mg", "Daly, 56 mg"),
         ("DALY2018_P1_84mg", "Daly, 84 mg")),
        "smd", "smd", "Standardised mean difference, Hedges' g (negative = more improvement)", "favours esketamine",
        "favours placebo", False,
        "The three doses come from one small trial and share one placebo group (n = 33), so they are "
        "not independent studies. Shown to compare doses; SDs were derived from SEs (approximate).",
    ),
    Analysis(
        "sustain1_relapse",
        "Placebo-controlled · SUSTAIN-1 relapse, continuing esketamine vs switching to placebo (RR)",
        "placebo", "binary",
        (("SUSTAIN1_stable_remitters", "SUSTAIN-1, stable remitters"),
         ("SUSTAIN1_stable_responders", "SUSTAIN-1, stable responders")),
        "binary", "log_rr", "Risk ratio for relapse (log scale)", "favours continuing esketamine",
        "favours switching to placebo", False,
        "Two strata of one randomised-withdrawal trial that enrolled only people who had already done "
        "well on esketamine; relapse is a different question from acute response. Risk ratios ignore time to "
        "relapse; the trial reported hazard ratios (0.49 and 0.30, section 3 of lesson 4).",
    ),
    Analysis(
        "ketamine_vs_ect", "Active comparator · ketamine vs ECT (ELEKT-D, KetECT)", "active", "binary",
        (("ELEKT_D", "ELEKT-D: response (QIDS-SR16)"), ("KETECT", "KetECT: remission (MADRS)")),
        "ci", "rd", "Risk difference, ketamine minus ECT (percentage points)", "favours ECT", "favours ketamine",
        False,
        "Different outcomes (self-rated response vs clinician-rated remission), populations (non-psychotic "
        "TRD vs inpatients including psychotic depression) and schedules (twice vs three times weekly ketamine). "
        "They point in opposite directions; a pooled number would hide why.",
    ),
    Analysis(
        "esketamine_vs_quetiapine", "Active comparator · esketamine vs quetiapine XR (ESCAPE-TRD), remission week 8",
        "active", "binary",
        (("ESCAPE_TRD", "ESCAPE-TRD: remission (MADRS ≤10)"),),
        "binary", "log_rr", "Risk ratio for remission (log scale)", "favours quetiapine XR", "favours esketamine",
        False,
        "One open-label, rater-blinded trial: nothing to pool. Remission in 91 of 336 vs 60 of 340 patients.",
    ),
)


def analysis(analysis_id: str) -> Analysis:
    for item in ANALYSES:
        if item.id == analysis_id:
            return item
    raise KeyError(f"unknown analysis {analysis_id!r}; known: {', '.join(a.id for a in ANALYSES)}")


def analysis_rows(item: Analysis, trials: pd.DataFrame) -> pd.DataFrame:
    """The data rows of an analysis, in its order; a missing row or value raises naming the trial and column."""
    picked = []
    for trial_id, _ in item.rows:
        match = trials[(trials["trial_id"] == trial_id) & (trials["outcome_type"] == item.outcome_type)]
        if len(match) != 1:
            raise KeyError(f"analysis {item.id!r}: expected one {item.outcome_type} row for {trial_id!r}, "
                           f"found {len(match)}")
        picked.append(match.iloc[0])
    return pd.DataFrame(picked).reset_index(drop=True)


def depression_trials(trials: pd.DataFrame) -> pd.DataFrame:
    """The trial rows in depression (lesson 4's subject: treatment-resistant, major and bipolar depression)."""
    return trials[trials["indication"].isin(DEPRESSION_INDICATIONS)]


def trials_beyond_depression(trials: pd.DataFrame) -> pd.DataFrame:
    """The trial rows in every other indication (lesson 5's subject)."""
    return trials[~trials["indication"].isin(DEPRESSION_INDICATIONS)]


def charted_trials(variants: list[dict[str, object]], trials: pd.DataFrame) -> pd.DataFrame:
    """The trial rows a forest plot built from ``variants`` draws (for the reference list of a lesson that charts
    only the forest plot)."""
    return pd.concat([analysis_rows(entry["analysis"], trials) for entry in variants],  # type: ignore[arg-type]
                     ignore_index=True).drop_duplicates(subset=["trial_id", "outcome_type"])


def _need(rows: pd.DataFrame, columns: list[str], item: Analysis) -> None:
    for column in columns:
        missing = rows.loc[rows[column].isna(), "trial_id"].tolist()
        if missing:
            raise ValueError(f"analysis {item.id!r}: column {column!r} is empty for {missing}")


def effect_sizes(item: Analysis, trials: pd.DataFrame) -> EffectSizes:
    """Per-study effects for an analysis, computed from the data set."""
    rows = analysis_rows(item, trials)
    labels = [label for _, label in item.rows]
    if item.source == "ci":
        _need(rows, ["effect", "ci_low", "ci_high"], item)
        return effects_from_ci(labels, rows["effect"].to_numpy(float), rows["ci_low"].to_numpy(float),
                               rows["ci_high"].to_numpy(float), item.measure)  # type: ignore[arg-type]
    if item.source == "binary":
        _need(rows, ["events_drug", "n_drug", "events_comparator", "n_comparator"], item)
        return binary_effects(labels, rows["events_drug"].to_numpy(float), rows["n_drug"].to_numpy(float),
                              rows["events_comparator"].to_numpy(float), rows["n_comparator"].to_numpy(float),
                              measure="log_rr")
    _need(rows, ["mean_change_drug", "sd_drug", "n_drug", "mean_change_comparator", "sd_comparator", "n_comparator"],
          item)
    return smd_effects(labels, rows["mean_change_drug"].to_numpy(float), rows["sd_drug"].to_numpy(float),
                       rows["n_drug"].to_numpy(float), rows["mean_change_comparator"].to_numpy(float),
                       rows["sd_comparator"].to_numpy(float), rows["n_comparator"].to_numpy(float))


def _summary(result: PooledResult) -> dict[str, object]:
    s = result.summary
    return {**s, "k": result.k, "p_heterogeneity": result.p_heterogeneity, "weights_pct": list(result.weights_pct),
            "labels": list(result.labels)}


def forest_variants(trials: pd.DataFrame, analyses: tuple[Analysis, ...] = ANALYSES) -> list[dict[str, object]]:
    """Everything the forest plot needs, as plain data: per analysis its studies (on the display scale) and, when
    pooled, the result of every model with all studies and with each study left out."""
    out: list[dict[str, object]] = []
    for item in analyses:
        eff = effect_sizes(item, trials)
        lo, hi = eff.ci()  # as printed for effects read with a CI (pooling treats that CI as symmetric)
        show = np.exp if eff.is_ratio else (lambda x: x)
        lo, hi = show(lo), show(hi)
        entry: dict[str, object] = {
            "analysis": item,
            "measure_label": MEASURE_LABELS[item.measure],
            "log_axis": eff.is_ratio,
            "studies": {"labels": list(eff.labels), "estimate": list(map(float, show(eff.effects))),
                        "ci_low": [float(x) for x in lo], "ci_high": [float(x) for x in hi]},
            "excluded": list(eff.excluded),
            "corrected": list(eff.corrected),
            "models": {},
        }
        if item.pooled:
            for model in MODELS:
                full = pool(eff, model)  # type: ignore[arg-type]
                loo = [_summary(res) for _, res in leave_one_out(eff, model)]  # type: ignore[arg-type]
                entry["models"][model] = {"all": _summary(full), "leave_out": loo}  # type: ignore[index]
        out.append(entry)
    return out


def pooled_table(variants: list[dict[str, object]]) -> pd.DataFrame:
    """Text alternative: every pooled result (each model, all studies and each study left out), rounded."""
    rows = []
    for entry in variants:
        item: Analysis = entry["analysis"]  # type: ignore[assignment]
        for model, results in entry["models"].items():  # type: ignore[union-attr]
            labels = entry["studies"]["labels"]  # type: ignore[index]
            variants_here = [("all studies", results["all"])] + [
                (f"without {label}", res) for label, res in zip(labels, results["leave_out"], strict=True)]
            for left_out, res in variants_here:
                rows.append({
                    "Analysis": item.label, "Model": MODELS[model], "Studies": left_out, "k": res["k"],
                    "Pooled (95% CI)": f"{res['estimate']:.2f} ({res['ci_low']:.2f} to {res['ci_high']:.2f})",
                    "Prediction interval": (f"{res['pi_low']:.2f} to {res['pi_high']:.2f}"
                                            if res["pi_low"] is not None
                                            else no_prediction_interval_reason(model, res["k"])),
                    "I² (%)": round(res["i2_pct"], 0), "τ²": round(res["tau2"], 3),
                })
    return pd.DataFrame(rows)


def studies_table(variants: list[dict[str, object]], trials: pd.DataFrame) -> pd.DataFrame:
    """Text alternative: every study row shown in the forest plot, with its source named as the lesson's reference
    list names it (e.g. "Katz et al. 2021")."""
    references = course_references()
    rows = []
    for entry in variants:
        item: Analysis = entry["analysis"]  # type: ignore[assignment]
        data = analysis_rows(item, trials)
        studies = entry["studies"]  # type: ignore[assignment]
        for i, label in enumerate(studies["labels"]):  # type: ignore[index]
            rows.append({
                "Analysis": item.label, "Study": label,
                "Effect (95% CI)": f"{studies['estimate'][i]:.2f} ({studies['ci_low'][i]:.2f} to "  # type: ignore[index]
                                   f"{studies['ci_high'][i]:.2f})",  # type: ignore[index]
                "Measure": entry["measure_label"], "Pooled?": "yes" if item.pooled else "no",
                "Approximate": "yes" if bool(data.loc[i, "approximate"]) else "no",
                "Source": source_labels(data.loc[i, "source_key"], references),
            })
    return pd.DataFrame(rows)
