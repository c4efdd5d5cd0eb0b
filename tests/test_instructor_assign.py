"""Assignments: selection rules, the student notebook (executed with nbclient, as nbval would), no answers in any
file a student receives, the real submit path graded end to end, and the CLI's teaching --help."""

from __future__ import annotations

import dataclasses
import html
import json

import nbformat
import pytest
from nbclient import NotebookClient

from ketamine_course.cli import build_parser, main
from ketamine_course.instructor.answer_key import load_answer_key
from ketamine_course.instructor.assign import NotebookContext, answer_leaks, build_notebook, secret_texts
from ketamine_course.instructor.gradebook import grade_folder
from ketamine_course.instructor.selection import Criteria, SelectionError, entries, load_banks, select
from ketamine_course.quiz.grading import correct_response
from ketamine_course.quiz.session import SUBMISSIONS_ENV, assessment_quiz


@pytest.fixture(scope="module")
def pool():
    return entries(load_banks())


def test_selection_filters_draws_and_shuffles_deterministically(pool) -> None:
    easy = select(pool, Criteria(difficulties=("easy",), shuffle=False))
    assert easy and all(e.question.difficulty == "easy" for e in easy)
    numeric_or_matching = select(pool, Criteria(types=("numeric", "matching"), shuffle=False))
    assert {e.question.type for e in numeric_or_matching} == {"numeric", "matching"}
    by_objective = select(pool, Criteria(objectives=("control",), shuffle=False))
    assert all("control" in e.question.objectives for e in by_objective)
    first = [e.id for e in select(pool, Criteria(count=5, seed="s1"))]
    assert first == [e.id for e in select(pool, Criteria(count=5, seed="s1"))]  # same seed, same draw
    others = {tuple(e.id for e in select(pool, Criteria(count=5, seed=f"s{i}"))) for i in range(2, 8)}
    assert len(others) > 1 and len(first) == len(set(first)) == 5
    picked = select(pool, Criteria(ids=("us-schedule", "pcp-origin"), shuffle=False))
    assert [e.id for e in picked] == ["us-schedule", "pcp-origin"]


@pytest.mark.parametrize(("criteria", "message"), [
    (Criteria(ids=("nope",)), "unknown question id"),
    (Criteria(lessons=("99",)), "no question matches"),
    (Criteria(count=999), "cannot draw 999"),
])
def test_selection_errors_say_what_is_wrong(pool, criteria, message) -> None:
    with pytest.raises(SelectionError, match=message):
        select(pool, criteria)


def test_same_id_in_two_banks_is_refused(pool) -> None:
    twin = [*pool, *pool[:1]]
    with pytest.raises(SelectionError, match="more than one"):
        select(twin, Criteria(ids=(pool[0].id,)))


@pytest.fixture(scope="module")
def assignment(tmp_path_factory):
    root = tmp_path_factory.mktemp("assign")
    assert main(["assign", "week-1", "--title", "Week 1", "--lesson", "00", "--seed", "42", "--out",
                 str(root / "students")]) == 0
    return root


def test_files_handed_to_students_hold_no_answers(assignment, pool) -> None:
    folder = assignment / "students"
    assert sorted(p.name for p in folder.iterdir()) == ["week-1.ipynb", "week-1.json"]  # the key is elsewhere
    key = load_answer_key(assignment / "week-1.answer-key.json")
    chosen = [e for e in pool if e.id in {q.question["id"] for q in key.questions}]
    assert len(chosen) == len(key.questions) == 11
    for name in ("week-1.ipynb", "week-1.json"):
        text = (folder / name).read_text(encoding="utf-8")
        for entry in chosen:
            for secret in secret_texts(entry.question):
                assert secret not in text, (name, entry.id)
        for marker in ('"correct"', '"explanation"', '"feedback"', '"answer"', '"tolerance'):
            assert marker not in text, (name, marker)
    data = json.loads((folder / "week-1.json").read_text(encoding="utf-8"))
    assert data["format"] == "ketamine-course-assignment" and len(data["questions"]) == 11
    assert (folder / "week-1.json").stat().st_mode & 0o044  # readable by students on a shared hub
    assert not (assignment / "week-1.answer-key.json").stat().st_mode & 0o077  # the key: the instructor only


def test_answer_guard_catches_a_leak(pool) -> None:
    entry = next(e for e in pool if e.question.type == "single")
    ctx = NotebookContext("x", "X", "x.json", [entry])

    def leak(nb, ctx):
        nb.cells.append(nbformat.v4.new_markdown_cell(entry.question.explanation))
        return nb

    from ketamine_course.instructor.assign import ASSESSMENT_STEPS
    with pytest.raises(RuntimeError, match="contains answers"):
        build_notebook(ctx, [*ASSESSMENT_STEPS[:-1], leak, ASSESSMENT_STEPS[-1]])
    assert answer_leaks('{"correct": true}', [entry])


