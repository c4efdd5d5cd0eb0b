"""Error types shared by every loader (data sets, references, quiz banks, submissions).

A loader collects *every* problem it finds and raises one error listing them all, each naming the file, the place in
it (row / question id) and the field, so an author can fix a file in one pass instead of one traceback at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of one file."""

    file: str
    where: str  # "row 3 (line 4)", "question q-03", "header", "file"
    field: str | None
    message: str

    def __str__(self) -> str:
        field = f", column/field '{self.field}'" if self.field else ""
        return f"{self.file}: {self.where}{field}: {self.message}"


class CourseFileError(ValueError):
    """A course file (data set, reference list, quiz bank, submission) is invalid; ``problems`` lists every fault."""

    def __init__(self, problems: Iterable[Problem], what: str = "file") -> None:
        self.problems: list[Problem] = list(problems)
        count = len(self.problems)
        files = sorted({p.file for p in self.problems})
        header = f"invalid {what} ({count} problem{'s' if count != 1 else ''} in {', '.join(files)}):"
        super().__init__("\n".join([header, *(f"  - {p}" for p in self.problems)]))


class DataValidationError(CourseFileError):
    """A data set or the reference list failed validation."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        super().__init__(problems, what="data")


def display_path(path: Path) -> str:
    """A path as an author would name it: relative to the course root when inside it."""
    from ketamine_course.paths import course_root

    try:
        return path.resolve().relative_to(course_root()).as_posix()
    except ValueError:
        return str(path)
