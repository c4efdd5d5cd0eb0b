"""The course in a live JupyterLab, driven by chromium: run a lesson, answer a practice question wrongly and then
rightly, read the feedback, restart the kernel and find the progress still there."""

from __future__ import annotations

import pytest

from ketamine_course.quiz.bank import bank_for_lesson
from ketamine_course.quiz.dashboard import lesson_label
from tests.browser.live_lab import running_lab
from tests.browser.support import npm_package_dir

pytestmark = pytest.mark.browser
LESSON = "00-start-here"
QUESTION = "pcp-origin"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with running_lab(tmp_path_factory.mktemp("lab")) as server:
        yield server


KERNEL_IDLE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const kernel = panel && panel.sessionContext && panel.sessionContext.session
        && panel.sessionContext.session.kernel;
    return !!kernel && kernel.status === 'idle';
}"""
ALL_CELLS_RUN = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const cells = panel.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type === 'code' && cell.sharedModel.source.trim() && !cell.executionCount) { return false; }
    }
    return panel.sessionContext.session.kernel.status === 'idle';
}"""
NO_EXECUTION_COUNTS = """() => {
    const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
        if (cells.get(i).type === 'code' && cells.get(i).executionCount) { return false; }
    }
    return true;
}"""
WAIT_MS = 240_000  # generous: a loaded 2-core machine needs a minute or more to start a kernel and run a lesson


def run_all_and_wait(page) -> None:
    """Wait for an idle kernel, run every cell, wait until each code cell has an execution count (read from the
    notebook model: JupyterLab may not render cells that are out of view)."""
    page.wait_for_function(KERNEL_IDLE, timeout=WAIT_MS)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function(ALL_CELLS_RUN, timeout=WAIT_MS)
    page.wait_for_selector(f".course-question-{QUESTION} .widget-radio-box label", timeout=WAIT_MS)


def test_answer_feedback_and_progress_survive_a_restart(page, lab) -> None:
    bank = bank_for_lesson(LESSON)
    question = bank.question(QUESTION)
    right = next(c for c in question.choices if c.correct)
    wrong = next(c for c in question.choices if not c.correct and c.feedback)
    page.set_default_timeout(WAIT_MS)
    page.goto(lab.lesson_url(LESSON))
    page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=WAIT_MS)
    run_all_and_wait(page)

    page.add_script_tag(path=str(npm_package_dir("axe-core") / "axe.min.js"))
    quiz_violations = page.evaluate("async () => (await axe.run('.course-quiz-widget', "
                                    "{resultTypes: ['violations']})).violations")
    print("axe on the live quiz:", {v["id"]: (v["impact"], len(v["nodes"])) for v in quiz_violations})
    assert not [v["id"] for v in quiz_violations if v["impact"] in ("serious", "critical")]

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
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs'); }")
    page.wait_for_function(NO_EXECUTION_COUNTS, timeout=WAIT_MS)  # so the next wait proves a fresh run
    run_all_and_wait(page)
    first_count = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.cells.get(1)"
                                ".executionCount")
    assert first_count == 1, "the kernel was not restarted"
    summary = page.locator(".course-quiz-summary")
    summary.wait_for()
    assert f"1 of {len(bank.questions)} questions checked" in summary.inner_text()
    checked = page.evaluate("""(lessonName) => {
        for (const table of document.querySelectorAll('.course-text-alternative table')) {
            const heads = Array.from(table.querySelectorAll('th')).map(th => th.textContent);
            if (!heads.includes('Checked')) { continue; }
            for (const row of table.querySelectorAll('tbody tr')) {
                const cells = Array.from(row.querySelectorAll('td')).map(td => td.textContent);
                if (cells[0] === lessonName) { return cells[heads.indexOf('Checked')]; }
            }
        }
        return null;
    }""", lesson_label("00-start-here"))
    assert checked == "1", "the progress dashboard (its text alternative) should count the one checked question"


def explorer_state(page) -> dict:
    """The live PK explorer's summary line and the legend/trace text of its figure."""
    return page.evaluate("""() => {
        const summary = Array.from(document.querySelectorAll('.widget-html'))
            .map(e => e.textContent).find(t => t.startsWith('Peak '));
        const plots = Array.from(document.querySelectorAll('.widget-output .js-plotly-plot'));
        return {summary: summary || null, figure: plots.map(p => p.textContent).join(' | '), count: plots.length};
    }""")


def test_pk_simulator_control_changes_the_figure(page, lab) -> None:
    page.set_default_timeout(WAIT_MS)
    page.goto(lab.lesson_url("03-pharmacokinetics"))
    page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=WAIT_MS)
    page.wait_for_function(KERNEL_IDLE, timeout=WAIT_MS)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function(ALL_CELLS_RUN, timeout=WAIT_MS)
    page.wait_for_function("Array.from(document.querySelectorAll('.widget-html')).some(e => "
                           "e.textContent.startsWith('Peak '))")
    before = explorer_state(page)
    assert before["count"] == 1 and "IV infusion" in before["figure"]
    page.locator(".widget-dropdown", has_text="Route").locator("select").select_option(label="IV bolus")
    page.wait_for_function("""prev => Array.from(document.querySelectorAll('.widget-html'))
        .map(e => e.textContent).some(t => t.startsWith('Peak ') && t !== prev)""", arg=before["summary"])
    page.wait_for_function("""() => Array.from(document.querySelectorAll('.widget-output .js-plotly-plot'))
        .some(p => p.textContent.includes('IV bolus'))""")
    after = explorer_state(page)
    assert after["count"] == 1, "one figure, replaced in place (no pile-up)"
    assert after["summary"] != before["summary"]
