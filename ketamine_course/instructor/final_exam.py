"""The course's final exam (lesson 8): a fixed, seeded draw from every lesson bank, built with the instructor tool.

Why a module of its own: the exam is part of the course, so its student files live in ``lessons/`` (nbviewer shows
them, nbval runs them), while its answer key must never be committed there. Everything is derived from the banks
with a fixed seed, so the key can be re-made on demand and always matches the committed questions:

- ``lessons/08-final-exam.json`` — the questions as students see them (no answers), committed;
- ``lessons/08-final-exam.ipynb`` — the student notebook, ``assessment_quiz("08-final-exam.json")``, committed
  executed (``ketamine-course regenerate 08-final-exam``);
- the answer key — written only by ``ketamine-course final-exam --key FILE`` to a path outside ``lessons/``.

The draw is stratified: a fixed number of questions from each lesson bank 00–07 that exists (each bank drawn with its
own seed, so adding a bank — lesson 5's — leaves the other banks' questions unchanged), then shuffled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
from nbformat.v4 import new_markdown_cell

from ketamine_course.instructor.answer_key import AnswerKey
from ketamine_course.instructor.assign import (
    NotebookContext,
    add_header,
    add_instructions,
    add_notice,
    add_quiz_cells,
    add_setup_cell,
    build_assignment,
    build_notebook,
    check_no_answers,
    set_metadata,
)
from ketamine_course.instructor.selection import Criteria, Entry, entries, load_banks, select
from ketamine_course.paths import lessons_dir
from ketamine_course.quiz.bank import Bank, bank_paths
from ketamine_course.quiz.public import seeded_rng
from ketamine_course.quiz.submission import Assignment, write_json_atomically

EXAM_ID = "08-final-exam"
EXAM_TITLE = "Final exam"
EXAM_SEED = "ketamine-course-final-exam-2026"
EXAM_LESSONS = ("00", "01", "02", "03", "04", "05", "06", "07")
DEFAULT_PER_BANK = 5
PER_BANK = {"00": 3, "01": 4}  # shorter lessons give fewer questions
MIN_QUESTIONS = 30


class FinalExamError(ValueError):
    """The final exam cannot be built or its files do not match the banks."""


@dataclass(frozen=True)
class ExamFiles:
    notebook: Path
    assignment: Path


def exam_files(folder: Path | None = None) -> ExamFiles:
    folder = folder or lessons_dir()
    return ExamFiles(folder / f"{EXAM_ID}.ipynb", folder / f"{EXAM_ID}.json")


def exam_banks(paths: Sequence[Path] | None = None) -> list[Bank]:
    """The lesson banks the exam draws from: every bank whose lesson number is 00–07 (not the capstone's own)."""
    chosen = [p for p in (paths or bank_paths()) if Path(p).stem[:2] in EXAM_LESSONS]
    if not chosen:
        raise FinalExamError("no lesson banks 00–07 found in quizzes/")
    return sorted(load_banks(chosen), key=lambda b: b.lesson)


def draw_exam(banks: Sequence[Bank] | None = None, seed: str = EXAM_SEED) -> list[Entry]:
    """The exam's questions: ``PER_BANK`` (default 5) from each bank, each bank drawn with its own seed, then
    shuffled with ``seed``. Same banks and seed → same exam on every machine."""
    banks = list(banks) if banks is not None else exam_banks()
    chosen: list[Entry] = []
    for bank in banks:
        count = min(PER_BANK.get(bank.lesson[:2], DEFAULT_PER_BANK), len(bank.questions))
        chosen += select(entries([bank]), Criteria(count=count, seed=f"{seed}:{bank.bank}", shuffle=False))
    seeded_rng("order", seed).shuffle(chosen)
    if len(chosen) < MIN_QUESTIONS:
        raise FinalExamError(f"the final exam has {len(chosen)} questions; at least {MIN_QUESTIONS} are needed")
    ids = [e.id for e in chosen]
    clashes = sorted({i for i in ids if ids.count(i) > 1})
    if clashes:
        raise FinalExamError(f"question id(s) {', '.join(clashes)} occur in more than one lesson bank; rename them")
    return chosen


def build_exam(banks: Sequence[Bank] | None = None) -> tuple[list[Entry], Assignment, AnswerKey]:
    chosen = draw_exam(banks)
    assignment, key = build_assignment(EXAM_ID, EXAM_TITLE, chosen, EXAM_SEED)
    return chosen, assignment, key


def add_exam_intro(nb: nbformat.NotebookNode, ctx: NotebookContext) -> nbformat.NotebookNode:
    """Where the exam belongs in the course, what it covers, and (for instructors) where the key comes from."""
    lessons = sorted({e.bank.lesson for e in ctx.chosen})
    nb.cells.append(new_markdown_cell(
        "Part of **Lesson 8 · Capstone and final exam** — work through the [capstone case studies]"
        "(08-capstone.ipynb) first. The questions are drawn from the practice quizzes of lessons "
        f"{', '.join(s[:2] for s in lessons)} (*in assessment mode*: no feedback, no answers on this page). "
        "Allow about 45 minutes.\n\n"
        "*Instructors:* make the answer key with `ketamine-course final-exam --key <file outside lessons/>` and "
        "grade the collected submission files with `ketamine-course grade` (see docs/instructor-guide.md)."))
    return nb


EXAM_STEPS = [add_header, add_exam_intro, add_instructions, add_setup_cell, add_quiz_cells, add_notice, set_metadata,
              check_no_answers]


def exam_notebook(chosen: Sequence[Entry]) -> nbformat.NotebookNode:
    ctx = NotebookContext(EXAM_ID, EXAM_TITLE, f"{EXAM_ID}.json", chosen)
    return build_notebook(ctx, EXAM_STEPS)


def write_exam(folder: Path | None = None) -> ExamFiles:
    """Rewrite the exam's student files (unexecuted notebook; run ``ketamine-course regenerate 08-final-exam``)."""
    files = exam_files(folder)
    chosen, assignment, _ = build_exam()
    write_json_atomically(files.assignment, assignment.model_dump(mode="json"))
    files.assignment.chmod(0o644)
    nbformat.write(exam_notebook(chosen), files.notebook)
    return files


def exam_is_current(folder: Path | None = None) -> bool:
    """Whether the committed assignment JSON is exactly what the banks and the seed give now."""
    files = exam_files(folder)
    if not files.assignment.exists():
        return False
    committed = Assignment.model_validate_json(files.assignment.read_text(encoding="utf-8"))
    return committed == build_exam()[1]


def write_answer_key(path: Path, folder: Path | None = None) -> Path:
    """Write the exam's answer key (mode 0600) to ``path``, which must be outside ``lessons/``; refuse when the
    committed exam no longer matches the banks (the key would not fit the students' questions)."""
    folder = folder or lessons_dir()
    resolved = path.resolve()
    if resolved == folder.resolve() or folder.resolve() in resolved.parents:
        raise FinalExamError(f"the answer key {path} would be inside {folder}: students and nbviewer see that folder;"
                             " write it elsewhere, e.g. --key ~/exam-keys/08-final-exam.answer-key.json")
    if not exam_is_current(folder):
        raise FinalExamError(f"{exam_files(folder).assignment} does not match the quiz banks any more (a bank "
                             "changed): rebuild the exam with `ketamine-course final-exam --update`, then "
                             "`ketamine-course regenerate 08-final-exam`, and hand out the new files")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomically(path, build_exam()[2].model_dump(mode="json"))
    return path


def exam_overview() -> pd.DataFrame:
    """What the exam covers, lesson by lesson (no questions, no answers): for the capstone lesson."""
    rows = {}
    for entry in draw_exam():
        row = rows.setdefault(entry.bank.lesson, {"Lesson": f"{entry.bank.lesson[:2]} · {entry.bank.title}",
                                                   "Questions": 0, "Types": set()})
        row["Questions"] += 1
        row["Types"].add(entry.question.type)
    table = pd.DataFrame([{**r, "Types": ", ".join(sorted(r["Types"]))} for _, r in sorted(rows.items())])
    total = pd.DataFrame([{"Lesson": "Total", "Questions": int(table["Questions"].sum()), "Types": ""}])
    return pd.concat([table, total], ignore_index=True)
