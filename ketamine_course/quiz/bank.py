"""Question banks: YAML files in ``quizzes/``, one per lesson plus the final exam, validated by pydantic models.

A bank names the lesson's learning objectives and holds its questions. Each question has a stable id, the
objective(s) it assesses, a type (single choice, multiple answers, numeric with tolerance and unit, matching), a
Markdown prompt, the answer, an explanation (why, not just "correct"), reference keys and a difficulty.

Loading a broken bank raises :class:`BankError` listing *every* problem with file, question id and field — YAML
syntax errors with their line, schema errors, duplicate ids, answers that are not among the choices, unknown
objectives and unknown reference keys.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ketamine_course.errors import CourseFileError, Problem, display_path
from ketamine_course.paths import quizzes_dir
from ketamine_course.references import KEY_PATTERN, ReferenceList, course_references

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
BANK_SUFFIXES = (".yaml", ".yml")

Identifier = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
ReferenceKey = Annotated[str, Field(pattern=KEY_PATTERN)]
Difficulty = Literal["easy", "medium", "hard"]


class BankError(CourseFileError):
    """A quiz bank is invalid; every problem is listed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, what="quiz bank")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Choice(Strict):
    id: Identifier
    text: str = Field(min_length=1, description="Markdown")
    correct: bool = False
    feedback: str | None = Field(None, description="Shown when this choice is picked (practice mode).")


class MatchItem(Strict):
    id: Identifier
    text: str = Field(min_length=1)
    answer: Identifier = Field(description="id of the option this item matches")


class MatchOption(Strict):
    id: Identifier
    text: str = Field(min_length=1)


class NumericAnswer(Strict):
    value: float
    tolerance_abs: float = Field(0.0, ge=0.0, description="Accepted absolute distance from value.")
    tolerance_rel: float = Field(0.0, ge=0.0, lt=1.0, description="Accepted distance as a fraction of value.")
    unit: str = Field(min_length=1, description="Unit the answer is given in (shown to the student).")

    @model_validator(mode="after")
    def _some_tolerance(self) -> NumericAnswer:
        if self.tolerance_abs == 0.0 and self.tolerance_rel == 0.0:
            raise ValueError("give tolerance_abs or tolerance_rel (> 0): floats are never compared exactly")
        return self


class QuestionBase(Strict):
    id: Identifier
    objectives: list[Identifier] = Field(min_length=1)
    difficulty: Difficulty
    prompt: str = Field(min_length=1, description="Markdown with $maths$; raw HTML is shown as text.")
    explanation: str = Field(min_length=1, description="Why the answer is right, shown after checking.")
    references: list[ReferenceKey] = Field(min_length=1)


class SingleChoiceQuestion(QuestionBase):
    type: Literal["single"]
    choices: list[Choice] = Field(min_length=2)

    @model_validator(mode="after")
    def _one_correct(self) -> SingleChoiceQuestion:
        count = sum(c.correct for c in self.choices)
        if count != 1:
            raise ValueError(f"a single-choice question needs exactly one correct choice, found {count}")
        return self

    @property
    def correct_ids(self) -> list[str]:
        return [c.id for c in self.choices if c.correct]


class MultipleAnswerQuestion(QuestionBase):
    type: Literal["multiple"]
    choices: list[Choice] = Field(min_length=3)

    @model_validator(mode="after")
    def _some_correct(self) -> MultipleAnswerQuestion:
        count = sum(c.correct for c in self.choices)
        if count == 0:
            raise ValueError("a multiple-answer question needs at least one correct choice")
        if count == len(self.choices):
            raise ValueError("every choice is correct: add a wrong choice (otherwise ticking everything scores)")
        return self

    @property
    def correct_ids(self) -> list[str]:
        return [c.id for c in self.choices if c.correct]


class NumericQuestion(QuestionBase):
    type: Literal["numeric"]
    answer: NumericAnswer


class MatchingQuestion(QuestionBase):
    type: Literal["matching"]
    items: list[MatchItem] = Field(min_length=2)
    options: list[MatchOption] = Field(min_length=2)

    @model_validator(mode="after")
    def _answers_are_options(self) -> MatchingQuestion:
        option_ids = [o.id for o in self.options]
        if len(set(option_ids)) != len(option_ids):
            raise ValueError("duplicate option id")
        item_ids = [i.id for i in self.items]
        if len(set(item_ids)) != len(item_ids):
            raise ValueError("duplicate item id")
        unknown = [f"{i.id}→{i.answer}" for i in self.items if i.answer not in option_ids]
        if unknown:
            raise ValueError(f"answer(s) not among the options: {', '.join(unknown)}")
        return self


Question = Annotated[
    SingleChoiceQuestion | MultipleAnswerQuestion | NumericQuestion | MatchingQuestion,
    Field(discriminator="type"),
]
QUESTION_TYPES = ("single", "multiple", "numeric", "matching")


class Objective(Strict):
    id: Identifier
    text: str = Field(min_length=1, description="An assessable objective: 'Explain why…', 'Compute…'.")


