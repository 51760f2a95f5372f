"""The real multi-user stack in Chromium: log in at the OpenID Connect provider, through Apache
(mod_auth_openidc, sticky balancer) to two Voilà processes on one database.

The database is PostgreSQL when HELSETILBUD_TEST_PG_URL is set (as in `make test`), else a
SQLite file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from deploy.stack import APACHE, Stack, full_stack, login
from helsetilbud.db import make_engine, make_session_factory
from helsetilbud.model import InfoText, Office
from tests.builders import SmallCountry
from tests.e2e.voila_server import CHROMIUM, fill_small_db, kernel_pids

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler (apt chromium)"),
    pytest.mark.skipif(not APACHE.exists(), reason=f"{APACHE} mangler (apt apache2)"),
    pytest.mark.skipif(
        not Path("/usr/lib/apache2/modules/mod_auth_openidc.so").exists(),
        reason="mod_auth_openidc mangler (apt libapache2-mod-auth-openidc)",
    ),
]
C = SmallCountry()
LOAD = 120_000
EDITOR = "voila/render/rediger.ipynb"


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pg = os.environ.get("HELSETILBUD_TEST_PG_URL")
    if pg:
        admin = create_engine(pg, isolation_level="AUTOCOMMIT")
        name = f"stack_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(pg).set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('stack') / 'stack.sqlite'}"
    yield fill_small_db(url)
    if pg:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def stack(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    import deploy.stack as ds

    users = ds.provider_users(db_url)
    # Known to the provider (a valid login) but not to the database.
    users.append({"login": "ukjent", "name": "Ukjent Person", "role": "fastlege", "hpr": "5550555"})
    original = ds.provider_users
    ds.provider_users = lambda _url: users  # type: ignore[assignment]
    try:
        with full_stack(db_url, tmp_path_factory.mktemp("stack-run"), voilas=2) as s:
            yield s
    finally:
        ds.provider_users = original  # type: ignore[assignment]


@pytest.fixture
def logged_in(new_context, stack: Stack):  # type: ignore[no-untyped-def]
    def make(user: str, *, route: str | None = None, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        ctx = new_context(extra_http_headers=headers or {})
        if route:
            ctx.add_cookies([{"name": "HTROUTE", "value": f".{route}", "url": stack.url}])
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        login(page, stack.url + EDITOR, user)
        page.locator(".ht-app").wait_for(timeout=LOAD)
        return page

    return make


def _text(page, area: str):  # type: ignore[no-untyped-def]
    return page.locator(f".ht-text-{area} textarea")


def _stored(db_url: str, her_id: str, area: str) -> str:
    engine = make_engine(db_url)
    with make_session_factory(engine)() as s:
        office = s.scalar(select(Office).where(Office.her_id == her_id))
        value = s.scalar(select(InfoText.text).filter_by(office_id=office.id, area=area))
    engine.dispose()
    return value


def test_an_unauthenticated_visit_is_sent_to_the_login_page(browser, stack: Stack):
    ctx = browser.new_context(locale="nb-NO")
    page = ctx.new_page()
    page.goto(stack.url + EDITOR)
    page.get_by_label("Brukernavn eller HPR-nummer").wait_for()
    assert page.url.startswith(stack.issuer)
    ctx.close()


def test_two_gps_of_two_offices_at_once_each_see_and_edit_only_their_own(logged_in, db_url):
    kari, per = logged_in(C.kari), logged_in(C.per)
    kari.locator(".ht-header", has_text="Kari Nordmann").wait_for()
    per.locator(".ht-header", has_text="Per Berg").wait_for()
    assert "Sentrum legesenter" in kari.locator(".ht-office").inner_text()
    assert "Fjordlegene" in per.locator(".ht-office").inner_text()
    assert kari.locator(".ht-office-picker").count() == 0
    _text(per, "timebestilling").fill("Per bestiller timer på telefon.")
    per.locator(".ht-save-timebestilling").click()
    per.locator(".ht-status-timebestilling", has_text="Lagret").wait_for()
    assert _stored(db_url, C.office_b, "timebestilling") == "Per bestiller timer på telefon."
    assert _stored(db_url, C.office_a, "timebestilling") == ""


def test_an_analyst_sees_read_only(logged_in):
    page = logged_in(C.analyst)
    page.locator(".ht-header", has_text="analytiker").wait_for()
    page.locator(".ht-office-picker select").select_option(
        label="Sentrum legesenter, HER-id 100001"
    )
    page.locator(".ht-read-only").wait_for()
    assert _text(page, "helsekontakt").is_disabled()
    assert page.locator("[class*='ht-save-']").count() == 0


def test_a_user_unknown_to_the_database_sees_ingen_tilgang(logged_in):
    page = logged_in("ukjent")
    notice = page.locator(".ht-no-access")
    notice.wait_for()
    assert "Ingen tilgang" in notice.inner_text()
    assert "Du er logget inn som «5550555»" in notice.inner_text()  # the HPR claim


def test_a_forged_identity_header_sent_to_the_proxy_is_ignored(logged_in):
    forged = {"X-Helsetilbud-User": C.admin, "X_Helsetilbud_User": C.admin}
    page = logged_in(C.per, headers=forged)
    page.locator(".ht-header", has_text="Per Berg").wait_for()
    assert "Forvalter" not in page.locator(".ht-header").inner_text()
    assert page.locator(".ht-office-picker").count() == 0


def test_two_gps_of_one_office_on_two_voila_processes_meet_the_conflict_notice(
    logged_in, stack: Stack
):
    v1, v2 = stack.backends
    before = {b.route: set(kernel_pids(b.proc.pid)) for b in stack.backends}
    kari = logged_in(C.kari, route="v1")
    ola = logged_in(C.ola, route="v2")
    assert set(kernel_pids(v1.proc.pid)) - before["v1"], "Kari skulle hatt en kjerne på v1"
    assert set(kernel_pids(v2.proc.pid)) - before["v2"], "Ola skulle hatt en kjerne på v2"
    _text(kari, "kontakt_legekontoret").fill("Karis beskjed via v1")
    _text(ola, "kontakt_legekontoret").fill("Olas beskjed via v2")
    kari.locator(".ht-save-kontakt_legekontoret").click()
    kari.locator(".ht-status-kontakt_legekontoret", has_text="Lagret").wait_for()
    ola.locator(".ht-save-kontakt_legekontoret").click()
    conflict = ola.locator(".ht-conflict-kontakt_legekontoret")
    conflict.get_by_text("Karis beskjed via v1").wait_for()
    assert "Kari Nordmann" in conflict.inner_text()
    assert " kl. " in conflict.inner_text()
    assert _text(ola, "kontakt_legekontoret").input_value() == "Olas beskjed via v2"
