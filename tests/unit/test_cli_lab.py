"""`helsetilbud lab` starts JupyterLab locally over the notebooks, with the same database and
the login from the environment (JupyterLab itself is never started here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helsetilbud.cli import build_parser, main
from helsetilbud.cli.lab import lab_command, lab_environment
from helsetilbud.cli.setup import NOTEBOOKS_DIR
from tests.e2e.voila_server import build_small_db


def test_jupyterlab_listens_only_on_localhost_without_a_browser_over_the_notebooks() -> None:
    command = lab_command(8899, Path("/x/notebooks"), as_root=False)
    assert command[1:3] == ["-m", "jupyterlab"]
    assert "--no-browser" in command
    assert "--ServerApp.ip=127.0.0.1" in command
    assert "--ServerApp.port=8899" in command
    assert "--ServerApp.root_dir=/x/notebooks" in command
    assert "--allow-root" not in command
    assert "--allow-root" in lab_command(8899, Path("/x"), as_root=True)


def test_the_port_is_8888_unless_given() -> None:
    assert build_parser().parse_args(["lab"]).port == 8888
    assert build_parser().parse_args(["lab", "--port", "9000"]).port == 9000


def test_the_lab_uses_the_database_helsetilbud_uses_and_keeps_the_login() -> None:
    env = {"HELSETILBUD_USER": "analytiker", "HELSETILBUD_DEMO": "1", "PATH": "/bin"}
    out = lab_environment(env, None)
    assert out["HELSETILBUD_USER"] == "analytiker"
    assert out["HELSETILBUD_DB_URL"].startswith("sqlite:///")
    assert "HELSETILBUD_DEMO" not in out  # no switching between sample users
    given = lab_environment({"HELSETILBUD_DB_URL": "sqlite:///a.db"}, None)
    assert given["HELSETILBUD_DB_URL"] == "sqlite:///a.db"
    assert lab_environment({}, "sqlite:///b.db")["HELSETILBUD_DB_URL"] == "sqlite:///b.db"


def test_without_a_login_the_lab_still_starts_and_warns_of_ingen_tilgang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = build_small_db(tmp_path / "lab.sqlite")
    started: list[tuple[str, list[str], dict[str, str]]] = []
    monkeypatch.delenv("HELSETILBUD_USER", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setattr(os, "execve", lambda p, a, e: started.append((p, a, e)))
    assert main(["lab", "--port", "8901", "--db", url]) == 0
    ((path, command, env),) = started
    assert command == lab_command(8901, NOTEBOOKS_DIR)
    assert env["HELSETILBUD_DB_URL"] == url
    assert "«Ingen tilgang»" in capsys.readouterr().err
