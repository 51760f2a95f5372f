"""The export step the command-line tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from helsetilbud.cli import main


def export_all(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """`helsetilbud export all` of `url` into a file; the command's output is swallowed."""
    out = tmp_path / "alle.jsonl"
    assert main(["export", "all", "--out", str(out), "--db", url]) == 0
    capsys.readouterr()
    return out
