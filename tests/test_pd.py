"""Lesson 2's pharmacodynamics: the occupancy model, unit conversion, the affinity data set and its charts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ketamine_course.charts.occupancy import (
    NMDA_OPTIONS,
    affinity_figure,
    affinity_row,
    affinity_table,
    concentration_table,
    occupancy_figure,
    occupancy_table,
)
from ketamine_course.datasets import DATASETS, load_dataset, load_rows
from ketamine_course.errors import DataValidationError
from ketamine_course.pd import (
    base_fraction_of_salt,
    concentration_for_occupancy,
    log_concentration_grid,
    ng_per_ml_to_uM,
    occupancy,
    uM_to_ng_per_ml,
)
from ketamine_course.tables import model_columns
from tests.helpers import tiny_references, write_csv


def test_occupancy_is_half_at_k_and_bounded() -> None:
    assert occupancy(0.5, 0.5) == pytest.approx(0.5)
    assert occupancy(0.0, 3.1) == 0.0
    values = occupancy(np.array([0.01, 1, 100, 1e6]), 1.0)
    assert np.all((values >= 0) & (values < 1)) and np.all(np.diff(values) > 0)


def test_occupancy_worked_examples_used_in_the_lesson() -> None:
    # antidepressant peak 0.78 µM: NMDA Ki 0.5 µM -> 61 %, Ki 3.1 µM -> 20 %
    assert occupancy(0.78, 0.5) == pytest.approx(0.609, abs=1e-3)
    assert occupancy(0.78, 3.1) == pytest.approx(0.201, abs=1e-3)


def test_concentration_for_occupancy_inverts_occupancy() -> None:
    for k in (0.055, 0.5, 20):
        for f in (0.1, 0.5, 0.9):
            assert occupancy(concentration_for_occupancy(f, k), k) == pytest.approx(f)
    assert concentration_for_occupancy(0.5, 3.1) == pytest.approx(3.1)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: occupancy(1.0, 0), "k_uM must be a positive"),
    (lambda: occupancy(1.0, -2), "k_uM must be a positive"),
    (lambda: occupancy(-1.0, 1), "concentration_uM must be finite and >= 0"),
    (lambda: occupancy(float("nan"), 1), "concentration_uM"),
    (lambda: concentration_for_occupancy(1.0, 1), r"fraction must be in \[0, 1\)"),
    (lambda: ng_per_ml_to_uM(100, molar_mass_g_per_mol=0), "molar_mass_g_per_mol"),
    (lambda: log_concentration_grid(10, 1), "high_uM"),
    (lambda: base_fraction_of_salt(300, 274), "cannot weigh more"),
])
def test_bad_input_is_named(call, message) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_unit_conversion_matches_zanos_table_1() -> None:
    # Zanos et al. 2018 Table 1 prints both units: 185 ng/mL = 0.78 µM; 1200-2400 ng/mL = 5-10 µM
    assert ng_per_ml_to_uM(185) == pytest.approx(0.78, abs=0.005)
    assert ng_per_ml_to_uM(np.array([1200, 2400])) == pytest.approx([5.05, 10.1], abs=0.01)
    assert uM_to_ng_per_ml(ng_per_ml_to_uM(250)) == pytest.approx(250)


def test_base_fraction_of_the_hydrochloride() -> None:
    assert base_fraction_of_salt() == pytest.approx(0.867, abs=5e-4)


def test_grid_is_log_spaced_and_small() -> None:
    grid = log_concentration_grid(0.01, 100, points_per_decade=10)
    assert grid[0] == pytest.approx(0.01) and grid[-1] == pytest.approx(100) and len(grid) == 41
    assert np.allclose(np.diff(np.log10(grid)), 0.1)


def test_data_set_ranges_agree_with_their_own_unit_conversion() -> None:
    ranges = load_dataset("concentration_ranges")
    for row in ranges.itertuples():
        assert ng_per_ml_to_uM(row.low_ng_per_ml) == pytest.approx(row.low_uM, rel=0.06), row.label
        assert ng_per_ml_to_uM(row.high_ng_per_ml) == pytest.approx(row.high_uM, rel=0.06), row.label


AFFINITY_HEADER = model_columns(DATASETS["receptor_affinities"].row_model)
GOOD = {"source_key": "can2016", "source_location": "Abstract", "approximate": "false", "target": "D1",
        "target_group": "dopamine", "compound": "esketamine", "measure": "Ki", "value_uM": "",
        "no_effect_up_to_uM": "10", "system": "screen", "disputed": "false"}


@pytest.mark.parametrize(("override", "message"), [
    ({"value_uM": "0.5"}, "exactly one of value_uM"),
    ({"no_effect_up_to_uM": ""}, "exactly one of value_uM"),
    ({"no_effect_up_to_uM": ">10"}, "no_effect_up_to_uM"),
    ({"compound": "ketamine?"}, "compound"),
])
def test_censored_values_must_be_explicit(tmp_path, override, message) -> None:
    path = write_csv(tmp_path / "a.csv", AFFINITY_HEADER, [[{**GOOD, **override}[c] for c in AFFINITY_HEADER]])
    with pytest.raises(DataValidationError, match=message) as info:
        load_rows("receptor_affinities", path=path, references=tiny_references("can2016"))
    assert info.value.problems[0].where.startswith("row 1")


def test_good_censored_row_loads(tmp_path) -> None:
    path = write_csv(tmp_path / "a.csv", AFFINITY_HEADER, [[GOOD[c] for c in AFFINITY_HEADER]])
    row = load_rows("receptor_affinities", path=path, references=tiny_references("can2016"))[0]
    assert row.value_uM is None and row.no_effect_up_to_uM == 10


@pytest.fixture(scope="module")
def frames():
    return load_dataset("receptor_affinities"), load_dataset("concentration_ranges")


def test_affinity_row_fails_loudly_on_an_ambiguous_selection(frames) -> None:
    affinities, _ = frames
    with pytest.raises(ValueError, match="found 2"):
        affinity_row(affinities, "nicotinic", "racemic_ketamine", "coates2001")


def test_occupancy_figure_curves_and_nmda_dropdown(frames) -> None:
    affinities, ranges = frames
    fig = occupancy_figure(affinities, ranges)
    nmda = fig.data[0]
    x = np.array(nmda.x)
    assert np.allclose(nmda.y, 100 * x / (x + 0.5), atol=0.06)
    menu = fig.layout.updatemenus[0]
    assert len(menu.buttons) == len(NMDA_OPTIONS)
    seeman = next(b for b in menu.buttons if "3.1" in b.label)
    assert np.allclose(seeman.args[0]["y"][0], 100 * x / (x + 3.1), atol=0.06)
    assert fig.data[1].visible == "legendonly", "the disputed D2High curve is drawn only on request"
    censored = next(t for t in fig.data if "no binding up to" in t.name)
    assert max(censored.x) == 10 and set(censored.y) == {0}
    assert fig.layout.xaxis.type == "log" and "µM" in fig.layout.xaxis.title.text
    assert len(fig.to_json()) < 60_000


def test_occupancy_table_gives_bounds_for_censored_values(frames) -> None:
    table = occupancy_table(*frames)
    peak_col = next(c for c in table.columns if "antidepressant" in c)
    kapur = table[(table["Target"] == "NMDA receptor") & (table["Source"] == "Kapur & Seeman 2002")]
    assert kapur[peak_col].item() == "61%"
    d1 = table[table["Target"] == "Dopamine D1–D5"]
    assert all(v == f"below {100 * 0.78 / 10.78:.0f}% (upper bound)" for v in d1[peak_col])


def test_affinity_figure_draws_censored_values_as_arrows(frames) -> None:
    affinities, ranges = frames
    fig = affinity_figure(affinities, ranges)
    censored = [t for t in fig.data if t.mode == "markers+text"]
    assert censored and all(t.marker.symbol == "triangle-right-open" for t in censored)
    n_censored = int(affinities["no_effect_up_to_uM"].notna().sum())
    assert sum(len(t.x) for t in censored) == n_censored
    assert sum(len(t.x) for t in fig.data) == len(affinities)
    disputed = [s for t in fig.data if t.mode == "markers" for s in t.marker.symbol if s.endswith("-open")]
    assert len(disputed) == int(affinities["disputed"].sum())
    table = affinity_table(affinities)
    assert len(table) == len(affinities) and table["Value (µM)"].str.contains(">").sum() == n_censored
    assert not math.isnan(fig.layout.xaxis.range[0])


def test_concentration_table_shows_published_and_recomputed_micromolar() -> None:
    ranges = load_dataset("concentration_ranges")
    table = concentration_table(ranges)
    peak = table[table["Effect"] == "Antidepressant infusion (peak)"].iloc[0]
    assert peak["Plasma concentration (ng/mL)"] == "185"
    assert peak["Published (µM)"] == "0.78" and peak["ng/mL ÷ 237.7 (µM)"] == "0.78"
    assert table.loc[table["Effect"] == "General anaesthesia", "Plasma concentration (ng/mL)"].iloc[0] == "1200–2400"
