"""The whole multi-user stack on one machine: PostgreSQL, the OpenID Connect provider, Apache
with mod_auth_openidc in front, and several Voilà processes behind it (`make stack`).

    .venv/bin/python -m deploy.stack [--voila 2] [--port 8080] [--db URL] [--preheat N]

Without --db a throwaway PostgreSQL cluster is started (scripts/pg-test.sh) and filled with
the sample country. Prints the address and test logins; Ctrl-C stops everything. The same
pieces are used by the browser tests and benchmarks/load_bench.py.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from deploy.apache.render import render as render_apache_config

REPO = Path(__file__).resolve().parents[1]
OIDC_DIR = REPO / "deploy" / "oidc"
APACHE = Path("/usr/sbin/apache2")
READY_LINE = "OIDC-leverandør klar på"
CLIENT_ID = "helsetilbud-dev"
HEADER = "X-Helsetilbud-User"
PASSWORD = "demo"


@dataclass(frozen=True)
class Backend:
    """One Voilà process behind the proxy."""

    url: str
    port: int
    proc: subprocess.Popen[bytes]
    route: str


@dataclass(frozen=True)
class Stack:
    url: str  # the proxy, e.g. http://127.0.0.1:PORT/
    issuer: str  # the provider, http://127.0.0.1:PORT
    apache_port: int
    provider_port: int
    logout_url: str
    workdir: Path
    backends: list[Backend] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_oidc_node_modules() -> Path:
    """`npm ci` in deploy/oidc if node_modules is missing; returns the node_modules path."""
    modules = OIDC_DIR / "node_modules"
    if not (modules / "oidc-provider").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=OIDC_DIR,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return modules


def _start(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=env, cwd=REPO
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the process group that `proc` leads (Apache and Voilà start children)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        except ProcessLookupError:
            pass
    with contextlib.suppress(ProcessLookupError):  # children may outlive the leader
        os.killpg(proc.pid, signal.SIGKILL)


def _wait(proc: subprocess.Popen[bytes], log: Path, ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} stoppet med kode {proc.returncode}; se {log}")
        if ready():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} svarte ikke innen 90 sekunder; se {log}")


def _answers(port: int, path: str = "/") -> bool:
    """Any HTTP answer from 127.0.0.1:port (redirects are not followed)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", path)
        return conn.getresponse().status > 0
    except OSError:
        return False
    finally:
        conn.close()


def provider_users(db_url: str) -> list[dict[str, Any]]:
    """Every active user of the database, shaped for the dev provider's user list."""
    from sqlalchemy import select

    from helsetilbud.db import make_engine, make_session_factory
    from helsetilbud.model import User

    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        rows = session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))
        users = [
            {"login": u.login, "name": u.display_name, "role": u.role, "hpr": u.hpr} for u in rows
        ]
    engine.dispose()
    return users


@contextmanager
def voila_backends(
    db_url: str,
    count: int,
    workdir: Path,
    *,
    header: str = HEADER,
    preheat: int = 0,
    notebooks: Path | None = None,
) -> Iterator[list[Backend]]:
    """`count` Voilà processes (`helsetilbud serve --trusted-header`) on free ports, serving
    `notebooks` (default: the repository's notebooks/)."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELSETILBUD_", "JUPYTER"))}
    env["PYTHONPATH"] = str(REPO)
    if notebooks is not None:
        env["HELSETILBUD_NOTEBOOKS"] = str(notebooks)
    with ExitStack() as cleanup:
        backends = []
        for i in range(1, count + 1):
            port = free_port()
            cmd = [sys.executable, "-m", "helsetilbud.cli", "serve", "--port", str(port)]
            cmd += ["--db", db_url, "--trusted-header", header, "--preheat", str(preheat)]
            log = workdir / f"voila-v{i}.log"
            proc = _start(cmd, log, env)
            cleanup.callback(_stop, proc)
            backends.append(Backend(f"http://127.0.0.1:{port}", port, proc, f"v{i}"))
        for b in backends:
            _wait(b.proc, workdir / f"voila-{b.route}.log", lambda b=b: _answers(b.port), "Voilà")
        yield backends


@contextmanager
def login_proxy(
    backends: list[str],
    users: list[dict[str, Any]],
    workdir: Path,
    header: str = HEADER,
    port: int | None = None,
) -> Iterator[Stack]:
    """Provider + Apache (on `port`, default a free one) in front of `backends` (routes v1, v2,
    ... in order); logs in `workdir`."""
    ensure_oidc_node_modules()
    workdir.mkdir(parents=True, exist_ok=True)
    provider_port, apache_port = free_port(), port or free_port()
    issuer = f"http://127.0.0.1:{provider_port}"
    url = f"http://127.0.0.1:{apache_port}/"
    secret = secrets.token_urlsafe(24)
    users_file = workdir / "users.json"
    users_file.write_text(json.dumps(users, ensure_ascii=False), encoding="utf-8")
    rundir = workdir / "apache"
    rundir.mkdir(exist_ok=True)
    conf = rundir / "httpd.conf"
    conf.write_text(
        render_apache_config(
            port=apache_port,
            rundir=rundir,
            issuer=issuer,
            client_id=CLIENT_ID,
            client_secret=secret,
            backends=backends,
            header=header,
        ),
        encoding="utf-8",
    )
    provider_log = workdir / "oidc-provider.log"
    with ExitStack() as cleanup:
        provider = _start(
            [
                "node",
                str(OIDC_DIR / "provider.mjs"),
                f"--port={provider_port}",
                f"--users={users_file}",
                f"--client-id={CLIENT_ID}",
                f"--client-secret={secret}",
                f"--redirect-uri={url}oidc/redirect",
                f"--post-logout-redirect-uri={url}",
            ],
            provider_log,
        )
        cleanup.callback(_stop, provider)
        _wait(
            provider,
            provider_log,
            lambda: READY_LINE in provider_log.read_text(encoding="utf-8", errors="replace"),
            "OIDC-leverandøren",
        )
        apache = _start([str(APACHE), "-f", str(conf), "-DFOREGROUND"], workdir / "apache.out")
        cleanup.callback(_stop, apache)
        _wait(apache, rundir / "error.log", lambda: _answers(apache_port), "Apache")
        yield Stack(
            url=url,
            issuer=issuer,
            apache_port=apache_port,
            provider_port=provider_port,
            logout_url=f"{url}oidc/redirect?logout={url}",
            workdir=workdir,
        )


@contextmanager
def full_stack(
    db_url: str,
    workdir: Path,
    *,
    voilas: int = 2,
    preheat: int = 0,
    header: str = HEADER,
    port: int | None = None,
    notebooks: Path | None = None,
) -> Iterator[Stack]:
    """Voilà processes on `db_url` behind the login proxy, with the database's users."""
    with (
        voila_backends(
            db_url, voilas, workdir, header=header, preheat=preheat, notebooks=notebooks
        ) as backends,
        login_proxy([b.url for b in backends], provider_users(db_url), workdir, header, port) as s,
    ):
        yield dataclasses.replace(s, backends=backends)


