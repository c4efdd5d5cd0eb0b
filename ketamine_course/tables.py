"""Read a CSV file into rows validated by a pydantic model, reporting every bad cell by file, row and column.

CSV is the course's format for data because instructors and reviewers open it in a spreadsheet. Cells are read as
text by the stdlib ``csv`` module (no type guessing), empty cells become ``None``, and a pydantic model per data set
does the typing and the checks. Row numbers count data rows from 1; the line number is the spreadsheet line.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from ketamine_course.errors import DataValidationError, Problem, display_path

RowModel = TypeVar("RowModel", bound=BaseModel)


def model_columns(model: type[BaseModel]) -> list[str]:
    """The CSV columns a row model expects, in declaration order (aliases win over field names)."""
    return [field.alias or name for name, field in model.model_fields.items()]


@dataclass
class CsvRead(Generic[RowModel]):
    """Valid rows, where each came from ("row 3 (line 4)"), and every problem found."""

    rows: list[RowModel] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_validated_csv(path: Path, model: type[RowModel]) -> CsvRead[RowModel]:
    """Parse ``path`` with ``model`` per row. Returns the valid rows, their locations and the problems (empty when
    all is well).

    Problems found: unreadable / non-UTF-8 file, missing or unexpected columns, and any cell the model rejects.
    """
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return CsvRead(problems=[Problem(shown, "file", None, "file not found")])
    except UnicodeDecodeError as exc:
        message = f"not valid UTF-8 text ({exc.reason} at byte {exc.start})"
        return CsvRead(problems=[Problem(shown, "file", None, message)])

    reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
    problems: list[Problem] = []
    expected = model_columns(model)
    header = reader.fieldnames or []
    missing = [c for c in expected if c not in header]
    unexpected = [c for c in header if c not in expected]
    if missing:
        problems.append(Problem(shown, "header", None, f"missing column(s): {', '.join(missing)}"))
    if unexpected:
        problems.append(Problem(shown, "header", None, f"unexpected column(s): {', '.join(unexpected)}"))
    if problems:
        return CsvRead(problems=problems)

    rows: list[RowModel] = []
    locations: list[str] = []
    try:
        for row_number, raw in enumerate(reader, start=1):
            where = f"row {row_number} (line {reader.line_num})"
            if None in raw:  # more cells than header columns
                problems.append(Problem(shown, where, None, f"{len(raw[None])} cell(s) beyond the last column"))
                continue
            cells = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
            cells = {k: (None if v in ("", None) else v) for k, v in cells.items()}
            try:
                rows.append(model.model_validate(cells))
                locations.append(where)
            except ValidationError as exc:
                for err in exc.errors():
                    column = str(err["loc"][0]) if err["loc"] else None
                    empty = column is not None and cells.get(column) is None
                    message = "missing value (empty cell)" if empty and err["type"].endswith("_type") else err["msg"]
                    problems.append(Problem(shown, where, column, message))
    except csv.Error as exc:
        problems.append(Problem(shown, f"line {reader.line_num}", None, f"CSV syntax error: {exc}"))
    if not rows and not problems:
        problems.append(Problem(shown, "file", None, "no data rows"))
    return CsvRead(rows, locations, problems)


def load_validated_csv(path: Path, model: type[RowModel]) -> list[RowModel]:
    """Like :func:`read_validated_csv` but raises :class:`DataValidationError` listing every problem."""
    result = read_validated_csv(path, model)
    if result.problems:
        raise DataValidationError(result.problems)
    return result.rows
