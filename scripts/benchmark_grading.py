"""Benchmark the grader: 1,000 submissions of a 30-question assignment (target ≤ 5 s). Prints figures only.

    python scripts/benchmark_grading.py [--students 1000] [--questions 30]

The 30 questions are the start-here bank's questions repeated under new ids (a real mix of single, multiple, numeric
and matching), so every question type is graded. Responses are random (right, wrong, partly right or blank).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_bank(folder: Path, n_questions: int) -> Path:
    source = yaml.safe_load((ROOT / "quizzes" / "00-start-here.yaml").read_text(encoding="utf-8"))
    questions = []
    for i in range(n_questions):
        question = dict(source["questions"][i % len(source["questions"])])
        question["id"] = f"{question['id']}-{i:02d}"
        questions.append(question)
    data = dict(source, bank="bench", lesson="bench", title="Benchmark bank", questions=questions)
    path = folder / "bench.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def random_response(question, rng: random.Random):
    from ketamine_course.quiz.grading import correct_response

    roll = rng.random()
    if roll < 0.1:
        return None
    if roll < 0.6:
        return correct_response(question)
    if question.type == "single":
        return rng.choice([c.id for c in question.choices])
    if question.type == "multiple":
        return [c.id for c in question.choices if rng.random() < 0.5]
    if question.type == "numeric":
        return question.answer.value + rng.uniform(-3, 3)
    return {i.id: rng.choice([o.id for o in question.options]) for i in question.items}


def run(n_students: int, n_questions: int, repeats: int = 3) -> dict[str, float]:
    from ketamine_course.charts.item_analysis import item_analysis_figure
    from ketamine_course.instructor.answer_key import load_answer_key
    from ketamine_course.instructor.assign import write_assignment
    from ketamine_course.instructor.gradebook import grade_folder, write_gradebook
    from ketamine_course.instructor.item_analysis import item_statistics, write_item_analysis
    from ketamine_course.instructor.selection import Criteria, entries, load_banks, select
    from ketamine_course.quiz.submission import Submission, submission_path

    figures: dict[str, list[float]] = {"grade": [], "csv": [], "items": [], "html": []}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        chosen = select(entries(load_banks([make_bank(root, n_questions)])), Criteria(seed="bench"))
        written = write_assignment("bench", "Benchmark", chosen, "bench", root / "students")
        key = load_answer_key(written.answer_key)
        questions = key.question_objects()
        rng = random.Random(1)
        folder = root / "collected"
        folder.mkdir()
        for s in range(n_students):
            sub = Submission(assignment_id="bench", student=f"Student {s:04d}", submitted_at="2026-11-30T12:00:00Z",
                             sources=key.sources, responses={q.id: random_response(q, rng) for q in questions})
            target = submission_path(folder, "bench", sub.student)  # plain write: fsync per file only slows set-up
            target.write_text(json.dumps(sub.model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")
        for _ in range(repeats):
            started = time.perf_counter()
            report = grade_folder(folder, key)
            figures["grade"].append(time.perf_counter() - started)
            started = time.perf_counter()
            write_gradebook(report, root / "gradebook.csv")
            figures["csv"].append(time.perf_counter() - started)
            started = time.perf_counter()
            stats = item_statistics(report)
            write_item_analysis(stats, root / "items.csv")
            figures["items"].append(time.perf_counter() - started)
            started = time.perf_counter()
            item_analysis_figure(stats, "bench").write_html(root / "items.html", include_plotlyjs=True)
            figures["html"].append(time.perf_counter() - started)
        assert len(report.graded) == n_students and not report.not_counted
        cli = []
        for _ in range(repeats):  # the whole command, as an instructor runs it: interpreter, imports, all outputs
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "ketamine_course.cli", "grade", str(folder), "--key",
                            str(written.answer_key), "--out", str(root / "cli")], check=True, capture_output=True)
            cli.append(time.perf_counter() - started)
    result = {name: statistics.median(values) for name, values in figures.items()}
    result["cli"] = statistics.median(cli)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=30)
    args = parser.parse_args()
    result = run(args.students, args.questions)
    total = sum(v for k, v in result.items() if k != "cli")
    print(f"grading {args.students} submissions × {args.questions} questions (median of 3):")
    print(f"  read + check + grade   {result['grade']:.2f} s")
    print(f"  gradebook CSV          {result['csv']:.2f} s")
    print(f"  item analysis CSV      {result['items']:.2f} s")
    print(f"  chart HTML (plotly.js inlined) {result['html']:.2f} s")
    print(f"  total                  {total:.2f} s (target ≤ 5 s)")
    print(f"  whole 'ketamine-course grade' command (new interpreter): {result['cli']:.2f} s")


if __name__ == "__main__":
    main()
