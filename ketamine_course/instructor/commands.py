"""Handlers of the instructor sub-commands; ``ketamine_course.cli`` only declares the arguments and calls these.

Each handler takes the parsed arguments, prints what it did (files written, problems found) and returns an exit
code: 0 done, 1 the input was wrong (every problem listed on stderr).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from ketamine_course.errors import CourseFileError
from ketamine_course.instructor.selection import (
    LIST_COLUMNS,
    Criteria,
    SelectionError,
    entries,
    list_rows,
    load_banks,
    select,
    text_table,
)
from ketamine_course.quiz.bank import bank_paths, load_bank


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.banks] or bank_paths()
    if not paths:
        _err("no banks given and none found in quizzes/")
        return 1
    failed = 0
    for path in paths:
        try:
            bank = load_bank(path)
        except CourseFileError as exc:
            failed += 1
            _err(str(exc))
            continue
        thin = [o.id for o in bank.objectives if sum(o.id in q.objectives for q in bank.questions) < 2]
        note = f"; objectives asked fewer than twice: {', '.join(thin)}" if thin else ""
        print(f"OK   {path} — {len(bank.questions)} questions, {len(bank.objectives)} objectives{note}")
        if thin and args.strict:
            failed += 1
    print(f"{len(paths) - failed} of {len(paths)} bank(s) valid")
    return 1 if failed else 0


def _criteria(args: argparse.Namespace, seed: str = "", shuffle: bool = False) -> Criteria:
    return Criteria(ids=tuple(getattr(args, "question", None) or ()), lessons=tuple(args.lesson or ()),
                    objectives=tuple(args.objective or ()), difficulties=tuple(args.difficulty or ()),
                    types=tuple(args.type or ()), count=getattr(args, "count", None), seed=seed, shuffle=shuffle)


def cmd_list(args: argparse.Namespace) -> int:
    try:
        pool = entries(load_banks([Path(p) for p in args.bank] if args.bank else None))
        chosen = select(pool, _criteria(args))
    except SelectionError as exc:
        _err(str(exc))
        return 1
    if args.csv:
        rows = list_rows(chosen, prompt_width=None)
        writer = csv.DictWriter(sys.stdout, fieldnames=LIST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        print(text_table(list_rows(chosen)))
        print(f"\n{len(chosen)} question(s)")
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    from ketamine_course.instructor.assign import write_assignment

    seed = args.seed if args.seed is not None else args.assignment_id
    try:
        pool = entries(load_banks([Path(p) for p in args.bank] if args.bank else None))
        chosen = select(pool, _criteria(args, seed=seed, shuffle=not args.no_shuffle))
        out = Path(args.out) if args.out else Path(args.assignment_id)
        written = write_assignment(args.assignment_id, args.title or args.assignment_id, chosen, seed, out,
                                   key_path=Path(args.key) if args.key else None, deadline=args.deadline,
                                   practice=args.practice)
    except (SelectionError, ValueError) as exc:
        _err(str(exc))
        return 1
    print(f"{len(chosen)} question(s): {', '.join(e.id for e in chosen)}")
    print(f"student notebook: {written.notebook}")
    if written.assignment:
        print(f"assignment file:  {written.assignment}   (hand out with the notebook)")
        print(f"answer key:       {written.answer_key}   (instructor only — keep it out of the students' folder)")
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from ketamine_course.charts.item_analysis import item_analysis_figure
    from ketamine_course.instructor.answer_key import load_answer_key
    from ketamine_course.instructor.gradebook import grade_folder, write_gradebook, write_not_counted
    from ketamine_course.instructor.item_analysis import item_statistics, write_item_analysis

    key = load_answer_key(Path(args.key))
    try:
        report = grade_folder(Path(args.submissions), key, deadline=args.deadline)
    except (FileNotFoundError, ValueError) as exc:
        _err(str(exc))
        return 1
    out = Path(args.out) if args.out else Path(f"{key.assignment_id}-grades")
    out.mkdir(parents=True, exist_ok=True)
    write_gradebook(report, out / "gradebook.csv")
    write_not_counted(report.not_counted, out / "not-counted.csv")
    stats = item_statistics(report)
    write_item_analysis(stats, out / "item-analysis.csv")
    figure = item_analysis_figure(stats, f"Item analysis · {key.title} ({len(report.graded)} students)")
    figure.write_html(out / "item-analysis.html", include_plotlyjs=True, full_html=True)
    print(f"graded {len(report.graded)} student(s) on {report.max_points} question(s) → {out / 'gradebook.csv'}")
    print(f"item analysis → {out / 'item-analysis.csv'}, {out / 'item-analysis.html'}")
    if report.not_counted:
        _err(f"{len(report.not_counted)} file(s) not counted (also in {out / 'not-counted.csv'}):")
        for item in report.not_counted:
            _err(f"  - {item.file}: [{item.category}] {item.reason}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ketamine_course.instructor.export import export

    try:
        written, warnings = export(Path(args.source), args.format or ["qti", "moodle", "gift"], Path(args.out))
    except ValueError as exc:  # includes CourseFileError
        _err(str(exc))
        return 1
    for warning in warnings:
        _err(f"warning: {warning}")
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_guide(args: argparse.Namespace) -> int:
    from ketamine_course.instructor.guide import guide_path, write_guide

    current = write_guide(check=args.check)
    if args.check:
        print(f"{guide_path()} is {'current' if current else 'OUT OF DATE: run ketamine-course guide'}")
        return 0 if current else 1
    print(f"{guide_path()} {'was already current' if current else 'updated'}")
    return 0


def cmd_final_exam(args: argparse.Namespace) -> int:
    from ketamine_course.instructor.final_exam import FinalExamError, exam_is_current, write_answer_key, write_exam

    try:
        if args.update:
            files = write_exam()
            print(f"wrote {files.assignment} and {files.notebook}; now run: ketamine-course regenerate 08-final-exam")
        elif not args.key:
            current = exam_is_current()
            print("the final exam matches the quiz banks" if current else
                  "the final exam is OUT OF DATE: run ketamine-course final-exam --update")
            return 0 if current else 1
        if args.key:
            path = write_answer_key(Path(args.key))
            print(f"answer key: {path}   (instructor only: mode 0600; never put it in lessons/ or hand it out)")
    except (FinalExamError, ValueError) as exc:
        _err(str(exc))
        return 1
    return 0
