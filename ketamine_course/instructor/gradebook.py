"""Grade a folder of submission files into a gradebook — reading them as data, never executing anything.

Every ``*.json`` file in the folder is checked in turn; one that cannot be counted is *reported* with its name and the
reason, and every other file is still graded:

- not UTF-8, not JSON (corrupt or truncated), or not a course submission at all (a foreign file);
- a submission for another assignment, with question ids the assignment does not have, with bank fingerprints that
  differ from the answer key's (tampered, or made from another version of the bank), with a malformed response,
  without a valid time stamp, or submitted after the deadline;
- more than one file for the same student: the latest submission counts; the others are listed as duplicates (same
  answers and time) or superseded.

Each question is worth 1 point and is scored by :func:`ketamine_course.quiz.grading.grade`. The gradebook is written
with the ``csv`` module (UTF-8 with a byte-order mark so spreadsheets read accents; names with commas are quoted).
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from ketamine_course.instructor.answer_key import AnswerKey
from ketamine_course.quiz.bank import Question
from ketamine_course.quiz.grading import ResponseError, grade
from ketamine_course.quiz.submission import SUBMISSION_FORMAT, Submission

MAX_SUBMISSION_BYTES = 2_000_000
CSV_ENCODING = "utf-8-sig"  # a BOM: Excel then reads UTF-8 (accents, non-Latin names) correctly
SCORE_DECIMALS = 4


class Rejected(Exception):
    """A submission that cannot be counted; ``reason`` says why in words an instructor can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class NotCounted:
    file: str
    reason: str
    category: str  # "rejected", "duplicate", "superseded", "ignored"


@dataclass(frozen=True)
class Graded:
    file: str
    student: str
    submitted_at: datetime
    responses_digest: str
    scores: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.scores.values())


@dataclass
class GradeReport:
    key: AnswerKey
    question_ids: list[str]
    graded: list[Graded] = field(default_factory=list)
    not_counted: list[NotCounted] = field(default_factory=list)

    @property
    def max_points(self) -> int:
        return len(self.question_ids)

    @property
    def rejected(self) -> list[NotCounted]:
        return [n for n in self.not_counted if n.category != "superseded"]


