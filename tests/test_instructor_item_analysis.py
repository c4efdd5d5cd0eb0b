"""Item statistics checked against hand computation (statistics.correlation, explicit 27 % groups)."""

from __future__ import annotations

import math
import statistics
from datetime import UTC, datetime

import pytest

from ketamine_course.charts.item_analysis import item_analysis_figure
from ketamine_course.instructor.answer_key import AnswerKey, key_question
from ketamine_course.instructor.gradebook import Graded, GradeReport, format_score, spreadsheet_safe, student_identity
from ketamine_course.instructor.item_analysis import item_statistics
from tests.quiz_fixtures import sample_bank

# 8 students × 4 questions (scores 0..1), rows sorted by student name as the grader sorts them
SCORES = [
    [1, 1, 1, 1], [1, 1, 0, 1], [1, 0.5, 1, 0], [0, 1, 1, 0.5],
    [1, 0, 0, 0], [0, 0, 1, 0], [0, 0.5, 0, 0], [0, 0, 0, 1],
]


@pytest.fixture
def report(tmp_path) -> GradeReport:
    bank = sample_bank(tmp_path)
    key = AnswerKey(assignment_id="a", title="A", seed="s", sources=[], questions=[
        key_question(bank.bank, bank.lesson, q) for q in bank.questions])
    ids = [q.id for q in bank.questions]
    graded = [Graded(f"s{i}.json", f"Student {i}", datetime(2026, 1, 1, tzinfo=UTC), "", dict(zip(ids, row,
                                                                                                    strict=True)))
              for i, row in enumerate(SCORES)]
    return GradeReport(key=key, question_ids=ids, graded=graded)


def test_statistics_match_hand_computation(report) -> None:
    stats = item_statistics(report)
    totals = [sum(row) for row in SCORES]
    n = len(SCORES)
    group = math.ceil(0.27 * n)  # 3 students in each group
    order = sorted(range(n), key=lambda i: totals[i])  # stable: ties keep name order
    lower, upper = order[:group], order[-group:]
    for j, s in enumerate(stats):
        item = [row[j] for row in SCORES]
        rest = [t - x for t, x in zip(totals, item, strict=True)]
        assert s.n == n
        assert s.mean_score == pytest.approx(statistics.fmean(item))
        assert s.percent_correct == pytest.approx(100 * sum(x == 1 for x in item) / n)
        assert s.item_rest_r == pytest.approx(statistics.correlation(item, rest))
        assert s.upper_lower_d == pytest.approx(statistics.fmean(item[i] for i in upper)
                                                - statistics.fmean(item[i] for i in lower))
    assert "negative discrimination" in stats[3].flag or stats[3].item_rest_r >= 0


def test_constant_item_has_no_correlation(report) -> None:
    for g in report.graded:
        g.scores[report.question_ids[0]] = 1.0
    first = item_statistics(report)[0]
    assert first.item_rest_r is None and first.percent_correct == 100 and "very easy" in first.flag


def test_chart_has_a_point_per_question(report) -> None:
    fig = item_analysis_figure(item_statistics(report), "Item analysis")
    points = [t for t in fig.data if t.type == "scatter"]
    assert sum(len(trace.x) for trace in points) == len(report.question_ids)
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    [table] = [t for t in fig.data if t.type == "table"]  # the text alternative: every question's figures
    assert sorted(table.cells.values[0]) == sorted(report.question_ids)


def test_small_helpers() -> None:
    assert format_score(1.0) == "1" and format_score(1 / 3) == "0.3333" and format_score(2.5) == "2.5"
    assert format_score(0.0) == "0"
    assert spreadsheet_safe("=1+2") == "'=1+2" and spreadsheet_safe("Ana") == "Ana"
    assert student_identity("  ANA  Lu\u0301cia ") == student_identity("ana lúcia")
