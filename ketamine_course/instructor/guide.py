"""The generated part of ``docs/instructor-guide.md``: time per lesson and, for every lesson, which questions assess
which objective — read from ``course_map.py`` and the banks, so the guide cannot drift from the course.

``ketamine-course guide`` rewrites the text between the two marker lines; ``--check`` only compares (a test runs it).
"""

from __future__ import annotations

from pathlib import Path

from ketamine_course.course_map import COURSE_MAP
from ketamine_course.paths import course_root
from ketamine_course.quiz.bank import Bank, bank_for_lesson, course_banks

BEGIN = "<!-- BEGIN GENERATED: ketamine-course guide (do not edit by hand) -->"
END = "<!-- END GENERATED -->"


def guide_path() -> Path:
    return course_root() / "docs" / "instructor-guide.md"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _objective_table(bank: Bank) -> list[str]:
    lines = ["| Objective | Questions (type, difficulty) | # |", "| --- | --- | --- |"]
    for objective in bank.objectives:
        asked = [q for q in bank.questions if objective.id in q.objectives]
        listed = ", ".join(f"`{q.id}` ({q.type}, {q.difficulty})" for q in asked) or "**none — add questions**"
        lines.append(f"| **{objective.id}** — {_cell(objective.text)} | {listed} | {len(asked)} |")
    return lines


def generated_markdown() -> str:
    total_minutes = sum(e.minutes for e in COURSE_MAP)
    lines = ["### Time per lesson", "",
             "| # | Lesson | Time | Quiz bank | Questions |", "| --- | --- | --- | --- | --- |"]
    banks = {e.stem: bank_for_lesson(e.stem) for e in COURSE_MAP}
    for entry in COURSE_MAP:
        bank = banks[entry.stem]
        bank_cell = f"`quizzes/{entry.stem}.yaml`" if bank else "*(in preparation)*"
        lines.append(f"| {entry.number} | {_cell(entry.title)} | {entry.minutes} min | {bank_cell} | "
                     f"{len(bank.questions) if bank else 0} |")
    lines += ["", f"Whole course: about {total_minutes // 60} h {total_minutes % 60:02d} min of study time, plus the "
              "assignments you set.", "", "### Objectives → questions, by lesson", ""]
    for entry in COURSE_MAP:
        bank = banks[entry.stem]
        lines.append(f"#### {_cell(entry.label)} ({entry.minutes} min)")
        lines.append("")
        if bank is None:
            lines += ["*Quiz bank in preparation.*", ""]
            continue
        lines += [*_objective_table(bank), ""]
    others = [b for b in course_banks() if b.bank not in {e.stem for e in COURSE_MAP}]
    for bank in others:  # e.g. a final-exam bank that is not named after a lesson notebook
        lines += [f"#### Bank `{bank.bank}` · {_cell(bank.title)}", "", *_objective_table(bank), ""]
    return "\n".join(lines).rstrip() + "\n"


def updated_guide(text: str) -> str:
    """``text`` with the generated block replaced (both markers must be present, in order)."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the guide must contain the marker lines {BEGIN!r} and {END!r}, in that order")
    return text[: start + len(BEGIN)] + "\n\n" + generated_markdown() + "\n" + text[end:]


def write_guide(check: bool = False) -> bool:
    """Rewrite the generated block; with ``check`` only report. Returns True when the file is (or was) current."""
    path = guide_path()
    current = path.read_text(encoding="utf-8")
    wanted = updated_guide(current)
    if wanted == current:
        return True
    if not check:
        path.write_text(wanted, encoding="utf-8")
    return False
