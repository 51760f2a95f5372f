"""`helsetilbud serve --trusted-header`: each page view is the user its request header names.

Voilà itself, in Chromium, without the login proxy (the proxy is in test_login_proxy.py):
the header is sent by the test, as the proxy would send it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import SmallCountry
from tests.e2e.voila_server import (
    CHROMIUM,
    REPO,
    build_small_db,
    helsetilbud_serve,
    kernel_pids,
    voila,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler (apt chromium)"),
]
C = SmallCountry()
HEADER = "X-Helsetilbud-User"
NOTEBOOKS = ("rediger", "adopsjon", "forhandsvisning", "kontroll", "katalog")
LOAD = 90_000


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_small_db(tmp_path_factory.mktemp("trusted") / "liten.sqlite")


@pytest.fixture(scope="module")
def server(
    db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Voilà behind a (pretend) proxy; the server's own HELSETILBUD_USER and demo flag are set
    to the forvalter, and must make no difference."""
    env = {"HELSETILBUD_USER": C.admin, "JUPYTERHUB_USER": C.admin, "HELSETILBUD_DEMO": "1"}
    log = tmp_path_factory.mktemp("trusted-run") / "serve.log"
    with helsetilbud_serve(["--db", db_url, "--trusted-header", HEADER], env, log) as running:
        yield running


def _open(browser, base: str, notebook: str, login: str | None):  # type: ignore[no-untyped-def]
    headers = {HEADER: login} if login is not None else {}
    ctx = browser.new_context(extra_http_headers=headers, locale="nb-NO")
    page = ctx.new_page()
    page.goto(f"{base}/voila/render/{notebook}.ipynb")
    page.locator(".ht-app, .ht-denied, .ht-adopt, .ht-control, .ht-catalog").first.wait_for(
        timeout=LOAD
    )
    return ctx, page


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_without_the_header_every_notebook_says_ingen_tilgang(server, browser, notebook):
    ctx, page = _open(browser, server[0], notebook, None)
    notice = page.locator(".ht-no-access")
    notice.wait_for()
    assert "Ingen tilgang" in notice.inner_text()
    assert "Du er ikke logget inn." in notice.inner_text()
    assert "Forvalter NHN" not in page.locator("body").inner_text()
    ctx.close()


def test_an_unknown_login_is_told_who_it_is_logged_in_as(server, browser):
    ctx, page = _open(browser, server[0], "rediger", "7777777")
    notice = page.locator(".ht-no-access")
    notice.wait_for()
    assert "Du er logget inn som «7777777»" in notice.inner_text()
    assert page.locator("textarea").count() == 0
    ctx.close()


def test_the_page_is_norwegian_and_loads_nothing_from_outside_this_machine(server, browser):
    headers = {HEADER: C.kari}
    ctx = browser.new_context(extra_http_headers=headers, locale="nb-NO")
    page = ctx.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(f"{server[0]}/voila/render/rediger.ipynb")
    page.locator(".ht-header", has_text="Kari Nordmann").wait_for(timeout=LOAD)
    assert page.evaluate("document.documentElement.lang") == "nb"
    assert hosts == {server[0].split("/")[2]}
    assert "cdn." not in page.content()
    ctx.close()


def test_two_page_views_at_once_are_each_their_own_user(server, browser):
    kari_ctx, kari = _open(browser, server[0], "rediger", C.kari)
    per_ctx, per = _open(browser, server[0], "rediger", C.per)
    kari.locator(".ht-header", has_text="Kari Nordmann").wait_for()
    per.locator(".ht-header", has_text="Per Berg").wait_for()
    assert "Sentrum legesenter" in kari.locator(".ht-office").inner_text()
    assert "Fjordlegene" in per.locator(".ht-office").inner_text()
    assert per.locator(".ht-demo-switch").count() == 0
    kari_ctx.close()
    per_ctx.close()


def test_the_analytics_notebooks_are_for_nhn_only(server, browser):
    for notebook in ("adopsjon", "kontroll"):
        ctx, page = _open(browser, server[0], notebook, C.kari)
        page.locator(".ht-no-access").wait_for()
        notice = page.locator(".ht-no-access").inner_text()
        assert "bare for analytikere og forvaltere" in notice
        assert "Kari Nordmann" in notice
        assert "legekontorer består kontrollen" not in page.locator("body").inner_text()
        ctx.close()
    ctx, page = _open(browser, server[0], "kontroll", C.analyst)
    page.locator(".ht-control", has_text="legekontorer består kontrollen").wait_for()
    ctx.close()


# Holds back the kernel's answer with every widget's state for 5 s, as a browser busy with
# twenty other pages does: ipywidgets' front end gives up on it after 4 s unless told to wait.
LATE_WIDGET_STATE = """(() => {
  const own = Object.getOwnPropertyDescriptor(WebSocket.prototype, "onmessage");
  Object.defineProperty(WebSocket.prototype, "onmessage", {
    configurable: true,
    get() { return own.get.call(this); },
    set(handler) {
      own.set.call(this, handler && function (event) {
        const late = event.data instanceof ArrayBuffer &&
          new TextDecoder().decode(event.data).includes('"update_states"');
        if (late) { setTimeout(() => handler.call(this, event), 5000); }
        else { handler.call(this, event); }
      });
    },
  });
})();"""


