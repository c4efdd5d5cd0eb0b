"""Export questions to the LMS an instructor already uses: Canvas (QTI 1.2 zip), Moodle XML and GIFT.

Source: a bank (``quizzes/NN-name.yaml``) or an assignment's answer key (the assignment JSON has no answers).

- **Canvas QTI** through text2qti's *Python API* (``Quiz`` + ``QTI``) — its command line writes a config file into
  ``$HOME``; the API with a fresh ``Config()`` does not. text2qti has no matching questions, so they are skipped
  with a warning that lists their ids. Numeric tolerance becomes ``value +- margin`` with
  ``margin = max(tolerance_abs, tolerance_rel·|value|)``.
- **Moodle XML** (``xml.etree``): single / multiple choice (``multichoice``), ``numerical`` and ``matching``. Moodle
  accepts only grade fractions from its fixed list (``question_bank::fraction_options_full``: p/q for q ≤ 6, p/10,
  1/q for q ≤ 10, 1/20, and their negatives) written to 7 significant decimals (``33.33333``); a fraction not in the
  list is snapped to the nearest allowed one with a warning.
- **GIFT** (Moodle's text format): the same question types; the same fraction list; ``~ = # { } :`` escaped.

Scoring matches :mod:`ketamine_course.quiz.grading` where the LMS allows: on a multiple-answer question each right
tick is worth 1/k and each wrong tick −1/(n−k).
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ketamine_course.instructor.answer_key import ANSWER_KEY_FORMAT, load_answer_key
from ketamine_course.markdown import render_markdown
from ketamine_course.quiz.bank import (
    MatchingQuestion,
    MultipleAnswerQuestion,
    NumericQuestion,
    Question,
    SingleChoiceQuestion,
    load_bank,
)
from ketamine_course.references import course_references

# Moodle's allowed positive fractions (question/engine/bank.php, ensure_fraction_options_initialised), plus 0 and 1.
MOODLE_FRACTIONS = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
                    0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)


@dataclass(frozen=True)
class Item:
    category: str  # bank id (Moodle category; QTI title)
    question: Question


@dataclass
class Collection:
    title: str
    name: str  # file stem
    items: list[Item]
    warnings: list[str] = field(default_factory=list)


def load_collection(path: Path) -> Collection:
    """Questions from a bank (.yaml / .yml) or an answer key (.json)."""
    if path.suffix.lower() == ".json":
        try:
            head = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: cannot read as JSON ({exc})") from None
        if not isinstance(head, dict) or head.get("format") != ANSWER_KEY_FORMAT:
            raise ValueError(f"{path}: not an answer key. Export a bank (quizzes/*.yaml) or the *.answer-key.json "
                             "written by 'ketamine-course assign' (the student's assignment JSON has no answers)")
        key = load_answer_key(path)
        items = [Item(kq.bank, kq.parsed()) for kq in key.questions]
        return Collection(key.title, key.assignment_id, items)
    bank = load_bank(path)
    return Collection(bank.title, bank.bank, [Item(bank.bank, q) for q in bank.questions])


def moodle_fraction(value: float, warnings: list[str] | None = None, where: str = "") -> str:
    """A grade percentage Moodle accepts: the nearest allowed fraction, as Moodle writes it (``33.33333``)."""
    sign = -1 if value < 0 else 1
    nearest = min(MOODLE_FRACTIONS, key=lambda f: abs(f - abs(value)))
    if abs(nearest - abs(value)) > 5e-7 and warnings is not None:
        warnings.append(f"{where}: grade fraction {value:.6f} is not one Moodle allows; used {sign * nearest:.7f}")
    percent = f"{sign * nearest * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if percent in ("-0", "") else percent


def multiple_fractions(question: MultipleAnswerQuestion) -> tuple[float, float]:
    k = sum(c.correct for c in question.choices)
    return 1 / k, -1 / (len(question.choices) - k)


def numeric_margin(question: NumericQuestion) -> float:
    a = question.answer
    return max(a.tolerance_abs, a.tolerance_rel * abs(a.value))


def _number(value: float) -> str:
    return f"{value:.10g}"


def explanation_with_sources(question: Question) -> str:
    """The explanation and its sources as Markdown (the LMS shows it as general feedback)."""
    refs = course_references()
    cited = [refs[key].format_text() if key in refs else key for key in question.references]
    return f"{question.explanation}\n\nSources: {' '.join(cited)}"


# --- Canvas QTI (text2qti) ------------------------------------------------------------------------------------------

def _indent(text: str, prefix: str) -> str:
    lines = text.strip().splitlines() or [""]
    return lines[0] + "".join("\n" + " " * len(prefix) + line if line.strip() else "\n" for line in lines[1:])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def text2qti_source(collection: Collection) -> tuple[str, list[str]]:
    """The quiz in text2qti's Markdown format, and the ids of questions it cannot hold (matching)."""
    skipped = []
    blocks = [f"Quiz title: {_one_line(collection.title)}",
              "Quiz description: Exported from the open course 'Ketamine — pharmacology, therapeutic evidence and "
              "regulation'.", ""]
    number = 0
    for item in collection.items:
        q = item.question
        if isinstance(q, MatchingQuestion):
            skipped.append(q.id)
            continue
        number += 1
        lead = f"{number}.  "
        prompt = q.prompt
        if isinstance(q, NumericQuestion):
            prompt += f"\n\n(Unit: {q.answer.unit})"
        lines = [f"Title: {item.category}/{q.id}", "Points: 1", lead + _indent(prompt, lead)]
        lines.append("... " + _indent(explanation_with_sources(q), "... "))
        if isinstance(q, SingleChoiceQuestion):
            for letter, choice in zip("abcdefghijklmnopqrstuvwxyz", q.choices, strict=False):
                mark = "*" if choice.correct else ""
                lead_c = f"{mark}{letter}) "
                lines.append(lead_c + _indent(choice.text, lead_c))
                if choice.feedback:  # text2qti keeps per-choice feedback for single choice only
                    lines.append("... " + _indent(choice.feedback, "... "))
        elif isinstance(q, MultipleAnswerQuestion):
            for choice in q.choices:
                lead_c = "[*] " if choice.correct else "[ ] "
                lines.append(lead_c + _indent(choice.text, lead_c))
        elif isinstance(q, NumericQuestion):
            lines.append(f"=   {_number(q.answer.value)} +- {_number(numeric_margin(q))}")
        blocks += [*lines, ""]
    return "\n".join(blocks), skipped


