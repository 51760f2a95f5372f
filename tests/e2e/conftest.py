"""Fixtures for the browser tests: one headless Debian Chromium per test module."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e.voila_server import launch_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium (never a downloaded browser), closed at the end of the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def new_context(browser: Any) -> Iterator[Callable[..., Any]]:
    """`new_context(**options)`: a browser context in Norwegian (nb-NO), closed after the test."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        ctx = browser.new_context(locale="nb-NO", **options)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()