def _sent_message(payload: str) -> tuple[str, str | None]:
    """msg_type and comm method of a frame in Jupyter's binary WebSocket protocol."""
    import base64
    import json

    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    _channel, parts = deserialize_msg_from_ws_v1(base64.b64decode(payload))
    header = json.loads(parts[0])
    content = json.loads(parts[3]) if len(parts) > 3 else {}
    return header["msg_type"], (content.get("data") or {}).get("method")


def test_a_page_whose_widget_state_comes_late_asks_for_it_once_not_widget_by_widget(
    server, browser
):
    ctx = browser.new_context(extra_http_headers={HEADER: C.kari}, locale="nb-NO")
    ctx.add_init_script(LATE_WIDGET_STATE)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    sent: list[tuple[str, str | None]] = []
    cdp.on(
        "Network.webSocketFrameSent",
        lambda e: sent.append(_sent_message(e["response"]["payloadData"])),
    )
    page.goto(f"{server[0]}/voila/render/rediger.ipynb")
    page.locator(".ht-app:not(.ht-pending) .ht-text-reseptfornyelse textarea").wait_for(
        timeout=LOAD
    )
    assert page.locator(".ht-header", has_text="Kari Nordmann").is_visible()
    assert ("comm_msg", "request_states") in sent
    per_widget = [m for m in sent if m == ("comm_msg", "request_state")]
    assert not per_widget, f"siden ba om {len(per_widget)} widgeter én og én"
    ctx.close()


def test_a_closed_tab_frees_its_kernel_within_a_minute(server, browser):
    base, proc = server
    time.sleep(1)
    before = set(kernel_pids(proc.pid))
    ctx, page = _open(browser, base, "rediger", C.ola)
    page.locator(".ht-header", has_text="Ola Hansen").wait_for()
    opened = set(kernel_pids(proc.pid)) - before
    assert opened, "siden skulle ha fått sin egen kjerne"
    ctx.close()
    closed_at = time.monotonic()
    while time.monotonic() - closed_at < 60 and opened & set(kernel_pids(proc.pid)):
        time.sleep(2)
    assert not opened & set(kernel_pids(proc.pid)), "kjernen lever fortsatt 60 s etter lukking"


def test_a_page_whose_app_never_arrives_says_so_in_norwegian_and_offers_a_reload(tmp_path, browser):
    import nbformat

    notebook = tmp_path / "tom.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, notebook)
    with voila(notebook, {}) as base:
        ctx = browser.new_context(locale="nb-NO")
        page = ctx.new_page()
        page.goto(f"{base}?ventetid=2")
        alert = page.get_by_role("alert")
        alert.wait_for(timeout=LOAD)
        assert "Siden ble ikke ferdig lastet." in alert.inner_text()
        page.get_by_role("button", name="Last inn siden på nytt").click()
        page.get_by_role("alert").wait_for(timeout=LOAD)
        ctx.close()


def test_a_gp_deactivated_while_the_page_is_open_is_refused_at_the_next_save(
    server, browser, db_url
):
    from sqlalchemy import select

    from helsetilbud.db import make_engine, make_session_factory, transaction
    from helsetilbud.model import InfoText, Office, User

    ctx, page = _open(browser, server[0], "rediger", C.per)
    page.locator(".ht-header", has_text="Per Berg").wait_for()
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    with transaction(factory) as s:
        s.scalar(select(User).where(User.login == C.per)).active = False
    try:
        page.locator(".ht-text-timebestilling textarea").fill("Skrevet etter at tilgangen ble tatt")
        page.locator(".ht-save-timebestilling").click()
        status = page.locator(".ht-status-timebestilling")
        status.get_by_text("deaktivert").wait_for()
        assert "Lagret" not in status.inner_text()
        with factory() as s:
            office = s.scalar(select(Office).where(Office.her_id == C.office_b))
            text = s.scalar(
                select(InfoText.text).filter_by(office_id=office.id, area="timebestilling")
            )
        assert text == ""
    finally:
        with transaction(factory) as s:
            s.scalar(select(User).where(User.login == C.per)).active = True
        engine.dispose()
        ctx.close()


def test_preheated_kernels_take_the_identity_of_the_page_view_that_claims_them(
    db_url, browser, tmp_path
):
    args = ["--db", db_url, "--trusted-header", HEADER, "--preheat", "1"]
    log = tmp_path / "preheat.log"
    with helsetilbud_serve(args, {}, log, ready_line="is filled with 1 kernel") as (base, _):
        for login, name in ((C.per, "Per Berg"), (C.kari, "Kari Nordmann")):
            ctx, page = _open(browser, base, "rediger", login)
            page.locator(".ht-header", has_text=name).wait_for()
            ctx.close()
        assert log.read_text().count("Using pre-heated kernel") == 2


def test_demo_mode_is_refused_behind_a_login_proxy(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "helsetilbud.cli", "serve", "--demo"]
    command += ["--trusted-header", HEADER, "--db", f"sqlite:///{tmp_path / 'x.sqlite'}"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--demo kan ikke brukes med --trusted-header" in done.stderr
    assert not (tmp_path / "x.sqlite").exists()
