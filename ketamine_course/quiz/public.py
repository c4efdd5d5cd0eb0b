"""What a student may see of a question: prompt, choices, items, unit — never the answer or the explanation.

Both quiz displays (widget and static HTML) render from these views, so the display layer cannot leak an answer by
accident; assessment notebooks carry only these views (as JSON), the instructor keeps the bank.

Choices and matching options are shuffled with a seed derived from the bank and question ids (and an optional
assignment seed), so the order is the same on every run — nbval and saved progress agree.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import asdict, dataclass, field
from typing import Any

from ketamine_course.quiz.bank import (
    Bank,
    MatchingQuestion,
    MultipleAnswerQuestion,
    NumericQuestion,
    Question,
    SingleChoiceQuestion,
)


@dataclass(frozen=True)
class PublicQuestion:
    id: str
    type: str
    number: int
    difficulty: str
    prompt: str
    choices: list[tuple[str, str]] = field(default_factory=list)  # (id, text), shuffled
    items: list[tuple[str, str]] = field(default_factory=list)  # matching: (id, text)
    options: list[tuple[str, str]] = field(default_factory=list)  # matching: (id, text), shuffled
    unit: str | None = None  # numeric

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("choices", "items", "options"):
            data[key] = [list(pair) for pair in data[key]]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PublicQuestion:
        fields = dict(data)
        for key in ("choices", "items", "options"):
            fields[key] = [tuple(pair) for pair in fields.get(key, [])]
        return cls(**fields)


def seeded_rng(*parts: object) -> random.Random:
    """A random generator whose seed is a hash of ``parts`` (stable across runs, platforms and Python versions)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _shuffled(pairs: list[tuple[str, str]], *seed: object) -> list[tuple[str, str]]:
    out = list(pairs)
    seeded_rng(*seed).shuffle(out)
    return out


def public_view(bank: Bank, question: Question, number: int, seed: str = "") -> PublicQuestion:
    base = {"id": question.id, "type": question.type, "number": number, "difficulty": question.difficulty,
            "prompt": question.prompt}
    if isinstance(question, SingleChoiceQuestion | MultipleAnswerQuestion):
        pairs = [(c.id, c.text) for c in question.choices]
        return PublicQuestion(**base, choices=_shuffled(pairs, bank.bank, question.id, seed))
    if isinstance(question, NumericQuestion):
        return PublicQuestion(**base, unit=question.answer.unit)
    if isinstance(question, MatchingQuestion):
        return PublicQuestion(
            **base,
            items=[(i.id, i.text) for i in question.items],
            options=_shuffled([(o.id, o.text) for o in question.options], bank.bank, question.id, seed),
        )
    raise TypeError(type(question).__name__)  # pragma: no cover


def public_views(bank: Bank, questions: list[Question] | None = None, seed: str = "") -> list[PublicQuestion]:
    chosen = questions if questions is not None else list(bank.questions)
    return [public_view(bank, q, n, seed) for n, q in enumerate(chosen, start=1)]
