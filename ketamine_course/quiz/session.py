"""Entry points the notebooks call: a practice quiz for a lesson, an assessment quiz for an assignment.

``practice_quiz("03-pharmacokinetics")`` → widget + static HTML, grading with the bank and recording every checked
attempt in the progress store. ``assessment_quiz("assignment.json")`` → widget with no feedback; Submit writes a
submission file (atomically) next to the notebook, in ``submissions/``.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from ketamine_course.quiz.bank import Bank, bank_for_lesson
from ketamine_course.quiz.feedback import feedback_html
from ketamine_course.quiz.grading import grade
from ketamine_course.quiz.progress import Attempt, ProgressStore, now_iso
from ketamine_course.quiz.public import public_views
from ketamine_course.quiz.static_html import quiz_html, quiz_plain_text
from ketamine_course.quiz.submission import (
    Assignment,
    Submission,
    submission_path,
    write_json_atomically,
)
from ketamine_course.quiz.widget import QuizWidget

SUBMISSIONS_ENV = "KETAMINE_COURSE_SUBMISSIONS_DIR"


def _lesson_bank(lesson: str) -> Bank:
    bank = bank_for_lesson(lesson)
    if bank is None:
        raise FileNotFoundError(f"no quiz bank for lesson {lesson!r} (expected quizzes/{lesson}.yaml)")
    return bank


def score_summary_html(bank: Bank, store: ProgressStore) -> str:
    best = store.best_scores(bank.bank)
    tried = len(best)
    total = sum(best.values())
    return (f'<p class="course-quiz-summary" role="status"><strong>Your progress on this quiz:</strong> '
            f"{tried} of {len(bank.questions)} questions checked; best score {total:.1f} of "
            f"{len(bank.questions)} (saved, also after a kernel restart).</p>")


def practice_quiz(lesson: str, question_ids: list[str] | None = None, store: ProgressStore | None = None,
                  title: str | None = None) -> QuizWidget:
    """The practice quiz of a lesson: immediate feedback with explanation and source, retries, saved progress."""
    bank = _lesson_bank(lesson)
    questions = [bank.question(q) for q in question_ids] if question_ids else list(bank.questions)
    views = public_views(bank, questions)
    title = title or f"Practice quiz: {bank.title}"
    store_holder: dict[str, ProgressStore] = {}

    def get_store() -> ProgressStore:  # opened lazily: displaying a quiz must not need a writable home folder
        if "store" not in store_holder:
            store_holder["store"] = store or ProgressStore()
        return store_holder["store"]

    def checker(question_id: str, response: Any) -> str:
        question = bank.question(question_id)
        result = grade(question, response)
        get_store().record(Attempt(now_iso(), bank.lesson, bank.bank, bank.version, question.id,
                                   tuple(question.objectives), response, result.score, result.correct, "practice"))
        return feedback_html(question, result)

    dom_prefix = bank.bank + ("-" + "-".join(question_ids) if question_ids else "")
    return QuizWidget(
        title=title,
        views=views,
        static_html=quiz_html(title, views, dom_prefix, bank=bank, questions=questions),
        plain_text=quiz_plain_text(title, views),
        checker=checker,
        summary=lambda: score_summary_html(bank, get_store()),
    )


def default_submissions_dir() -> Path:
    return Path(os.environ.get(SUBMISSIONS_ENV) or Path.cwd() / "submissions")


def assessment_quiz(assignment_file: str | Path, submissions_dir: str | Path | None = None) -> QuizWidget:
    """An assessment: questions only, no feedback; Submit writes ``submissions/<assignment>--<student>.json``."""
    path = Path(assignment_file)
    assignment = Assignment.model_validate_json(path.read_text(encoding="utf-8"))
    views = assignment.views()
    folder = Path(submissions_dir) if submissions_dir is not None else default_submissions_dir()
    widget_holder: dict[str, QuizWidget] = {}

    def submitter(responses: dict[str, Any]) -> str:
        quiz = widget_holder["quiz"]
        assert quiz.student is not None
        student = quiz.student.value.strip()
        submission = Submission(assignment_id=assignment.assignment_id, student=student, submitted_at=now_iso(),
                                sources=assignment.sources, responses=responses)
        target = submission_path(folder, assignment.assignment_id, student)
        write_json_atomically(target, submission.model_dump(mode="json"))
        answered = sum(1 for value in responses.values() if value is not None)
        return (f'<div role="status"><strong>\u2714 Submitted</strong> {answered} of {len(views)} answers at '
                f"{html.escape(submission.submitted_at)} to <code>{html.escape(str(target))}</code>. You may change "
                "answers and submit again; the latest submission counts.</div>")

    quiz = QuizWidget(
        title=assignment.title,
        views=views,
        static_html=quiz_html(assignment.title, views, assignment.assignment_id),
        plain_text=quiz_plain_text(assignment.title, views),
        submitter=submitter,
    )
    widget_holder["quiz"] = quiz
    return quiz
