"""The numbers in the PK engine are the numbers in the sourced data sets (one place to check against sources)."""

from __future__ import annotations

import pytest

from ketamine_course.datasets import load_dataset
from ketamine_course.pk import models
from ketamine_course.pk.dosing import DEFAULT_ROUTE_SETTINGS, INTRANASAL_HIGH_F


def _value(model: str, parameter: str) -> float:
    frame = load_dataset("pk_parameters")
    rows = frame[(frame["model"] == model) & (frame["parameter"] == parameter)]
    assert len(rows) == 1, (model, parameter)
    return float(rows["value"].iloc[0])


def test_herd_constants_match_data() -> None:
    assert models.HERD2007 == {"V1_L": _value("herd2007", "V1"), "V2_L": _value("herd2007", "V2"),
                               "CL_L_per_h": _value("herd2007", "CL"), "Q_L_per_h": _value("herd2007", "Q")}
    assert models.ALLOMETRIC_CLEARANCE_EXPONENT == _value("herd2007_opentiva", "clearance_exponent")


@pytest.mark.parametrize("parameter", ["k10", "k12", "k13", "k21", "k31"])
def test_domino_constants_match_data(parameter: str) -> None:
    assert models.DOMINO_OPENTIVA[parameter] == _value("domino_opentiva", parameter)
    # the independent copy (fus_anes) agrees to its 3 decimals
    assert models.DOMINO_OPENTIVA[parameter] == pytest.approx(_value("domino_fus_anes", parameter), abs=5e-4)
    assert models.DOMINO_OPENTIVA["V1_L_per_kg"] == _value("domino_opentiva", "V1")


def test_route_defaults_match_data() -> None:
    routes = load_dataset("route_bioavailability")

    def row(route: str, product: str):
        match = routes[(routes["route"] == route) & (routes["product"] == product)]
        assert len(match) == 1
        return match.iloc[0]

    im = row("im", "Ketalar (Swiss label)")
    assert DEFAULT_ROUTE_SETTINGS["im"].bioavailability == im["bioavailability_percent"] / 100
    assert DEFAULT_ROUTE_SETTINGS["im"].tmax_min == im["tmax_min"]
    nasal = row("intranasal", "intranasal 30 mg")
    assert DEFAULT_ROUTE_SETTINGS["intranasal"].bioavailability == nasal["bioavailability_percent"] / 100
    assert DEFAULT_ROUTE_SETTINGS["intranasal"].tmax_min == nasal["tmax_min"]
    assert INTRANASAL_HIGH_F.bioavailability == row("intranasal", "nasal spray 25 mg (3 volunteers)")[
        "bioavailability_percent"] / 100
    assert DEFAULT_ROUTE_SETTINGS["oral"].bioavailability == row("oral", "two 25 mg tablets")[
        "bioavailability_percent"] / 100
    assert DEFAULT_ROUTE_SETTINGS["oral"].tmax_min == row("sublingual", "25 mg sublingual wafer")["tmax_min"]


def test_molar_mass_is_the_free_base() -> None:
    assert models.KETAMINE_MOLAR_MASS_G_PER_MOL == 237.725
