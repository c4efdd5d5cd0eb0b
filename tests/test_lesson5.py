"""Lesson 5: NNT maths, the unblinding illustration, the lesson-5 rows of the trial data set and the chart builders."""

from __future__ import annotations

import math

import pytest

from ketamine_course.charts.beyond import (
    funnel_figure,
    nnt_explorer_figure,
    nnt_explorer_table,
    unblinding_figure,
    unblinding_table,
)
from ketamine_course.charts.forest import forest_figure
from ketamine_course.datasets import load_dataset
from ketamine_course.evidence.analyses import forest_variants
from ketamine_course.evidence.beyond import (
    BEYOND_ANALYSES,
    funnel_centre,
    funnel_points,
    funnel_table,
    nnt_trials,
    pooled_aspire_table,
)
from ketamine_course.evidence.nnt import (
    NNTInputError,
    NNTInterval,
    nnt,
    nnt_interval,
    risk_difference_ci,
    whole_patients,
)
from ketamine_course.evidence.unblinding import (
    UnblindingInputError,
    observed_difference,
    share_from_unblinding,
    unblinding_bias,
)


@pytest.fixture(scope="module")
def trials():
    return load_dataset("trials")


# ---------------------------------------------------------------- NNT

def test_nnt_matches_the_published_grunebaum_value() -> None:
    assert nnt(0.55, 0.30) == pytest.approx(4.0)  # authors report NNT = 4.0
    assert nnt(0.30, 0.55) == pytest.approx(-4.0)  # negative = harm
    assert math.isinf(nnt(0.4, 0.4))


def test_wald_ci_against_hand_calculation() -> None:
    lo, hi = risk_difference_ci(0.5, 100, 0.3, 100)
    se = math.sqrt(0.5 * 0.5 / 100 + 0.3 * 0.7 / 100)
    assert lo == pytest.approx(0.2 - 1.959964 * se, abs=1e-6)
    assert hi == pytest.approx(0.2 + 1.959964 * se, abs=1e-6)


def test_nnt_ci_through_infinity_as_in_altman() -> None:
    # Altman's example as quoted by Newcombe: ARR CI -5% to +25% -> NNTB 4 to infinity to NNTH 20
    text = NNTInterval(0.10, -0.05, 0.25).describe()
    assert "NNTB 4.0 to ∞ to NNTH 20.0" in text
    assert not NNTInterval(0.10, -0.05, 0.25).significant
    assert NNTInterval(0.25, 0.1, 0.4).describe().endswith("(95% CI NNTB 2.5 to 10.0)")
    assert "NNTH" in NNTInterval(-0.25, -0.4, -0.1).describe()


def test_nnt_interval_narrows_with_more_participants() -> None:
    small, large = nnt_interval(0.5, 30, 0.3, 30), nnt_interval(0.5, 300, 0.3, 300)
    assert not small.significant and large.significant
    assert (large.rd_high - large.rd_low) < (small.rd_high - small.rd_low)


def test_nnt_is_rounded_up_to_whole_patients() -> None:
    assert whole_patients(nnt(0.55, 0.30)) == 4  # 1/0.25 is 4.000000000000001 in floating point: still 4
    assert whole_patients(1 / (0.482 - 0.107)) == 3  # Dakwar 2019: 2.67 -> 3
    assert whole_patients(-4.2) == 5  # an NNTH of 4.2 -> 5
    assert math.isinf(whole_patients(math.inf))
    with pytest.raises(NNTInputError):
        whole_patients(0)


@pytest.mark.parametrize("args", [(1.2, 10, 0.3, 10), (0.5, 0, 0.3, 10), (0.5, 10, -0.1, 10), (0.5, 2.5, 0.3, 10)])
def test_nnt_rejects_bad_input_with_a_named_argument(args) -> None:
    with pytest.raises(NNTInputError, match=r"p_drug|n_drug|p_control"):
        nnt_interval(*args)


# ---------------------------------------------------------------- unblinding illustration

def test_unblinding_model() -> None:
    assert unblinding_bias(0.5, 10) == 0  # chance guessing: no bias
    assert observed_difference(2, 0.8, 4) == pytest.approx(4.4)  # quiz question unblinding-model
    assert observed_difference(0, 1.0, 3) == pytest.approx(3)  # no true effect, full unblinding
    assert share_from_unblinding(2, 0.8, 4) == pytest.approx(2.4 / 4.4)
    assert share_from_unblinding(0, 0.5, 4) is None
    with pytest.raises(UnblindingInputError, match="correct_guess"):
        unblinding_bias(1.5, 2)


