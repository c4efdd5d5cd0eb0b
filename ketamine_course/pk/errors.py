"""The one error type of the PK package: bad input, with the parameter named first in the message."""

from __future__ import annotations


class PKInputError(ValueError):
    """Invalid input to the PK model; ``parameter`` names the offending argument (e.g. ``"weight_kg"``)."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


def require_positive(parameter: str, value: float, allow_zero: bool = False) -> float:
    """``value`` as a float if it is a finite number > 0 (or ≥ 0 with ``allow_zero``); else PKInputError."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise PKInputError(parameter, f"must be a number (got {value!r})") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise PKInputError(parameter, f"must be finite (got {value!r})")
    if number < 0 or (number == 0 and not allow_zero):
        bound = "≥ 0" if allow_zero else "> 0"
        raise PKInputError(parameter, f"must be {bound} (got {value!r})")
    return number
