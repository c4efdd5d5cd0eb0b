"""The ``ketamine-course`` command: course maintenance and the instructor's workflow.

This module only declares the sub-commands and their help; the work is done in :mod:`ketamine_course.instructor`
(validate, list, assign, grade, export, guide, final-exam) and in the course modules (regenerate, check).

Run ``ketamine-course --help`` for the list; each sub-command's ``--help`` explains it with an example.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence

from ketamine_course.errors import CourseFileError


def _cmd_regenerate(args: argparse.Namespace) -> int:
    from ketamine_course.course_map import readme_with_course_map
    from ketamine_course.datasets import data_dictionary_markdown
    from ketamine_course.notebooks import lesson_paths, regenerate
    from ketamine_course.paths import course_root, data_dir

    (data_dir() / "README.md").write_text(data_dictionary_markdown(), encoding="utf-8")
    print("wrote data/README.md (data dictionary)")
    readme = course_root() / "README.md"
    readme.write_text(readme_with_course_map(readme.read_text(encoding="utf-8")), encoding="utf-8")
    print("updated the course map in README.md")
    from ketamine_course.instructor.guide import write_guide

    write_guide(check=False)
    print("updated the generated part of docs/instructor-guide.md")
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
        "rewrite every generated text (data/README.md, the README's course map, the instructor guide's objectives "
        "map). Example: ketamine-course regenerate 00 03",
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
    _add_instructor_commands(sub)
    return parser


RAW = argparse.RawDescriptionHelpFormatter
DIFFICULTIES = ("easy", "medium", "hard")
TYPES = ("single", "multiple", "numeric", "matching")


def _selection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bank", action="append", metavar="FILE",
                        help="bank file to use (repeatable; default: every bank in quizzes/)")
    parser.add_argument("--lesson", action="append", metavar="LESSON",
                        help="lesson stem, number prefix or bank id, e.g. 03 or 03-pharmacokinetics (repeatable)")
    parser.add_argument("--objective", action="append", metavar="ID", help="objective id (repeatable)")
    parser.add_argument("--difficulty", action="append", choices=DIFFICULTIES, help="difficulty (repeatable)")
    parser.add_argument("--type", action="append", choices=TYPES, help="question type (repeatable)")


def _add_instructor_commands(sub: argparse._SubParsersAction) -> None:
    from ketamine_course.instructor import commands

    validate = sub.add_parser(
        "validate", help="validate quiz banks: schema, ids, answers, objectives, references", formatter_class=RAW,
        description="Load each bank and list EVERY problem with file, question id and field (YAML syntax, schema, "
        "duplicate ids, answers not among the choices, unknown objectives or reference keys). Exit code 0 when all "
        "banks are valid, 1 otherwise.\n\nExamples:\n  ketamine-course validate                 # every bank "
        "in quizzes/\n  ketamine-course validate quizzes/03-pharmacokinetics.yaml my-bank.yaml",
    )
    validate.add_argument("banks", nargs="*", metavar="BANK", help="bank files (default: all in quizzes/)")
    validate.add_argument("--strict", action="store_true", help="also fail when an objective is asked < 2 times")
    validate.set_defaults(handler=commands.cmd_validate)

    listing = sub.add_parser(
        "list", help="list questions by lesson, objective, type and difficulty (table or --csv)", formatter_class=RAW,
        description="Print the questions of the banks as a table sorted by lesson, objective, type and difficulty; "
        "filters combine with AND, repeated values of one filter with OR.\n\nExamples:\n  ketamine-course list\n"
        "  ketamine-course list --lesson 00 --difficulty medium --difficulty hard\n"
        "  ketamine-course list --type numeric --csv > numeric.csv",
    )
    _selection_arguments(listing)
    listing.add_argument("--csv", action="store_true", help="write CSV (full prompts) to standard output")
    listing.set_defaults(handler=commands.cmd_list)

    assign = sub.add_parser(
        "assign", help="build an assignment: student notebook + assignment JSON, answer key apart",
        formatter_class=RAW,
        description="Choose questions (by id, or filtered by lesson / objective / difficulty / type, optionally "
        "drawing --count at random) and shuffle them with a seed (default: the assignment id, so the same command "
        "gives the same assignment). Writes into --out (default ./ASSIGNMENT_ID/): ASSIGNMENT_ID.ipynb, which runs "
        "assessment_quiz(\"ASSIGNMENT_ID.json\") and contains no answers, and ASSIGNMENT_ID.json (questions without "
        "answers). The answer key goes to --key (default: beside the folder, ASSIGNMENT_ID.answer-key.json); keep it "
        "away from students. --practice writes a self-check notebook instead (feedback at once, nothing submitted)."
        "\n\nExamples:\n  ketamine-course assign week1-quiz --title \"Week 1 quiz\" --lesson 00 --count 6 "
        "--seed 2026 --deadline 2026-12-01T17:00:00Z\n  ketamine-course assign revision --question pcp-origin "
        "--question us-schedule --practice",
    )
    assign.add_argument("assignment_id", metavar="ASSIGNMENT_ID", help="letters, digits, . _ - (used in file names)")
    assign.add_argument("--title", help="title shown to students (default: the id)")
    _selection_arguments(assign)
    assign.add_argument("--question", action="append", metavar="ID", help="question id to include (repeatable)")
    assign.add_argument("--count", type=int, metavar="N", help="draw N questions at random (seeded)")
    assign.add_argument("--seed", help="seed for drawing and shuffling (default: the assignment id)")
    assign.add_argument("--no-shuffle", action="store_true", help="keep bank order (choices are still shuffled)")
    assign.add_argument("--deadline", metavar="ISO", help="ISO 8601 date-time with time zone; later submissions "
                        "are not graded")
    assign.add_argument("--out", metavar="DIR", help="student folder (default: ./ASSIGNMENT_ID)")
    assign.add_argument("--key", metavar="FILE", help="answer key path (must be outside the student folder)")
    assign.add_argument("--practice", action="store_true", help="self-check notebook instead of an assessment")
    assign.set_defaults(handler=commands.cmd_assign)

    grade = sub.add_parser(
        "grade", help="grade a folder of submissions into a CSV gradebook and an item analysis",
        formatter_class=RAW,
        description="Read every submission file in SUBMISSIONS as data (nothing is executed), check it against the "
        "answer key, and write into --out (default ./ASSIGNMENT_ID-grades/): gradebook.csv (one row per student, one "
        "column per question, total, percent), item-analysis.csv (percent correct, item-rest correlation, upper-lower "
        "27 % index), item-analysis.html (a standalone plotly chart) and not-counted.csv. A corrupt, truncated, "
        "foreign, tampered, late or duplicate file is listed with its reason; all others are graded, and the latest "
        "submission per student counts.\n\nExample:\n  ketamine-course grade --key week1-quiz.answer-key.json "
        "collected/ --deadline 2026-12-01T17:00:00Z",
    )
    grade.add_argument("submissions", metavar="SUBMISSIONS", help="folder of submission .json files")
    grade.add_argument("--key", required=True, metavar="FILE", help="the assignment's *.answer-key.json")
    grade.add_argument("--deadline", metavar="ISO", help="override the key's deadline (ISO 8601 with time zone)")
    grade.add_argument("--out", metavar="DIR", help="output folder (default: ./ASSIGNMENT_ID-grades)")
    grade.set_defaults(handler=commands.cmd_grade)

    export = sub.add_parser(
        "export", help="export a bank or an assignment to Canvas (QTI), Moodle XML and GIFT", formatter_class=RAW,
        description="Convert a bank (quizzes/*.yaml) or an assignment's answer key to: a Canvas QTI 1.2 zip (via "
        "text2qti's Python API; matching questions are not supported by text2qti and are skipped with a warning "
        "naming them), Moodle XML (all four types; grade fractions from Moodle's allowed list) and GIFT.\n\n"
        "Examples:\n  ketamine-course export quizzes/00-start-here.yaml --out lms/\n"
        "  ketamine-course export week1-quiz.answer-key.json --format moodle --format gift --out lms/",
    )
    export.add_argument("source", metavar="SOURCE", help="bank .yaml or *.answer-key.json")
    export.add_argument("--format", action="append", choices=("qti", "moodle", "gift"),
                        help="format to write (repeatable; default: all three)")
    export.add_argument("--out", default=".", metavar="DIR", help="output folder (default: .)")
    export.set_defaults(handler=commands.cmd_export, format=None)

    guide = sub.add_parser(
        "guide", help="regenerate the objectives → questions map in docs/instructor-guide.md", formatter_class=RAW,
        description="Rewrite the generated section of docs/instructor-guide.md (time per lesson from the course map, "
        "objectives → questions for every lesson from the banks). --check only compares; exit 1 when out of date."
        "\n\nExample:\n  ketamine-course guide --check",
    )
    guide.add_argument("--check", action="store_true", help="do not write; exit 1 if the guide is out of date")
    guide.set_defaults(handler=commands.cmd_guide)

    exam = sub.add_parser(
        "final-exam", help="the course's final exam (lesson 8): write its answer key, check or rebuild it",
        formatter_class=RAW,
        description="The final exam is a fixed, seeded draw from every lesson bank (00-07) built with the same "
        "machinery as 'assign'. Its student files are committed in lessons/ (08-final-exam.ipynb and "
        "08-final-exam.json, no answers); its answer key is never committed: --key FILE writes it (mode 0600) to a "
        "path outside lessons/, after checking that the committed exam still matches the banks. With no option: "
        "check only (exit 1 if out of date). --update (course maintainers, after a bank changed): rewrite the student "
        "files, then run 'ketamine-course regenerate 08-final-exam'.\n\nExamples:\n"
        "  ketamine-course final-exam --key ~/exam-keys/08-final-exam.answer-key.json\n"
        "  ketamine-course grade collected/ --key ~/exam-keys/08-final-exam.answer-key.json\n"
        "  ketamine-course final-exam --update && ketamine-course regenerate 08-final-exam",
    )
    exam.add_argument("--key", metavar="FILE", help="write the answer key here (must be outside lessons/)")
    exam.add_argument("--update", action="store_true", help="rebuild lessons/08-final-exam.{json,ipynb} from the banks")
    exam.set_defaults(handler=commands.cmd_final_exam)
    for name in ("validate", "list", "assign", "grade", "export", "guide", "final-exam"):
        sub.choices[name].description = _wrap(sub.choices[name].description)


def _wrap(description: str, width: int = 100) -> str:
    """Wrap the prose paragraphs of a description; keep the example block (indented command lines) as written."""
    paragraphs = description.split("\n\n")
    return "\n\n".join(p if p.startswith("Example") else textwrap.fill(p, width) for p in paragraphs)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except CourseFileError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
