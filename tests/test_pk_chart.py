"""The PK charts carry what the lesson promises, and the live explorer really follows its controls."""

from __future__ import annotations

import pytest

from ketamine_course.charts.pk_chart import pk_curve_figure, pk_scenario_figure, route_table, scenario_table
from ketamine_course.datasets import load_dataset
from ketamine_course.pk.scenarios import (
    DOSES_MG_PER_KG,
    SCENARIOS,
    WEIGHTS_KG,
    anchor_comparison,
    infusion_duration_comparison,
    precompute,
)


@pytest.fixture(scope="module")
def curves():
    return precompute()


@pytest.fixture(scope="module")
def ranges():
    return load_dataset("concentration_ranges")


def test_scenario_figure_has_every_curve_and_control(curves, ranges) -> None:
    fig = pk_scenario_figure(curves, ranges)
    n = len(SCENARIOS) * len(WEIGHTS_KG)
    assert len(fig.data) == n + 1  # + the invisible point that carries the µM axis
    visible = [t.name for t in fig.data[:n] if t.visible is True]
    assert visible == ["70 kg"]
    menu = fig.layout.updatemenus[0]
    assert [b.label for b in menu.buttons] == [s.label for s in SCENARIOS]
    steps = fig.layout.sliders[0].steps
    assert [float(s.label) for s in steps] == list(DOSES_MG_PER_KG)
    half = steps[DOSES_MG_PER_KG.index(0.5)]
    assert list(half.args[0]["y"][1]) == list(fig.data[1].y)  # the slider's default step is what is drawn
    # a dose step scales the curve linearly (linear kinetics), within the 3-digit rounding
    one = steps[DOSES_MG_PER_KG.index(1.0)].args[0]["y"][1]
    peak_half, peak_one = max(half.args[0]["y"][1]), max(one)
    assert peak_one == pytest.approx(2 * peak_half, rel=5e-3)
    bands = [(s.y0, s.y1) for s in fig.layout.shapes if s.type == "rect"]
    assert (1200, 2400) in bands and (100, 250) in bands


def test_regimen_menu_entry_widens_the_time_axis(curves, ranges) -> None:
    fig = pk_scenario_figure(curves, ranges)
    buttons = {b.label: b for b in fig.layout.updatemenus[0].buttons}
    twice = buttons["IV infusion over 40 min, twice weekly for 2 weeks"]
    assert twice.args[1]["xaxis.range"] == [0, 336]
    assert sum(v is True for v in twice.args[0]["visible"][:-1]) == 1


def test_infusion_peak_sits_below_the_anaesthetic_band(curves) -> None:
    table = scenario_table(curves)
    row = table[(table["route and regimen"] == "IV infusion over 40 min, once") & (table["dose (mg/kg)"] == 0.5)]
    assert 150 < row["peak (ng/mL)"].iloc[0] < 1200
    assert row["time of peak (min after the dose)"].iloc[0] == 40


def test_anchor_comparison_has_both_models() -> None:
    rows = anchor_comparison()
    assert len(rows) == 2 and all(len(r) == 4 for r in rows)


def test_curve_figure(ranges) -> None:
    fig = pk_curve_figure([("a", [0, 1], [0, 10])], ranges, title="t")
    assert fig.data[0].name == "a" and fig.layout.yaxis.type == "log"


def test_live_explorer_follows_its_controls() -> None:
    from ketamine_course.live.pk_explorer import PKExplorer

    explorer = PKExplorer()
    first = explorer.summary.value
    assert first.startswith("Peak ")
    explorer.dose.value = 2.0
    assert explorer.summary.value != first
    explorer.route.value = ("oral", None)
    explorer.regimen.value = 3
    explorer.model.value = "domino_opentiva"
    explorer.weight.value = 100
    assert "Peak" in explorer.summary.value
    assert len(explorer.output.outputs) == 1  # one figure, not a pile of them
    data = explorer.output.outputs[0]["data"]
    assert "application/vnd.plotly.v1+json" in data
    assert data["application/vnd.plotly.v1+json"]["data"][0]["name"].startswith("Oral (F 20 %), 2 mg/kg, 100 kg")


