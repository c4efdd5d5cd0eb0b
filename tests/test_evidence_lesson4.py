"""The trial data set, the named analyses and the forest plot builder (lesson 4)."""

from __future__ import annotations

import pytest

from ketamine_course.charts.forest import MODEL_ORDER, forest_figure
from ketamine_course.datasets import load_dataset
from ketamine_course.evidence.analyses import (
    ANALYSES,
    analysis_rows,
    effect_sizes,
    forest_variants,
    pooled_table,
    studies_table,
)
from ketamine_course.evidence.meta_analysis import leave_one_out, pool


@pytest.fixture(scope="module")
def trials():
    return load_dataset("trials")


@pytest.fixture(scope="module")
def variants(trials):
    return forest_variants(trials)


def test_trial_rows_are_unique_and_negative_trials_are_kept(trials) -> None:
    assert not trials.duplicated(["trial_id", "outcome_type"]).any()
    negative = set(trials.loc[trials["result"] == "negative", "trial_id"])
    assert {"TRANSFORM1_56mg", "TRANSFORM1_84mg", "TRANSFORM3", "TAKAHASHI2021_28mg", "KETECT"} <= negative


def test_derived_values_are_flagged_and_explained(trials) -> None:
    derived = trials[trials["trial_id"].isin(["KETECT", "ELEKT_D", "SUSTAIN1_stable_remitters"])]
    assert derived["approximate"].all()
    assert derived["notes"].str.contains("by us").all()


def test_events_never_exceed_arm_size(trials) -> None:
    both = trials.dropna(subset=["events_drug", "n_drug"])
    assert (both["events_drug"] <= both["n_drug"]).all()


def test_every_analysis_computes(trials) -> None:
    for item in ANALYSES:
        eff = effect_sizes(item, trials)
        assert eff.k == len(item.rows)


def test_pooled_esketamine_response_matches_direct_pooling(trials, variants) -> None:
    item = ANALYSES[0]
    eff = effect_sizes(item, trials)
    entry = variants[0]
    for model in MODEL_ORDER:
        assert entry["models"][model]["all"]["estimate"] == pytest.approx(pool(eff, model).estimate)
    loo = leave_one_out(eff, "dl")
    assert entry["models"]["dl"]["leave_out"][1]["estimate"] == pytest.approx(loo[1][1].estimate)
    # the three trials are homogeneous: every model gives the same answer
    estimates = {round(entry["models"][m]["all"]["estimate"], 9) for m in MODEL_ORDER}
    assert len(estimates) == 1 and entry["models"]["dl"]["all"]["tau2"] == 0.0


def test_not_poolable_analyses_have_no_pooled_results(variants) -> None:
    for entry in variants:
        assert bool(entry["models"]) == entry["analysis"].pooled
    ect = next(e for e in variants if e["analysis"].id == "ketamine_vs_ect")
    assert not ect["analysis"].pooled and "outcomes" in ect["analysis"].why


def test_forest_figure_controls(variants) -> None:
    fig = forest_figure(variants)
    analysis_menu, model_menu = fig.layout.updatemenus
    assert len(analysis_menu.buttons) == len(ANALYSES)
    assert model_menu.buttons[0].label.startswith("Fixed")
    steps = fig.layout.sliders[0].steps
    assert len(steps) == 1 + max(len(a.rows) for a in ANALYSES)
    # the analysis menu shows only that analysis's traces
    visible = analysis_menu.buttons[5].args[0]["visible"]
    assert 0 < sum(visible) < len(fig.data)
    # the model menu restyles opacity only: exactly one model's pooled traces are opaque
    opacity = model_menu.buttons[1].args[0]["opacity"]
    assert set(opacity) == {0.0, 1.0} and opacity.count(1.0) * 3 == len(opacity)


def test_leave_one_out_step_moves_the_diamond(variants) -> None:
    fig = forest_figure(variants)
    step = fig.layout.sliders[0].steps[2]  # without study 2
    data, indices = step.args
    diamonds = [i for i, t in enumerate(indices) if fig.data[t].mode == "markers+text"]
    first = diamonds[1]  # analysis 0, DerSimonian-Laird
    expected = variants[0]["models"]["dl"]["leave_out"][1]["estimate"]
    assert data["x"][first] == [pytest.approx(expected)]


