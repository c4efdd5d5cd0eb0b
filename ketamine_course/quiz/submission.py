"""Assignment and submission files: plain JSON data, written atomically, read without executing anything.

An *assignment* file holds the public views of its questions (no answers) and where they came from; the student's
notebook loads it. A *submission* file holds one student's responses to one assignment.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ketamine_course.quiz.public import PublicQuestion

ASSIGNMENT_FORMAT = "ketamine-course-assignment"
SUBMISSION_FORMAT = "ketamine-course-submission"
FORMAT_VERSION = 1


class BankSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    bank: str
    version: int
    fingerprint: str


class Assignment(BaseModel):
    """What the student's notebook loads: questions without answers."""

    model_config = ConfigDict(extra="forbid")
    format: str = Field(ASSIGNMENT_FORMAT, pattern=f"^{ASSIGNMENT_FORMAT}$")
    format_version: int = FORMAT_VERSION
    assignment_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str
    seed: str
    deadline: str | None = None
    sources: list[BankSource]
    questions: list[dict[str, Any]]

    def views(self) -> list[PublicQuestion]:
        return [PublicQuestion.from_dict(q) for q in self.questions]


class Submission(BaseModel):
    """One student's answers to one assignment."""

    model_config = ConfigDict(extra="forbid")
    format: str = Field(SUBMISSION_FORMAT, pattern=f"^{SUBMISSION_FORMAT}$")
    format_version: int = FORMAT_VERSION
    assignment_id: str
    student: str = Field(min_length=1, max_length=200)
    submitted_at: str
    sources: list[BankSource]
    responses: dict[str, Any]


def write_json_atomically(path: Path, data: dict[str, Any]) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def student_slug(student: str) -> str:
    """A file-name-safe form of a student's name or id (non-ASCII letters kept)."""
    slug = re.sub(r"[^\w.-]+", "_", student.strip(), flags=re.UNICODE).strip("._")
    return slug[:80] or "student"


def submission_path(folder: Path, assignment_id: str, student: str) -> Path:
    return folder / f"{assignment_id}--{student_slug(student)}.json"
