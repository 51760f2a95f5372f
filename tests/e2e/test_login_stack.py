"""Smoke test of the login stack: dev OIDC provider + Apache (mod_auth_openidc, sticky balancer).

Two tiny echo backends (v1, v2) stand in for Voilà: each answers with its name and the request
headers it got, and accepts a WebSocket that sends the same as one text message.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from deploy.stack import APACHE, OIDC_DIR, Stack, login
from deploy.stack import login_proxy as login_stack
from tests.e2e.voila_server import CHROMIUM

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not APACHE.exists(), reason=f"{APACHE} mangler (apt apache2)"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} mangler (apt chromium)"),
    pytest.mark.skipif(
        not Path("/usr/lib/apache2/modules/mod_auth_openidc.so").exists(),
        reason="mod_auth_openidc mangler (apt libapache2-mod-auth-openidc)",
    ),
]
HEADER = "X-Helsetilbud-User"
USERS = [
    {"login": "1000001", "name": "Kari Nordmann", "role": "fastlege", "hpr": "1000001"},
    {"login": "siri", "name": "Siri Stab", "role": "kontorstab", "hpr": None},
    # Login differs from the HPR number: shows that the header comes from the HPR claim.
    {"login": "lege", "name": "Lars Lege", "role": "fastlege", "hpr": "1000042", "password": "x"},
]
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def _echo_handler(name: str) -> type[BaseHTTPRequestHandler]:
    class Echo(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:
            body = json.dumps({"backend": name, "headers": list(self.headers.items())}).encode()
            if self.headers.get("Upgrade", "").lower() == "websocket":
                key = self.headers["Sec-WebSocket-Key"]
                accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest())
                self.send_response(101)
                self.send_header("Upgrade", "websocket")
                self.send_header("Connection", "Upgrade")
                self.send_header("Sec-WebSocket-Accept", accept.decode())
                self.end_headers()
                assert len(body) < 65536
                self.wfile.write(bytes([0x81, 126]) + len(body).to_bytes(2, "big") + body)
                self.wfile.write(bytes([0x88, 0]))  # close frame
                self.wfile.flush()
                self.close_connection = True
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Echo


@pytest.fixture(scope="module")
def backends() -> Iterator[list[str]]:
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), _echo_handler(n)) for n in ("v1", "v2")]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield [f"http://127.0.0.1:{s.server_address[1]}" for s in servers]
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def stack(backends: list[str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with login_stack(backends, USERS, tmp_path_factory.mktemp("login")) as s:
        yield s


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context()
    yield ctx
    ctx.close()


def echo(context: Any, url: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """GET through the proxy with the context's cookies; the echo backend's answer."""
    response = context.request.get(url, headers=headers or {}, max_redirects=0)
    assert response.status == 200, (response.status, response.headers)
    return response.json()


def identities(answer: dict[str, Any]) -> list[str]:
    return [v for k, v in answer["headers"] if k.lower() == HEADER.lower()]


def test_oidc_dir_is_installed() -> None:
    assert (OIDC_DIR / "node_modules" / "oidc-provider").is_dir()


def test_unauthenticated_request_goes_to_provider_login(context: Any, stack: Stack) -> None:
    page = context.new_page()
    page.goto(stack.url + "noe")
    assert page.url.startswith(stack.issuer + "/interaction/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.get_by_role("heading", name="Logg inn (utviklingsinnlogging)").is_visible()
    assert page.get_by_label("Brukernavn eller HPR-nummer").is_visible()
    assert page.get_by_label("Passord").is_visible()
    assert page.get_by_role("button", name="Logg inn").is_visible()


def test_unauthenticated_api_request_is_not_proxied(context: Any, stack: Stack) -> None:
    response = context.request.get(stack.url, max_redirects=0)
    assert response.status == 302
    assert response.headers["location"].startswith(stack.issuer + "/auth?")


@pytest.mark.parametrize(
    ("username", "password", "expected"),
    [("1000001", "demo", "1000001"), ("siri", "demo", "siri"), ("lege", "x", "1000042")],
)
def test_backend_sees_verified_identity(
    context: Any, stack: Stack, username: str, password: str, expected: str
) -> None:
    page = context.new_page()
    login(page, stack.url + "start", username, password)
    assert urlsplit(page.url).path == "/start"
    assert identities(json.loads(page.locator("body").inner_text())) == [expected]
    assert identities(echo(context, stack.url + "igjen")) == [expected]


def test_forged_identity_headers_are_ignored(context: Any, stack: Stack) -> None:
    login(context.new_page(), stack.url, "siri")
    forged = {
        HEADER: "9999999",
        HEADER.replace("-", "_"): "9999999",
        "OIDC_CLAIM_preferred_username": "9999999",
        "OIDC-CLAIM-preferred-username": "9999999",
        "OIDC_CLAIM_helseid---claims-hpr-hpr_number": "9999999",
    }
    answer = echo(context, stack.url + "forfalsket", forged)
    assert identities(answer) == ["siri"]
    leaked = [
        (k, v) for k, v in answer["headers"] if "9999999" in v or k.lower().startswith("oidc")
    ]
    assert leaked == []
    cookies = " ".join(v for k, v in answer["headers"] if k.lower() == "cookie")
    assert "mod_auth_openidc_session" not in cookies
    assert "_session" not in cookies


def test_wrong_password_shows_norwegian_error(context: Any, stack: Stack) -> None:
    page = context.new_page()
    page.goto(stack.url)
    page.get_by_label("Brukernavn eller HPR-nummer").fill("siri")
    page.get_by_label("Passord").fill("feil")
    page.get_by_role("button", name="Logg inn").click()
    assert page.get_by_role("alert").inner_text() == "Feil brukernavn eller passord."
    assert page.url.startswith(stack.issuer)
    # The form is still usable after the error.
    page.get_by_label("Passord").fill("demo")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda u: u.startswith(stack.url))


def test_cookie_pins_to_v2(context: Any, stack: Stack) -> None:
    context.add_cookies([{"name": "HTROUTE", "value": ".v2", "url": stack.url}])
    login(context.new_page(), stack.url, "1000001")
    assert {echo(context, f"{stack.url}p{i}")["backend"] for i in range(6)} == {"v2"}


def test_requests_stick_to_first_backend(context: Any, stack: Stack) -> None:
    login(context.new_page(), stack.url, "siri")
    route = next(c["value"] for c in context.cookies(stack.url) if c["name"] == "HTROUTE")
    assert route in (".v1", ".v2")
    seen = {echo(context, f"{stack.url}p{i}")["backend"] for i in range(6)}
    assert seen == {route[1:]}


def test_websocket_carries_identity_and_route(context: Any, stack: Stack) -> None:
    context.add_cookies([{"name": "HTROUTE", "value": ".v2", "url": stack.url}])
    page = context.new_page()
    login(page, stack.url, "1000001")
    ws_url = stack.url.replace("http://", "ws://") + "ws"
    message = page.evaluate(
        """url => new Promise((resolve, reject) => {
            const ws = new WebSocket(url);
            ws.onmessage = (event) => resolve(event.data);
            ws.onerror = () => reject(new Error("WebSocket-feil"));
        })""",
        ws_url,
    )
    answer = json.loads(message)
    assert answer["backend"] == "v2"
    assert identities(answer) == ["1000001"]


def test_logout_ends_the_session(context: Any, stack: Stack) -> None:
    page = context.new_page()
    login(page, stack.url, "siri")
    page.goto(stack.logout_url)
    page.get_by_role("button", name="Ja, logg ut").click()
    page.get_by_role("heading", name="Logg inn (utviklingsinnlogging)").wait_for()
    assert page.url.startswith(stack.issuer + "/interaction/")
