"""`helsetilbud lab`: JupyterLab on 127.0.0.1 for NHN's analysts, over the notebooks folder.

The same database as `helsetilbud serve` (HELSETILBUD_DB_URL, else the SQLite file) and the
same identity rule as any notebook server of one's own: the login is HELSETILBUD_USER (else
JUPYTERHUB_USER) from the environment; without it the notebooks show «Ingen tilgang».
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from helsetilbud.cli import add_db_option
from helsetilbud.db import database_url, is_initialised, make_engine
from helsetilbud.login import TRUSTED_HEADER_ENV

DEFAULT_PORT = 8888


def register(subparsers: argparse._SubParsersAction) -> None:
    lab = subparsers.add_parser("lab", help="start JupyterLab med notatbøkene på 127.0.0.1")
    lab.add_argument("--port", type=int, default=DEFAULT_PORT, help="porten (standard 8888)")
    add_db_option(lab)
    lab.set_defaults(handler=run_lab)


def lab_command(port: int, notebooks: Path, *, as_root: bool | None = None) -> list[str]:
    """The JupyterLab command line: local only, no browser opened, the notebooks as root
    folder; as the root user (containers, these machines) JupyterLab must be told so."""
    if as_root is None:
        as_root = getattr(os, "geteuid", lambda: 1)() == 0
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={notebooks}",
    ]
    return [*command, "--allow-root"] if as_root else command


def lab_environment(env: dict[str, str], db: str | None) -> dict[str, str]:
    """`env` with HELSETILBUD_DB_URL set; the login (HELSETILBUD_USER) is left as it is, and
    demo mode and a login-proxy header are never passed on."""
    out = {k: v for k, v in env.items() if k not in ("HELSETILBUD_DEMO", TRUSTED_HEADER_ENV)}
    out["HELSETILBUD_DB_URL"] = database_url(db or env.get("HELSETILBUD_DB_URL"))
    return out


def run_lab(args: argparse.Namespace) -> int:
    from helsetilbud.bootstrap import init_database
    from helsetilbud.cli.setup import NOTEBOOKS_DIR

    env = lab_environment(dict(os.environ), args.db)
    engine = make_engine(env["HELSETILBUD_DB_URL"])
    try:
        if not is_initialised(engine):
            print("Fant ingen database; lager den med eksempellandet (tar noen sekunder) …")
            init_database(engine, sample=True)
    finally:
        engine.dispose()
    user = env.get("HELSETILBUD_USER") or env.get("JUPYTERHUB_USER")
    if user:
        print(f"Notatbøkene kjører som «{user}» (HELSETILBUD_USER).")
    else:
        print(
            "HELSETILBUD_USER er ikke satt: notatbøkene viser «Ingen tilgang». Start for "
            "eksempel med HELSETILBUD_USER=analytiker.",
            file=sys.stderr,
        )
    print(f"JupyterLab: http://127.0.0.1:{args.port}/lab  (Ctrl-C stopper)")
    sys.stdout.flush()
    command = lab_command(args.port, NOTEBOOKS_DIR)
    os.execve(command[0], command, env)
    return 0  # not reached