def qti_zip_bytes(collection: Collection) -> bytes:
    """A Canvas QTI 1.2 zip made with text2qti's Python API (nothing written to $HOME)."""
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    source, skipped = text2qti_source(collection)
    if skipped:
        collection.warnings.append(f"Canvas QTI: text2qti has no matching questions; skipped {len(skipped)}: "
                                   f"{', '.join(skipped)} (import them from Moodle XML / GIFT or build them in "
                                   "Canvas)")
    if not source.count("\nTitle: "):
        raise ValueError("nothing to export to QTI: every question is a matching question")
    quiz = Quiz(source, config=Config(), source_name=f"{collection.name}.txt")
    return QTI(quiz).zip_bytes()


# --- Moodle XML -----------------------------------------------------------------------------------------------------

def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = "html") -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = value
    return element


def _html(markdown: str) -> str:
    return render_markdown(markdown).strip()


def moodle_xml(collection: Collection) -> bytes:
    root = ET.Element("quiz")
    category = None
    for item in collection.items:
        q = item.question
        if item.category != category:
            category = item.category
            cat = ET.SubElement(root, "question", {"type": "category"})
            ET.SubElement(ET.SubElement(cat, "category"), "text").text = f"$course$/top/ketamine-course/{category}"
        where = f"{item.category}/{q.id}"
        kind = {"single": "multichoice", "multiple": "multichoice", "numeric": "numerical", "matching": "matching"}
        element = ET.SubElement(root, "question", {"type": kind[q.type]})
        ET.SubElement(ET.SubElement(element, "name"), "text").text = q.id
        prompt = q.prompt + (f"\n\n(Unit: {q.answer.unit})" if isinstance(q, NumericQuestion) else "")
        _text(element, "questiontext", _html(prompt))
        _text(element, "generalfeedback", _html(explanation_with_sources(q)))
        ET.SubElement(element, "defaultgrade").text = "1"
        ET.SubElement(element, "penalty").text = "0"
        ET.SubElement(element, "hidden").text = "0"
        ET.SubElement(element, "idnumber").text = q.id
        if isinstance(q, SingleChoiceQuestion | MultipleAnswerQuestion):
            single = isinstance(q, SingleChoiceQuestion)
            ET.SubElement(element, "single").text = "true" if single else "false"
            ET.SubElement(element, "shuffleanswers").text = "true"
            ET.SubElement(element, "answernumbering").text = "abc"
            right, wrong = (1.0, 0.0) if single else multiple_fractions(q)
            for choice in q.choices:
                fraction = moodle_fraction(right if choice.correct else wrong, collection.warnings, where)
                answer = _text(element, "answer", _html(choice.text))
                answer.set("fraction", fraction)
                _text(answer, "feedback", _html(choice.feedback) if choice.feedback else "")
        elif isinstance(q, NumericQuestion):
            answer = ET.SubElement(element, "answer", {"fraction": "100", "format": "moodle_auto_format"})
            ET.SubElement(answer, "text").text = _number(q.answer.value)
            ET.SubElement(answer, "tolerance").text = _number(numeric_margin(q))
            _text(answer, "feedback", "")
            ET.SubElement(element, "unitgradingtype").text = "0"
            ET.SubElement(element, "unitpenalty").text = "0"
            ET.SubElement(element, "showunits").text = "3"
            ET.SubElement(element, "unitsleft").text = "0"
        elif isinstance(q, MatchingQuestion):
            ET.SubElement(element, "shuffleanswers").text = "true"
            texts = {o.id: o.text for o in q.options}
            used = {i.answer for i in q.items}
            for match in q.items:
                sub = _text(element, "subquestion", _html(match.text))
                ET.SubElement(ET.SubElement(sub, "answer"), "text").text = texts[match.answer]
            for option in q.options:  # distractors: an empty question with an answer
                if option.id not in used:
                    sub = _text(element, "subquestion", "")
                    ET.SubElement(ET.SubElement(sub, "answer"), "text").text = option.text
    ET.indent(root)
    buffer = io.BytesIO()
    ET.ElementTree(root).write(buffer, encoding="UTF-8", xml_declaration=True)
    return buffer.getvalue()


