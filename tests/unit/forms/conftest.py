"""Shared fixtures for the form engine tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).parents[3]
EXAMPLES_DIR = REPO.parent / "shared" / "fhir-examples"
CATALOGUE_DIR = REPO / "data" / "questionnaires"


@pytest.fixture
def examples_dir() -> Path:
    if not EXAMPLES_DIR.is_dir():
        pytest.skip(f"Helsenorge-eksemplene finnes ikke i {EXAMPLES_DIR} (../shared/fhir-examples)")
    return EXAMPLES_DIR


@pytest.fixture
def catalogue_dir() -> Path:
    return CATALOGUE_DIR


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `helsetilbud ARGS...` in-process; returns (exit code, stdout, stderr)."""
    from helsetilbud.cli import main

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
