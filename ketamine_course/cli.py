"""The ``ketamine-course`` command: course maintenance and (later sub-commands) the instructor's workflow.

Run ``ketamine-course --help`` for the list; each sub-command's ``--help`` explains it with an example.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ketamine_course.errors import CourseFileError


def _cmd_regenerate(args: argparse.Namespace) -> int:
    from ketamine_course.datasets import data_dictionary_markdown
    from ketamine_course.notebooks import lesson_paths, regenerate
    from ketamine_course.paths import data_dir

    (data_dir() / "README.md").write_text(data_dictionary_markdown(), encoding="utf-8")
    print("wrote data/README.md (data dictionary)")
    for path, seconds in regenerate(lesson_paths(args.lessons)).items():
        print(f"executed {path.name} in {seconds:.1f} s")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from ketamine_course.citations import citation_problems
    from ketamine_course.datasets import DATASETS, validate_dataset
    from ketamine_course.references import load_references

    try:
        references = load_references()
    except CourseFileError as exc:
        print(exc, file=sys.stderr)
        return 1
    problems = []
    for spec in DATASETS.values():
        problems += validate_dataset(spec, references=references)[1]
    problems += citation_problems(references)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    print(f"{len(references)} references, {len(DATASETS)} data sets: "
          f"{'OK' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ketamine-course",
        description="Tools for the course 'Ketamine — pharmacology, therapeutic evidence and regulation'.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    regen = sub.add_parser(
        "regenerate",
        help="re-execute lessons in fresh kernels and save their outputs (the only way outputs are made)",
        description="Execute each lesson top to bottom in a fresh kernel, store widget state, save it in place, and "
        "rewrite data/README.md from the data models. Example: ketamine-course regenerate 00 03",
    )
    regen.add_argument("lessons", nargs="*", help="lesson name or number prefix (default: all lessons)")
    regen.set_defaults(handler=_cmd_regenerate)

    check = sub.add_parser(
        "check",
        help="validate the reference list, every data set and every citation in the course",
        description="Validate data/references.csv, every data set and the citations of lessons, data and quizzes; "
        "list every problem with file, row and column. Exit code 1 if anything is wrong.",
    )
    check.set_defaults(handler=_cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except CourseFileError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
