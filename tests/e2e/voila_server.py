"""Start Voilà on a free local port against a given database, and launch Debian's Chromium.

Shared by the browser tests, `benchmarks/dashboard_bench.py` and
`scripts/screenshots_dashboard.py`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# Chromium without the browser's own (invisible) window: the load bench's simulated users
# (docs/decisions/0019-load-bench-client.md).
HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fill_small_db(url: str) -> str:
    """Migrate the (empty) database at `url` and fill it with the small test country."""
    from helsetilbud.db import make_engine, make_session_factory, transaction, upgrade_schema
    from tests.builders import build_small_country

    engine = make_engine(url)
    upgrade_schema(engine)
    with transaction(make_session_factory(engine)) as session:
        build_small_country(session)
    engine.dispose()
    return url


def build_small_db(path: Path) -> str:
    """A SQLite file with the small test country; returns its URL."""
    return fill_small_db(f"sqlite:///{path}")


def voila_command(notebook: Path, port: int) -> list[str]:
    """The command line `helsetilbud serve` uses, for one notebook."""
    from helsetilbud.cli.setup import voila_command as serve_command

    return serve_command(port, notebook)


@contextmanager
def voila(notebook: Path, env: dict[str, str], log: Path | None = None) -> Iterator[str]:
    """Run Voilà for `notebook` with extra `env`; yields the page URL, stops it afterwards."""
    port = free_port()
    from helsetilbud.cli.setup import voila_environment

    full_env = voila_environment({**os.environ, **env, "PYTHONPATH": str(REPO)})
    for key in ("HELSETILBUD_USER", "JUPYTERHUB_USER", "HELSETILBUD_DEMO"):
        if key not in env:
            full_env.pop(key, None)
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        voila_command(notebook, port), cwd=REPO, env=full_env, stdout=out, stderr=out
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"Voilà stoppet med kode {proc.returncode}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("Voilà startet ikke innen 60 sekunder")
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            out.close()  # type: ignore[union-attr]


def launch_chromium(playwright, executable: Path = CHROMIUM):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(
        executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
    )


def kernel_pids(server_pid: int) -> list[int]:
    """The pids of the kernels a Voilà server process has started (its ipykernel children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == server_pid and b"ipykernel" in cmdline:
            found.append(int(entry.name))
    return sorted(found)


@contextmanager
def helsetilbud_serve(
    args: list[str], env: dict[str, str], log: Path, *, ready_line: str | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`helsetilbud serve ARGS --port P` as a newcomer starts it, with only `env` of our own
    (the test process's HELSETILBUD_*/JUPYTER* variables are dropped). Yields the base URL and
    the process once the port answers (and `ready_line` is in the log); stops it afterwards."""
    port = free_port()
    full = {k: v for k, v in os.environ.items() if not k.startswith(("HELSETILBUD_", "JUPYTER"))}
    command = [sys.executable, "-m", "helsetilbud.cli", "serve", "--port", str(port), *args]
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            command, cwd=REPO, env={**full, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                if ready_line is None or ready_line in log.read_text(errors="replace"):
                    break
            except OSError:
                pass
            time.sleep(0.2)
        assert proc.poll() is None, log.read_text(errors="replace")
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        proc.wait(timeout=15)