class Bank(Strict):
    """A quiz bank: a lesson's objectives and questions (or the final exam's)."""

    bank: Identifier = Field(description="Bank id; equals the file name without extension.")
    title: str = Field(min_length=1)
    lesson: Identifier = Field(description="Lesson notebook stem, e.g. 03-pharmacokinetics, or final-exam.")
    version: int = Field(ge=1, description="Bumped whenever a question's answer changes (recorded in submissions).")
    objectives: list[Objective] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"bank {self.bank!r} has no question {question_id!r}")

    @property
    def fingerprint(self) -> str:
        """A short hash of the bank's content: tells a grader whether a submission saw these exact questions."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()
        return hashlib.sha256(payload).hexdigest()[:12]


def _yaml_problem(shown: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
    reason = getattr(exc, "problem", None) or str(exc)
    return Problem(shown, where, None, f"YAML syntax error: {reason}")


def _question_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"question {raw['id']}"
    return f"question #{index + 1}"


def _schema_problems(shown: str, raw: dict[str, Any], exc: ValidationError) -> list[Problem]:
    problems = []
    questions = raw.get("questions") if isinstance(raw.get("questions"), list) else []
    for err in exc.errors():
        loc = list(err["loc"])
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
            where = _question_label(questions[loc[1]] if loc[1] < len(questions) else None, loc[1])
            rest = [str(p) for p in loc[2:] if p not in QUESTION_TYPES]  # drop the union tag pydantic inserts
            field = ".".join(rest) or None
        else:
            where = "bank"
            field = ".".join(str(p) for p in loc) or None
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "union_tag_invalid":
            message = f"unknown question type {err['input'].get('type')!r}; expected one of {', '.join(QUESTION_TYPES)}"
        elif err["type"] == "union_tag_not_found":
            message = f"missing 'type'; expected one of {', '.join(QUESTION_TYPES)}"
        problems.append(Problem(shown, where, field, message))
    return problems


def _consistency_problems(shown: str, bank: Bank, path: Path, references: ReferenceList) -> list[Problem]:
    problems = []
    if bank.bank != path.stem:
        problems.append(Problem(shown, "bank", "bank", f"bank id {bank.bank!r} differs from file name {path.stem!r}"))
    objective_ids = [o.id for o in bank.objectives]
    for dup in sorted({i for i in objective_ids if objective_ids.count(i) > 1}):
        problems.append(Problem(shown, "bank", "objectives", f"duplicate objective id {dup!r}"))
    seen: set[str] = set()
    for q in bank.questions:
        where = f"question {q.id}"
        if q.id in seen:
            problems.append(Problem(shown, where, "id", f"duplicate question id {q.id!r}"))
        seen.add(q.id)
        for objective in q.objectives:
            if objective not in objective_ids:
                problems.append(Problem(shown, where, "objectives", f"unknown objective {objective!r}"))
        for key in q.references:
            if key not in references:
                problems.append(Problem(shown, where, "references", f"unknown reference key {key!r}"))
        if isinstance(q, SingleChoiceQuestion | MultipleAnswerQuestion):
            ids = [c.id for c in q.choices]
            for dup in sorted({i for i in ids if ids.count(i) > 1}):
                problems.append(Problem(shown, where, "choices", f"duplicate choice id {dup!r}"))
            texts = [c.text.casefold() for c in q.choices]
            if len(set(texts)) != len(texts):
                problems.append(Problem(shown, where, "choices", "two choices have the same text"))
    return problems


def load_bank(path: Path, references: ReferenceList | None = None) -> Bank:
    """Load and validate one bank file; raises :class:`BankError` listing every problem."""
    shown = display_path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise BankError([Problem(shown, "file", None, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise BankError([Problem(shown, "file", None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BankError([_yaml_problem(shown, exc)]) from None
    if not isinstance(raw, dict):
        raise BankError([Problem(shown, "file", None, "a bank must be a mapping with bank, title, lesson, version, "
                                 f"objectives and questions; found {type(raw).__name__}")])
    try:
        bank = Bank.model_validate(raw)
    except ValidationError as exc:
        raise BankError(_schema_problems(shown, raw, exc)) from None
    problems = _consistency_problems(shown, bank, path, references if references is not None else course_references())
    if problems:
        raise BankError(problems)
    return bank


def bank_paths(folder: Path | None = None) -> list[Path]:
    folder = folder or quizzes_dir()
    return sorted(p for p in folder.iterdir() if p.suffix in BANK_SUFFIXES) if folder.exists() else []


@cache
def _course_bank(path: Path) -> Bank:
    return load_bank(path)


def course_banks() -> list[Bank]:
    """Every bank in ``quizzes/``, validated (cached per process)."""
    return [_course_bank(p) for p in bank_paths()]


def bank_for_lesson(lesson: str) -> Bank | None:
    """The bank whose ``lesson`` is this notebook stem, or None."""
    for path in bank_paths():
        if path.stem == lesson:
            return _course_bank(path)
    return None


def bank_citations() -> Iterator[tuple[str, str, str]]:
    """(key, file, where) for every reference a question cites — read without resolving keys."""
    for path in bank_paths():
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # a broken bank is reported by load_bank, not here
        for index, question in enumerate((raw or {}).get("questions") or []):
            if isinstance(question, dict):
                for key in question.get("references") or []:
                    yield str(key), display_path(path), _question_label(question, index)
