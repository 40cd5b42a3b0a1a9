"""The browser fixtures of ``test_browser`` (headless system Chromium, a page per test) for every browser test."""

from tests.browser.test_browser import browser, shot_dir, tab  # noqa: F401
