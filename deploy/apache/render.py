"""Fill deploy/apache/helsetilbud.conf.in and write a runnable Apache config.

    python deploy/apache/render.py --out RUNDIR/httpd.conf --port 8080 --rundir RUNDIR \\
        --issuer http://127.0.0.1:9000 --client-id helsetilbud --client-secret HEMMELIG \\
        --backend http://127.0.0.1:8867 --backend http://127.0.0.1:8868

Backends get routes v1, v2, ... in the given order. Without --passphrase a random one is made.
Then run: apache2 -f RUNDIR/httpd.conf -DFOREGROUND
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import secrets
from pathlib import Path

TEMPLATE = Path(__file__).with_name("helsetilbud.conf.in")


def _user_group() -> str:
    """Apache will not run its children as root: as root use www-data's user and group."""
    if os.geteuid() != 0:
        return "# Ikke root: Apache kjører som brukeren som starter den."
    user = pwd.getpwnam("www-data")
    return f"User {user.pw_name}\nGroup {grp.getgrgid(user.pw_gid).gr_name}"


def render(
    *,
    port: int,
    rundir: Path,
    issuer: str,
    client_id: str,
    client_secret: str,
    backends: list[str],
    header: str = "X-Helsetilbud-User",
    passphrase: str | None = None,
) -> str:
    """The config text; `backends` are base URLs like http://127.0.0.1:8867."""
    if not backends:
        raise ValueError("Minst én bakende (--backend) trengs")
    members = "\n".join(
        f'    BalancerMember "{url.rstrip("/")}" route=v{i} upgrade=websocket timeout=3600'
        for i, url in enumerate(backends, start=1)
    )
    values = {
        "PORT": str(port),
        "RUNDIR": str(Path(rundir).resolve()),
        "ISSUER": issuer.rstrip("/"),
        "CLIENT_ID": client_id,
        "CLIENT_SECRET": client_secret,
        "PASSPHRASE": passphrase or secrets.token_urlsafe(32),
        "BACKENDS": members,
        "HEADER_UNDERSCORE": header.replace("-", "_"),
        "HEADER": header,
        "USER_GROUP": _user_group(),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Lag Apache-konfigurasjon for helsetilbud")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rundir", type=Path, help="standard: mappen til --out")
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--backend", action="append", required=True)
    parser.add_argument("--header", default="X-Helsetilbud-User")
    parser.add_argument("--passphrase")
    args = parser.parse_args(argv)
    args.out.write_text(
        render(
            port=args.port,
            rundir=args.rundir or args.out.parent,
            issuer=args.issuer,
            client_id=args.client_id,
            client_secret=args.client_secret,
            backends=args.backend,
            header=args.header,
            passphrase=args.passphrase,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
