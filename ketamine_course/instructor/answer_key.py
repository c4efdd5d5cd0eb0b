"""The answer key of an assignment: the full questions (answers, explanations) and the banks they came from.

It is written beside — never inside — the folder handed to students. The grader needs only this file and the
submissions: questions are stored whole, so later edits to a bank cannot change the grades of an old assignment, and
the bank fingerprints recorded here are what every submission must carry.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ketamine_course.errors import CourseFileError, Problem, display_path
from ketamine_course.quiz.bank import Question
from ketamine_course.quiz.grading import correct_response
from ketamine_course.quiz.submission import BankSource

ANSWER_KEY_FORMAT = "ketamine-course-answer-key"
ANSWER_KEY_VERSION = 1


@cache
def _question_adapter() -> TypeAdapter:
    return TypeAdapter(Question)


class KeyQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bank: str
    lesson: str
    question: dict[str, Any] = Field(description="The bank's question, whole (answer and explanation included).")
    correct_response: Any = Field(description="The response that scores full marks (for a human reader).")

    def parsed(self) -> Question:
        return _question_adapter().validate_python(self.question)


class AnswerKey(BaseModel):
    """Instructor-only: what each question of an assignment is and how it is graded."""

    model_config = ConfigDict(extra="forbid")
    format: str = Field(ANSWER_KEY_FORMAT, pattern=f"^{ANSWER_KEY_FORMAT}$")
    format_version: int = ANSWER_KEY_VERSION
    assignment_id: str
    title: str
    seed: str
    deadline: str | None = None
    sources: list[BankSource]
    questions: list[KeyQuestion]

    def question_objects(self) -> list[Question]:
        return [q.parsed() for q in self.questions]

    def by_id(self) -> dict[str, tuple[KeyQuestion, Question]]:
        return {q.question["id"]: (q, q.parsed()) for q in self.questions}


def key_question(bank_id: str, lesson: str, question: Question) -> KeyQuestion:
    return KeyQuestion(bank=bank_id, lesson=lesson, question=question.model_dump(mode="json"),
                       correct_response=correct_response(question))


def load_answer_key(path: Path) -> AnswerKey:
    """Read an answer key; a broken one raises :class:`CourseFileError` naming the file and the fields."""
    shown = display_path(path)
    try:
        return AnswerKey.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise CourseFileError([Problem(shown, "file", None, "file not found")], what="answer key") from None
    except ValidationError as exc:
        problems = [Problem(shown, "key", ".".join(map(str, e["loc"])) or None, e["msg"]) for e in exc.errors()]
        if any(p.field == "format" for p in problems):
            problems.insert(0, Problem(shown, "file", None, "not an answer key (pass the *.answer-key.json file "
                                       "written by 'ketamine-course assign', not the student's assignment JSON)"))
        raise CourseFileError(problems, what="answer key") from None
