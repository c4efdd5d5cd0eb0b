"""The answer key of an assignment: the full questions (answers, explanations) and the banks they came from.

It is written beside — never inside — the folder handed to students. The grader needs only this file and the
submissions: questions are stored whole, so later edits to a bank cannot change the grades of an old assignment, and
the bank fingerprints recorded here are what every submission must carry.
"""

from __future__ import annotations

import json
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

    def fail(where: str, field: str | None, message: str) -> CourseFileError:
        return CourseFileError([Problem(shown, where, field, message)], what="answer key")

    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise fail("file", None, "file not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail("file", None, f"not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != ANSWER_KEY_FORMAT:
        raise fail("file", "format", "not an answer key (pass the *.answer-key.json file written by "
                   "'ketamine-course assign', not the student's assignment JSON)")
    try:
        return AnswerKey.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(shown, "key", ".".join(map(str, e["loc"])) or None, e["msg"]) for e in exc.errors()]
        raise CourseFileError(problems, what="answer key") from None
