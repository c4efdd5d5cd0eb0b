"""Small builders shared by the tests (files written into pytest's tmp_path)."""

from __future__ import annotations

import csv
from pathlib import Path

from ketamine_course.references import Reference, ReferenceList


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def tiny_references(*keys: str) -> ReferenceList:
    return ReferenceList(
        Reference(key=k, kind="article", authors="Doe J", year=2020, title=f"Work {k}", doi=f"10.1000/{k}")
        for k in keys
    )
