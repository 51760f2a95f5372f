"""Who a page view belongs to: the login proxy's header, or the server's environment.

Two modes, chosen by the server (`helsetilbud serve`), never by the visitor:

- trusted header (`serve --trusted-header NAME`, HELSETILBUD_TRUSTED_HEADER=NAME): the login
  is the value of request header NAME, set by the OpenID Connect proxy in front of Voilà and
  handed to each kernel by Voilà as HTTP_NAME. HELSETILBUD_USER and JUPYTERHUB_USER are
  ignored, and there is no demo mode.
- environment (one person, a notebook server of one's own): HELSETILBUD_USER, else
  JUPYTERHUB_USER.

The login is a user's login or, for a GP, the HPR number. It is looked up in the database
here and again at every write (`helsetilbud.access`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from helsetilbud.access import Identity, load_identity
from helsetilbud.db import SessionFactory
from helsetilbud.errors import NotFound

__all__ = [
    "TRUSTED_HEADER_ENV",
    "Login",
    "awaiting_request",
    "claimed_login",
    "demo_allowed",
    "header_env_name",
    "identify",
    "request_arrived",
    "trusted_header",
]

TRUSTED_HEADER_ENV = "HELSETILBUD_TRUSTED_HEADER"


@dataclass(frozen=True)
class Login:
    """A page view's login: what was claimed, and the identity it resolved to (or why not)."""

    claimed: str | None
    identity: Identity | None
    problem: str | None = None


def trusted_header() -> str | None:
    """The request header that carries the login, when the server runs behind a login proxy."""
    return os.environ.get(TRUSTED_HEADER_ENV, "").strip() or None


def header_env_name(header: str) -> str:
    """Where Voilà puts request header `header` in a kernel's environment (RFC 3875)."""
    return "HTTP_" + header.upper().replace("-", "_")


def demo_allowed() -> bool:
    """Demo mode (a user switch, a default user) only without a login proxy."""
    return trusted_header() is None and os.environ.get("HELSETILBUD_DEMO", "") == "1"


_request_seen = False  # this kernel's page view has arrived (or never will)


def awaiting_request() -> bool:
    """True in a preheated Voilà kernel that no page view has claimed yet."""
    return os.environ.get("VOILA_PREHEAT") == "True" and not _request_seen


def _query_url() -> str:
    env = os.environ
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    return (
        f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
        f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}"
    )


def _arrived(payload: str | bytes | None) -> None:
    global _request_seen
    _request_seen = True
    for key, value in json.loads(payload).items() if payload else ():
        os.environ[str(key)] = str(value)


def _wait_for_request(timeout: float | None = None) -> None:
    """In a preheated Voilà kernel, block until a page view claims it; then its request
    headers are in os.environ. Elsewhere, return at once.

    The same exchange as `voila.utils.wait_for_request()` (Voilà's /voila/query/<kernel>
    WebSocket sends the request's environment once), without importing Voilà's server into
    every kernel: that import alone costs a kernel about 2 s of CPU.
    """
    if not awaiting_request():
        return
    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    payload = None
    try:
        with connect(_query_url(), open_timeout=30) as ws:
            payload = ws.recv(timeout=timeout)
    except (OSError, TimeoutError, ValueError, WebSocketException):
        pass  # no request info: the page view has no login, and gets «Ingen tilgang»
    _arrived(payload)


async def request_arrived() -> None:
    """`_wait_for_request` without blocking the kernel: the notebook can finish (and its page
    be sent at once) while the kernel waits for the page view's login."""
    if not awaiting_request():
        return
    from websockets.asyncio.client import connect
    from websockets.exceptions import WebSocketException

    payload = None
    try:
        async with connect(_query_url(), open_timeout=30) as ws:
            payload = await ws.recv()
    except (OSError, TimeoutError, ValueError, WebSocketException):
        pass
    _arrived(payload)


def claimed_login() -> str | None:
    """The login this page view claims, or None."""
    header = trusted_header()
    if header is not None:
        _wait_for_request()
        value = os.environ.get(header_env_name(header), "").strip()
        return value or None
    return os.environ.get("HELSETILBUD_USER") or os.environ.get("JUPYTERHUB_USER") or None


def identify(factory: SessionFactory, login: str | None = None) -> Login:
    """The identity of `login` (default: this page view's claimed login)."""
    claimed = login if login is not None else claimed_login()
    if not claimed:
        return Login(None, None)
    if len(claimed) > 64 or not claimed.isprintable():
        return Login(claimed[:64], None, "Innloggingen har et ugyldig brukernavn.")
    with factory() as session:
        try:
            return Login(claimed, load_identity(session, claimed))
        except NotFound as e:
            return Login(claimed, None, e.message)
