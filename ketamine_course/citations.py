"""Who cites what: every reference key used by lessons, data rows and quiz banks, checked against the reference list.

The course's accuracy rule in code: a key that does not resolve, a data row without a source, or a reference that
nothing cites is a problem reported with the file and place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat

from ketamine_course.datasets import DATASETS, validate_dataset
from ketamine_course.errors import Problem, display_path
from ketamine_course.paths import lessons_dir
from ketamine_course.references import REFERENCES_FILE, ReferenceList, cited_keys_in_markdown, course_references

Citation = tuple[str, str, str]  # (key, file, where)


def lesson_markdown(path: Path) -> str:
    """All Markdown cells of a notebook, joined."""
    nb = nbformat.read(path, as_version=4)
    return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def lesson_citations() -> Iterator[Citation]:
    for path in sorted(lessons_dir().glob("*.ipynb")):
        for key in cited_keys_in_markdown(lesson_markdown(path)):
            yield key, display_path(path), "markdown"


def dataset_citations() -> Iterator[Citation]:
    for spec in DATASETS.values():
        rows, _ = validate_dataset(spec, references=ReferenceList([]))
        for index, row in enumerate(rows, start=1):
            for key in row.source_key:
                yield key, display_path(spec.path), f"row {index}"


def quiz_citations() -> Iterator[Citation]:
    from ketamine_course.quiz.bank import bank_citations

    yield from bank_citations()


CITATION_SOURCES: list[Callable[[], Iterator[Citation]]] = [lesson_citations, dataset_citations, quiz_citations]


def citation_index() -> dict[str, list[tuple[str, str]]]:
    """key → [(file, where), …] over the whole course."""
    index: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for source in CITATION_SOURCES:
        for key, file, where in source():
            index[key].append((file, where))
    return dict(index)


def citation_problems(references: ReferenceList | None = None) -> list[Problem]:
    """Unknown keys anywhere in the course, and references nothing cites."""
    references = references if references is not None else course_references()
    index = citation_index()
    problems = [
        Problem(file, where, "citation", f"unknown reference key {key!r}")
        for key, places in sorted(index.items())
        if key not in references
        for file, where in places
    ]
    problems += [
        Problem(f"data/{REFERENCES_FILE}", f"key {ref.key}", None, "reference is not cited by any lesson, data row "
                "or quiz question")
        for ref in references
        if ref.key not in index
    ]
    return problems
