"""Practice-mode feedback: the verdict in words and icon (never colour alone), the per-choice feedback, the
explanation and the formatted sources — all rendered from Markdown safely."""

from __future__ import annotations

import html

from ketamine_course.markdown import render_markdown
from ketamine_course.quiz.bank import NumericQuestion, Question
from ketamine_course.quiz.grading import Grade
from ketamine_course.references import ReferenceList, course_references

ICONS = {"Correct": "\u2714", "Partly correct": "\u25d1", "Not correct": "\u2718"}
COLOURS = {"Correct": "#1b6e3a", "Partly correct": "#8a5a00", "Not correct": "#a3261b"}


def feedback_html(question: Question, grade: Grade, references: ReferenceList | None = None) -> str:
    references = references or course_references()
    verdict = grade.verdict
    score = f"{grade.score:.2f}".rstrip("0").rstrip(".")
    parts = [
        f'<div class="course-quiz-feedback" role="status" aria-live="polite" '
        f'style="border-left:4px solid {COLOURS[verdict]};padding:0.3em 0.8em;margin:0.3em 0">',
        f'<p style="color:{COLOURS[verdict]}"><strong>{ICONS[verdict]} {verdict}</strong> (score {score} of 1)</p>',
    ]
    if isinstance(question, NumericQuestion) and not grade.correct:
        a = question.answer
        parts.append("<p>Not within the accepted range; check your units "
                     f"({html.escape(a.unit)}) and your arithmetic, then try again.</p>")
    for text in grade.choice_feedback:
        parts.append(f"<p>{render_markdown(text, inline=True)}</p>")
    if grade.correct:
        parts.append(render_markdown(question.explanation))
        sources = "; ".join(references[key].format_html() for key in question.references)
        parts.append(f"<p><small>Source: {sources}</small></p>")
    else:
        parts.append("<p><em>Try again: the explanation and its source appear when the answer is right.</em></p>")
    parts.append("</div>")
    return "\n".join(parts)
