"""Fixtures for tests in a real browser (Debian chromium driven by Playwright). On a laptop without chromium they
are skipped; in CI (CI=true) a missing browser is a failure, so they never silently stop running."""

from __future__ import annotations

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, browser_unavailable_reason, in_ci


@pytest.fixture(scope="session")
def browser():
    reason = browser_unavailable_reason()
    if reason:
        if in_ci():
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # the class simulation (tests/hub/) may run beside these tests under xdist and keep both cores busy for minutes:
    # loading a 5 MB lesson page then took over Playwright's default 30 s
    context.set_default_navigation_timeout(120_000)
    page = context.new_page()
    page.set_default_timeout(120_000)  # generous: a loaded 2-core machine parses plotly.js slowly
    yield page
    context.close()
