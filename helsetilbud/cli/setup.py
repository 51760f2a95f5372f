"""`helsetilbud init` and `helsetilbud serve`."""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

from helsetilbud.bootstrap import init_database
from helsetilbud.cli import add_db_option
from helsetilbud.db import database_url, is_initialised, make_engine

NOTEBOOKS_DIR = Path(
    os.environ.get("HELSETILBUD_NOTEBOOKS", Path(__file__).resolve().parents[2] / "notebooks")
)


def register(subparsers: argparse._SubParsersAction) -> None:
    init = subparsers.add_parser("init", help="opprett eller oppgrader databasen")
    init.add_argument("--sample", action="store_true", help="fyll inn eksempellandet")
    init.add_argument("--seed", type=int, default=7, help="frø for eksempellandet (standard 7)")
    add_db_option(init)
    init.set_defaults(handler=run_init)

    serve = subparsers.add_parser("serve", help="start dashbordet (Voilà) på 127.0.0.1")
    serve.add_argument("--port", type=int, default=8866)
    serve.add_argument("--demo", action="store_true", help="vis bytte mellom eksempelbrukere")
    add_db_option(serve)
    serve.set_defaults(handler=run_serve)


def run_init(args: argparse.Namespace) -> int:
    result = init_database(make_engine(args.db), sample=args.sample, seed=args.seed)
    print(f"Databasen er klar: {_safe(database_url(args.db))}")
    if result.tools_added:
        print(f"La inn {result.tools_added} triageringsverktøy fra katalogen.")
    if result.sample_offices:
        print(f"Laget eksempellandet (frø {args.seed}): {result.sample_offices} legekontorer.")
    print(f"Legekontorer i databasen: {result.offices}")
    return 0


def voila_command(port: int, target: Path = NOTEBOOKS_DIR) -> list[str]:
    """The Voilà command line: sources hidden, no tracebacks, idle kernels culled.

    `target` is the notebooks folder (the default; nothing outside it, such as data/, is
    served) or one notebook.
    """
    command = [
        sys.executable,
        "-m",
        "voila",
        str(target),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--MappingKernelManager.cull_idle_timeout=900",
        "--MappingKernelManager.cull_interval=60",
    ]
    if importlib.util.find_spec("jupytext") is not None:
        command.append("--VoilaConfiguration.extension_denylist=jupyterlab-jupytext")
    return command


def run_serve(args: argparse.Namespace) -> int:
    url = database_url(args.db)
    engine = make_engine(url)
    if not is_initialised(engine):
        print("Fant ingen database; lager den med eksempellandet (tar noen sekunder) …")
        init_database(engine, sample=True)
    engine.dispose()
    env = dict(os.environ, HELSETILBUD_DB_URL=url)
    if args.demo:
        env["HELSETILBUD_DEMO"] = "1"
    print(f"Database: {_safe(url)}")
    print(f"Helsetilbud: http://127.0.0.1:{args.port}/voila/render/rediger.ipynb")
    print(f"Alle sider: http://127.0.0.1:{args.port}/  (Ctrl-C stopper)")
    sys.stdout.flush()
    command = voila_command(args.port)
    os.execve(command[0], command, env)
    return 0  # not reached


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
