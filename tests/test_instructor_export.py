"""Exports read back by independent readers: the QTI zip opened and its XML parsed; Moodle XML parsed with
xml.etree and checked against the bank; GIFT parsed by tests/gift_grammar.py (a strict grammar reader written apart
from the writer). Each check compares answers with the bank, not with the writer's own output."""

from __future__ import annotations

import html
import io
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from ketamine_course.cli import main
from ketamine_course.instructor.export import (
    MOODLE_FRACTIONS,
    Collection,
    Item,
    gift,
    moodle_fraction,
    moodle_xml,
    qti_zip_bytes,
)
from ketamine_course.markdown import render_markdown
from ketamine_course.paths import quizzes_dir
from ketamine_course.quiz.bank import (
    MatchingQuestion,
    MultipleAnswerQuestion,
    NumericQuestion,
    SingleChoiceQuestion,
    load_bank,
)
from tests.gift_grammar import GiftSyntaxError, parse_gift
from tests.quiz_fixtures import REFERENCES, bank_dict, write_bank

QTI_NS = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
ALLOWED_PERCENTS = {round(f * 100, 5) for f in MOODLE_FRACTIONS} | {-round(f * 100, 5) for f in MOODLE_FRACTIONS}


SMART_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def plain(markup: str) -> str:
    """Text without tags; typographic quotes made straight (text2qti's Markdown turns ' into ’)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).translate(SMART_QUOTES).split())


def bank_text(markdown: str) -> str:
    return plain(render_markdown(markdown))


@pytest.fixture
def sample(tmp_path) -> Collection:
    data = bank_dict()
    # a multiple-answer question with 3 right of 5: Moodle needs 33.33333 and -50
    data["questions"].append({
        "id": "q-three", "type": "multiple", "objectives": ["o1"], "difficulty": "hard", "prompt": "Pick primes: "
        "2, 3, 5 {not 4 or 9} = #tricky: yes", "explanation": "2, 3 and 5 are prime.", "references": ["ref2020"],
        "choices": [{"id": "two", "text": "2", "correct": True}, {"id": "three", "text": "3", "correct": True},
                    {"id": "five", "text": "5", "correct": True}, {"id": "four", "text": "4 ~ four"},
                    {"id": "nine", "text": "9 = 3²", "feedback": "9 = 3 × 3"}]})
    bank = load_bank(write_bank(tmp_path, data), references=REFERENCES)
    return Collection(bank.title, bank.bank, [Item(bank.bank, q) for q in bank.questions])


def course_collection() -> Collection:
    bank = load_bank(quizzes_dir() / "00-start-here.yaml")
    return Collection(bank.title, bank.bank, [Item(bank.bank, q) for q in bank.questions])


@pytest.mark.parametrize("make", ["sample", "course"])
def test_qti_zip_read_back(make, request) -> None:
    collection = request.getfixturevalue("sample") if make == "sample" else course_collection()
    archive = zipfile.ZipFile(io.BytesIO(qti_zip_bytes(collection)))
    assert "imsmanifest.xml" in archive.namelist()
    [assessment] = [n for n in archive.namelist() if n.endswith(".xml") and "/" in n and "assessment_meta" not in n]
    root = ET.fromstring(archive.read(assessment))
    items = root.findall(f".//{QTI_NS}item")
    expected = [i for i in collection.items if not isinstance(i.question, MatchingQuestion)]
    assert len(items) == len(expected)
    skipped = [i.question.id for i in collection.items if isinstance(i.question, MatchingQuestion)]
    assert any(all(s in w for s in skipped) and "skipped" in w for w in collection.warnings) == bool(skipped)
    for item, element in zip(expected, items, strict=True):
        q = item.question
        assert element.get("title") == f"{item.category}/{q.id}"
        qtype = next(f.findtext(f"{QTI_NS}fieldentry") for f in element.iter(f"{QTI_NS}qtimetadatafield")
                     if f.findtext(f"{QTI_NS}fieldlabel") == "question_type")
        labels = {lab.get("ident"): plain(lab.findtext(f".//{QTI_NS}mattext") or "")
                  for lab in element.iter(f"{QTI_NS}response_label")}
        condition = next(c for c in element.iter(f"{QTI_NS}respcondition")
                         if c.find(f".//{QTI_NS}setvar") is not None)
        negated = {v.text for n in condition.iter(f"{QTI_NS}not") for v in n.iter(f"{QTI_NS}varequal")}
        picked = [v.text for v in condition.iter(f"{QTI_NS}varequal") if v.text not in negated]
        if isinstance(q, SingleChoiceQuestion):
            assert qtype == "multiple_choice_question"
            assert [labels[p] for p in picked] == [bank_text(c.text) for c in q.choices if c.correct]
        elif isinstance(q, MultipleAnswerQuestion):
            assert qtype == "multiple_answers_question"
            assert sorted(labels[p] for p in picked) == sorted(bank_text(c.text) for c in q.choices if c.correct)
            assert len(labels) == len(q.choices)
        elif isinstance(q, NumericQuestion):
            assert qtype == "numerical_question"
            low = float(condition.find(f".//{QTI_NS}vargte").text)
            high = float(condition.find(f".//{QTI_NS}varlte").text)
            margin = max(q.answer.tolerance_abs, q.answer.tolerance_rel * abs(q.answer.value))
            assert low == pytest.approx(q.answer.value - margin, abs=1e-4)
            assert high == pytest.approx(q.answer.value + margin, abs=1e-4)


def _moodle_questions(data: bytes) -> list[ET.Element]:
    root = ET.fromstring(data)
    assert root.tag == "quiz"
    return [q for q in root.findall("question") if q.get("type") != "category"]


@pytest.mark.parametrize("make", ["sample", "course"])
def test_moodle_xml_matches_the_bank(make, request) -> None:
    collection = request.getfixturevalue("sample") if make == "sample" else course_collection()
    elements = _moodle_questions(moodle_xml(collection))
    assert [e.findtext("name/text") for e in elements] == [i.question.id for i in collection.items]
    for item, e in zip(collection.items, elements, strict=True):
        q = item.question
        assert plain(e.findtext("questiontext/text")).startswith(bank_text(q.prompt)[:40])
        assert plain(e.findtext("generalfeedback/text")).startswith(bank_text(q.explanation)[:40])
        if isinstance(q, SingleChoiceQuestion | MultipleAnswerQuestion):
            assert e.get("type") == "multichoice"
            assert e.findtext("single") == ("true" if isinstance(q, SingleChoiceQuestion) else "false")
            answers = {plain(a.findtext("text")): float(a.get("fraction")) for a in e.findall("answer")}
            for percent in answers.values():
                assert round(percent, 5) in ALLOWED_PERCENTS, percent
            for c in q.choices:
                assert (answers[bank_text(c.text)] > 0) == c.correct, c.id
            positive = sum(p for p in answers.values() if p > 0)
            assert positive == pytest.approx(100, abs=1e-3)
        elif isinstance(q, NumericQuestion):
            assert e.get("type") == "numerical"
            assert float(e.findtext("answer/text")) == q.answer.value
            assert float(e.findtext("answer/tolerance")) == pytest.approx(
                max(q.answer.tolerance_abs, q.answer.tolerance_rel * abs(q.answer.value)))
        elif isinstance(q, MatchingQuestion):
            assert e.get("type") == "matching"
            options = {o.id: o.text for o in q.options}
            subs = [(plain(s.findtext("text") or ""), s.findtext("answer/text")) for s in e.findall("subquestion")]
            assert [s for s in subs if s[0]] == [(bank_text(i.text), options[i.answer]) for i in q.items]
            assert sorted(a for t, a in subs if not t) == sorted(
                options[o] for o in options if o not in {i.answer for i in q.items})


def test_moodle_fraction_uses_the_allowed_list() -> None:
    assert moodle_fraction(1 / 3) == "33.33333"
    assert moodle_fraction(-1 / 2) == "-50"
    assert moodle_fraction(1 / 7) == "14.28571"
    warnings: list[str] = []
    assert moodle_fraction(1 / 11, warnings, "q") == "10"  # 9.09 % is not allowed: nearest, with a warning
    assert warnings and "not one Moodle allows" in warnings[0]


@pytest.mark.parametrize("make", ["sample", "course"])
def test_gift_parses_strictly_and_matches_the_bank(make, request) -> None:
    collection = request.getfixturevalue("sample") if make == "sample" else course_collection()
    parsed = parse_gift(gift(collection))
    assert [p.title for p in parsed] == [i.question.id for i in collection.items]
    for item, p in zip(collection.items, parsed, strict=True):
        q = item.question
        assert p.category == f"$course$/top/ketamine-course/{item.category}"
        assert p.text_format == "markdown" and p.text.startswith(" ".join(q.prompt.split())[:40])
        assert p.general_feedback.startswith(" ".join(q.explanation.split())[:40])
        if isinstance(q, SingleChoiceQuestion):
            assert [a.text for a in p.answers if a.right] == [c.text for c in q.choices if c.correct]
            assert sorted(a.text for a in p.answers) == sorted(c.text for c in q.choices)
            assert [a.feedback for a in p.answers] == [c.feedback for c in q.choices]
        elif isinstance(q, MultipleAnswerQuestion):
            weights = {a.text: a.weight for a in p.answers}
            assert all(round(w, 5) in ALLOWED_PERCENTS for w in weights.values())
            assert {t for t, w in weights.items() if w > 0} == {c.text for c in q.choices if c.correct}
            assert sum(w for w in weights.values() if w > 0) == pytest.approx(100, abs=1e-3)
        elif isinstance(q, NumericQuestion):
            assert p.kind == "numeric" and p.numeric[0] == q.answer.value
        elif isinstance(q, MatchingQuestion):
            options = {o.id: o.text for o in q.options}
            assert p.kind == "matching" and p.pairs == [(i.text, options[i.answer]) for i in q.items]


@pytest.mark.parametrize("bad", ["::t::Q {=a ~b", "::t::Q = x {=a ~b}", "::t::Q {=a ~b} tail", "::t::Q {#12}",
                                 "::t::Q {=a}", "::t::Q {\\q=a ~b}"])
def test_gift_reader_is_strict(bad) -> None:
    with pytest.raises(GiftSyntaxError):
        parse_gift(bad)


def test_export_command_writes_three_formats_and_warns_about_matching(tmp_path, capsys) -> None:
    assert main(["export", str(quizzes_dir() / "00-start-here.yaml"), "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "milestones-order" in captured.err and "text2qti" in captured.err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["00-start-here.gift.txt", "00-start-here.moodle.xml", "00-start-here.qti.zip"]


def test_export_refuses_the_student_assignment_file(tmp_path, capsys) -> None:
    assert main(["assign", "x1", "--lesson", "00", "--count", "3", "--out", str(tmp_path / "s"), "--key",
                 str(tmp_path / "k.json")]) == 0
    assert main(["export", str(tmp_path / "s" / "x1.json"), "--out", str(tmp_path)]) == 1
    assert "not an answer key" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "k.json"), "--format", "moodle", "--out", str(tmp_path / "o")]) == 0
    assert len(_moodle_questions((tmp_path / "o" / "x1.moodle.xml").read_bytes())) == 3


PYGIFTPARSER_ENV = "KETAMINE_COURSE_PYGIFTPARSER_PYTHON"


def _gift_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.skipif(not os.environ.get(PYGIFTPARSER_ENV), reason=f"set {PYGIFTPARSER_ENV} to a Python with "
                    "pygiftparser 1.1 (a separate venv: it pins an old Markdown that conflicts with text2qti)")
def test_gift_read_by_pygiftparser(sample, tmp_path) -> None:
    """A second, third-party reader. pygiftparser does not unescape, so texts are compared after unescaping."""
    kinds = {"single": "SelectSet", "multiple": "MultipleChoicesSet", "numeric": "NumericAnswerSet",
             "matching": "MatchingSet"}
    for collection in (sample, course_collection()):
        path = tmp_path / f"{collection.name}.gift"
        path.write_text(gift(collection), encoding="utf-8")
        result = subprocess.run([os.environ[PYGIFTPARSER_ENV], str(Path(__file__).with_name("pygiftparser_dump.py")),
                                 str(path)], capture_output=True, text=True, check=True)
        parsed = json.loads(result.stdout)
        assert [p["title"] for p in parsed] == [i.question.id for i in collection.items]
        for item, p in zip(collection.items, parsed, strict=True):
            q = item.question
            assert p["valid"] and p["kind"] == kinds[q.type], (q.id, p["kind"])
            # (pygiftparser cuts category paths at the first non-word character; the strict reader checks them)
            if isinstance(q, SingleChoiceQuestion | MultipleAnswerQuestion):
                fractions = {_gift_unescape(a[0]): float(a[1]) for a in p["answers"]}
                assert {t for t, f in fractions.items() if f > 0} == {c.text for c in q.choices if c.correct}
            elif isinstance(q, NumericQuestion):
                assert p["numeric"][0][0] == q.answer.value
            elif isinstance(q, MatchingQuestion):
                options = {o.id: o.text for o in q.options}
                assert [(_gift_unescape(a), _gift_unescape(b)) for a, b in p["pairs"]] == [
                    (i.text, options[i.answer]) for i in q.items]


def test_qti_export_writes_nothing_into_home(sample, tmp_path, monkeypatch) -> None:
    """text2qti's command line creates ~/.text2qti.bespon; its Python API, as used here, must not."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    import text2qti.config

    monkeypatch.setattr(text2qti.config.Config, "_config_path", home / ".text2qti.bespon")
    qti_zip_bytes(sample)
    assert list(home.iterdir()) == []
