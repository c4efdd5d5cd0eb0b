"""Grading: a pure function of a question and a response. No widgets, no I/O; used by the quiz widget, the static
page's answer check builder, and the instructor's grader alike.

Scoring rules (each question is worth 1 point):

- single choice: 1 for the correct choice, else 0.
- multiple answers: +1/k per correct choice ticked, −1/(n−k) per wrong choice ticked (k correct of n), floored at 0;
  so ticking everything scores 0, never full marks.
- numeric: 1 when ``|x − value| ≤ max(tolerance_abs, tolerance_rel·|value|)`` (never ``==`` on floats), else 0.
- matching: the fraction of items matched to their option.

A response of the wrong shape raises :class:`ResponseError` (the grader reports it; it is never silently 0).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ketamine_course.quiz.bank import (
    MatchingQuestion,
    MultipleAnswerQuestion,
    NumericQuestion,
    Question,
    SingleChoiceQuestion,
)

SCORE_EPSILON = 1e-9


class ResponseError(ValueError):
    """A response that cannot be graded (wrong type, unknown choice id, not a number)."""


@dataclass(frozen=True)
class Grade:
    question_id: str
    score: float  # 0..1
    correct: bool  # full marks
    choice_feedback: list[str] = field(default_factory=list)  # per-choice feedback of the options picked

    @property
    def verdict(self) -> str:
        if self.correct:
            return "Correct"
        return "Partly correct" if self.score > 0 else "Not correct"


def parse_number(raw: Any) -> float:
    """A number from a float, int or text ('0.5', '1,5' with a decimal comma, ' 3e-2 '); bool is refused."""
    if isinstance(raw, bool):
        raise ResponseError("expected a number, got true/false")
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace("\u2212", "-")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise ResponseError(f"expected a number, got {raw!r}") from None
    else:
        raise ResponseError(f"expected a number, got {type(raw).__name__}")
    if not math.isfinite(value):
        raise ResponseError(f"expected a finite number, got {raw!r}")
    return value


def numeric_is_close(value: float, answer: float, tolerance_abs: float, tolerance_rel: float) -> bool:
    return math.isclose(value, answer, rel_tol=tolerance_rel, abs_tol=tolerance_abs)


def _choice_ids(question: SingleChoiceQuestion | MultipleAnswerQuestion) -> set[str]:
    return {c.id for c in question.choices}


def grade(question: Question, response: Any) -> Grade:
    """Grade one response. ``None`` (no answer) scores 0; a malformed response raises :class:`ResponseError`."""
    if response is None:
        return Grade(question.id, 0.0, False)
    if isinstance(question, SingleChoiceQuestion):
        if not isinstance(response, str) or response not in _choice_ids(question):
            raise ResponseError(f"question {question.id}: {response!r} is not one of its choice ids")
        picked = next(c for c in question.choices if c.id == response)
        return Grade(question.id, 1.0 if picked.correct else 0.0, picked.correct,
                     [picked.feedback] if picked.feedback else [])
    if isinstance(question, MultipleAnswerQuestion):
        if isinstance(response, str) or not isinstance(response, list | tuple | set | frozenset):
            raise ResponseError(f"question {question.id}: expected a list of choice ids, got {type(response).__name__}")
        ticked = set(response)
        unknown = ticked - _choice_ids(question)
        if unknown:
            raise ResponseError(f"question {question.id}: unknown choice id(s) {sorted(unknown)}")
        correct = {c.id for c in question.choices if c.correct}
        wrong = _choice_ids(question) - correct
        score = len(ticked & correct) / len(correct) - len(ticked & wrong) / len(wrong)
        score = max(0.0, min(1.0, score))
        feedback = [c.feedback for c in question.choices if c.id in ticked and c.feedback]
        return Grade(question.id, score, score > 1 - SCORE_EPSILON, feedback)
    if isinstance(question, NumericQuestion):
        value = parse_number(response)
        a = question.answer
        ok = numeric_is_close(value, a.value, a.tolerance_abs, a.tolerance_rel)
        return Grade(question.id, 1.0 if ok else 0.0, ok)
    if isinstance(question, MatchingQuestion):
        if not isinstance(response, Mapping):
            raise ResponseError(f"question {question.id}: expected a mapping item → option, got "
                                f"{type(response).__name__}")
        item_ids = {i.id for i in question.items}
        option_ids = {o.id for o in question.options}
        bad_items = set(response) - item_ids
        bad_options = {v for v in response.values() if v is not None} - option_ids
        if bad_items or bad_options:
            raise ResponseError(f"question {question.id}: unknown item(s) {sorted(bad_items)} or option(s) "
                                f"{sorted(map(str, bad_options))}")
        right = sum(1 for item in question.items if response.get(item.id) == item.answer)
        score = right / len(question.items)
        return Grade(question.id, score, right == len(question.items))
    raise TypeError(f"unknown question type {type(question).__name__}")  # pragma: no cover - schema forbids it


def correct_response(question: Question) -> Any:
    """The response that scores full marks (for answer keys and tests)."""
    if isinstance(question, SingleChoiceQuestion):
        return question.correct_ids[0]
    if isinstance(question, MultipleAnswerQuestion):
        return sorted(question.correct_ids)
    if isinstance(question, NumericQuestion):
        return question.answer.value
    if isinstance(question, MatchingQuestion):
        return {item.id: item.answer for item in question.items}
    raise TypeError(type(question).__name__)  # pragma: no cover
