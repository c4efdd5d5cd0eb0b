"""The progress dashboard's numbers: best attempt per question, unanswered counted as 0, per lesson and objective."""

from __future__ import annotations

import pytest

from ketamine_course.quiz.dashboard import (
    lesson_label,
    lesson_progress,
    objective_figure,
    objective_label,
    objective_progress,
    progress_figure,
    review_suggestions,
)
from ketamine_course.quiz.progress import Attempt, ProgressStore
from tests.quiz_fixtures import sample_bank


def record(store: ProgressStore, question: str, score: float, objectives: tuple[str, ...]) -> None:
    store.record(Attempt("2026-11-25T00:00:00+00:00", "99-sample", "sample", 1, question, objectives, None, score,
                         score == 1.0, "practice"))


@pytest.fixture
def setup(tmp_path):
    bank = sample_bank(tmp_path)
    store = ProgressStore(tmp_path / "p.sqlite")
    return bank, store


def test_empty_store_gives_zeros_and_a_start_hint(setup) -> None:
    bank, store = setup
    lessons = lesson_progress([bank], store)
    assert lessons.iloc[0][["questions", "checked", "score_percent"]].tolist() == [4, 0, 0.0]
    assert "not checked any quiz answers yet" in review_suggestions(objective_progress([bank], store))[0]


def test_best_attempt_counts_and_unanswered_are_zero(setup) -> None:
    bank, store = setup
    record(store, "q-single", 0.0, ("o1",))
    record(store, "q-single", 1.0, ("o1",))  # best of two attempts
    record(store, "q-multi", 0.5, ("o1",))
    lessons = lesson_progress([bank], store)
    assert lessons.iloc[0]["checked"] == 2
    assert lessons.iloc[0]["score_percent"] == pytest.approx(100 * 1.5 / 4, abs=0.05)
    objectives = objective_progress([bank], store).set_index("objective")
    assert objectives.loc["o1", "score_percent"] == pytest.approx(100 * 1.5 / 3, abs=0.05)  # o1: 3 questions
    assert objectives.loc["o2", "score_percent"] == 0.0
    suggestions = review_suggestions(objective_progress([bank], store))
    assert suggestions[0].startswith("99-sample: Compute a number.")  # weakest objective first


def test_figures_have_one_bar_per_lesson_and_objective(setup) -> None:
    bank, store = setup
    record(store, "q-num", 1.0, ("o2",))
    assert progress_figure(lesson_progress([bank], store)).data[0].x == (25.0,)
    objective_bars = objective_figure(objective_progress([bank], store)).data[0]
    texts = [o.text for o in bank.objectives]
    assert list(objective_bars.y) == [objective_label("99-sample", n, t) for n, t in enumerate(texts, start=1)]
    assert [label.split(" · ")[0] for label in objective_bars.y] == ["99-sample.1", "99-sample.2"]


def test_labels_name_lessons_as_readers_know_them() -> None:
    assert lesson_label("04-evidence-depression") == "Lesson 4 · Evidence: depression"
    assert lesson_label("99-sample") == "99-sample"  # a bank outside the course map keeps its id
    aim = "Compare ketamine with ECT and esketamine with quetiapine, twice"
    label = objective_label("04-evidence-depression", 3, aim)
    assert label == "L4.3 · Compare ketamine with ECT and esketamine with…"
    assert objective_label("00-start-here", 1, "Short aim.") == "L0.1 · Short aim."
