"""Build an assignment: the assignment JSON (public views only), the answer key, and the student notebook.

The notebook is made by an ordered list of small steps, each ``(notebook, context) -> notebook`` (nbgrader's
preprocessor shape, like :mod:`ketamine_course.notebooks`). The last step, :func:`check_no_answers`, refuses to write a
notebook in which any answer, explanation or choice feedback appears — a guard, not just a convention.

Assessment version: one code cell runs ``assessment_quiz("<assignment>.json")`` (no feedback; Submit writes
``submissions/<assignment>--<student>.json``). Practice version (``--practice``): self-check quizzes built from the
course banks with ``practice_quiz(lesson, question_ids=[...])`` (immediate feedback, no submission, no key needed).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ketamine_course.instructor.answer_key import AnswerKey, key_question
from ketamine_course.instructor.selection import Entry
from ketamine_course.quiz.bank import (
    Bank,
    MatchingQuestion,
    MultipleAnswerQuestion,
    NumericQuestion,
    Question,
    SingleChoiceQuestion,
    bank_paths,
)
from ketamine_course.quiz.public import public_view
from ketamine_course.quiz.submission import Assignment, BankSource, write_json_atomically

ASSIGNMENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


def _sources(chosen: Sequence[Entry]) -> list[BankSource]:
    banks: dict[str, Bank] = {}
    for e in chosen:
        banks.setdefault(e.bank.bank, e.bank)
    return [BankSource(bank=b.bank, version=b.version, fingerprint=b.fingerprint) for b in banks.values()]


def parse_deadline(text: str | None) -> str | None:
    """An ISO 8601 date-time with a time zone (``2026-12-01T17:00:00+00:00`` or ``…Z``), normalised; a naive time
    would be read differently on the student's and the instructor's machines, so it is refused."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"deadline {text!r} is not an ISO 8601 date-time (e.g. 2026-12-01T17:00:00+00:00)") from None
    if moment.tzinfo is None:
        raise ValueError(f"deadline {text!r} has no time zone: add one, e.g. +00:00 or Z")
    return moment.isoformat(timespec="seconds")


def build_assignment(assignment_id: str, title: str, chosen: Sequence[Entry], seed: str,
                     deadline: str | None = None) -> tuple[Assignment, AnswerKey]:
    """The assignment (public views, choices shuffled with ``seed``) and its answer key."""
    views = [public_view(e.bank, e.question, n, seed).to_dict() for n, e in enumerate(chosen, start=1)]
    sources = _sources(chosen)
    assignment = Assignment(assignment_id=assignment_id, title=title, seed=seed, deadline=deadline, sources=sources,
                            questions=views)
    key = AnswerKey(assignment_id=assignment_id, title=title, seed=seed, deadline=deadline, sources=sources,
                    questions=[key_question(e.bank.bank, e.bank.lesson, e.question) for e in chosen])
    return assignment, key


# --- the student notebook: a pipeline of small steps -------------------------------------------------------------

@dataclass
class NotebookContext:
    """What the steps need: the assignment, the chosen questions (for the answer guard only) and options."""

    assignment_id: str
    title: str
    assignment_file: str
    chosen: Sequence[Entry]
    practice: bool = False
    deadline: str | None = None
    log: list[str] = field(default_factory=list)


Step = Callable[[nbformat.NotebookNode, NotebookContext], nbformat.NotebookNode]


def add_header(nb: nbformat.NotebookNode, ctx: NotebookContext) -> nbformat.NotebookNode:
    kind = "Self-check practice" if ctx.practice else "Assignment"
    lines = [f"# {kind} · {ctx.title}", "",
             f"{len(ctx.chosen)} questions from the course *Ketamine — pharmacology, therapeutic evidence and "
             "regulation*."]
    if ctx.deadline and not ctx.practice:
        lines += ["", f"**Deadline:** {ctx.deadline} (submissions saved later are not graded)."]
    nb.cells.append(new_markdown_cell("\n".join(lines)))
    return nb


