"""Lesson 6/7 chart builders and the numbers the lessons quote (computed from the data, checked by hand)."""

from __future__ import annotations

import pytest

from ketamine_course.charts.regulation import (
    benefit_risk_figure,
    benefit_risk_table,
    control_status_figure,
    control_status_table,
    number_needed,
    schedules_figure,
)
from ketamine_course.charts.safety import (
    adverse_effects_figure,
    adverse_effects_table,
    blood_pressure_figure,
    risk_measures,
)
from ketamine_course.datasets import AdverseEffect, load_dataset


def test_number_needed_by_hand() -> None:
    assert number_needed(48.2, 30.3) == pytest.approx(100 / 17.9)  # remission: 5.6 -> NNT 6
    assert number_needed(7.0, 0.9) == pytest.approx(100 / 6.1)  # stopping for an AE: 16.4 -> NNH 17
    with pytest.raises(ValueError, match="infinite"):
        number_needed(10, 10)


def test_benefit_risk_table_matches_the_published_nnt_and_nnh() -> None:
    table = benefit_risk_table(load_dataset("benefit_risk")).set_index("Outcome")
    rounded = table["NNT or NNH (rounded up)"]
    # Citrome et al. 2020 report NNT 8 (response), 6 (remission) and NNH 17 (discontinuation for an AE).
    assert rounded["MADRS response (≥50% decrease)"] == 8
    assert rounded["MADRS remission (total score ≤12)"] == 6
    assert rounded["Stopped treatment because of an adverse event"] == 17


def test_benefit_risk_buttons_switch_every_trace() -> None:
    fig = benefit_risk_figure(load_dataset("benefit_risk"))
    per_100, needed = (b.args[0]["x"] for b in fig.layout.updatemenus[0].buttons)
    assert len(per_100) == len(needed) == len(fig.data) == 2
    assert [len(x) for x in per_100] == [len(t.x) for t in fig.data]
    assert max(max(x) for x in needed) == 17


def test_adverse_effects_figure_has_every_reaction_and_three_sort_orders() -> None:
    frame = load_dataset("adverse_effects")
    fig = adverse_effects_figure(frame)
    reactions = frame[frame["category"] == "adverse_reaction"]
    assert len(fig.data[2].x) == len(reactions) == 28
    by_drug, by_difference, by_ratio = (b.args[0]["yaxis.categoryarray"] for b in fig.layout.updatemenus[0].buttons)
    assert by_drug[-1] == "Dissociation" and by_difference[-1] == "Dissociation"
    assert sorted(by_drug) == sorted(by_difference) == sorted(by_ratio)
    # No placebo case: the ratio is not defined, so those reactions go to the top; then feeling drunk (12.2x).
    assert set(by_ratio[-2:]) == {"Dysarthria", "Feeling abnormal"} and by_ratio[-3] == "Feeling drunk"
    table = adverse_effects_table(frame).set_index("Effect")
    assert table.loc["Dissociation", "Risk difference, points (95% CI)"] == "+31.6 (+25.1 to +38.0)"
    assert table.loc["Dissociation", "Risk ratio"] == "4.3×"
    assert table.loc["Dysarthria", "Risk ratio"] == "not defined (none on placebo)"
    assert table.loc["Headache", "Drug % (patients)"] == "20 (70)"


def test_risk_measures_from_counts_by_hand() -> None:
    frame = load_dataset("adverse_effects")
    rows = frame[frame["adverse_effect"].isin(["Dissociation", "Feeling drunk"])
                 & (frame["category"] == "adverse_reaction")].set_index("adverse_effect", drop=False)
    measures = risk_measures(rows)
    # Dissociation 142/346 vs 21/222; feeling drunk 19/346 vs 1/222 (label: 5% vs 0.5%).
    assert measures.loc["Dissociation", "difference"] == pytest.approx(100 * (142 / 346 - 21 / 222))
    assert measures.loc["Dissociation", "ratio"] == pytest.approx((142 / 346) / (21 / 222))
    assert measures.loc["Feeling drunk", "ratio"] == pytest.approx((19 / 346) / (1 / 222))
    se = (142 / 346 * (1 - 142 / 346) / 346 + 21 / 222 * (1 - 21 / 222) / 222) ** 0.5
    assert measures.loc["Dissociation", "difference_low"] == pytest.approx(100 * (142 / 346 - 21 / 222 - 1.959964 * se))


