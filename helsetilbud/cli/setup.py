"""`helsetilbud init` and `helsetilbud serve`."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
from pathlib import Path

from helsetilbud.bootstrap import init_database
from helsetilbud.cli import add_db_option
from helsetilbud.db import database_url, is_initialised, make_engine
from helsetilbud.login import TRUSTED_HEADER_ENV

IOPUB_TIMEOUT = 60  # s a cell's output may lag behind under load (nbclient's default: 4)
STARTUP_TIMEOUT = 120  # s a kernel may take to start under load
CULL_IDLE = 40  # s without activity or browser before a kernel is shut down
CULL_INTERVAL = 10  # s between checks
CULL_UNCONNECTED = 300  # s a kernel may wait for its page's first connection
TEMPLATES_ROOT = Path(__file__).resolve().parents[1] / "share" / "jupyter"
VOILA_CONFIG_DIR = TEMPLATES_ROOT / "voila"  # voila.py: the page config hook
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
    serve.add_argument(
        "--trusted-header",
        metavar="NAVN",
        help="bak en innloggende proxy: hver sidevisnings bruker er verdien av forespørselens "
        "header NAVN (HPR-nummer for fastleger, ellers brukernavn)",
    )
    serve.add_argument(
        "--preheat",
        type=int,
        default=0,
        metavar="N",
        help="hold N forvarmede kjerner klare for rediger.ipynb (standard 0: av)",
    )
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


def voila_command(
    port: int,
    target: Path = NOTEBOOKS_DIR,
    *,
    trusted_header: str | None = None,
    preheat: int = 0,
) -> list[str]:
    """The Voilà command line: sources hidden, no tracebacks, Norwegian page language, patient
    with slow kernels, and the kernel of a closed tab culled within a minute.

    `target` is the notebooks folder (the default; nothing outside it, such as data/, is
    served) or one notebook. With `trusted_header`, Voilà copies that request header into
    each kernel's environment (`helsetilbud.login`). With `preheat`, N kernels of
    rediger.ipynb wait, imports done, for a page view. Voilà reads its Python settings only
    from helsetilbud's own folder (`helsetilbud.voila_page`), never from the working directory.
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
        "--template=helsetilbud",
        f"--Voila.config_file_paths={VOILA_CONFIG_DIR}",
        "--HTMLExporter.language_code=nb",
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT}",
        f"--VoilaExecutor.startup_timeout={STARTUP_TIMEOUT}",
        # A closed tab's own shutdown request is refused by Voilà (no _xsrf), so a kernel whose
        # browser has left is culled instead; open tabs are never culled, and a page still
        # loading under load gets CULL_UNCONNECTED (helsetilbud.serving).
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL}",
        "--MappingKernelManager.cull_connected=False",
        "--VoilaConfiguration.multi_kernel_manager_class=helsetilbud.serving.PageKernelManager",
        f"--PageKernelManager.cull_unconnected_timeout={CULL_UNCONNECTED}",
        # Kernels talk over Unix sockets: two Voilà processes cannot race for the same TCP port.
        "--KernelManager.transport=ipc",
    ]
    if trusted_header:
        command.append(f"--VoilaConfiguration.http_header_envs={trusted_header}")
    if preheat > 0:
        command += [
            "--VoilaConfiguration.preheat_kernel=True",
            "--VoilaConfiguration.default_pool_size=0",
            "--VoilaKernelManager.kernel_pools_config="
            + json.dumps({"default": {"pool_size": 0}, "rediger.ipynb": {"pool_size": preheat}}),
        ]
    if importlib.util.find_spec("jupytext") is not None:
        command.append("--VoilaConfiguration.extension_denylist=jupyterlab-jupytext")
    return command


def voila_environment(env: dict[str, str]) -> dict[str, str]:
    """`env` with the folder of helsetilbud's Voilà page template on JUPYTER_PATH, and the
    kernels told not to echo each change a page sends back to it: Voilà gives every page
    view its own kernel, so no other page needs the echo (docs/decisions/0023)."""
    paths = [str(TEMPLATES_ROOT), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    return {
        **env,
        "JUPYTER_PATH": os.pathsep.join(dict.fromkeys(paths)),
        "JUPYTER_WIDGETS_ECHO": "0",
    }


def run_serve(args: argparse.Namespace) -> int:
    header = (args.trusted_header or "").strip() or None
    if args.trusted_header is not None and not _is_header_name(header):
        print(f"Ugyldig headernavn «{args.trusted_header}».", file=sys.stderr)
        return 2
    if header and args.demo:
        print(
            "--demo kan ikke brukes med --trusted-header: bak en innloggende proxy finnes det "
            "ikke demomodus eller standardbruker.",
            file=sys.stderr,
        )
        return 2
    url = database_url(args.db)
    engine = make_engine(url)
    if not is_initialised(engine):
        print("Fant ingen database; lager den med eksempellandet (tar noen sekunder) …")
        init_database(engine, sample=True)
    engine.dispose()
    env = dict(os.environ, HELSETILBUD_DB_URL=url)
    if header:
        for key in ("HELSETILBUD_USER", "JUPYTERHUB_USER", "HELSETILBUD_DEMO"):
            env.pop(key, None)
        env[TRUSTED_HEADER_ENV] = header
    elif args.demo:
        env["HELSETILBUD_DEMO"] = "1"
    print(f"Database: {_safe(url)}")
    if header:
        print(f"Innlogging: hver sidevisnings bruker kommer fra headeren {header}.")
    print(f"Helsetilbud: http://127.0.0.1:{args.port}/voila/render/rediger.ipynb")
    print(f"Alle sider: http://127.0.0.1:{args.port}/  (Ctrl-C stopper)")
    print("Voilà starter; sidene kan åpnes når den skriver «Voilà is running at» (noen sekunder).")
    sys.stdout.flush()
    command = voila_command(args.port, trusted_header=header, preheat=args.preheat)
    os.execve(command[0], command, voila_environment(env))
    return 0  # not reached


def _is_header_name(name: str | None) -> bool:
    return re.fullmatch(r"[A-Za-z0-9-]{1,64}", name or "") is not None


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
