"""What each simulated student answers, and the scores those answers must get — computed here with exact fractions
from the answer key's questions, not by the course's grader.

Responses are in the shape the quiz widgets produce (``QuestionWidget.response()``): a choice id; a sorted list of
ticked ids; the typed text of a number; a mapping of every item to an option. Every student's plan is different (the
last practice check is a wrong number unique to the student), so a store or submission holding someone else's answers
cannot pass for the owner's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ketamine_course.instructor.answer_key import AnswerKey
from ketamine_course.quiz.bank import (
    Bank,
    MatchingQuestion,
    MultipleAnswerQuestion,
    NumericQuestion,
    Question,
    SingleChoiceQuestion,
)

LESSON = "00-start-here"
ASSIGNMENT = "hub-quiz"
SPECIAL_NAMES = ["Nguyễn, Thị Ánh", "O'Brien, Seán", "李雷"]
KINDS = ["right", "right", "wrong", "partial", "blank"]


@dataclass
class StudentPlan:
    """One student: hub user name, the name typed on Submit, practice checks in order, assessment responses."""

    user: str
    student: str
    practice: list[tuple[str, Any]]
    assessment: dict[str, Any]


def widget_response(question: Question, kind: str) -> Any:
    """A response of ``kind`` (right, wrong, partial, blank) as the widget returns it."""
    if kind == "blank":
        return None
    if isinstance(question, SingleChoiceQuestion):
        right = next(c.id for c in question.choices if c.correct)
        return right if kind in ("right", "partial") else next(c.id for c in question.choices if not c.correct)
    if isinstance(question, MultipleAnswerQuestion):
        correct = sorted(c.id for c in question.choices if c.correct)
        if kind == "right":
            return correct
        if kind == "partial":
            return correct[:1]
        return sorted(c.id for c in question.choices)  # everything ticked
    if isinstance(question, NumericQuestion):
        a = question.answer
        margin = max(a.tolerance_abs, a.tolerance_rel * abs(a.value))
        return f"{a.value:g}" if kind != "wrong" else f"{a.value + 3 * margin + 1:g}"
    if isinstance(question, MatchingQuestion):
        answer = {i.id: i.answer for i in question.items}
        if kind == "right":
            return answer
        first, second = question.items[0].id, question.items[1].id
        return dict(answer, **{first: answer[second], second: answer[first]})
    raise TypeError(question)


def expected_score(question: Question, response: Any) -> Fraction:
    """The score the course's rules give ``response`` (exact)."""
    if response is None:
        return Fraction(0)
    if isinstance(question, SingleChoiceQuestion):
        return Fraction(int(next(c for c in question.choices if c.id == response).correct))
    if isinstance(question, MultipleAnswerQuestion):
        correct = {c.id for c in question.choices if c.correct}
        wrong = {c.id for c in question.choices} - correct
        ticked = set(response)
        score = Fraction(len(ticked & correct), len(correct)) - Fraction(len(ticked & wrong), len(wrong))
        return min(Fraction(1), max(Fraction(0), score))
    if isinstance(question, NumericQuestion):
        a = question.answer
        return Fraction(int(abs(float(response) - a.value) <= max(a.tolerance_abs, a.tolerance_rel * abs(a.value))))
    if isinstance(question, MatchingQuestion):
        hits = sum(response.get(i.id) == i.answer for i in question.items)
        return Fraction(hits, len(question.items))
    raise TypeError(question)


def expected_scores(key: AnswerKey, responses: dict[str, Any]) -> dict[str, Fraction]:
    return {q.id: expected_score(q, responses.get(q.id)) for q in key.question_objects()}


def recorded(question: Question, response: Any) -> Any:
    """What the progress store records for a checked widget response (a typed number is parsed first)."""
    return float(response) if isinstance(question, NumericQuestion) else response


def class_plans(count: int, bank: Bank, key: AnswerKey, seed: int = 20261125) -> list[StudentPlan]:
    numeric = next(q for q in bank.questions if isinstance(q, NumericQuestion))
    plans = []
    for index in range(count):
        rng = random.Random(seed + index)
        practice = []
        for question in bank.questions:
            response = widget_response(question, rng.choice(["right", "wrong", "partial"]))
            practice.append((question.id, recorded(question, response)))
        practice.append((numeric.id, float(1000 + index)))  # a wrong number no one else types
        assessment = {q.id: widget_response(q, rng.choice(KINDS)) for q in key.question_objects()}
        student = SPECIAL_NAMES[index] if index < len(SPECIAL_NAMES) else f"Student {index + 1:02d}"
        plans.append(StudentPlan(f"student{index + 1:02d}", student, practice, assessment))
    return plans