@pytest.mark.parametrize(("change", "message"), [
    ({"events_drug": 200}, "does not round"),
    ({"events_drug": 400}, "larger than n_drug"),
    ({"n_placebo": None}, "needs n_placebo"),
])
def test_adverse_effect_counts_must_match_the_label_percentages(change: dict, message: str) -> None:
    row = {"product": "Spravato (esketamine) nasal spray", "category": "adverse_reaction", "population": "x",
           "adverse_effect": "Dissociation", "drug_pct": 41, "placebo_pct": 9, "n_drug": 346, "n_placebo": 222,
           "events_drug": 142, "events_placebo": 21, "source_key": "spravatohcp_safety", "source_location": "x",
           "approximate": False}
    AdverseEffect.model_validate(row)
    with pytest.raises(ValueError, match=message):
        AdverseEffect.model_validate({**row, **change})


def test_blood_pressure_buttons_show_one_age_group_at_a_time() -> None:
    fig = blood_pressure_figure(load_dataset("adverse_effects"))
    assert len(fig.data) == 4
    assert fig.data[0].customdata[1] == " (29 of 346 patients)" and fig.data[1].customdata[0] == ""
    for button in fig.layout.updatemenus[0].buttons:
        assert sum(button.args[0]["visible"]) == 2


def test_schedules_and_control_status_figures() -> None:
    fig = schedules_figure(load_dataset("csa_schedules"), load_dataset("schedule_examples"))
    assert list(fig.data[0].x) == [f"Schedule {s}" for s in ("I", "II", "III", "IV", "V")]
    assert "Ketamine" in fig.data[0].text[2]
    assert fig.data[0].y[0] == fig.data[0].y[1] > fig.data[0].y[2]  # 812(b): I and II both "high", III less
    status = load_dataset("control_status")
    fig = control_status_figure(status)
    plotted = sum(len(trace.x) for trace in fig.data)
    assert plotted == status["since_year"].notna().sum() < len(status)


def test_control_status_shows_both_dates_and_one_row_per_jurisdiction() -> None:
    status = load_dataset("control_status")
    fig = control_status_figure(status)
    assert all("Source dated" in trace.hovertemplate and "checked" in trace.hovertemplate for trace in fig.data)
    order = list(fig.layout.yaxis.categoryarray)
    assert len(order) == len(set(order))  # the UK's two statuses (Class C, then B) share one row
    table = control_status_table(status)
    assert {"Source dated", "Checked (as of)"} <= set(table.columns)
    assert (table["Checked (as of)"] >= table["Source dated"].str[:10]).all()


def test_control_status_rejects_a_check_made_before_its_source() -> None:
    from pydantic import ValidationError

    from ketamine_course.datasets import ControlStatus

    row = {"jurisdiction": "X", "kind": "national_control", "status": "Class C", "source_date": "2000-12-15",
           "checked_on": "2000-11-22", "notes": "n", "source_key": "who_2015", "source_location": "p",
           "approximate": False}
    with pytest.raises(ValidationError, match="earlier than source_date"):
        ControlStatus.model_validate(row)
    ControlStatus.model_validate({**row, "checked_on": "2026-12-01"})
    # a source dated to the month or year may be checked on any day of it, not before
    ControlStatus.model_validate({**row, "source_date": "2000-11", "checked_on": "2000-11-01"})
    ControlStatus.model_validate({**row, "source_date": "2000", "checked_on": "2000-01-01"})
    with pytest.raises(ValidationError, match="earlier than source_date"):
        ControlStatus.model_validate({**row, "source_date": "2000-12", "checked_on": "2000-11-30"})


def test_lesson_7_lists_only_the_sources_of_the_milestones_it_charts() -> None:
    from ketamine_course.datasets import load_dataset, regulatory_milestones
    from ketamine_course.lesson import lesson_reference_keys

    regulatory = regulatory_milestones(load_dataset("milestones"))
    lesson_7 = set(lesson_reference_keys("07-regulation", [regulatory], quiz=False))
    lesson_1 = set(lesson_reference_keys("01-what-is-ketamine", ["milestones"], quiz=False))
    assert {"dea_1999_schedule3", "ema_spravato_epar"} <= lesson_7
    assert "domino2010" in lesson_1 - lesson_7  # a history milestone's source
