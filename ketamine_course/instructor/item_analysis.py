"""Item analysis: how hard each question was and how well it separated stronger from weaker students.

- ``percent_correct`` — share of students with full marks on the item; ``mean_score`` — mean of the 0–1 scores.
- ``item_rest_r`` — Pearson correlation between the item score and the *rest* score (total minus this item), i.e. the
  corrected point-biserial correlation for 0/1 items. Leaving the item out avoids inflating it with itself.
- ``upper_lower_d`` — Kelley's upper–lower index: mean item score in the top 27 % of students by total minus that in
  the bottom 27 %.

Both are empty when they cannot be computed (fewer than 2 students, or everyone scored the same). Rules of thumb for
the ``flag`` column (common in classical test theory; treat as prompts to re-read the question, not verdicts):
discrimination below 0.2 is weak and below 0 suggests a wrong key or a misleading question; above 90 % correct is
very easy, below 20 % very hard.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ketamine_course.instructor.gradebook import CSV_ENCODING, GradeReport, format_score

UPPER_LOWER_FRACTION = 0.27
WEAK_DISCRIMINATION = 0.2


@dataclass(frozen=True)
class ItemStats:
    question_id: str
    bank: str
    type: str
    difficulty: str
    objectives: str
    n: int
    mean_score: float
    percent_correct: float
    item_rest_r: float | None
    upper_lower_d: float | None
    flag: str


def _pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    if len(x) < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    r = float(np.corrcoef(x, y)[0, 1])
    return r if math.isfinite(r) else None


def _flag(percent: float, discrimination: float | None, n: int) -> str:
    if n == 0:
        return "no submissions"
    notes = []
    if discrimination is not None and discrimination < 0:
        notes.append("negative discrimination: check the key and the wording")
    elif discrimination is not None and discrimination < WEAK_DISCRIMINATION:
        notes.append("weak discrimination")
    if percent > 90:
        notes.append("very easy")
    elif percent < 20:
        notes.append("very hard")
    return "; ".join(notes)


def item_statistics(report: GradeReport) -> list[ItemStats]:
    ids = report.question_ids
    meta = {qid: (kq, q) for qid, (kq, q) in report.key.by_id().items()}
    scores = np.array([[g.scores[q] for q in ids] for g in report.graded], dtype=float).reshape(len(report.graded),
                                                                                               len(ids))
    totals = scores.sum(axis=1)
    n = len(report.graded)
    group = max(1, math.ceil(UPPER_LOWER_FRACTION * n)) if n else 0
    order = np.argsort(totals, kind="stable")  # graded is sorted by student: ties break the same way every run
    lower, upper = order[:group], order[n - group:]
    stats = []
    for j, qid in enumerate(ids):
        kq, q = meta[qid]
        item = scores[:, j]
        percent = 100.0 * float(np.mean(item > 1 - 1e-9)) if n else 0.0
        r = _pearson(item, totals - item)
        d = float(item[upper].mean() - item[lower].mean()) if n >= 2 else None
        shown = r if r is not None else d
        stats.append(ItemStats(qid, kq.bank, q.type, q.difficulty, " ".join(q.objectives), n,
                               float(item.mean()) if n else 0.0, percent, r, d, _flag(percent, shown, n)))
    return stats


def write_item_analysis(stats: Sequence[ItemStats], path: Path) -> None:
    with path.open("w", newline="", encoding=CSV_ENCODING) as handle:
        writer = csv.writer(handle)
        writer.writerow(["question_id", "bank", "type", "difficulty", "objectives", "n", "mean_score",
                         "percent_correct", "item_rest_r", "upper_lower_d", "flag"])
        for s in stats:
            writer.writerow([s.question_id, s.bank, s.type, s.difficulty, s.objectives, s.n, format_score(s.mean_score),
                             f"{s.percent_correct:.1f}", "" if s.item_rest_r is None else f"{s.item_rest_r:.3f}",
                             "" if s.upper_lower_d is None else f"{s.upper_lower_d:.3f}", s.flag])