@contextmanager
def throwaway_postgres(workdir: Path) -> Iterator[str]:
    """A new PostgreSQL cluster on 127.0.0.1 (scripts/pg-test.sh); yields its URL."""
    env = dict(os.environ, HELSETILBUD_PG_STATE=str(workdir / "pg.state"))
    script = str(REPO / "scripts" / "pg-test.sh")
    subprocess.run(["bash", script, "start"], check=True, env=env, stdout=subprocess.DEVNULL)
    try:
        yield subprocess.run(
            ["bash", script, "url"], check=True, env=env, capture_output=True, text=True
        ).stdout.strip()
    finally:
        subprocess.run(["bash", script, "stop"], env=env, stdout=subprocess.DEVNULL)


def login(page: Any, url: str, username: str, password: str = PASSWORD) -> None:
    """Playwright (sync): open `url`, log in on the provider's page, wait until back at `url`."""
    page.goto(url)
    page.get_by_label("Brukernavn eller HPR-nummer").fill(username)
    page.get_by_label("Passord").fill(password)
    proxy = urlsplit(url).netloc
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(
        lambda u: urlsplit(u).netloc == proxy and urlsplit(u).path != "/oidc/redirect"
    )


def sample_logins(db_url: str) -> list[tuple[str, str]]:
    """(login, who) of a few sample users to try: GPs, delegated staff, analyst, forvalter."""
    from helsetilbud.db import make_engine, make_session_factory
    from helsetilbud.ui.identity import demo_users

    engine = make_engine(db_url)
    users = demo_users(make_session_factory(engine))
    engine.dispose()
    return [(login, label) for label, login in users]


def init_sample(db_url: str) -> None:
    """Create the schema and the sample country when the database has none."""
    from helsetilbud.bootstrap import init_database
    from helsetilbud.db import is_initialised, make_engine

    engine = make_engine(db_url)
    if not is_initialised(engine):
        print("Lager eksempellandet i databasen (tar noen sekunder) …", flush=True)
        init_database(engine, sample=True)
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make stack", description="Hele flerbrukeroppsettet lokalt: Ctrl-C stopper alt."
    )
    parser.add_argument("--voila", type=int, default=2, help="antall Voilà-prosesser (2)")
    parser.add_argument("--port", type=int, default=8080, help="porten til Apache (8080)")
    parser.add_argument("--db", help="database-URL (standard: en ny, midlertidig PostgreSQL)")
    parser.add_argument("--preheat", type=int, default=4, help="forvarmede kjerner per Voilà (4)")
    parser.add_argument("--workdir", type=Path, help="mappe for logger (standard: ny i /tmp)")
    args = parser.parse_args(argv)
    import tempfile

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="helsetilbud-stack."))
    workdir.mkdir(parents=True, exist_ok=True)
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    with ExitStack() as stack_:
        if args.db:
            db_url = args.db
        else:
            print("Starter PostgreSQL …", flush=True)
            db_url = stack_.enter_context(throwaway_postgres(workdir))
        init_sample(db_url)
        print(f"Starter {args.voila} Voilà-prosesser, OIDC-leverandøren og Apache …", flush=True)
        s = stack_.enter_context(
            full_stack(db_url, workdir, voilas=args.voila, preheat=args.preheat, port=args.port)
        )
        print()
        print(f"Helsetilbud (med innlogging): {s.url}voila/render/rediger.ipynb")
        print(f"Analytikere: {s.url}voila/render/adopsjon.ipynb")
        print(f"Logg ut: {s.logout_url}")
        print(f"Passord for alle testbrukere: {PASSWORD}")
        for login_name, who in sample_logins(db_url):
            print(f"  {login_name:<14} {who}")
        print(f"Logger: {workdir}")
        print("Ctrl-C stopper alt.", flush=True)
        try:
            while not stopping and all(b.proc.poll() is None for b in s.backends):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        print("\nStopper …", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
