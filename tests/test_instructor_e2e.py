"""End to end: assign → 200 simulated students (right, wrong, partly right, blank) plus broken files → grade.

Expected scores are computed here from the scoring rules with exact fractions — not by calling the grader — and the
gradebook must equal them to its 4 printed decimals. Every broken file must be listed with a reason, and nothing
may crash.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from ketamine_course.cli import main
from ketamine_course.instructor.answer_key import load_answer_key
from ketamine_course.instructor.gradebook import format_score
from ketamine_course.quiz.bank import (
    MatchingQuestion,
    MultipleAnswerQuestion,
    NumericQuestion,
    Question,
    SingleChoiceQuestion,
)
from ketamine_course.quiz.submission import Submission, submission_path, write_json_atomically

ASSIGNMENT = "e2e-quiz"
DEADLINE = "2026-12-01T17:00:00+00:00"
ON_TIME = "2026-11-30T12:00:00+00:00"
SPECIAL_NAMES = ["Nguyễn, Thị Ánh", "O'Brien, Seán", "Müller, Jürgen", "李雷", "=HYPERLINK(\"x\")", "Zoë \"Z\" Smith"]


def simulated_response(question: Question, rng: random.Random) -> tuple[object, Fraction]:
    """A response of a random kind and the score the rules give it (exact)."""
    kind = rng.choice(["right", "right", "wrong", "partial", "blank"])
    if kind == "blank":
        return None, Fraction(0)
    if isinstance(question, SingleChoiceQuestion):
        right = next(c.id for c in question.choices if c.correct)
        if kind == "right":
            return right, Fraction(1)
        return rng.choice([c.id for c in question.choices if not c.correct]), Fraction(0)
    if isinstance(question, MultipleAnswerQuestion):
        correct = [c.id for c in question.choices if c.correct]
        wrong = [c.id for c in question.choices if not c.correct]
        k, w = len(correct), len(wrong)
        if kind == "right":
            return sorted(correct), Fraction(1)
        if kind == "wrong":
            return [*correct, *wrong], Fraction(0)  # ticking everything never scores
        if rng.random() < 0.5:
            return correct[:1], Fraction(1, k)  # one of the right ticks only
        picked = [*correct, *wrong[:1]]  # all right ticks and one wrong tick
        return picked, max(Fraction(0), 1 - Fraction(1, w))
    if isinstance(question, NumericQuestion):
        a = question.answer
        margin = max(a.tolerance_abs, a.tolerance_rel * abs(a.value))
        if kind == "right":
            return a.value, Fraction(1)
        if kind == "partial":  # inside the tolerance, typed with a decimal comma
            return f"{a.value + margin / 2}".replace(".", ","), Fraction(1)
        return a.value + 3 * margin + 1, Fraction(0)
    if isinstance(question, MatchingQuestion):
        answer = {i.id: i.answer for i in question.items}
        n = len(question.items)
        if kind == "right":
            return answer, Fraction(1)
        if kind == "partial":
            first, second = question.items[0], question.items[1]
            swapped = dict(answer, **{first.id: second.answer, second.id: first.answer})
            return swapped, Fraction(n - 2, n)
        return {i.id: None for i in question.items}, Fraction(0)
    raise TypeError(question)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("e2e")
    assert main(["assign", ASSIGNMENT, "--title", "E2E quiz", "--lesson", "00", "--seed", "7", "--deadline",
                 DEADLINE, "--out", str(root / "students"), "--key", str(root / "key.json")]) == 0
    key = load_answer_key(root / "key.json")
    questions = {q.id: q for q in key.question_objects()}
    folder = root / "collected"
    rng = random.Random(20261125)
    expected: dict[str, dict[str, Fraction]] = {}
    students = [*SPECIAL_NAMES, *(f"Student {i:03d}" for i in range(200 - len(SPECIAL_NAMES)))]
    for student in students:
        responses, scores = {}, {}
        for qid, question in questions.items():
            responses[qid], scores[qid] = simulated_response(question, rng)
        expected[student] = scores
        sub = Submission(assignment_id=ASSIGNMENT, student=student, submitted_at=ON_TIME, sources=key.sources,
                         responses=responses)
        write_json_atomically(submission_path(folder, ASSIGNMENT, student), sub.model_dump(mode="json"))

    # An earlier, all-blank attempt by one student: superseded by the later one (which must count).
    early = Submission(assignment_id=ASSIGNMENT, student="Student 010", submitted_at="2026-11-29T08:00:00+00:00",
                       sources=key.sources, responses={})
    write_json_atomically(folder / "early-attempt.json", early.model_dump(mode="json"))

    good = json.loads(submission_path(folder, ASSIGNMENT, "Student 001").read_text(encoding="utf-8"))

    def variant(name: str, **changes) -> None:
        data = json.loads(json.dumps(good))
        data.update(changes)
        data["student"] = f"Broken {name}"
        (folder / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")

    first_q = next(iter(questions))
    single_q = next(q for q in questions.values() if isinstance(q, SingleChoiceQuestion))
    text = submission_path(folder, ASSIGNMENT, "Student 002").read_text(encoding="utf-8")
    (folder / "truncated.json").write_text(text[: len(text) // 2], encoding="utf-8")
    (folder / "corrupt.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe garbage")
    (folder / "empty.json").write_bytes(b"")
    (folder / "foreign.json").write_text(json.dumps({"cells": [], "nbformat": 4}), encoding="utf-8")
    variant("wrong-assignment", assignment_id="another-quiz")
    variant("unknown-question", responses={**good["responses"], "not-a-question": "a"})
    variant("fingerprint", sources=[dict(s, fingerprint="000000000000") for s in good["sources"]])
    variant("late", submitted_at="2026-12-02T09:00:00+00:00")
    variant("malformed-response", responses={**good["responses"], single_q.id: "no-such-choice"})
    variant("no-time-zone", submitted_at="2026-11-30T12:00:00")
    shutil.copy(submission_path(folder, ASSIGNMENT, "Student 003"), folder / "copy-of-student-003.json")
    (folder / "notes.txt").write_text("not a submission", encoding="utf-8")
    assert first_q

    assert main(["grade", str(folder), "--key", str(root / "key.json"), "--out", str(root / "grades")]) == 0
    return {"root": root, "expected": expected, "key": key, "grades": root / "grades"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_gradebook_totals_equal_expected_scores_exactly(graded) -> None:
    rows = read_csv(graded["grades"] / "gradebook.csv")
    expected = graded["expected"]
    assert len(rows) == 200
    by_student = {r["student"].removeprefix("'") if r["student"].startswith("'=") else r["student"]: r for r in rows}
    assert set(by_student) == set(expected)  # names with commas, quotes and non-ASCII letters survived
    question_ids = [q["question"]["id"] for q in graded["key"].model_dump()["questions"]]
    for student, scores in expected.items():
        row = by_student[student]
        for qid in question_ids:
            assert row[qid] == format_score(float(scores[qid])), (student, qid)
        total = sum(scores.values(), Fraction(0))
        assert row["total"] == format_score(float(total)), student
        assert row["max_points"] == str(len(question_ids))
        assert row["percent"] == f"{100 * float(total) / len(question_ids):.2f}"
    assert by_student["=HYPERLINK(\"x\")"]["student"].startswith("'")  # not run as a formula by a spreadsheet


def test_every_broken_file_is_listed_with_its_reason(graded) -> None:
    rows = {r["file"]: r for r in read_csv(graded["grades"] / "not-counted.csv")}
    reasons = {
        "truncated.json": "not valid JSON",
        "corrupt.json": "not UTF-8",
        "empty.json": "empty file",
        "foreign.json": "foreign file",
        "wrong-assignment.json": "for assignment 'another-quiz'",
        "unknown-question.json": "unknown question id(s) not-a-question",
        "fingerprint.json": "fingerprint mismatch",
        "late.json": "after the deadline",
        "malformed-response.json": "malformed response",
        "no-time-zone.json": "no time zone",
        "notes.txt": "ignored",
        "early-attempt.json": "superseded by",
    }
    for name, reason in reasons.items():
        assert name in rows, name
        assert reason in rows[name]["reason"] or reason == rows[name]["category"], (name, rows[name])
    duplicate = [r for r in rows.values() if r["category"] == "duplicate"]
    assert len(duplicate) == 1 and "duplicate of" in duplicate[0]["reason"]
    assert len(rows) == len(reasons) + 1


def test_item_analysis_and_chart_are_written(graded) -> None:
    stats = read_csv(graded["grades"] / "item-analysis.csv")
    assert len(stats) == len(graded["key"].questions)
    for row in stats:
        assert 0 <= float(row["percent_correct"]) <= 100
        assert row["item_rest_r"] == "" or -1 <= float(row["item_rest_r"]) <= 1
    page = (graded["grades"] / "item-analysis.html").read_text(encoding="utf-8")
    assert "plotly" in page.lower() and "Item analysis" in page and len(page) > 1_000_000  # plotly.js inlined


def test_grading_reads_but_never_executes(graded, tmp_path) -> None:
    """A submission whose strings look like code is graded as data (it only scores 0)."""
    key = graded["key"]
    folder = tmp_path / "sub"
    evil = Submission(assignment_id=ASSIGNMENT, student="__import__('os').system('touch pwned')",
                      submitted_at=ON_TIME, sources=key.sources,
                      responses={q["question"]["id"]: None for q in key.model_dump()["questions"]})
    write_json_atomically(folder / "evil.json", evil.model_dump(mode="json"))
    assert main(["grade", str(folder), "--key", str(graded["root"] / "key.json"), "--out", str(tmp_path / "g")]) == 0
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()
    assert read_csv(tmp_path / "g" / "gradebook.csv")[0]["total"] == "0"


def test_edge_cases_empty_folder_bom_and_wrong_key(graded, tmp_path, capsys) -> None:
    key_path = str(graded["root"] / "key.json")
    (tmp_path / "empty").mkdir()
    assert main(["grade", str(tmp_path / "empty"), "--key", key_path, "--out", str(tmp_path / "g0")]) == 0
    assert read_csv(tmp_path / "g0" / "gradebook.csv") == []
    assert {r["flag"] for r in read_csv(tmp_path / "g0" / "item-analysis.csv")} == {"no submissions"}
    # a file re-saved with a byte-order mark is still read
    source = submission_path(graded["root"] / "collected", ASSIGNMENT, "Student 004")
    (tmp_path / "bom").mkdir()
    (tmp_path / "bom" / "s.json").write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    assert main(["grade", str(tmp_path / "bom"), "--key", key_path, "--out", str(tmp_path / "g1")]) == 0
    assert [r["student"] for r in read_csv(tmp_path / "g1" / "gradebook.csv")] == ["Student 004"]
    # the student's assignment JSON passed as the key: one clear problem, exit code 1
    capsys.readouterr()
    wrong = str(graded["root"] / "students" / f"{ASSIGNMENT}.json")
    assert main(["grade", str(tmp_path / "empty"), "--key", wrong]) == 1
    err = capsys.readouterr().err
    assert "1 problem" in err and "not an answer key" in err