def add_instructions(nb: nbformat.NotebookNode, ctx: NotebookContext) -> nbformat.NotebookNode:
    if ctx.practice:
        text = ("**How this works.** Run all cells (*Run → Run All Cells*). Answer a question and press **Check**: you "
                "see at once whether it is right and why, with the source. Try again as often as you like; nothing "
                "is submitted or graded.")
    else:
        text = (f"**How this works.** Run all cells (*Run → Run All Cells*). Answer every question, type your name or "
                f"student ID, and press **Submit answers**. Your answers are saved to "
                f"`submissions/{ctx.assignment_id}--<your name>.json` next to this notebook; hand in that file as your "
                "instructor asks. You may submit again: the latest submission counts. There is no feedback here — "
                f"this is an assessment. Keep `{ctx.assignment_file}` next to the notebook.")
    nb.cells.append(new_markdown_cell(text))
    return nb


def add_setup_cell(nb: nbformat.NotebookNode, ctx: NotebookContext) -> nbformat.NotebookNode:
    name = "practice_quiz" if ctx.practice else "assessment_quiz"
    nb.cells.append(new_code_cell(f"from ketamine_course.lesson import show_notice\n"
                                  f"from ketamine_course.quiz.session import {name}"))
    return nb


def add_quiz_cells(nb: nbformat.NotebookNode, ctx: NotebookContext) -> nbformat.NotebookNode:
    if not ctx.practice:
        nb.cells.append(new_code_cell(f"assessment_quiz({ctx.assignment_file!r})"))
        return nb
    groups: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for e in ctx.chosen:
        groups.setdefault(e.bank.lesson, []).append(e.id)
        titles[e.bank.lesson] = e.bank.title
    for lesson, ids in groups.items():
        title = f"{ctx.title}: {titles[lesson]}" if len(groups) > 1 else ctx.title
        nb.cells.append(new_code_cell(f"practice_quiz({lesson!r}, question_ids={ids!r}, title={title!r})"))
    return nb


def add_notice(nb: nbformat.NotebookNode, ctx: NotebookContext) -> nbformat.NotebookNode:
    nb.cells.append(new_code_cell("show_notice()"))
    return nb


def set_metadata(nb: nbformat.NotebookNode, ctx: NotebookContext) -> nbformat.NotebookNode:
    """Deterministic cell ids (the same assignment gives the same file) and the course's kernel."""
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{ctx.assignment_id[:40]}-{index}".replace(".", "-")
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["ketamine_course"] = {"assignment_id": ctx.assignment_id, "practice": ctx.practice}
    return nb


def secret_texts(question: Question) -> list[str]:
    """Text that only an answer key may contain: explanation, choice feedback, and the answer pairing itself."""
    secrets = [question.explanation]
    if isinstance(question, SingleChoiceQuestion | MultipleAnswerQuestion):
        secrets += [c.feedback for c in question.choices if c.feedback]
    elif isinstance(question, MatchingQuestion):
        secrets += [f'"{i.id}": "{i.answer}"' for i in question.items]
    elif isinstance(question, NumericQuestion):
        secrets.append(f'"value": {question.answer.value}')
    return [s for s in secrets if s]


def written_forms(secret: str) -> set[str]:
    """The ways ``secret`` can stand in a file: as is, HTML-escaped (in an output), and JSON-escaped (a notebook or
    a JSON file stores strings with quotes, backslashes and newlines escaped), with or without ASCII escapes."""
    forms = {secret, html.escape(secret)}
    for form in list(forms):
        forms |= {json.dumps(form)[1:-1], json.dumps(form, ensure_ascii=False)[1:-1]}
    return forms