def test_infusion_duration_comparison_shows_the_peak_falling_with_infusion_time() -> None:
    rows = infusion_duration_comparison(0.5, (1.0, 10.0, 40.0))
    assert [r["0.5 mg/kg IV given over"] for r in rows] == ["1 min", "10 min", "40 min"]
    for model in ("Herd 2007 model", "'Domino' set, opentiva"):
        peaks = [r[f"{model}: peak (ng/mL)"] for r in rows]
        assert peaks[0] > peaks[1] > peaks[2]
        assert rows[0][f"{model}: peak as % of the shortest"] == 100
    # the 40-minute row is the same simulation as the anchor table's first row
    assert rows[-1]["Herd 2007 model: peak (ng/mL)"] == anchor_comparison()[0]["Herd 2007 model (ng/mL)"]


def test_route_table_is_readable_and_sourced() -> None:
    routes = load_dataset("route_bioavailability")
    table = route_table(routes)
    assert len(table) == len(routes)
    assert "route" not in table.columns and "Bioavailability F (%)" in table.columns
    assert not table["Source"].str.startswith("[").any()
    wafer = table[table["Product, dose and study"] == "25 mg sublingual wafer"].iloc[0]
    assert (wafer["Confidence interval of F (%)"], wafer["Tmax, time of the peak (min)"]) == ("27–31", "45")


def test_regimen_peak_time_is_counted_from_its_dose(curves) -> None:
    table = scenario_table(curves)
    assert table["time of peak (min after the dose)"].max() < 24 * 60


def test_live_explorer_says_what_it_shows_and_assumes() -> None:
    from ketamine_course.live.pk_explorer import PKExplorer, peak_time_text

    explorer = PKExplorer()  # 0.5 mg/kg over 40 min, 70 kg, Herd 2007
    text = explorer.summary.value
    # AUC to infinity = F·D/CL = 35 mg / 90 L/h = 389 ng·h/mL (the quiz's number); the 6-h window holds a little less
    assert "to infinity (F·D/CL): 389 ng·h/mL" in text and "over the 6 h shown: 372" in text
    assert "40 min after the start of the dose." in text
    assert "linear compartment model" in explorer.assumptions.value and "no dosing advice" in explorer.assumptions.value
    assert not explorer.duration.disabled
    explorer.route.value = ("oral", None)
    assert explorer.duration.disabled  # infusion time applies to IV infusions only
    explorer.route.value = ("iv_infusion", None)
    explorer.regimen.value = 3
    assert "on day 3" in explorer.summary.value  # the highest peak, at the second dose (Wednesday), not '2920 min'
    assert "extrapolated" not in explorer.summary.value
    explorer.weight.value = 100
    assert "10.8–74.8 kg" in explorer.summary.value
    assert peak_time_text(2920.0, [0.0, 2880.0, 5760.0]) == "40 min after the start of the dose on day 3"


def test_linear_scale_names_the_two_overlapping_low_bands_in_one_label(ranges) -> None:
    fig = pk_scenario_figure(precompute(), ranges)
    log_button, linear_button = fig.layout.updatemenus[1].buttons
    texts = [a.text for a in fig.layout.annotations]
    analgesia = next(i for i, t in enumerate(texts) if t.startswith("Analgesia"))
    dissociation = next(i for i, t in enumerate(texts) if t.startswith("Dissociation"))
    assert linear_button.args[0][f"annotations[{analgesia}].visible"] is False
    merged = linear_button.args[0][f"annotations[{dissociation}].text"]
    assert merged == "Dissociation 100–250 / analgesia 70–160 ng/mL"
    assert log_button.args[0][f"annotations[{analgesia}].visible"] is True
    assert log_button.args[0][f"annotations[{dissociation}].text"] == texts[dissociation]
