"""The PK solver against closed forms, an independent ODE solver, and its own bookkeeping; bad input is named."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from ketamine_course.pk import (
    Dose,
    PKInputError,
    RouteSettings,
    disposition,
    dose_amount_mg,
    simulate,
    single_dose,
    weekly_regimen,
)
from ketamine_course.pk.dosing import ka_for_tmax
from ketamine_course.pk.simulate import system_matrix

MODELS = ["herd2007", "domino_opentiva"]


@pytest.mark.parametrize("name", MODELS)
def test_iv_bolus_starts_at_dose_over_central_volume(name: str) -> None:
    model = disposition(name, 80.0)
    result = simulate([Dose(0.0, 40.0, "iv_bolus")], model, t_end_min=60)
    assert result.conc_ng_per_ml[0] == pytest.approx(40.0 / model.v1_l * 1000, rel=1e-12)


def test_two_compartment_bolus_matches_biexponential_closed_form() -> None:
    model = disposition("herd2007", 70.0)
    k10, k12, k21, v1 = model.k10, model.k12, model.k21, model.v1_l
    s = k10 + k12 + k21
    alpha = (s + np.sqrt(s * s - 4 * k10 * k21)) / 2
    beta = (s - np.sqrt(s * s - 4 * k10 * k21)) / 2
    dose = 70.0
    t = np.arange(0, 601.0)
    closed = dose / v1 * ((alpha - k21) / (alpha - beta) * np.exp(-alpha * t)
                          + (k21 - beta) / (alpha - beta) * np.exp(-beta * t)) * 1000
    result = simulate([Dose(0.0, dose, "iv_bolus")], model, t_end_min=600)
    np.testing.assert_allclose(result.conc_ng_per_ml, closed, rtol=1e-9)


@pytest.mark.parametrize("name", MODELS)
def test_long_infusion_reaches_rate_over_clearance(name: str) -> None:
    model = disposition(name, 70.0)
    rate = 0.5  # mg/min
    days = 20 * 24 * 60  # long against the slowest half-life (≈ 2 h)
    result = simulate([Dose(0.0, rate * days, "iv_infusion", duration_min=days)], model, t_end_min=days, dt_min=60)
    assert result.conc_ng_per_ml[-1] == pytest.approx(rate / model.cl_l_per_min * 1000, rel=1e-9)


@pytest.mark.parametrize(("route", "f"), [("iv_bolus", 1.0), ("iv_infusion", 1.0), ("im", 0.93), ("oral", 0.2),
                                          ("intranasal", 0.13)])
def test_auc_is_f_dose_over_clearance(route: str, f: float) -> None:
    model = disposition("domino_opentiva", 70.0)
    dose = 35.0
    result = simulate(single_dose(dose, "mg", 70.0, route), model, t_end_min=5 * 24 * 60)
    expected = f * dose / model.cl_l_per_min * 1000 / 60  # ng·h/mL
    assert result.auc_ng_h_per_ml == pytest.approx(expected, rel=1e-6)
    # the exact AUC (eliminated / CL) agrees with integrating the curve itself (not for a bolus: this model's
    # first phase, t½ ≈ 0.4 min, is too fast for the trapezoid rule on a 1-min grid)
    if route != "iv_bolus":
        assert np.trapezoid(result.conc_ng_per_ml, result.time_min) / 60 == pytest.approx(expected, rel=2e-3)


@pytest.mark.parametrize("route", ["iv_bolus", "iv_infusion", "im", "intranasal", "oral"])
def test_mass_balance_holds_at_every_time(route: str) -> None:
    doses = weekly_regimen(0.5, "mg/kg", 70.0, per_week=3, weeks=1, route=route)
    result = simulate(doses, "domino_opentiva", t_end_min=7 * 24 * 60, dt_min=5)
    given = np.zeros_like(result.time_min)
    for dose in doses:
        if dose.route == "iv_infusion":
            given += dose.amount_mg * np.clip((result.time_min - dose.time_min) / dose.duration_min, 0, 1)
        else:
            given += dose.amount_mg * (result.time_min >= dose.time_min)
    np.testing.assert_allclose(result.mass_balance_mg(), given, atol=1e-9 * given.max())
    assert np.all(result.amounts_mg[:, :4] >= -1e-9)


def test_repeated_doses_are_the_sum_of_shifted_single_doses() -> None:
    model = disposition("herd2007", 60.0)
    regimen = weekly_regimen(0.5, "mg/kg", 60.0, per_week=2, weeks=2)
    step = 5.0
    end = 14 * 24 * 60.0
    together = simulate(regimen, model, t_end_min=end, dt_min=step).conc_ng_per_ml
    one = simulate(regimen[:1], model, t_end_min=end, dt_min=step).conc_ng_per_ml
    summed = np.zeros_like(one)
    for dose in regimen:
        shift = int(dose.time_min / step)
        summed[shift:] += one[: len(one) - shift]
    np.testing.assert_allclose(together, summed, rtol=1e-9, atol=1e-9 * one.max())


def test_agrees_with_solve_ivp_to_1e_6() -> None:
    model = disposition("domino_opentiva", 70.0)
    ka = 0.05
    doses = [Dose(0.0, 35.0, "iv_infusion", duration_min=40.0),
             Dose(90.5, 50.0, "oral", settings=RouteSettings(0.2, ka_per_min=ka)),
             Dose(200.25, 10.0, "iv_bolus")]
    result = simulate(doses, model, t_end_min=480, dt_min=1.0)
    a = system_matrix(model, [ka])[:6, :6]  # without the input-rate state: the infusion is an explicit forcing

    def rhs(t: float, x: np.ndarray) -> np.ndarray:
        dx = a @ x
        dx[0] += 35.0 / 40.0 if t < 40.0 else 0.0
        return dx

    # integrate piecewise between events so the solver never steps across a discontinuity
    x = np.zeros(6)
    pieces = [(0.0, 40.0, None), (40.0, 90.5, (5, 0.2 * 50.0)), (90.5, 200.25, (0, 10.0)), (200.25, 480.0, None)]
    times, values = [], []
    for start, stop, jump in pieces:
        grid = result.time_min[(result.time_min >= start) & (result.time_min < stop)]
        sol = solve_ivp(rhs, (start, stop), x, method="LSODA", t_eval=grid, rtol=1e-12, atol=1e-14)
        times.append(sol.t)
        values.append(sol.y[0])
        x = sol.y[:, -1] if len(sol.t) and sol.t[-1] == stop else solve_ivp(
            rhs, (start, stop), x, method="LSODA", rtol=1e-12, atol=1e-14).y[:, -1]
        if jump is not None:
            x = x.copy()
            x[jump[0]] += jump[1]
    reference = np.concatenate(values) / model.v1_l * 1000
    assert len(reference) == len(result.time_min) - 1
    np.testing.assert_allclose(result.conc_ng_per_ml[:-1], reference, rtol=1e-6, atol=1e-6 * reference.max())


def test_off_grid_bolus_is_exact() -> None:
    model = disposition("herd2007", 70.0)
    on = simulate([Dose(10.0, 20.0, "iv_bolus")], model, t_end_min=100, dt_min=0.5).conc_ng_per_ml
    off = simulate([Dose(9.7, 20.0, "iv_bolus")], model, t_end_min=100, dt_min=1.0).conc_ng_per_ml
    fine = simulate([Dose(9.7, 20.0, "iv_bolus")], model, t_end_min=100, dt_min=0.1).conc_ng_per_ml
    np.testing.assert_allclose(off, fine[::10], rtol=1e-9)
    assert not np.allclose(on[::2], off)


@pytest.mark.parametrize("tmax", [14.0, 15.0, 45.0])
def test_ka_reproduces_the_sourced_tmax(tmax: float) -> None:
    model = disposition("herd2007", 70.0)
    result = simulate([Dose(0.0, 10.0, "oral", settings=RouteSettings(0.2, tmax_min=tmax))], model,
                      t_end_min=180, dt_min=0.25)
    assert result.tmax_min == pytest.approx(tmax, abs=0.25)
    assert ka_for_tmax(model, tmax) > 0


def test_units_and_summaries() -> None:
    result = simulate(single_dose(0.5, "mg/kg", 70.0), "herd2007")
    assert result.conc_um.max() == pytest.approx(result.cmax_ng_per_ml / 237.725)
    assert result.tmax_min == 40.0  # a constant-rate infusion peaks when it stops
    peak = result.cmax_ng_per_ml
    assert result.time_above_min(peak * 2) == 0.0
    assert 0 < result.time_above_min(peak / 2) < 24 * 60
    assert dose_amount_mg(0.5, "mg/kg", 70) == 35.0 and dose_amount_mg(20, "mg", 70) == 20.0


def test_weekly_regimen_days() -> None:
    twice = weekly_regimen(0.5, per_week=2, weeks=2)
    assert [d.time_min / 1440 for d in twice] == [0, 3, 7, 10]
    assert [d.time_min / 1440 for d in weekly_regimen(0.5, per_week=3, weeks=1)] == [0, 2, 4]


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda: single_dose(-0.5), "dose"),
        (lambda: single_dose(0.0), "dose"),
        (lambda: single_dose(0.5, weight_kg=0), "weight_kg"),
        (lambda: disposition("herd2007", 0), "weight_kg"),
        (lambda: disposition("herd2007", 900), "weight_kg"),
        (lambda: single_dose(0.5, route="rectal"), "route"),
        (lambda: single_dose(0.5, dose_unit="g"), "dose_unit"),
        (lambda: single_dose(0.5, duration_min=0), "duration_min"),
        (lambda: weekly_regimen(0.5, per_week=5), "per_week"),
        (lambda: weekly_regimen(0.5, weeks=0), "weeks"),
        (lambda: weekly_regimen(0.5, weeks=1.5), "weeks"),
        (lambda: disposition("nope", 70), "model"),
        (lambda: RouteSettings(1.3, tmax_min=10), "bioavailability"),
        (lambda: RouteSettings(0.5), "ka_per_min"),
        (lambda: Dose(0.0, 10.0, "iv_bolus", duration_min=5), "duration_min"),
        (lambda: simulate([]), "doses"),
        (lambda: simulate(single_dose(0.5), dt_min=0.7, t_end_min=10), "dt_min"),
        (lambda: simulate(single_dose(0.5), t_end_min=-1), "t_end_min"),
        (lambda: simulate(single_dose("lots")), "dose"),
    ],
)
def test_bad_input_names_the_parameter(call, parameter: str) -> None:
    with pytest.raises(PKInputError) as info:
        call()
    assert info.value.parameter == parameter
    assert str(info.value).startswith(f"{parameter}: ")


def test_auc_to_infinity_is_what_a_long_simulation_reaches() -> None:
    from ketamine_course.pk import disposition, simulate, weekly_regimen
    from ketamine_course.pk.results import auc_to_infinity_ng_h_per_ml

    model = disposition("herd2007", 70.0)
    doses = weekly_regimen(0.5, "mg/kg", 70.0, route="im", per_week=2, weeks=1)
    long_run = simulate(doses, model, t_end_min=14 * 24 * 60.0, dt_min=5.0)
    assert auc_to_infinity_ng_h_per_ml(doses, model) == pytest.approx(long_run.auc_ng_h_per_ml, rel=1e-6)
    f = doses[0].absorption.bioavailability
    assert auc_to_infinity_ng_h_per_ml(doses, model) == pytest.approx(
        sum(d.amount_mg for d in doses) * f / model.cl_l_per_min * 1000 / 60, rel=1e-12)