def parse_time(text: str, what: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        raise Rejected(f"{what} {text!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise Rejected(f"{what} {text!r} has no time zone")
    return moment


def student_identity(name: str) -> str:
    """Two spellings of one name (case, spacing, composed / decomposed accents) are the same student."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _schema_reason(exc: ValidationError) -> str:
    parts = [f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in exc.errors()[:5]]
    return "invalid submission — " + "; ".join(parts)


def read_submission(path: Path, key: AnswerKey, questions: dict[str, Question],
                    deadline: datetime | None) -> Graded:
    """Check one submission file against the answer key and grade it; raises :class:`Rejected` with the reason."""
    size = path.stat().st_size
    if size > MAX_SUBMISSION_BYTES:
        raise Rejected(f"file too large ({size} bytes; a submission is a few KB)")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # tolerate a byte-order mark (a file re-saved by a Windows editor)
    except UnicodeDecodeError as exc:
        raise Rejected(f"not UTF-8 text ({exc.reason} at byte {exc.start}) — corrupt or not a submission") from None
    if not text.strip():
        raise Rejected("empty file")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Rejected(f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}) — corrupt or "
                       "truncated") from None
    if not isinstance(data, dict) or data.get("format") != SUBMISSION_FORMAT:
        raise Rejected(f"not a course submission (no \"format\": \"{SUBMISSION_FORMAT}\") — a foreign file")
    try:
        submission = Submission.model_validate(data)
    except ValidationError as exc:
        raise Rejected(_schema_reason(exc)) from None
    if not submission.student.strip():
        raise Rejected("no student name or ID")
    if submission.assignment_id != key.assignment_id:
        raise Rejected(f"for assignment {submission.assignment_id!r}, not {key.assignment_id!r}")
    expected = {s.bank: s for s in key.sources}
    got = {s.bank: s for s in submission.sources}
    if set(got) != set(expected):
        raise Rejected(f"bank list {sorted(got)} differs from the assignment's {sorted(expected)} — tampered")
    for bank_id, source in got.items():
        if source.fingerprint != expected[bank_id].fingerprint or source.version != expected[bank_id].version:
            raise Rejected(f"bank fingerprint mismatch for {bank_id!r}: submission has {source.fingerprint} "
                           f"(v{source.version}), the assignment {expected[bank_id].fingerprint} "
                           f"(v{expected[bank_id].version}) — tampered or made from another version")
    unknown = sorted(set(submission.responses) - set(questions))
    if unknown:
        raise Rejected(f"unknown question id(s) {', '.join(unknown)} — not in this assignment")
    moment = parse_time(submission.submitted_at, "submitted_at")
    if deadline is not None and moment > deadline:
        raise Rejected(f"submitted after the deadline ({moment.isoformat()} > {deadline.isoformat()})")
    scores: dict[str, float] = {}
    for question_id, question in questions.items():
        try:
            scores[question_id] = grade(question, submission.responses.get(question_id)).score
        except ResponseError as exc:
            raise Rejected(f"malformed response — {exc}") from None
    digest = json.dumps(submission.responses, sort_keys=True, ensure_ascii=False)
    return Graded(path.name, submission.student.strip(), moment, digest, scores)


def _keep_latest(graded: Iterable[Graded]) -> tuple[list[Graded], list[NotCounted]]:
    by_student: dict[str, list[Graded]] = {}
    for g in graded:
        by_student.setdefault(student_identity(g.student), []).append(g)
    kept, dropped = [], []
    for group in by_student.values():
        group.sort(key=lambda g: (g.submitted_at, g.file))
        latest = group[-1]
        kept.append(latest)
        for other in group[:-1]:
            if other.submitted_at == latest.submitted_at and other.responses_digest == latest.responses_digest:
                dropped.append(NotCounted(other.file, f"duplicate of {latest.file} (same student, time and answers)",
                                          "duplicate"))
            else:
                dropped.append(NotCounted(other.file, f"superseded by {latest.file} (the latest submission by "
                                          f"{latest.student!r} counts)", "superseded"))
    kept.sort(key=lambda g: (student_identity(g.student), g.student))
    return kept, dropped


def grade_folder(folder: Path, key: AnswerKey, deadline: str | datetime | None = None) -> GradeReport:
    """Grade every submission in ``folder``; nothing in it is ever imported or executed."""
    if not folder.is_dir():
        raise FileNotFoundError(f"submissions folder {folder} does not exist")
    if isinstance(deadline, str):
        deadline = parse_time(deadline, "deadline")
    elif deadline is None and key.deadline:
        deadline = parse_time(key.deadline, "deadline")
    questions = {qid: q for qid, (_, q) in key.by_id().items()}
    report = GradeReport(key=key, question_ids=list(questions))
    graded: list[Graded] = []
    for path in sorted(folder.iterdir()):
        if path.is_dir():
            continue
        if path.suffix.lower() != ".json" or path.name.startswith("."):
            report.not_counted.append(NotCounted(path.name, "ignored: not a .json submission file", "ignored"))
            continue
        try:
            graded.append(read_submission(path, key, questions, deadline))
        except Rejected as exc:
            report.not_counted.append(NotCounted(path.name, exc.reason, "rejected"))
        except OSError as exc:
            report.not_counted.append(NotCounted(path.name, f"cannot be read ({exc.strerror})", "rejected"))
    report.graded, dropped = _keep_latest(graded)
    report.not_counted += dropped
    report.not_counted.sort(key=lambda n: n.file)
    return report


def format_score(value: float) -> str:
    text = f"{round(value, SCORE_DECIMALS):.{SCORE_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def spreadsheet_safe(text: str) -> str:
    """Stop a spreadsheet from reading a student-typed cell as a formula (``=HYPERLINK(…)``): prefix a quote."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_gradebook(report: GradeReport, path: Path) -> None:
    """One row per student: each question's score (0–1), total, maximum and percentage."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=CSV_ENCODING) as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "file", "submitted_at", *report.question_ids, "total", "max_points", "percent"])
        for g in report.graded:
            total = sum(g.scores.values())
            writer.writerow([spreadsheet_safe(g.student), spreadsheet_safe(g.file), g.submitted_at.isoformat(),
                             *(format_score(g.scores[q]) for q in report.question_ids), format_score(total),
                             report.max_points, f"{100 * total / report.max_points:.2f}"])


def write_not_counted(items: Sequence[NotCounted], path: Path) -> None:
    with path.open("w", newline="", encoding=CSV_ENCODING) as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "category", "reason"])
        for n in items:
            writer.writerow([spreadsheet_safe(n.file), n.category, n.reason])
