"""A deliberately simple model of how functional unblinding can add to an observed treatment effect (lesson 5).

ILLUSTRATION, NOT A FINDING: the numbers are chosen by the reader, not estimated from any trial.

Assumptions, stated so they can be argued with:

1. In each arm a share ``c`` of participants correctly guess their allocation (the same share in both arms);
   ``c = 0.5`` is what chance alone gives with 1:1 allocation and perfect blinding.
2. Believing you received the active drug adds ``expectancy`` points of improvement compared with believing you
   received placebo, whatever you actually received (an expectancy effect, in scale points).
3. The drug's own effect (``true_effect``) adds to that, and nothing else differs between arms.

Then the share believing "drug" is ``c`` in the drug arm and ``1 - c`` in the placebo arm, and

    observed difference = true_effect + expectancy * (c - (1 - c)) = true_effect + expectancy * (2c - 1).

Why this matters is argued in Muthukumaraswamy et al. (2021) (de-blinding and expectancy probably inflate effect sizes
in psychedelic trials, ketamine included) and shown indirectly by Wilkinson et al. (2019) (control arms respond
differently to midazolam and saline). The model says nothing about how large ``expectancy`` is in real trials.
"""

from __future__ import annotations

import math


class UnblindingInputError(ValueError):
    """Invalid model input; the message names the argument."""


def unblinding_bias(correct_guess: float, expectancy: float) -> float:
    """Points of the observed difference that come from unequal beliefs: expectancy * (2c - 1)."""
    if not isinstance(correct_guess, int | float) or math.isnan(correct_guess) or not 0 <= correct_guess <= 1:
        raise UnblindingInputError(f"correct_guess must be a proportion between 0 and 1, got {correct_guess!r}")
    if not isinstance(expectancy, int | float) or not math.isfinite(expectancy):
        raise UnblindingInputError(f"expectancy must be a finite number of scale points, got {expectancy!r}")
    return float(expectancy) * (2 * float(correct_guess) - 1)


def observed_difference(true_effect: float, correct_guess: float, expectancy: float) -> float:
    """true_effect + unblinding_bias(correct_guess, expectancy), in scale points."""
    if not isinstance(true_effect, int | float) or not math.isfinite(true_effect):
        raise UnblindingInputError(f"true_effect must be a finite number of scale points, got {true_effect!r}")
    return float(true_effect) + unblinding_bias(correct_guess, expectancy)


def share_from_unblinding(true_effect: float, correct_guess: float, expectancy: float) -> float | None:
    """Fraction of the observed difference that comes from unblinding; ``None`` when the observed difference is 0."""
    observed = observed_difference(true_effect, correct_guess, expectancy)
    if observed == 0:
        return None
    return unblinding_bias(correct_guess, expectancy) / observed
