"""What every lesson notebook shows besides its charts: the educational-use notice and its reference list."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from IPython.display import HTML, display

from ketamine_course.citations import lesson_markdown
from ketamine_course.datasets import load_dataset
from ketamine_course.markdown import render_markdown
from ketamine_course.paths import lessons_dir
from ketamine_course.references import cited_keys_in_markdown, reference_list_html

EDUCATIONAL_NOTICE = (
    "**Educational use only.** This course teaches pharmacology, the evidence and the law. It is not medical advice, "
    "gives no personal dosing advice and no instructions for non-medical use. Decisions about treatment belong to a "
    "patient and their clinician. If you or someone you know is struggling with substance use or thoughts of suicide, "
    "contact local emergency services or a helpline (lesson 6 says where to find help)."
)


ShownData = str | pd.DataFrame


def lesson_reference_keys(lesson: str, datasets: Iterable[ShownData] = (), quiz: bool = True) -> list[str]:
    """Keys a lesson cites: its Markdown links, the data it shows, and its quiz bank.

    Each item of ``datasets`` is a data set's name (the lesson shows every row) or the rows the lesson shows, as the
    DataFrame it charted (its ``source_key`` column, keys joined by ';'): a lesson that charts part of a data set
    lists the sources of that part only.
    """
    keys = cited_keys_in_markdown(lesson_markdown(lessons_dir() / f"{lesson}.ipynb"))
    for item in datasets:
        frame = load_dataset(item) if isinstance(item, str) else item
        for joined in frame["source_key"]:
            keys.extend(key.strip() for key in str(joined).split(";") if key.strip())
    if quiz:
        from ketamine_course.quiz.bank import bank_for_lesson

        bank = bank_for_lesson(lesson)
        if bank is not None:
            for question in bank.questions:
                keys.extend(question.references)
    return list(dict.fromkeys(keys))


def show_references(lesson: str, datasets: Iterable[ShownData] = (), quiz: bool = True) -> None:
    """Display the lesson's formatted reference list (anchors ``ref-<key>`` for the prose's links)."""
    display(HTML(reference_list_html(lesson_reference_keys(lesson, datasets, quiz))))


# Accessibility fixes for static pages (nbviewer, nbconvert HTML), found with axe-core: links inside text must not be
# told apart by colour alone, the theme's grey In/Out prompts (#b0b0b0 on white, contrast 2.2) and green numbers in
# code are too faint.
# Shown with the notice, which every lesson displays first; a <style> in an output applies to the whole page there.
# (Untrusted JupyterLab strips it; JupyterLab's own theme is unaffected.)
COURSE_CSS = (
    "<style>.jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited {text-decoration: underline !important;}"
    " .jp-InputPrompt, .jp-OutputPrompt, .jp-InputArea-prompt, .jp-OutputArea-prompt"
    " {color: #595959 !important; opacity: 1 !important;}"
    # the code theme's green for numbers and operator words (#008800 on #f5f5f5: contrast 4.25)
    " .highlight .m, .highlight .mf, .highlight .mi, .highlight .mh, .highlight .mo, .highlight .il,"
    " .highlight .ow {color: #006400 !important;}"
    "</style>"
)


def show_notice() -> None:
    """The educational-use notice, as a highlighted box (with the course's page-level style fixes)."""
    display(HTML(COURSE_CSS + '<div class="course-notice" role="note" style="border:2px solid #b35900;'
                 f'border-radius:6px;padding:0.5em 1em;background:#fff7ed">{render_markdown(EDUCATIONAL_NOTICE)}'
                 "</div>"))


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