# ---------------------------------------------------------------- data

def test_lesson5_rows_keep_null_results(trials) -> None:
    null = set(trials.loc[trials["row_result"] == "no_significant_difference", "trial_id"])
    assert {"ASPIRE1_CGISSR", "ASPIRE2_CGISSR", "ABDALLAH2022_05mg", "ABDALLAH2022_02mg", "TAYLOR2018_VAS",
            "ABBAR2022_depressive"} <= null
    kare = trials[trials["trial_id"] == "GRABSKI2022"]
    assert set(kare["row_result"]) == {"favours_drug", "no_significant_difference"}
    assert set(kare["result"]) == {"mixed"}
    assert set(trials.loc[trials["trial_id"].str.startswith("ABDALLAH2022_0") & (trials["endpoint_role"] == "primary"),
                          "result"]) == {"negative"}


def test_murrough_2015_primary_outcome_is_null(trials) -> None:
    rows = trials[trials["trial_id"].str.startswith("MURROUGH2015")].set_index("trial_id")
    assert rows.loc["MURROUGH2015_BSI24", "endpoint_role"] == "primary"
    assert rows.loc["MURROUGH2015_BSI24", "row_result"] == "no_significant_difference"
    assert set(rows["result"]) == {"negative"} and rows.loc["MURROUGH2015_BSI48", "row_result"] == "favours_drug"


def test_abbar_misprinted_counts_are_not_used(trials) -> None:
    row = trials[(trials["trial_id"] == "ABBAR2022")].iloc[0]
    assert (row["n_drug"], row["n_comparator"]) == (73, 83)
    assert math.isnan(row["events_drug"]) and math.isnan(row["events_comparator"])
    assert "31.6" in row["notes"]


# ---------------------------------------------------------------- analyses and charts

def test_only_aspire_is_pooled_and_agrees(trials) -> None:
    variants = forest_variants(trials, BEYOND_ANALYSES)
    pooled = [v for v in variants if v["analysis"].pooled]
    assert [v["analysis"].id for v in pooled] == ["aspire_madrs"]
    res = pooled[0]["models"]["dl"]["all"]
    assert res["k"] == 2 and res["pi_low"] is None
    assert -3.9 < res["estimate"] < -3.8
    subgroups = next(v for v in variants if v["analysis"].id == "abbar_subgroups")
    assert subgroups["log_axis"] and subgroups["studies"]["ci_high"][1] == pytest.approx(92.2)


def test_leave_one_out_slider_only_steps_through_pooled_trials(trials) -> None:
    fig = forest_figure(forest_variants(trials, BEYOND_ANALYSES))
    # ASPIRE (k = 2) is the only pooled analysis: the unpooled Abbar rows (4) must not add empty steps
    assert [s.label for s in fig.layout.sliders[0].steps] == ["All studies", "Without study 1", "Without study 2"]
    table = pooled_aspire_table(forest_variants(trials, BEYOND_ANALYSES))
    assert "Analysis" not in table.columns and len(table) == 9


def test_nnt_trials_give_a_ci_only_when_arm_sizes_were_read(trials) -> None:
    table = nnt_trials(trials).set_index("trial_id")
    assert table.loc["GRUNEBAUM2018", "nnt"] == pytest.approx(4.0)
    assert table.loc["GRUNEBAUM2018", "nnt_whole"] == 4
    assert table.loc["DAKWAR2019", "nnt"] == pytest.approx(2.7)
    assert table.loc["DAKWAR2019", "nnt_whole"] == 3
    assert table.loc["GRUNEBAUM2018", "nnt_ci"].startswith("not computed")
    assert table.loc["TAYLOR2018_LSAS", "nnt_ci"].startswith("not computed: crossover")
    assert table.loc["ABBAR2022", "nnt_ci"].startswith("95% CI NNTB")
    # Taylor: 33.33% vs 0% is 6 of 18 vs 0 of 18, an NNT of exactly 3 -- the printed rounding must not make it 4
    assert table.loc["TAYLOR2018_LSAS", "nnt"] == pytest.approx(3.0)
    assert table.loc["TAYLOR2018_LSAS", "nnt_whole"] == 3


