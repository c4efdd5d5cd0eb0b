"""A small valid bank (as a dict) that tests mutate into broken ones, and a loader for it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from ketamine_course.quiz.bank import Bank, load_bank
from tests.helpers import tiny_references

REFERENCES = tiny_references("ref2020", "other2021")

VALID_BANK: dict[str, Any] = {
    "bank": "sample",
    "title": "Sample quiz",
    "lesson": "99-sample",
    "version": 1,
    "objectives": [{"id": "o1", "text": "Recall a fact."}, {"id": "o2", "text": "Compute a number."}],
    "questions": [
        {"id": "q-single", "type": "single", "objectives": ["o1"], "difficulty": "easy",
         "prompt": "Pick **B**.", "explanation": "B is right because of the source.", "references": ["ref2020"],
         "choices": [{"id": "a", "text": "A", "feedback": "A is a distractor."}, {"id": "b", "text": "B",
                     "correct": True}, {"id": "c", "text": "C"}]},
        {"id": "q-multi", "type": "multiple", "objectives": ["o1"], "difficulty": "medium",
         "prompt": "Pick the vowels.", "explanation": "A and E are vowels.", "references": ["ref2020"],
         "choices": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"},
                     {"id": "e", "text": "E", "correct": True}, {"id": "k", "text": "K"}]},
        {"id": "q-num", "type": "numeric", "objectives": ["o2"], "difficulty": "medium",
         "prompt": "What is $0.5 \\times 70$?", "explanation": "0.5 × 70 = 35.", "references": ["other2021"],
         "answer": {"value": 35, "tolerance_abs": 0.5, "unit": "mg"}},
        {"id": "q-match", "type": "matching", "objectives": ["o1", "o2"], "difficulty": "hard",
         "prompt": "Match drug to schedule.", "explanation": "As listed by the source.", "references": ["ref2020"],
         "items": [{"id": "ket", "text": "Ketamine", "answer": "s3"}, {"id": "her", "text": "Heroin", "answer": "s1"}],
         "options": [{"id": "s1", "text": "Schedule I"}, {"id": "s3", "text": "Schedule III"},
                     {"id": "s5", "text": "Schedule V"}]},
    ],
}


def bank_dict() -> dict[str, Any]:
    return copy.deepcopy(VALID_BANK)


def write_bank(folder: Path, data: Any, name: str = "sample") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def sample_bank(folder: Path) -> Bank:
    return load_bank(write_bank(folder, bank_dict()), references=REFERENCES)