# --- GIFT -----------------------------------------------------------------------------------------------------------

GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


def gift_escape(text: str) -> str:
    """Escape GIFT's control characters and keep the text on one line (a blank line ends a question)."""
    return GIFT_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def gift(collection: Collection) -> str:
    lines = ["// Exported from the open course 'Ketamine — pharmacology, therapeutic evidence and regulation'.",
             "// Import in Moodle: Question bank → Import → GIFT format.", ""]
    category = None
    for item in collection.items:
        q = item.question
        where = f"{item.category}/{q.id}"
        if item.category != category:
            category = item.category
            lines += [f"$CATEGORY: $course$/top/ketamine-course/{category}", ""]
        prompt = q.prompt + (f" (Unit: {q.answer.unit})" if isinstance(q, NumericQuestion) else "")
        head = f"::{gift_escape(q.id)}::[markdown]{gift_escape(prompt)} {{"
        general = f"####{gift_escape(explanation_with_sources(q))}"
        body: list[str] = []
        if isinstance(q, SingleChoiceQuestion):
            for c in q.choices:
                fb = f"#{gift_escape(c.feedback)}" if c.feedback else ""
                body.append(f"\t{'=' if c.correct else '~'}{gift_escape(c.text)}{fb}")
        elif isinstance(q, MultipleAnswerQuestion):
            right, wrong = multiple_fractions(q)
            for c in q.choices:
                weight = moodle_fraction(right if c.correct else wrong, collection.warnings, where)
                fb = f"#{gift_escape(c.feedback)}" if c.feedback else ""
                body.append(f"\t~%{weight}%{gift_escape(c.text)}{fb}")
        elif isinstance(q, NumericQuestion):
            head = head.replace(" {", " {#")
            body.append(f"\t{_number(q.answer.value)}:{_number(numeric_margin(q))}")
        elif isinstance(q, MatchingQuestion):
            texts = {o.id: o.text for o in q.options}
            for match in q.items:
                body.append(f"\t={gift_escape(match.text)} -> {gift_escape(texts[match.answer])}")
            extra = [o.id for o in q.options if o.id not in {i.answer for i in q.items}]
            if extra:
                collection.warnings.append(f"GIFT: {where}: GIFT matching has no distractor options; left out "
                                           f"{', '.join(extra)} (Moodle XML keeps them)")
        lines += [head, *body, f"\t{general}", "}", ""]
    return "\n".join(lines)


# --- writing ----------------------------------------------------------------------------------------------------------

FORMATS = ("qti", "moodle", "gift")


def export(path: Path, formats: Sequence[str], out_dir: Path) -> tuple[list[Path], list[str]]:
    """Write the chosen formats for the bank or answer key at ``path``; returns files written and warnings."""
    collection = load_collection(path)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        if fmt == "qti":
            target = out_dir / f"{collection.name}.qti.zip"
            target.write_bytes(qti_zip_bytes(collection))
        elif fmt == "moodle":
            target = out_dir / f"{collection.name}.moodle.xml"
            target.write_bytes(moodle_xml(collection))
        elif fmt == "gift":
            target = out_dir / f"{collection.name}.gift.txt"
            target.write_text(gift(collection), encoding="utf-8")
        else:
            raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        written.append(target)
    return written, list(dict.fromkeys(collection.warnings))