def test_nnt_interval_never_shows_an_nnt_below_one() -> None:
    # Wald limits past +100 points (here 95% vs 0% in 30 per arm) would give "NNTB 0.9": they are cut at 1
    interval = nnt_interval(0.95, 30, 0.0, 30)
    assert interval.rd_high == 1.0 and 1 / interval.rd_high >= 1
    assert "NNTB 1.0 to" in interval.describe()
    # no width at all when both rates are 0% (or 100%, or 100% vs 0%): said, not printed as "∞ to ∞"
    for rates in ((0.0, 0.0), (1.0, 1.0), (1.0, 0.0)):
        assert "not defined" in nnt_interval(rates[0], 30, rates[1], 30).describe()


def test_nnt_explorer_slider_restyles_both_layers(trials) -> None:
    fig = nnt_explorer_figure(nnt_trials(trials))
    steps = fig.layout.sliders[0].steps
    assert [s.label for s in steps] == ["10", "30", "100", "300"]
    grey_small = steps[0].args[0]["z"][1]
    grey_large = steps[-1].args[0]["z"][1]
    assert sum(v == 1 for row in grey_small for v in row) > sum(v == 1 for row in grey_large for v in row)
    assert list(steps[0].args[1]) == [0, 1]
    assert len(fig.data[3].x) == len(nnt_trials(trials))
    with pytest.raises(ValueError, match="initial_n"):
        nnt_explorer_figure(nnt_trials(trials), initial_n=7)
    assert len(nnt_explorer_table()) == 6
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "Assumes equal arms" in notes and "Wald" in notes and "NNT to harm" in notes
    assert "rounded up: 4 patients" in steps[1].args[0]["customdata"][0][12][6]  # drug 60%, control 30%
    assert "rounded up: 1 patient<br>" in steps[1].args[0]["customdata"][0][20][0]  # drug 100%, control 0%


def test_unblinding_figure_is_labelled_an_illustration() -> None:
    fig = unblinding_figure()
    assert "ILLUSTRATION" in fig.layout.title.text
    zero_effect_line = fig.data[0]
    assert zero_effect_line.y[0] == 0  # at chance guessing, no effect is observed
    step8 = next(s for s in fig.layout.sliders[0].steps if s.label == "8")
    assert step8.args[0]["y"][0][-1] == pytest.approx(8.0)  # all guess correctly: bias = expectancy
    assert unblinding_table()["Share from unblinding (%)"].iloc[0] == 0
    assert "Assumes: the same share guesses right in both arms" in fig.layout.annotations[0].text


def test_funnel_counts_subgroups_separately(trials) -> None:
    points = funnel_points(trials)
    assert int(points["independent"].sum()) == 2
    centre = funnel_centre(points)
    assert math.log(2.85) < centre < math.log(3.7)
    fig = funnel_figure(points, centre)
    assert "2 trials, 3 subgroups" in fig.layout.title.text
    assert fig.layout.yaxis.autorange == "reversed"
    assert "drawn only to place the funnel" in fig.data[2].name
    assert list(funnel_table(points)["Counted as"]).count("independent trial") == 2


def test_lessons_4_and_5_list_only_their_own_trials_sources() -> None:
    from ketamine_course.evidence.analyses import depression_trials, trials_beyond_depression
    from ketamine_course.lesson import lesson_reference_keys

    trials = load_dataset("trials")
    four = lesson_reference_keys("04-evidence-depression", [depression_trials(trials)])
    five = lesson_reference_keys("05-evidence-beyond-depression", [trials_beyond_depression(trials)])
    assert len(depression_trials(trials)) + len(trials_beyond_depression(trials)) == len(trials)
    assert "abbar2022" not in four and "daly2017" in four
    assert "abbar2022" in five and "daly2017" not in five


def test_citation_without_a_volume_has_no_empty_volume_slot() -> None:
    from ketamine_course.references import course_references

    text = course_references()["muthukumaraswamy2021"].format_text()
    assert "2021:1133-1152." in text and ";:" not in text
    assert "2018;43(2):325-333." in course_references()["taylor2018"].format_text()


def test_nnt_trials_table_names_sources_as_the_reference_list_does() -> None:
    from ketamine_course.evidence.beyond import nnt_trials_table

    table = nnt_trials_table(nnt_trials(load_dataset("trials")))
    assert "trial_id" not in table.columns and "source_key" not in table.columns
    assert any("Grunebaum" in source for source in table["Source"])
    assert not any("grunebaum2018" in source for source in table["Source"])