def test_answer_guard_sees_an_explanation_with_quotes_in_every_written_form(pool) -> None:
    """A notebook stores text JSON-escaped and an HTML output escapes quotes: the guard must see through both."""
    entry = next(e for e in pool if e.question.type == "single")
    tricky = entry.question.model_copy(update={"explanation": 'FDA said "not approved" — see <b>5.1</b>\nand more'})
    secret_entry = dataclasses.replace(entry, question=tricky)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(tricky.explanation)])
    written = nbformat.writes(nb)
    assert tricky.explanation not in written  # stored escaped: a plain substring test would miss it
    assert answer_leaks(written, [secret_entry])
    assert answer_leaks(html.escape(tricky.explanation), [secret_entry])
    assert answer_leaks(json.dumps({"html": html.escape(tricky.explanation)}), [secret_entry])
    assert not answer_leaks(nbformat.writes(nbformat.v4.new_notebook()), [secret_entry])


def _execute(path, env_dir, monkeypatch):
    monkeypatch.setenv(SUBMISSIONS_ENV, str(env_dir))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(path.parent)}},
                   allow_errors=False).execute()
    return nb


@pytest.mark.slow
def test_student_notebook_executes_and_shows_the_quiz(assignment, monkeypatch, tmp_path) -> None:
    nb = _execute(assignment / "students" / "week-1.ipynb", tmp_path, monkeypatch)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    quiz_html = next(o.data["text/html"] for o in outputs if "data-course-quiz" in o.get("data", {}).get("text/html",
                                                                                                         ""))
    assert "Week 1" in quiz_html and "Submit" in nbformat.writes(nb)
    key = load_answer_key(assignment / "week-1.answer-key.json")
    for kq in key.questions:
        assert kq.question["explanation"] not in nbformat.writes(nb)


@pytest.mark.slow
def test_practice_notebook_executes(tmp_path, monkeypatch) -> None:
    assert main(["assign", "self-check", "--question", "pcp-origin", "--question", "synthesis-year", "--practice",
                 "--out", str(tmp_path / "p")]) == 0
    nb = _execute(tmp_path / "p" / "self-check.ipynb", tmp_path, monkeypatch)
    text = nbformat.writes(nb)
    assert "Check" in text and "practice_quiz('00-start-here'" in text
    assert not (tmp_path / "self-check.answer-key.json").exists()


def test_real_submit_path_is_graded_full_marks(assignment, tmp_path) -> None:
    """assessment_quiz → Submit (the widget's own button) → grade: all-correct answers score every point."""
    key = load_answer_key(assignment / "week-1.answer-key.json")
    quiz = assessment_quiz(assignment / "students" / "week-1.json", submissions_dir=tmp_path)
    answers = {q.id: correct_response(q) for q in key.question_objects()}
    for widget in quiz.questions:
        widget.set_response(answers[widget.view.id])
    quiz.student.value = "Ana Lúcia, da Silva"
    quiz.submit_button.click()
    report = grade_folder(tmp_path, key)
    assert not report.not_counted
    [graded] = report.graded
    assert graded.student == "Ana Lúcia, da Silva" and graded.total == pytest.approx(len(answers))


def test_answer_key_must_stay_out_of_the_student_folder(tmp_path, capsys) -> None:
    assert main(["assign", "k", "--lesson", "00", "--out", str(tmp_path), "--key", str(tmp_path / "k.json")]) == 1
    assert "inside the student folder" in capsys.readouterr().err


def test_bad_deadline_is_refused(tmp_path, capsys) -> None:
    assert main(["assign", "d", "--lesson", "00", "--out", str(tmp_path / "s"), "--deadline", "2026-12-01"]) == 1
    assert "time zone" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["validate", "list", "assign", "grade", "export", "guide"])
def test_every_instructor_command_teaches_in_its_help(command) -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    text = sub.format_help()
    assert "Example" in text and f"ketamine-course {command}" in text and len(sub.description) > 80


def test_validate_exit_codes(tmp_path, capsys) -> None:
    assert main(["validate"]) == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text("bank: broken\ntitle: x\nlesson: x\nversion: 1\nobjectives: []\nquestions:\n  - id: q1\n"
                      "    type: single\n", encoding="utf-8")
    assert main(["validate", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "broken.yaml" in err and "question q1" in err and "objectives" in err


def test_list_as_csv(capsys) -> None:
    assert main(["list", "--type", "numeric", "--csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "lesson,bank,id,type,difficulty,objectives,prompt"
    assert all(",numeric," in line for line in lines[1:]) and len(lines) >= 2
