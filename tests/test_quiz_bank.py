"""Quiz banks: the course's banks validate; a corpus of broken banks each fails with file, question and field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ketamine_course.quiz.bank import BankError, bank_paths, course_banks, load_bank
from tests.quiz_fixtures import REFERENCES, bank_dict, write_bank


def test_course_banks_are_valid_and_named_after_lessons() -> None:
    banks = course_banks()
    assert banks, "quizzes/ holds at least one bank"
    assert len(banks) == len(bank_paths())
    for bank in banks:
        assert bank.objectives and bank.questions


def test_every_objective_of_a_course_bank_is_assessed_at_least_twice() -> None:
    for bank in course_banks():
        for objective in bank.objectives:
            count = sum(objective.id in q.objectives for q in bank.questions)
            assert count >= 2, f"{bank.bank}: objective {objective.id} is asked {count} time(s)"


def test_valid_sample_bank_loads(tmp_path) -> None:
    bank = load_bank(write_bank(tmp_path, bank_dict()), references=REFERENCES)
    assert [q.type for q in bank.questions] == ["single", "multiple", "numeric", "matching"]
    assert len(bank.fingerprint) == 12


def q(data: dict[str, Any], qid: str) -> dict[str, Any]:
    return next(x for x in data["questions"] if x["id"] == qid)


Mutation = Callable[[dict[str, Any]], Any]

BROKEN: list[tuple[str, Mutation, str, str | None, str]] = [
    # (case, mutation, where, field, message fragment)
    ("missing answer", lambda d: q(d, "q-num").pop("answer"), "question q-num", "answer", "Field required"),
    ("duplicate id", lambda d: d["questions"].append(dict(q(d, "q-single"))), "question q-single", "id",
     "duplicate question id"),
    ("answer not among options", lambda d: q(d, "q-match")["items"][0].update(answer="s9"), "question q-match", None,
     "not among the options"),
    ("negative tolerance", lambda d: q(d, "q-num")["answer"].update(tolerance_abs=-1), "question q-num",
     "answer.tolerance_abs", "greater than or equal to 0"),
    ("no tolerance", lambda d: q(d, "q-num")["answer"].update(tolerance_abs=0), "question q-num", "answer",
     "never compared exactly"),
    ("relative tolerance too large", lambda d: q(d, "q-num")["answer"].update(tolerance_rel=1.5), "question q-num",
     "answer.tolerance_rel", "less than 1"),
    ("unknown reference", lambda d: q(d, "q-single").update(references=["nobody1999"]), "question q-single",
     "references", "unknown reference key 'nobody1999'"),
    ("malformed reference key", lambda d: q(d, "q-single").update(references=["Bad Key"]), "question q-single",
     "references.0", "pattern"),
    ("no references", lambda d: q(d, "q-single").update(references=[]), "question q-single", "references",
     "at least 1"),
    ("unknown type", lambda d: q(d, "q-single").update(type="essay"), "question q-single", None,
     "unknown question type 'essay'"),
    ("missing type", lambda d: q(d, "q-single").pop("type"), "question q-single", None, "missing 'type'"),
    ("empty choices", lambda d: q(d, "q-single").update(choices=[]), "question q-single", "choices", "at least 2"),
    ("no correct choice", lambda d: q(d, "q-single")["choices"][1].update(correct=False), "question q-single", None,
     "exactly one correct choice, found 0"),
    ("two correct single", lambda d: q(d, "q-single")["choices"][0].update(correct=True), "question q-single", None,
     "exactly one correct choice, found 2"),
    ("all correct multiple", lambda d: [c.update(correct=True) for c in q(d, "q-multi")["choices"]],
     "question q-multi", None, "every choice is correct"),
    ("no correct multiple", lambda d: [c.update(correct=False) for c in q(d, "q-multi")["choices"]],
     "question q-multi", None, "at least one correct choice"),
    ("duplicate choice id", lambda d: q(d, "q-single")["choices"][2].update(id="a"), "question q-single", "choices",
     "duplicate choice id 'a'"),
    ("duplicate choice text", lambda d: q(d, "q-single")["choices"][2].update(text="A"), "question q-single",
     "choices", "same text"),
    ("unknown objective", lambda d: q(d, "q-single").update(objectives=["o9"]), "question q-single", "objectives",
     "unknown objective 'o9'"),
    ("no objectives", lambda d: q(d, "q-single").update(objectives=[]), "question q-single", "objectives",
     "at least 1"),
    ("bad difficulty", lambda d: q(d, "q-single").update(difficulty="trivial"), "question q-single", "difficulty",
     "'easy', 'medium' or 'hard'"),
    ("empty prompt", lambda d: q(d, "q-single").update(prompt="  "), "question q-single", "prompt", "at least 1"),
    ("missing explanation", lambda d: q(d, "q-single").pop("explanation"), "question q-single", "explanation",
     "Field required"),
    ("unknown field", lambda d: q(d, "q-single").update(hint="psst"), "question q-single", "hint",
     "Extra inputs are not permitted"),
    ("bad question id", lambda d: q(d, "q-single").update(id="Q 1!"), "question Q 1!", "id", "pattern"),
    ("numeric without unit", lambda d: q(d, "q-num")["answer"].pop("unit"), "question q-num", "answer.unit",
     "Field required"),
    ("numeric value not a number", lambda d: q(d, "q-num")["answer"].update(value="thirty"), "question q-num",
     "answer.value", "valid number"),
    ("matching duplicate item", lambda d: q(d, "q-match")["items"][1].update(id="ket"), "question q-match", None,
     "duplicate item id"),
    ("matching one option", lambda d: q(d, "q-match").update(options=[{"id": "s3", "text": "S3"}]),
     "question q-match", "options", "at least 2"),
    ("bank id differs from file", lambda d: d.update(bank="other"), "bank", "bank", "differs from file name"),
    ("duplicate objective", lambda d: d["objectives"].append({"id": "o1", "text": "again"}), "bank", "objectives",
     "duplicate objective id 'o1'"),
    ("no questions", lambda d: d.update(questions=[]), "bank", "questions", "at least 1"),
    ("version zero", lambda d: d.update(version=0), "bank", "version", "greater than or equal to 1"),
    ("question not a mapping", lambda d: d["questions"].append("just text"), "question #5", None, "valid"),
]


@pytest.mark.parametrize(("case", "mutate", "where", "field", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_bank_names_file_question_and_field(tmp_path, case, mutate, where, field, message) -> None:
    data = bank_dict()
    mutate(data)
    path = write_bank(tmp_path, data)
    with pytest.raises(BankError) as info:
        load_bank(path, references=REFERENCES)
    matching = [p for p in info.value.problems if p.where == where and (field is None or p.field == field)]
    assert matching, f"{case}: no problem at {where}/{field} in:\n{info.value}"
    assert any(message in p.message for p in matching), f"{case}: {message!r} not in:\n{info.value}"
    assert "sample.yaml" in str(info.value)


def test_several_problems_are_listed_in_one_message(tmp_path) -> None:
    data = bank_dict()
    q(data, "q-single").update(references=["ghost1"])
    q(data, "q-num")["answer"].update(tolerance_abs=-2)
    q(data, "q-match")["items"][0].update(answer="nope")
    with pytest.raises(BankError) as info:
        load_bank(write_bank(tmp_path, data), references=REFERENCES)
    text = str(info.value)
    assert "q-num" in text and "q-match" in text


def test_file_level_errors(tmp_path) -> None:
    broken_yaml = tmp_path / "sample.yaml"
    broken_yaml.write_text("bank: sample\nquestions: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(BankError, match=r"sample.yaml: line \d+, column \d+: YAML syntax error"):
        load_bank(broken_yaml, references=REFERENCES)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(BankError, match="not UTF-8 text"):
        load_bank(latin, references=REFERENCES)
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(BankError, match="must be a mapping"):
        load_bank(listing, references=REFERENCES)
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(BankError, match="found NoneType"):
        load_bank(empty, references=REFERENCES)
    with pytest.raises(BankError, match="file not found"):
        load_bank(tmp_path / "missing.yaml", references=REFERENCES)


def test_broken_corpus_is_large_enough() -> None:
    assert len(BROKEN) + 5 >= 30