def _joined_strings(value: object) -> str:
    """Every string inside a parsed JSON document; a list of strings is joined as nbformat splits a cell's source
    (and an output's text) into lines."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        if value and all(isinstance(item, str) for item in value):
            return "".join(value)
        return "\n".join(_joined_strings(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(_joined_strings(item) for item in value.values())
    return ""


def searchable_text(text: str) -> str:
    """``text`` itself and, when it is JSON (a notebook, an assignment file), the strings it holds, decoded."""
    try:
        return text + "\n" + _joined_strings(json.loads(text))
    except ValueError:
        return text


def answer_leaks(text: str, chosen: Sequence[Entry]) -> list[str]:
    """Which secrets of ``chosen`` appear in ``text`` (a notebook, JSON or plain text) in any written form, and the
    JSON markers of correct choices."""
    text = searchable_text(text)
    found = [f"{e.id}: {s[:40]!r}" for e in chosen for s in secret_texts(e.question)
             if any(form in text for form in written_forms(s))]
    for marker in ('"correct": true', '"correct":true', '"explanation"', '"correct_response"'):
        if marker in text:
            found.append(f"marker {marker}")
    return found


def check_no_answers(nb: nbformat.NotebookNode, ctx: NotebookContext) -> nbformat.NotebookNode:
    leaks = answer_leaks(nbformat.writes(nb), ctx.chosen)
    if leaks:
        raise RuntimeError(f"refusing to write a student notebook that contains answers: {'; '.join(leaks)}")
    return nb


ASSESSMENT_STEPS: list[Step] = [add_header, add_instructions, add_setup_cell, add_quiz_cells, add_notice,
                                set_metadata, check_no_answers]


def build_notebook(ctx: NotebookContext, steps: Sequence[Step] = ASSESSMENT_STEPS) -> nbformat.NotebookNode:
    nb = new_notebook()
    for step in steps:
        nb = step(nb, ctx)
    nbformat.validate(nb)
    return nb


# --- writing the files ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Written:
    notebook: Path
    assignment: Path | None
    answer_key: Path | None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def write_assignment(assignment_id: str, title: str, chosen: Sequence[Entry], seed: str, out_dir: Path,
                     key_path: Path | None = None, deadline: str | None = None, practice: bool = False) -> Written:
    """Write the student folder (notebook + assignment JSON) and, apart from it, the answer key."""
    import re

    if not re.match(ASSIGNMENT_ID_PATTERN, assignment_id):
        raise ValueError(f"assignment id {assignment_id!r}: use letters, digits, '.', '_' or '-' (no spaces)")
    deadline = parse_deadline(deadline)
    out_dir.mkdir(parents=True, exist_ok=True)
    notebook_path = out_dir / f"{assignment_id}.ipynb"
    if practice:
        course_bank_ids = {p.stem for p in bank_paths()}
        foreign = sorted({e.bank.bank for e in chosen} - course_bank_ids)
        if foreign:
            raise ValueError(f"--practice checks answers with the course's installed banks; not in quizzes/: "
                             f"{', '.join(foreign)}")
        ctx = NotebookContext(assignment_id, title, "", chosen, practice=True)
        nbformat.write(build_notebook(ctx), notebook_path)
        return Written(notebook_path, None, None)
    key_path = key_path or out_dir.parent / f"{assignment_id}.answer-key.json"
    if _inside(key_path, out_dir):
        raise ValueError(f"the answer key {key_path} would be inside the student folder {out_dir}: put it elsewhere")
    assignment, key = build_assignment(assignment_id, title, chosen, seed, deadline)
    assignment_path = out_dir / f"{assignment_id}.json"
    payload = assignment.model_dump(mode="json")
    leaks = answer_leaks(json.dumps(payload, ensure_ascii=False), chosen)
    if leaks:  # pragma: no cover - public views carry no answer fields; this guards future edits
        raise RuntimeError(f"assignment JSON would contain answers: {'; '.join(leaks)}")
    ctx = NotebookContext(assignment_id, title, assignment_path.name, chosen, deadline=deadline)
    notebook = build_notebook(ctx)
    write_json_atomically(assignment_path, payload)
    assignment_path.chmod(0o644)  # handed out (hub, LMS): readable by others; the key keeps mkstemp's 0600
    write_json_atomically(key_path, key.model_dump(mode="json"))
    nbformat.write(notebook, notebook_path)
    return Written(notebook_path, assignment_path, key_path)
