"""Load banks, list their questions and choose questions for an assignment.

A question is addressed by its id; ids are unique inside a bank, and an assignment that draws from several banks must
not contain the same id twice (the error names both banks). Random draws and shuffles use
:func:`ketamine_course.quiz.public.seeded_rng`, so the same seed gives the same assignment on every machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ketamine_course.errors import CourseFileError, Problem
from ketamine_course.quiz.bank import Bank, BankError, Question, bank_paths, load_bank
from ketamine_course.quiz.public import seeded_rng


@dataclass(frozen=True)
class Entry:
    """One question with the bank it belongs to."""

    bank: Bank
    question: Question

    @property
    def id(self) -> str:
        return self.question.id


class SelectionError(ValueError):
    """The requested questions cannot be chosen (unknown id, empty filter result, too few to draw)."""


def load_banks(paths: Sequence[Path] | None = None) -> list[Bank]:
    """The given bank files (default: every bank in ``quizzes/``); one :class:`BankError` lists every problem of
    every file."""
    chosen = list(paths) if paths else bank_paths()
    if not chosen:
        raise SelectionError("no quiz banks found (quizzes/*.yaml); pass bank files explicitly")
    banks: list[Bank] = []
    problems: list[Problem] = []
    for path in chosen:
        try:
            banks.append(load_bank(Path(path)))
        except CourseFileError as exc:
            problems += exc.problems
    if problems:
        raise BankError(problems)
    return banks


def entries(banks: Iterable[Bank]) -> list[Entry]:
    return [Entry(bank, question) for bank in banks for question in bank.questions]


@dataclass(frozen=True)
class Criteria:
    """What to pick. Empty tuples mean 'any'; values inside one criterion are alternatives (OR), criteria combine
    with AND. ``ids`` picks exactly those questions (in that order); ``count`` draws that many at random."""

    ids: tuple[str, ...] = ()
    lessons: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    difficulties: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    count: int | None = None
    seed: str = ""
    shuffle: bool = True


def _matches(entry: Entry, c: Criteria) -> bool:
    q = entry.question
    lesson_ok = not c.lessons or any(entry.bank.lesson == v or entry.bank.lesson.startswith(v) or entry.bank.bank == v
                                     for v in c.lessons)
    return (lesson_ok
            and (not c.objectives or any(o in q.objectives for o in c.objectives))
            and (not c.difficulties or q.difficulty in c.difficulties)
            and (not c.types or q.type in c.types))


def select(pool: Sequence[Entry], criteria: Criteria) -> list[Entry]:
    """Apply ``criteria`` to ``pool``: filter, pick by id, draw at random, shuffle — each step seeded."""
    if criteria.ids:
        by_id: dict[str, list[Entry]] = {}
        for entry in pool:
            by_id.setdefault(entry.id, []).append(entry)
        unknown = [i for i in criteria.ids if i not in by_id]
        if unknown:
            raise SelectionError(f"unknown question id(s): {', '.join(unknown)}")
        ambiguous = [f"{i} (in {', '.join(e.bank.bank for e in by_id[i])})" for i in criteria.ids if len(by_id[i]) > 1]
        if ambiguous:
            raise SelectionError(f"question id(s) in more than one bank — pass only the bank you mean: "
                                 f"{'; '.join(ambiguous)}")
        chosen = [by_id[i][0] for i in dict.fromkeys(criteria.ids)]
        chosen = [e for e in chosen if _matches(e, criteria)]
    else:
        chosen = [e for e in pool if _matches(e, criteria)]
    if not chosen:
        raise SelectionError("no question matches the criteria")
    if criteria.count is not None:
        if criteria.count < 1:
            raise SelectionError("--count must be at least 1")
        if criteria.count > len(chosen):
            raise SelectionError(f"cannot draw {criteria.count} questions: only {len(chosen)} match the criteria")
        chosen = seeded_rng("draw", criteria.seed).sample(chosen, criteria.count)
    if criteria.shuffle:
        chosen = list(chosen)
        seeded_rng("order", criteria.seed).shuffle(chosen)
    ids = [e.id for e in chosen]
    clashes = sorted({i for i in ids if ids.count(i) > 1})
    if clashes:
        raise SelectionError(f"question id(s) {', '.join(clashes)} occur in more than one chosen bank; an assignment "
                             "needs unique ids — narrow the selection with --bank or --lesson")
    return chosen


LIST_COLUMNS = ("lesson", "bank", "id", "type", "difficulty", "objectives", "prompt")


def list_rows(pool: Sequence[Entry], prompt_width: int | None = 60) -> list[dict[str, str]]:
    """One row per question, sorted by lesson, first objective, type, difficulty and id."""
    order = {"easy": 0, "medium": 1, "hard": 2}
    rows = []
    for e in sorted(pool, key=lambda e: (e.bank.lesson, e.question.objectives[0], e.question.type,
                                         order[e.question.difficulty], e.id)):
        prompt = " ".join(e.question.prompt.split())
        if prompt_width is not None and len(prompt) > prompt_width:
            prompt = prompt[: prompt_width - 1] + "…"
        rows.append({"lesson": e.bank.lesson, "bank": e.bank.bank, "id": e.id, "type": e.question.type,
                     "difficulty": e.question.difficulty, "objectives": " ".join(e.question.objectives),
                     "prompt": prompt})
    return rows


def text_table(rows: Sequence[dict[str, str]], columns: Sequence[str] = LIST_COLUMNS) -> str:
    """A plain, aligned text table (for a terminal)."""
    widths = {c: max([len(c), *(len(r[c]) for r in rows)]) for c in columns}
    lines = ["  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip(),
             "  ".join("-" * widths[c] for c in columns)]
    lines += ["  ".join(r[c].ljust(widths[c]) for c in columns).rstrip() for r in rows]
    return "\n".join(lines)
