"""Fixtures for the report tests: one Chromium per session, a fresh page per test with its console."""
from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from .browser import launch


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the OS packages, driven by Playwright (fails if it is missing)."""
    with sync_playwright() as playwright:
        try:
            chromium = launch(playwright)
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield chromium
        chromium.close()


class Console:
    """Console errors and uncaught exceptions of one page."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))


@pytest.fixture
def page(browser):
    """A 1280x900 page with JavaScript on; ``page.console.errors`` collects what went wrong."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = context.new_page()
    new_page.console = Console(new_page)
    yield new_page
    context.close()
