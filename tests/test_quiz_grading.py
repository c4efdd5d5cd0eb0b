"""Grading edge cases for every question type (pure functions, no widgets)."""

from __future__ import annotations

import pytest

from ketamine_course.quiz.grading import ResponseError, correct_response, grade, parse_number
from tests.quiz_fixtures import sample_bank


@pytest.fixture
def bank(tmp_path):
    return sample_bank(tmp_path)


def test_correct_responses_score_full_marks(bank) -> None:
    for question in bank.questions:
        result = grade(question, correct_response(question))
        assert result.correct and result.score == pytest.approx(1.0), question.id


def test_no_answer_scores_zero(bank) -> None:
    for question in bank.questions:
        result = grade(question, None)
        assert result.score == 0 and not result.correct and result.verdict == "Not correct"


def test_single_choice(bank) -> None:
    question = bank.question("q-single")
    assert grade(question, "a").score == 0
    assert grade(question, "a").choice_feedback == ["A is a distractor."]
    with pytest.raises(ResponseError, match="not one of its choice ids"):
        grade(question, "z")
    with pytest.raises(ResponseError):
        grade(question, ["b"])


@pytest.mark.parametrize(
    ("ticked", "expected"),
    [
        (["a", "e"], 1.0),  # both right
        (["a"], 0.5),  # half the right ones
        (["a", "e", "b"], 0.5),  # 1 − 1/2 for one of two wrong choices
        (["a", "b", "e", "k"], 0.0),  # ticking everything never scores
        (["b", "k"], 0.0),  # only wrong: floored at 0
        (["a", "b"], 0.0),  # 1/2 − 1/2
        ([], 0.0),
    ],
)
def test_multiple_answers_penalise_wrong_ticks(bank, ticked, expected) -> None:
    result = grade(bank.question("q-multi"), ticked)
    assert result.score == pytest.approx(expected)
    assert result.correct is (expected == 1.0)


def test_multiple_answers_reject_bad_shapes(bank) -> None:
    question = bank.question("q-multi")
    with pytest.raises(ResponseError, match="unknown choice id"):
        grade(question, ["a", "zz"])
    with pytest.raises(ResponseError, match="expected a list"):
        grade(question, "a")


@pytest.mark.parametrize(
    ("response", "correct"),
    [(35, True), (35.5, True), (34.5, True), ("35,2", True), (" 3.5e1 ", True), (35.50001, False), (34.4, False),
     ("\u221235", False)],
)
def test_numeric_uses_tolerance_never_equality(bank, response, correct) -> None:
    assert grade(bank.question("q-num"), response).correct is correct


def test_numeric_relative_tolerance(tmp_path) -> None:
    from ketamine_course.quiz.bank import NumericQuestion

    question = NumericQuestion(id="r", type="numeric", objectives=["o"], difficulty="easy", prompt="p",
                               explanation="e", references=["k"],
                               answer={"value": 0.1 + 0.2, "tolerance_rel": 0.01, "unit": "mg"})
    assert grade(question, 0.3).correct  # 0.1 + 0.2 != 0.3 in floating point, but within tolerance
    assert grade(question, 0.303).correct and not grade(question, 0.304).correct


@pytest.mark.parametrize("bad", ["thirty", "", "nan", "inf", True, [1]])
def test_numeric_rejects_non_numbers(bank, bad) -> None:
    with pytest.raises(ResponseError):
        grade(bank.question("q-num"), bad)


def test_parse_number_accepts_decimal_comma_and_minus_sign() -> None:
    assert parse_number("1,5") == 1.5
    assert parse_number("\u22122") == -2.0


def test_matching_gives_partial_credit(bank) -> None:
    question = bank.question("q-match")
    assert grade(question, {"ket": "s3", "her": "s1"}).correct
    half = grade(question, {"ket": "s3", "her": "s5"})
    assert half.score == pytest.approx(0.5) and not half.correct and half.verdict == "Partly correct"
    assert grade(question, {"ket": "s3"}).score == pytest.approx(0.5)
    with pytest.raises(ResponseError):
        grade(question, {"ket": "s9"})
    with pytest.raises(ResponseError):
        grade(question, {"cocaine": "s3"})
    with pytest.raises(ResponseError):
        grade(question, ["s3", "s1"])
