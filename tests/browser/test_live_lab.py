"""The course in a live JupyterLab, driven by chromium: run a lesson, answer a practice question wrongly and then
rightly, read the feedback, restart the kernel and find the progress still there."""

from __future__ import annotations

import pytest

from ketamine_course.quiz.bank import bank_for_lesson
from tests.browser.live_lab import running_lab

pytestmark = pytest.mark.browser
LESSON = "00-start-here"
QUESTION = "pcp-origin"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with running_lab(tmp_path_factory.mktemp("lab")) as server:
        yield server


def run_all_and_wait(page) -> None:
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        """() => {
            const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell'));
            const prompts = cells.map(c => c.querySelector('.jp-InputPrompt')?.textContent || '');
            const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
            return cells.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p));
        }""",
        timeout=120_000,
    )
    page.wait_for_selector(f".course-question-{QUESTION} .widget-radio-box label", timeout=60_000)


def test_answer_feedback_and_progress_survive_a_restart(page, lab) -> None:
    bank = bank_for_lesson(LESSON)
    question = bank.question(QUESTION)
    right = next(c for c in question.choices if c.correct)
    wrong = next(c for c in question.choices if not c.correct and c.feedback)
    page.set_default_timeout(60_000)
    page.goto(lab.lesson_url(LESSON))
    page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=90_000)
    run_all_and_wait(page)

    box = page.locator(f".course-question-{QUESTION}")
    feedback = box.locator(".widget-html").last
    box.locator(".widget-radio-box label", has_text=wrong.text).click()
    box.get_by_role("button", name="Check").click()
    page.wait_for_function(f"document.querySelector('.course-question-{QUESTION}').innerText.includes('Not correct')")

    assert wrong.feedback in feedback.inner_text()
    assert question.explanation[:40] not in feedback.inner_text()

    box.locator(".widget-radio-box label", has_text=right.text).click()
    box.get_by_role("button", name="Check").click()
    shows = f"document.querySelector('.course-question-{QUESTION}').innerText.includes"
    page.wait_for_function(f"{shows}('\u2714 Correct')")
    assert "Source:" in feedback.inner_text()
    assert question.explanation.split(".")[0][:40] in feedback.inner_text()

    kernels = lab.api("GET", "/api/kernels")
    assert len(kernels) == 1
    lab.api("POST", f"/api/kernels/{kernels[0]['id']}/restart")
    page.wait_for_timeout(1500)
    run_all_and_wait(page)
    summary = page.locator(".course-quiz-summary")
    summary.wait_for()
    assert f"1 of {len(bank.questions)} questions checked" in summary.inner_text()
    assert f"1/{len(bank.questions)} checked" in page.locator(".js-plotly-plot").nth(1).inner_text()
