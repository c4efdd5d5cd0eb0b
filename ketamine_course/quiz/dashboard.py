"""The student's progress dashboard (start-here lesson): score per lesson and per objective, and what to review.

Scores use each question's best attempt; an unanswered question counts 0, so a lesson's percentage is of the whole
bank, not only of what was tried.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML, display

from ketamine_course.charts.present import show_figure
from ketamine_course.charts.theme import OKABE_ITO
from ketamine_course.course_map import lesson_entry
from ketamine_course.quiz.bank import Bank, course_banks
from ketamine_course.quiz.progress import ProgressStore

OBJECTIVE_LABEL_CHARS = 46


def lesson_label(lesson: str) -> str:
    """A reader's name for a lesson ("Lesson 4 · Evidence: depression"); a bank not in the course map keeps its id."""
    entry = lesson_entry(lesson)
    return entry.label if entry else lesson


def objective_label(lesson: str, number: int, objective_text: str) -> str:
    """A short bar label for an objective: "L4.3" (lesson 4, objective 3) and the start of the objective's words."""
    entry = lesson_entry(lesson)
    prefix = f"L{entry.number}.{number}" if entry else f"{lesson}.{number}"
    words = objective_text if len(objective_text) <= OBJECTIVE_LABEL_CHARS else (
        objective_text[:OBJECTIVE_LABEL_CHARS].rsplit(" ", 1)[0].rstrip(",;:—– ") + "…")
    return f"{prefix} · {words}"


def objective_progress(banks: list[Bank], store: ProgressStore) -> pd.DataFrame:
    """One row per (lesson, objective): questions, checked, score_percent."""
    best = store.best_scores()
    rows = []
    for bank in banks:
        for number, objective in enumerate(bank.objectives, start=1):
            questions = [q for q in bank.questions if objective.id in q.objectives]
            scores = [best.get((bank.bank, q.id)) for q in questions]
            checked = sum(s is not None for s in scores)
            percent = 100 * sum(s or 0.0 for s in scores) / len(questions) if questions else 0.0
            rows.append({"lesson": bank.lesson, "bank_title": bank.title, "number": number, "objective": objective.id,
                         "objective_text": objective.text, "questions": len(questions), "checked": checked,
                         "score_percent": round(percent, 1)})
    return pd.DataFrame(rows)


def lesson_progress(banks: list[Bank], store: ProgressStore) -> pd.DataFrame:
    """One row per bank: questions, checked, score_percent (best attempts; unanswered count 0)."""
    best = store.best_scores()
    rows = []
    for bank in banks:
        scores = [best.get((bank.bank, q.id)) for q in bank.questions]
        rows.append({"lesson": bank.lesson, "title": bank.title, "questions": len(scores),
                     "checked": sum(s is not None for s in scores),
                     "score_percent": round(100 * sum(s or 0.0 for s in scores) / len(scores), 1)})
    return pd.DataFrame(rows)


def progress_figure(lessons: pd.DataFrame) -> go.Figure:
    labels = [lesson_label(row.lesson) for row in lessons.itertuples()]
    fig = go.Figure(
        go.Bar(
            x=lessons["score_percent"].tolist(),
            y=labels,
            orientation="h",
            marker={"color": OKABE_ITO["blue"]},
            text=[f"{row.score_percent:g}% · {row.checked}/{row.questions} checked" for row in lessons.itertuples()],
            textposition="outside",
            hovertext=[f"{row.title}: {row.checked} of {row.questions} questions checked, score {row.score_percent:g}%"
                       for row in lessons.itertuples()],
            hoverinfo="text",
            name="Score",
        )
    )
    fig.update_layout(
        title={"text": "Your quiz scores by lesson (best attempt per question)"},
        xaxis={"title": {"text": "Score (% of the lesson's questions)"}, "range": [0, 115], "dtick": 20},
        yaxis={"autorange": "reversed", "title": {"text": "Lesson"}},
        height=140 + 40 * max(len(lessons), 1),
        showlegend=False,
    )
    return fig


def objective_figure(objectives: pd.DataFrame) -> go.Figure:
    """One bar per learning objective (grouped by lesson): the best-attempt score of the questions assessing it."""
    labels = [objective_label(row.lesson, row.number, row.objective_text) for row in objectives.itertuples()]
    fig = go.Figure(
        go.Bar(
            x=objectives["score_percent"].tolist(),
            y=labels,
            orientation="h",
            marker={"color": OKABE_ITO["bluish_green"]},
            hovertext=[f"{row.objective_text}<br>{row.checked} of {row.questions} questions checked, score "
                       f"{row.score_percent:g}%" for row in objectives.itertuples()],
            hoverinfo="text",
            name="Objective score",
        )
    )
    fig.update_layout(
        title={"text": "Your scores by learning objective (hover for the objective)"},
        xaxis={"title": {"text": "Score (% of the objective's questions)"}, "range": [0, 100], "dtick": 20},
        yaxis={"autorange": "reversed", "title": {"text": ""}, "tickfont": {"size": 11}},
        height=120 + 22 * max(len(objectives), 1),
        margin={"l": 310},
        showlegend=False,
    )
    return fig


def review_suggestions(objectives: pd.DataFrame, limit: int = 3) -> list[str]:
    """Objectives to review next: started lessons' weakest objectives; or, if nothing is started, where to begin."""
    if objectives.empty or objectives["checked"].sum() == 0:
        return ["You have not checked any quiz answers yet: start with the practice quiz of this lesson, below, "
                "then go on to lesson 1."]
    started = objectives.groupby("lesson")["checked"].transform("sum") > 0
    weak = objectives[started & (objectives["score_percent"] < 80)].sort_values(["score_percent", "lesson"])
    if weak.empty:
        return ["Every objective of the lessons you started is at 80 % or more: go on to the next lesson."]
    return [f"{lesson_label(row.lesson)}: {row.objective_text} (score {row.score_percent:g} %)"
            for row in weak.head(limit).itertuples()]


def show_progress_dashboard(store: ProgressStore | None = None) -> None:
    """Chart the student's progress and list what to review next."""
    store = store or ProgressStore()
    banks = [b for b in course_banks() if b.lesson != "final-exam"]
    lessons = lesson_progress(banks, store)
    objectives = objective_progress(banks, store)
    lessons_named = lessons.assign(lesson=[lesson_label(name) for name in lessons["lesson"]])
    table = lessons_named.rename(columns={"lesson": "Lesson", "title": "Quiz", "questions": "Questions",
                                    "checked": "Checked", "score_percent": "Score (%)"})
    show_figure(progress_figure(lessons), "Each bar is one lesson's practice quiz: your best score on each question, "
                "counting unanswered questions as 0. Answer quizzes in the lessons, then re-run this cell.", table)
    objective_table = objectives.assign(lesson=[lesson_label(name) for name in objectives["lesson"]])[
        ["lesson", "objective_text", "checked", "questions", "score_percent"]]
    objective_table = objective_table.rename(columns={
        "lesson": "Lesson", "objective_text": "What you can do", "checked": "Checked", "questions": "Questions",
        "score_percent": "Score (%)"})
    show_figure(objective_figure(objectives), "Each bar is one learning objective (L4.3: lesson 4, its third "
                "objective); each lesson lists its objectives at its start. Low bars show what to review.",
                objective_table)
    items = "".join(f"<li>{html.escape(text)}</li>" for text in review_suggestions(objectives))
    display(HTML(f"<p><strong>What to review next</strong></p><ul>{items}</ul>"))