def test_text_alternatives(variants, trials) -> None:
    studies = studies_table(variants, trials)
    assert len(studies) == sum(len(a.rows) for a in ANALYSES)
    pooled = pooled_table(variants)
    assert {"Prediction interval", "I² (%)", "τ²"} <= set(pooled.columns)
    fixed = pooled[pooled["Model"].str.startswith("Fixed")]
    assert fixed["Prediction interval"].str.contains("fixed-effect").all()  # not "needs k ≥ 3" when k = 3
    random_two = pooled[~pooled["Model"].str.startswith("Fixed") & (pooled["k"] == 2)]
    assert (random_two["Prediction interval"] == "needs k ≥ 3 trials").all() and len(random_two)
    random_three = pooled[~pooled["Model"].str.startswith("Fixed") & (pooled["k"] == 3)]
    assert random_three["Prediction interval"].str.contains(" to ").all()


def test_study_rows_show_the_printed_ci(variants, trials) -> None:
    for entry in variants:
        item = entry["analysis"]
        if item.source != "ci":
            continue
        rows = analysis_rows(item, trials)
        assert entry["studies"]["ci_low"] == pytest.approx(list(rows["ci_low"]))
        assert entry["studies"]["ci_high"] == pytest.approx(list(rows["ci_high"]))


def test_esketamine_phase3_primary_endpoints(trials) -> None:
    """Which short-term trials met their primary endpoint (MADRS change at day 28): TRANSFORM-2 yes; TRANSFORM-1
    (84 mg tested first, not significant; 56 mg then not formally testable) and TRANSFORM-3 no. SUSTAIN-1 (relapse)
    yes. The response rows of TRANSFORM-1 favour esketamine: a secondary, post hoc outcome."""
    primary = trials[trials["endpoint_role"] == "primary"].set_index(["trial_id", "outcome_type"])
    assert primary.loc[("TRANSFORM2", "continuous"), "row_result"] == "favours_drug"
    assert primary.loc[("TRANSFORM1_84mg", "continuous"), "row_result"] == "no_significant_difference"
    assert primary.loc[("TRANSFORM1_84mg", "continuous"), "ci_high"] > 0
    assert primary.loc[("TRANSFORM3", "continuous"), "row_result"] == "no_significant_difference"
    assert primary.loc[("SUSTAIN1_stable_remitters", "binary"), "row_result"] == "favours_drug"
    result = trials.drop_duplicates("trial_id").set_index("trial_id")["result"]
    assert result[["TRANSFORM1_56mg", "TRANSFORM1_84mg", "TRANSFORM3"]].eq("negative").all()
    assert result[["TRANSFORM2", "SUSTAIN1_stable_remitters"]].eq("positive").all()
    response = trials[(trials["trial_id"] == "TRANSFORM1_56mg") & (trials["outcome_type"] == "binary")].iloc[0]
    assert response["endpoint_role"] == "secondary" and response["ci_low"] > 0


def test_text_alternative_names_sources_as_the_reference_list_does(variants, trials) -> None:
    sources = studies_table(variants, trials)["Source"]
    assert len(sources) == sum(len(v["studies"]["labels"]) for v in variants)
    assert "Katz et al. 2021" in sources.iloc[0] and "katz2021" not in " ".join(sources)


def test_controls_say_they_act_on_pooled_analyses_only(variants) -> None:
    """The model menu and the slider change nothing in an unpooled view: its note says so, and the slider does not
    grey out one of its studies as if it had been left out."""
    fig = forest_figure(variants)
    buttons = fig.layout.updatemenus[0].buttons
    for a, entry in enumerate(variants):
        note = buttons[a].args[1]["annotations"][2]["text"]
        assert ("act on pooled analyses only" in note) == (not entry["analysis"].pooled)
    step, indices = fig.layout.sliders[0].steps[1].args[0], fig.layout.sliders[0].steps[1].args[1]
    for position, trace in enumerate(indices):
        if fig.data[trace].name != "Study (95% CI)":
            continue
        owner = next(a for a, b in enumerate(buttons) if b.args[0]["visible"][trace])
        faded = 0.2 in step["marker.opacity"][position]
        assert faded == variants[owner]["analysis"].pooled
