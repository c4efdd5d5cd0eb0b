"""Every lesson as nbviewer shows it (nbconvert HTML, no kernel), opened offline in headless chromium.

Asserts what a reader needs: every plotly chart drawn, quiz questions visible, practice answers checkable in the page,
no script errors, no answers of assessment quizzes in the HTML. Full-page screenshots go to test-artifacts/.
"""

from __future__ import annotations

import nbformat
import pytest

from ketamine_course.notebooks import QUIZ_HTML_MARKER, lesson_paths
from ketamine_course.quiz.bank import bank_for_lesson
from ketamine_course.quiz.grading import correct_response
from tests.browser.support import ARTIFACTS, notebook_html, open_offline

pytestmark = pytest.mark.browser
PLOTLY_JSON = "application/vnd.plotly.v1+json"


def saved_counts(path) -> tuple[int, int]:
    """(plotly figures, quizzes) saved in the notebook's outputs."""
    nb = nbformat.read(path, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    figures = sum(PLOTLY_JSON in o.get("data", {}) for o in outputs)
    quizzes = sum(QUIZ_HTML_MARKER in o.get("data", {}).get("text/html", "") for o in outputs)
    return figures, quizzes


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    pages = {}
    for path in lesson_paths():
        html_path = folder / f"{path.stem}.html"
        html_path.write_text(notebook_html(path), encoding="utf-8")
        pages[path.stem] = (path, html_path)
    return pages


@pytest.mark.parametrize("stem", [p.stem for p in lesson_paths()])
def test_lesson_page_draws_every_chart_and_quiz(page, rendered, stem) -> None:
    path, html_path = rendered[stem]
    figures, quizzes = saved_counts(path)
    report = open_offline(page, html_path)
    page.wait_for_function(
        f"document.querySelectorAll('.plotly-graph-div').length >= {figures} && "
        "Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d.querySelector('.main-svg'))",
        timeout=20_000,
    )
    drawn = page.evaluate("Array.from(document.querySelectorAll('.plotly-graph-div'))"
                          ".filter(d => d.querySelector('.main-svg')).length")
    assert drawn == figures
    assert page.locator(".course-quiz").count() == quizzes
    questions = page.locator(".course-quiz-question")
    assert questions.count() > 0 or quizzes == 0
    for index in range(questions.count()):
        assert questions.nth(index).is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
    assert not report.errors, report.errors
    assert not report.aborted, f"requests the offline page could not answer: {report.aborted}"


def test_practice_answers_can_be_checked_without_a_kernel(page, rendered) -> None:
    """The page's own SHA-256 and answer check: right answer → Correct, wrong → Not correct, matching counted."""
    stem = "00-start-here"
    bank = bank_for_lesson(stem)
    _, html_path = rendered[stem]
    report = open_offline(page, html_path)
    for question in bank.questions:
        if question.type == "numeric":
            continue
        box = page.locator(f"#cq-{bank.bank}-{question.id}")
        right = correct_response(question)
        if question.type == "single":
            wrong = next(c.id for c in question.choices if not c.correct)
            box.locator(f"input[value='{wrong}']").check()
            box.locator("button.course-quiz-check").click()
            assert "Not correct" in box.locator(".course-quiz-feedback").inner_text()
            box.locator(f"input[value='{right}']").check()
        elif question.type == "multiple":
            for choice_id in right:
                box.locator(f"input[value='{choice_id}']").check()
        else:
            for item_id, option_id in right.items():
                box.locator(f"select[name='{item_id}']").select_option(option_id)
        box.locator("button.course-quiz-check").click()
        feedback = box.locator(".course-quiz-feedback").inner_text()
        assert "\u2714" in feedback, f"{question.id}: {feedback}"
    assert not report.errors, report.errors


def test_page_sha256_matches_python(page, rendered) -> None:
    import hashlib

    _, html_path = rendered["00-start-here"]
    open_offline(page, html_path)
    for text in ["", "abc", "salt|a,b", "é" * 100, "x" * 1000]:
        assert page.evaluate("t => window.courseQuizSha256(t)", text) == hashlib.sha256(text.encode()).hexdigest()


def test_static_html_holds_no_answer_text(rendered) -> None:
    """Explanations and per-choice feedback never reach a quiz's static HTML (they would reveal answers). Checked on
    the quiz outputs the page is built from: lesson prose may legitimately repeat a sentence of feedback."""
    for stem, (path, _) in rendered.items():
        bank = bank_for_lesson(stem)
        if bank is None:
            continue
        nb = nbformat.read(path, as_version=4)
        html = "".join(o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
                       if QUIZ_HTML_MARKER in o.get("data", {}).get("text/html", ""))
        assert html, f"{stem}: no saved quiz output"
        for question in bank.questions:
            assert question.explanation[:60] not in html, f"{stem}/{question.id}: explanation in static HTML"
            for choice in getattr(question, "choices", []):
                if choice.feedback:
                    assert choice.feedback[:50] not in html, f"{stem}/{question.id}: feedback in static HTML"
