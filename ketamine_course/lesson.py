"""What every lesson notebook shows besides its charts: the educational-use notice and its reference list."""

from __future__ import annotations

from collections.abc import Iterable

from IPython.display import HTML, display

from ketamine_course.citations import lesson_markdown
from ketamine_course.datasets import dataset_spec, load_rows
from ketamine_course.markdown import render_markdown
from ketamine_course.paths import lessons_dir
from ketamine_course.references import cited_keys_in_markdown, reference_list_html

EDUCATIONAL_NOTICE = (
    "**Educational use only.** This course teaches pharmacology, the evidence and the law. It is not medical advice, "
    "gives no personal dosing advice and no instructions for non-medical use. Decisions about treatment belong to a "
    "patient and their clinician. If you or someone you know is struggling with substance use or thoughts of suicide, "
    "contact local emergency services or a helpline (lesson 6 lists some)."
)


def lesson_reference_keys(lesson: str, datasets: Iterable[str] = (), quiz: bool = True) -> list[str]:
    """Keys a lesson cites: its Markdown links, the data sets it charts, and its quiz bank."""
    keys = cited_keys_in_markdown(lesson_markdown(lessons_dir() / f"{lesson}.ipynb"))
    for name in datasets:
        for row in dataset_spec(name).rows_cited_by(load_rows(name), lesson):
            keys.extend(row.source_key)
    if quiz:
        from ketamine_course.quiz.bank import bank_for_lesson

        bank = bank_for_lesson(lesson)
        if bank is not None:
            for question in bank.questions:
                keys.extend(question.references)
    return list(dict.fromkeys(keys))


def show_references(lesson: str, datasets: Iterable[str] = (), quiz: bool = True) -> None:
    """Display the lesson's formatted reference list (anchors ``ref-<key>`` for the prose's links)."""
    display(HTML(reference_list_html(lesson_reference_keys(lesson, datasets, quiz))))


def show_notice() -> None:
    """The educational-use notice, as a highlighted box."""
    display(HTML('<div class="course-notice" role="note" style="border:2px solid #b35900;border-radius:6px;'
                 f'padding:0.5em 1em;background:#fff7ed">{render_markdown(EDUCATIONAL_NOTICE)}</div>'))


def show_objectives(lesson: str) -> None:
    """The lesson's learning objectives, read from its quiz bank (one place for objectives and the questions that
    assess them)."""
    from ketamine_course.quiz.bank import bank_for_lesson

    bank = bank_for_lesson(lesson)
    if bank is None:
        raise FileNotFoundError(f"no quiz bank quizzes/{lesson}.yaml: objectives live there")
    items = "".join(f"<li>{render_markdown(o.text, inline=True)}</li>" for o in bank.objectives)
    display(HTML(f"<p><strong>By the end of this lesson you can:</strong></p><ol>{items}</ol>"))


def show_course_map() -> None:
    from ketamine_course.course_map import course_map_html

    display(HTML(course_map_html()))
