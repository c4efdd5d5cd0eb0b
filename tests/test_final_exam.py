"""The final exam (lesson 8): built from the banks with a fixed seed, committed without answers, key on demand only."""

from __future__ import annotations

import json
import stat

import nbformat
import pytest

from ketamine_course.cli import main
from ketamine_course.instructor.answer_key import load_answer_key
from ketamine_course.instructor.assign import answer_leaks
from ketamine_course.instructor.final_exam import (
    EXAM_ID,
    MIN_QUESTIONS,
    FinalExamError,
    draw_exam,
    exam_banks,
    exam_files,
    exam_is_current,
    exam_notebook,
    exam_overview,
    write_answer_key,
)
from ketamine_course.paths import course_root, lessons_dir
from ketamine_course.quiz.bank import bank_paths
from ketamine_course.quiz.grading import correct_response, grade

FILES = exam_files()


def test_committed_exam_matches_the_banks() -> None:
    assert exam_is_current(), ("lessons/08-final-exam.json is out of date: run `ketamine-course final-exam --update` "
                               "and `ketamine-course regenerate 08-final-exam`")


def test_exam_is_deterministic_and_large_enough() -> None:
    first, second = draw_exam(), draw_exam()
    assert [e.id for e in first] == [e.id for e in second]
    assert len(first) >= MIN_QUESTIONS


def test_exam_covers_every_lesson_bank_and_not_the_capstone() -> None:
    lesson_banks = {p.stem for p in bank_paths() if p.stem[:2] in {f"{n:02d}" for n in range(8)}}
    drawn = {e.bank.bank for e in draw_exam()}
    assert drawn == lesson_banks
    assert "08-capstone" not in drawn
    assert {b.bank for b in exam_banks()} == lesson_banks


def test_overview_counts_every_question() -> None:
    table = exam_overview()
    assert table.iloc[-1]["Questions"] == len(draw_exam()) == table.iloc[:-1]["Questions"].sum()


def test_committed_files_hold_no_answers() -> None:
    chosen = draw_exam()
    for path in (FILES.notebook, FILES.assignment):
        leaks = answer_leaks(path.read_text(encoding="utf-8"), chosen)
        assert not leaks, f"{path.name} contains answers: {leaks}"


def test_no_answer_key_anywhere_in_the_repository_folders() -> None:
    for folder in (lessons_dir(), course_root() / "quizzes", course_root() / "data", course_root() / "docs"):
        assert not list(folder.rglob("*answer-key*")), f"an answer key in {folder}"


def test_exam_notebook_runs_the_committed_assignment() -> None:
    nb = nbformat.read(FILES.notebook, as_version=4)
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert f'assessment_quiz("{EXAM_ID}.json")' in sources or f"assessment_quiz('{EXAM_ID}.json')" in sources
    assert "practice_quiz" not in sources
    assert nb.metadata["ketamine_course"] == {"assignment_id": EXAM_ID, "practice": False}
    fresh = exam_notebook(draw_exam())
    assert [c.source for c in nb.cells] == [c.source for c in fresh.cells], "run ketamine-course final-exam --update"


def test_exam_notebook_guard_refuses_answers() -> None:
    chosen = draw_exam()
    nb = exam_notebook(chosen)
    nb.cells[0].source += "\n\n" + chosen[0].question.explanation
    with pytest.raises(RuntimeError, match="contains answers"):
        from ketamine_course.instructor.assign import check_no_answers

        check_no_answers(nb, type("Ctx", (), {"chosen": chosen})())


def test_answer_key_is_written_outside_lessons_only(tmp_path) -> None:
    with pytest.raises(FinalExamError, match="inside"):
        write_answer_key(lessons_dir() / "key.json")
    assert not (lessons_dir() / "key.json").exists()
    path = write_answer_key(tmp_path / "keys" / "exam.answer-key.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = load_answer_key(path)
    assert [q.question["id"] for q in key.questions] == [e.id for e in draw_exam()]
    assignment = json.loads(FILES.assignment.read_text(encoding="utf-8"))
    assert key.model_dump(mode="json")["sources"] == assignment["sources"]


def test_key_grades_correct_answers_full_marks(tmp_path) -> None:
    key = load_answer_key(write_answer_key(tmp_path / "exam.answer-key.json"))
    for question in key.question_objects():
        assert grade(question, correct_response(question)).score == pytest.approx(1.0)


def test_cli_final_exam(tmp_path, capsys) -> None:
    assert main(["final-exam"]) == 0
    assert "matches" in capsys.readouterr().out
    assert main(["final-exam", "--key", str(lessons_dir() / "x.answer-key.json")]) == 1
    assert "inside" in capsys.readouterr().err
    assert main(["final-exam", "--key", str(tmp_path / "k.json")]) == 0
    assert (tmp_path / "k.json").exists()


def test_out_of_date_exam_refuses_a_key(tmp_path) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    data = json.loads(FILES.assignment.read_text(encoding="utf-8"))
    data["questions"] = data["questions"][1:]
    (folder / f"{EXAM_ID}.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FinalExamError, match="does not match"):
        write_answer_key(tmp_path / "key.json", folder=folder)
    assert not (tmp_path / "key.json").exists()


def test_student_submission_of_the_committed_exam_grades_with_the_key(tmp_path) -> None:
    """The whole path: the committed exam in assessment mode → Submit → `ketamine-course grade` with the key."""
    import csv

    from ketamine_course.quiz.session import assessment_quiz

    key = load_answer_key(write_answer_key(tmp_path / "key.json"))
    quiz = assessment_quiz(FILES.assignment, submissions_dir=tmp_path / "subs")
    assert all(q.check_button is None for q in quiz.questions)
    questions = key.question_objects()
    for question in questions[1:]:  # the first is left blank
        response = correct_response(question)
        quiz.question(question.id).set_response(str(response) if question.type == "numeric" else response)
    quiz.student.value = "Test Student"
    quiz.submit_button.click()
    assert "\u2714 Submitted" in quiz.submission_status.value
    assert main(["grade", str(tmp_path / "subs"), "--key", str(tmp_path / "key.json"), "--out",
                 str(tmp_path / "grades")]) == 0
    with (tmp_path / "grades" / "gradebook.csv").open(encoding="utf-8-sig") as handle:
        row = next(csv.DictReader(handle))
    assert float(row["total"]) == pytest.approx(len(questions) - 1)
