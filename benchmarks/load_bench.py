"""Many users at once through the whole stack (PostgreSQL, OpenID Connect provider, Apache with
mod_auth_openidc, several Voilà processes), run by hand:

    .venv/bin/python benchmarks/load_bench.py --users 20
    .venv/bin/python benchmarks/load_bench.py --users 40 --ramp 60 --json /tmp/last.json

N users, each a different GP or staff login (a different office where possible), log in, then
open the editor at once (or spread evenly over --ramp seconds) and save the text «Kontakt
legekontoret» --saves times. Printed, in Norwegian: time until the editor can be typed into
(p50/p95), time from LAGRE until «Lagret» (p50/p95), blank pages, «Siden ble ikke ferdig
lastet», timeouts, saves missing from the database afterwards, kernels left 60 s after the
tabs close, and RSS per kernel and per Voilà process (sampled while every tab is open).

The same figures follow for a one-widget notebook under the same load, behind the same proxy,
with the same number of Voilà processes started the same way (`helsetilbud serve`). That
notebook is called rediger.ipynb in its own folder, so --preheat applies to it as well. By
default each Voilà process keeps enough preheated kernels for the users it gets (N / --voila,
rounded up), as a service sized for its Monday morning would; `--preheat 0` starts a kernel
per page view.

Ready time runs from `page.goto` (the user has already logged in) until the page's own clock
sees the first textarea editable (a MutationObserver installed before the page loads, so the
figure does not depend on how often the benchmark polls). Save time runs from the click on
LAGRE until the status shows «Lagret» (after «Skriv over med min tekst» on a conflict, which
is counted separately).

`--rounds R` runs the two one after the other R times, so each pair sees the machine as it is
then (a shared host can be slower in one round than in the next); it prints each round's
table and the ratio per round.

The simulated users' browser is Debian's chromium-headless-shell by default: Chromium without
the browser's own window, whose tab strip keeps drawing a loading indicator for every tab that
is still loading (about 0.05 CPU-s per second per tab, on the server's cores here; a real
user's browser spends that on the user's machine). `--browser chromium` measures with the full
browser instead. A user's typing and clicks reach the page as DOM events by default (the
field's value and its input event, the button's click()): the kernel gets the same messages,
and the simulated users do not spend Playwright's actionability checks (about 0.3 CPU-s per
fill and click under load) on the cores the server runs on. `--input playwright` uses
Playwright's fill and click (docs/decisions/0019-load-bench-client.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import deploy.stack as ds  # noqa: E402
from tests.e2e.voila_server import (  # noqa: E402
    CHROMIUM,
    HEADLESS_SHELL,
    kernel_pids,
    launch_chromium,
)

EDITOR = "voila/render/rediger.ipynb"
AREA = "kontakt_legekontoret"
KERNELS_GONE_AFTER = 60.0  # s after the tabs close
TARGET_RATIO = 1.5
LOGIN_CONCURRENCY = 4
BROWSERS = {"shell": HEADLESS_SHELL, "chromium": CHROMIUM}
DASHBOARD_READY = ".ht-app .ht-text-reseptfornyelse textarea"
BASELINE_READY = ".ht-ready textarea"
BASELINE_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "id": "tekstboks",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": [
                "import ipywidgets as w\n",
                't = w.Textarea(description="Tekst")\n',
                't.add_class("ht-ready")\n',
                "t",
            ],
        }
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}

# Installed in every document before its own scripts: notes, on the page's clock, when the
# ready textarea first is shown on the page and editable (or «Ingen tilgang» shows), and when
# #ht-stalled appears. Whether the textarea is shown (has a box) comes from a ResizeObserver,
# which the browser answers when it lays the page out anyway: asking for its layout (offsetParent)
# after each change would make the browser lay the half-built page out again and again, a cost
# of the measurement, not of the page (docs/decisions/0025-no-mathjax.md).
READY_WATCH = """(() => {
  const READY = %s;
  let settle;
  window.__htReady = new Promise((resolve) => { settle = resolve; });
  let target = null;
  let shown = false;
  const finish = (kind, at) => {
    window.__htDone = kind; window.__htAt = at; settle();
    changes.disconnect(); sight.disconnect();
  };
  const check = () => {
    const now = performance.now();
    if (!window.__htStalledAt && document.getElementById("ht-stalled")) {
      window.__htStalledAt = now;
    }
    if (window.__htDone) { return; }
    if (document.querySelector(".ht-no-access")) { finish("ingen_tilgang", now); return; }
    const el = document.querySelector(READY);
    if (el !== target) {
      if (target) { sight.unobserve(target); }
      target = el; shown = false;
      if (el) { sight.observe(el); }
      return;
    }
    if (el && shown && !el.disabled && !el.readOnly) { finish("klar", now); }
  };
  const sight = new ResizeObserver((entries) => {  // a box of its own: shown, as offsetParent
    for (const e of entries) {
      if (e.target === target) {
        shown = e.contentRect.width > 0 && e.contentRect.height > 0;
        if (shown) { check(); }
      }
    }
  });
  const changes = new MutationObserver(() => { check(); });
  changes.observe(document, {childList: true, subtree: true, attributes: true,
                             attributeFilter: ["disabled", "readonly", "class", "style"]});
  check();
})();"""

# Resolves window.__htSave with the first of: «Lagret» in the status, a conflict box, an error.
SAVE_WATCH = """([slug, ignoreConflict]) => {
  window.__htSave = new Promise((resolve) => {
    const check = () => {
      const c = document.querySelector(".ht-conflict-" + slug);
      if (!ignoreConflict && c && c.textContent.trim()) { return "konflikt"; }
      const s = document.querySelector(".ht-status-" + slug);
      const t = s ? s.textContent.trim() : "";
      if (t.includes("Lagret")) { return "lagret"; }
      if (t.includes("endret etter at den ble lagret")) { return null; }  // the previous save
      if (t) { return "feil: " + t; }
      return null;
    };
    let obs = null;
    const done = (kind) => {
      if (obs) { obs.disconnect(); }
      resolve({kind: kind, at: performance.timeOrigin + performance.now()});
    };
    const first = check();
    if (first) { done(first); return; }
    obs = new MutationObserver(() => { const k = check(); if (k) { done(k); } });
    obs.observe(document.body, {childList: true, subtree: true, characterData: true});
  });
}"""

# The page's own promises, resolved by a MutationObserver: the simulated users wait without
# polling the page (each poll is a round trip through Playwright on the server's cores).
WHEN = """(arg) => new Promise((resolve) => {
  const ok = %s;
  if (ok(arg)) { resolve(true); return; }
  const obs = new MutationObserver(() => { if (ok(arg)) { obs.disconnect(); resolve(true); } });
  obs.observe(document, {childList: true, subtree: true, characterData: true, attributes: true,
                         attributeFilter: ["disabled", "class"]});
})"""
FOUND = "(sel) => !!document.querySelector(sel)"
DOM_ENTER = """([sel, text]) => {
  const box = document.querySelector(sel);
  box.focus();
  box.value = text;
  box.dispatchEvent(new Event("input", {bubbles: true}));
}"""

SAVE_ARMED = """(slug) => {
  const b = document.querySelector(".ht-save-" + slug);
  const s = document.querySelector(".ht-status-" + slug);
  return !!b && !b.disabled && !!s && !s.textContent.includes("Lagret");
}"""


@dataclass(frozen=True)
class LoadUser:
    username: str  # typed at the provider: the HPR number for a GP
    login: str
    role: str
    office_id: int
    her_id: str


@dataclass
class UserResult:
    username: str
    role: str
    office_id: int
    route: str = ""
    outcome: str = "ikke_startet"  # klar, ingen_tilgang, stanset, blank, tidsavbrudd, feil
    ready_s: float | None = None
    stalled: bool = False
    save_s: list[float] = field(default_factory=list)
    conflicts: int = 0
    save_errors: int = 0
    save_timeouts: int = 0
    attempted: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    lost: bool = False
    error: str = ""


@dataclass
class PhaseResult:
    name: str
    users: list[UserResult] = field(default_factory=list)
    login_failures: int = 0
    kernels_open: dict[str, int] = field(default_factory=dict)
    kernel_rss_kib: list[int] = field(default_factory=list)
    kernel_cpu_s: list[float] = field(default_factory=list)
    server_cpu_s: dict[str, float] = field(default_factory=dict)
    load_cpu_s: dict[str, float] = field(default_factory=dict)  # used during the load
    server_rss_kib: dict[str, int] = field(default_factory=dict)
    apache_rss_kib: int = 0
    provider_rss_kib: int = 0
    kernels_left: dict[str, int] = field(default_factory=dict)
    kernels_left_raw: dict[str, int] = field(default_factory=dict)
    lost_saves: int | None = None
    wall_s: float = 0.0
    pace_ms: list[float] = field(default_factory=list)  # before and after the load
    host_s: dict[str, float] = field(default_factory=dict)  # the whole machine, during the load


# --- users ------------------------------------------------------------------------------------


def pick_users(db_url: str, n: int) -> list[LoadUser]:
    """About one in four delegated staff (with exactly one office), the rest GPs; a different
    office each as long as there are enough."""
    from sqlalchemy import select

    from helsetilbud.access import Identity, editable_offices
    from helsetilbud.db import make_engine, make_session_factory
    from helsetilbud.model import Gp, Office, User

    engine = make_engine(db_url)
    with make_session_factory(engine)() as s:
        gps = [
            LoadUser(u.hpr, u.login, u.role, office_id, her_id)
            for u, office_id, her_id in s.execute(
                select(User, Gp.office_id, Office.her_id)
                .join(Gp, Gp.hpr == User.hpr)
                .join(Office, Office.id == Gp.office_id)
                .where(User.role == "fastlege", User.active.is_(True), User.hpr.is_not(None))
                .order_by(User.id)
            )
        ]
        staff: list[LoadUser] = []
        for u in s.scalars(
            select(User).where(User.role == "kontorstab", User.active.is_(True)).order_by(User.id)
        ):
            offices = editable_offices(s, Identity(u.login, u.display_name, u.role, u.hpr))
            if len(offices) == 1:
                staff.append(LoadUser(u.login, u.login, u.role, offices[0].id, offices[0].her_id))
            if len(staff) >= n:
                break
    engine.dispose()
    pools = {"kontorstab": staff, "fastlege": gps}
    chosen: list[LoadUser] = []
    taken: set[int] = set()
    used: set[str] = set()
    for i in range(n):
        order = ["kontorstab", "fastlege"] if i % 4 == 3 else ["fastlege", "kontorstab"]
        pick = None
        for distinct in (True, False):  # share offices only when there are too few
            candidates = (
                u
                for role in order
                for u in pools[role]
                if u.username not in used and not (distinct and u.office_id in taken)
            )
            pick = next(candidates, None)
            if pick is not None:
                break
        if pick is None:
            raise SystemExit(f"Fant bare {len(chosen)} fastleger og ansatte i databasen.")
        chosen.append(pick)
        taken.add(pick.office_id)
        used.add(pick.username)
    return chosen


# --- processes --------------------------------------------------------------------------------


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_s(pid: int) -> float:
    """User + system CPU seconds the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pids_with(*needles: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if all(n in cmdline for n in needles):
            found.append(int(entry.name))
    return found


def machine_pace_ms(repeats: int = 5) -> float:
    """Milliseconds for a fixed sum in Python, median of `repeats`: how fast this machine is
    right now. A host shared with other machines can be slower in one run than in the next;
    a load near the limit makes a small difference in speed a large one in waiting."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        sum(i * i for i in range(300_000))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def host_ticks() -> dict[str, int]:
    """The machine's CPU time so far (/proc/stat, in ticks): busy, idle, and stolen by the
    hypervisor for other guests, the part of a slow run that is not this machine's doing."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return {
        "busy": user + nice + system + irq + softirq,
        "idle": idle + iowait,
        "steal": steal,
    }


def host_used(before: dict[str, int], after: dict[str, int]) -> dict[str, float]:
    """Seconds of each kind of CPU time between two `host_ticks`."""
    hz = os.sysconf("SC_CLK_TCK")
    return {k: (after[k] - before[k]) / hz for k in before}


def cpu_groups(stack: ds.Stack) -> dict[str, dict[int, float]]:
    """CPU seconds so far of each process, by part of the machine."""
    kernels = [pid for b in stack.backends for pid in kernel_pids(b.proc.pid)]
    browser = pids_with("chromium")
    pages = set(pids_with("chromium", "--type=renderer"))
    groups = {
        "chromium": browser,
        "  sidene (rendrerne)": sorted(pages),
        "  resten av nettleseren": [pid for pid in browser if pid not in pages],
        "kjerner": kernels,
        "voila": [b.proc.pid for b in stack.backends],
        "postgres": pids_with("postgres"),
        "apache": pids_with("apache2", str(stack.workdir / "apache" / "httpd.conf")),
        "leverandør": pids_with("provider.mjs", f"--port={stack.provider_port}"),
    }
    return {name: {pid: cpu_s(pid) for pid in pids} for name, pids in groups.items()}


def cpu_used(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict:
    return {
        name: sum(t - before.get(name, {}).get(pid, 0.0) for pid, t in now.items())
        for name, now in after.items()
    }


def kernel_counts(stack: ds.Stack) -> dict[str, int]:
    return {b.route: len(kernel_pids(b.proc.pid)) for b in stack.backends}


def wait_for_pool(stack: ds.Stack, preheat: int, timeout: float = 300.0) -> None:
    """Until every Voilà has its preheated kernels and they have run the notebook's first
    cells: the machine is quiet again (under a quarter of the CPU busy for 2 s)."""
    import psutil

    from helsetilbud.serving import busy_share

    deadline = time.monotonic() + timeout
    while preheat > 0 and time.monotonic() < deadline:
        if all(n >= preheat for n in kernel_counts(stack).values()):
            break
        time.sleep(1)
    while preheat > 0 and time.monotonic() < deadline:
        before = psutil.cpu_times()
        time.sleep(2)
        if busy_share(before, psutil.cpu_times()) < 0.25:
            return


# --- one user in the browser ------------------------------------------------------------------


async def log_in(page: Any, url: str, username: str) -> None:
    """deploy.stack.login, for Playwright's async API."""
    from urllib.parse import urlsplit

    await page.goto(url)
    await page.get_by_label("Brukernavn eller HPR-nummer").fill(username)
    await page.get_by_label("Passord").fill(ds.PASSWORD)
    proxy = urlsplit(url).netloc
    await page.get_by_role("button", name="Logg inn").click()
    await page.wait_for_url(
        lambda u: urlsplit(u).netloc == proxy and urlsplit(u).path != "/oidc/redirect"
    )


async def open_page(page: Any, url: str, timeout: float, r: UserResult) -> None:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    started = time.time()
    try:
        response = await page.goto(url, wait_until="commit", timeout=timeout * 1000)
    except PlaywrightTimeout:
        r.outcome = "tidsavbrudd"
        r.error = "siden svarte ikke"
        return
    except PlaywrightError as exc:
        r.outcome, r.error = "feil", str(exc).splitlines()[0]
        return
    if response is not None and response.status >= 400:
        r.outcome, r.error = "feil", f"HTTP {response.status}"
        return
    remaining = max(1.0, timeout - (time.time() - started))
    try:  # the page's own promise: no polling on the cores the server runs on
        await asyncio.wait_for(page.evaluate("() => window.__htReady"), remaining)
    except (TimeoutError, PlaywrightTimeout):
        pass
    except PlaywrightError as exc:
        r.outcome, r.error = "feil", str(exc).splitlines()[0]
        return
    info = await page.evaluate(
        """() => ({done: window.__htDone || null, at: window.__htAt || null,
                   origin: performance.timeOrigin, stalled: window.__htStalledAt || null,
                   state: document.readyState})"""
    )
    r.stalled = info["stalled"] is not None
    if info["done"] == "klar":
        r.outcome = "klar"
        r.ready_s = (info["origin"] + info["at"]) / 1000 - started
    elif info["done"] == "ingen_tilgang":
        r.outcome = "ingen_tilgang"
    elif r.stalled:
        r.outcome = "stanset"
    elif info["state"] == "complete":
        r.outcome = "blank"
    else:
        r.outcome = "tidsavbrudd"
        r.error = f"siden lastet fortsatt ({info['state']})"


async def until(page: Any, test: str, arg: Any, timeout: float) -> None:
    """Until the page function `test(arg)` is true, checked at every change of the page."""
    await asyncio.wait_for(page.evaluate(WHEN % test, arg), timeout)


async def until_found(page: Any, selector: str, timeout: float) -> None:
    await until(page, FOUND, selector, timeout)


async def enter(page: Any, selector: str, text: str, timeout: float, dom: bool) -> None:
    """Put `text` in the field, as Playwright's fill does, or (dom) by setting its value and
    sending the input event the widget listens to: the same message to the kernel, without
    Playwright's checks for a stable, visible, unobscured element."""
    if not dom:
        await page.locator(selector).fill(text, timeout=timeout * 1000)
        return
    await until_found(page, selector, timeout)
    await page.evaluate(DOM_ENTER, [selector, text])


async def press(page: Any, selector: str, timeout: float, dom: bool) -> None:
    """Click the button with Playwright, or (dom) with the element's own click()."""
    if not dom:
        await page.locator(selector).click(timeout=timeout * 1000)
        return
    await until_found(page, selector, timeout)
    await page.evaluate("(sel) => document.querySelector(sel).click()", selector)


async def save_once(page: Any, text: str, timeout: float, r: UserResult, dom: bool) -> None:
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    r.attempted.append(text)
    try:
        await enter(page, f".ht-text-{AREA} textarea", text, timeout, dom)
        await until(page, SAVE_ARMED, AREA, timeout)
        await page.evaluate(SAVE_WATCH, [AREA, False])
        clicked = time.time()
        await press(page, f".ht-save-{AREA}", timeout, dom)
        result = await asyncio.wait_for(page.evaluate("() => window.__htSave"), timeout)
        if result["kind"] == "konflikt":
            r.conflicts += 1
            await page.evaluate(SAVE_WATCH, [AREA, True])
            await press(page, f".ht-overwrite-{AREA}", timeout, dom)
            result = await asyncio.wait_for(page.evaluate("() => window.__htSave"), timeout)
    except (TimeoutError, PlaywrightTimeout):
        r.save_timeouts += 1
        return
    except Exception as exc:  # a Playwright error: count it, keep the run going
        r.save_errors += 1
        r.error = r.error or str(exc).splitlines()[0]
        return
    if result["kind"] == "lagret":
        r.save_s.append(result["at"] / 1000 - clicked)
        r.confirmed.append(text)
    else:
        r.save_errors += 1
        r.error = r.error or result["kind"]


async def type_once(page: Any, text: str, timeout: float, r: UserResult, dom: bool) -> None:
    """The baseline's «save»: type into its textarea (nothing is stored)."""
    try:
        await enter(page, BASELINE_READY, text, timeout, dom)
    except Exception as exc:
        r.save_errors += 1
        r.error = r.error or str(exc).splitlines()[0]


def run_tag() -> str:
    """Eight letters that tell this run's texts from earlier runs'. A user's text is the tag,
    the user's number and the save's: no run of digits, which the text rules would read as a
    phone number and warn about at every save (a GP's HPR number has eight digits)."""
    return uuid.uuid4().hex[:8].translate(str.maketrans("0123456789", "ghijklmnop"))


async def drive(
    page: Any, url: str, start_at: float, args: argparse.Namespace, r: UserResult, tag: str
) -> None:
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    await open_page(page, url, args.timeout, r)
    if r.outcome != "klar":
        return
    dom = args.input == "dom"
    for k in range(args.saves):
        text = f"Belastningstest {tag}, lagring {k + 1}."
        if r.role == "tekstboks":
            await type_once(page, text, args.save_timeout, r, dom)
        else:
            await save_once(page, text, args.save_timeout, r, dom)


# --- one phase --------------------------------------------------------------------------------


def sample_rss(stack: ds.Stack, phase: PhaseResult) -> None:
    for b in stack.backends:
        kernels = kernel_pids(b.proc.pid)
        phase.kernels_open[b.route] = len(kernels)
        phase.kernel_rss_kib += [rss_kib(pid) for pid in kernels]
        phase.server_rss_kib[b.route] = rss_kib(b.proc.pid)
        phase.kernel_cpu_s += [cpu_s(pid) for pid in kernels]
        phase.server_cpu_s[b.route] = cpu_s(b.proc.pid)
    conf = str(stack.workdir / "apache" / "httpd.conf")
    phase.apache_rss_kib = sum(rss_kib(p) for p in pids_with("apache2", conf))
    phase.provider_rss_kib = sum(
        rss_kib(p) for p in pids_with("provider.mjs", f"--port={stack.provider_port}")
    )


async def run_browsers(
    stack: ds.Stack, users: list[LoadUser], phase: PhaseResult, args: argparse.Namespace
) -> float:
    """Log everyone in, then the load; samples RSS with every tab open. Returns the monotonic
    time when the last tab closed."""
    from playwright.async_api import async_playwright

    baseline = phase.name == "tekstboks"
    watch = READY_WATCH % json.dumps(BASELINE_READY if baseline else DASHBOARD_READY)
    tag = f"{phase.name} {run_tag()}"
    async with async_playwright() as p:
        browser = await launch_chromium(p, BROWSERS[args.browser])
        contexts: list[Any] = []
        try:
            gate = asyncio.Semaphore(LOGIN_CONCURRENCY)

            async def prepare(i: int, u: LoadUser) -> tuple[Any, UserResult] | None:
                async with gate:
                    ctx = await browser.new_context(
                        locale="nb-NO", viewport={"width": 1400, "height": 1000}
                    )
                    contexts.append(ctx)
                    if not args.apache_routes:  # users spread evenly over the Voilà processes
                        route = stack.backends[i % len(stack.backends)].route
                        await ctx.add_cookies(
                            [{"name": "HTROUTE", "value": f".{route}", "url": stack.url}]
                        )
                    await ctx.add_init_script(watch)
                    page = await ctx.new_page()
                    page.set_default_timeout(60_000)
                    try:
                        await log_in(page, stack.url, u.username)
                    except Exception as exc:
                        print(f"  innlogging feilet for {u.username}: {exc}", file=sys.stderr)
                        return None
                    cookies = await ctx.cookies(stack.url)
                    route = next((c["value"] for c in cookies if c["name"] == "HTROUTE"), "")
                    role = "tekstboks" if baseline else u.role
                    return page, UserResult(u.username, role, u.office_id, route.lstrip("."))

            prepared = await asyncio.wait_for(
                asyncio.gather(*(prepare(i, u) for i, u in enumerate(users))),
                timeout=60 + 10 * len(users),
            )
            ready = [x for x in prepared if x is not None]
            phase.login_failures = len(users) - len(ready)
            phase.users = [r for _, r in ready]
            print(f"  {len(ready)} innlogget; starter belastningen …", file=sys.stderr)
            start = time.monotonic() + 1.0
            cpu_before = cpu_groups(stack)
            n = max(len(ready), 1)
            url = stack.url + EDITOR
            tasks = [
                asyncio.create_task(
                    drive(page, url, start + i * args.ramp / n, args, r, f"{tag}, bruker {i + 1}")
                )
                for i, (page, r) in enumerate(ready)
            ]
            budget = args.ramp + args.timeout + args.saves * 2 * args.save_timeout + 60
            _done, pending = await asyncio.wait(tasks, timeout=budget)
            for t in pending:
                t.cancel()
            for _page, r in ready:
                if r.outcome == "ikke_startet":
                    r.outcome = "tidsavbrudd"
            phase.wall_s = time.monotonic() - start
            sample_rss(stack, phase)
            phase.load_cpu_s = cpu_used(cpu_before, cpu_groups(stack))
        finally:
            for ctx in contexts:
                with contextlib.suppress(Exception):  # a stuck one goes with the browser
                    await asyncio.wait_for(ctx.close(), 30)
            await browser.close()
    return time.monotonic()


def check_saved(db_url: str, phase: PhaseResult) -> None:
    """A user's last confirmed save must be in the database, unless a later attempt of theirs
    (or, on a shared office, another user's) replaced it."""
    from sqlalchemy import select

    from helsetilbud.db import make_engine, make_session_factory
    from helsetilbud.model import InfoText

    engine = make_engine(db_url)
    with make_session_factory(engine)() as s:
        stored = {
            office_id: text
            for office_id, text in s.execute(
                select(InfoText.office_id, InfoText.text).where(InfoText.area == AREA)
            )
        }
    engine.dispose()
    by_office: dict[int, set[str]] = {}
    for r in phase.users:
        by_office.setdefault(r.office_id, set()).update(r.attempted)
    lost = 0
    for r in phase.users:
        if not r.confirmed:
            continue
        text = stored.get(r.office_id)
        last = r.confirmed[-1]
        later = set(r.attempted[r.attempted.index(last) :])
        shared = by_office[r.office_id] - set(r.attempted)
        if text not in later | shared:
            r.lost = True
            lost += 1
    phase.lost_saves = lost


def run_phase(
    name: str,
    db_url: str,
    users: list[LoadUser],
    args: argparse.Namespace,
    workdir: Path,
    notebooks: Path | None,
) -> PhaseResult:
    phase = PhaseResult(name)
    print(
        f"{name}: starter {args.voila} Voilà-prosesser, leverandøren og Apache …", file=sys.stderr
    )
    with ds.full_stack(
        db_url, workdir / name, voilas=args.voila, preheat=args.preheat, notebooks=notebooks
    ) as stack:
        wait_for_pool(stack, args.preheat)
        phase.pace_ms.append(machine_pace_ms())
        ticks = host_ticks()
        closed = asyncio.run(run_browsers(stack, users, phase, args))
        phase.host_s = host_used(ticks, host_ticks())
        phase.pace_ms.append(machine_pace_ms())
        if name == "dashbord":
            check_saved(db_url, phase)
        wait = KERNELS_GONE_AFTER - (time.monotonic() - closed)
        print(
            f"  fanene er lukket; venter {wait:.0f} s på at kjernene avsluttes …", file=sys.stderr
        )
        time.sleep(max(0.0, wait))
        phase.kernels_left_raw = kernel_counts(stack)
        phase.kernels_left = {
            k: max(0, v - args.preheat) for k, v in phase.kernels_left_raw.items()
        }
    return phase


# --- figures ----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def num(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}".replace(".", ",")


def mib(kib: float | None) -> str:
    return "–" if kib is None else num(kib / 1024, 0)


def summary(phase: PhaseResult) -> dict[str, Any]:
    rs = phase.users
    ready = [r.ready_s for r in rs if r.ready_s is not None]
    saves = [s for r in rs for s in r.save_s]
    count = lambda outcome: sum(r.outcome == outcome for r in rs)  # noqa: E731
    return {
        "users": len(rs) + phase.login_failures,
        "ready": len(ready),
        "ready_p50_s": percentile(ready, 0.5),
        "ready_p95_s": percentile(ready, 0.95),
        "ready_max_s": max(ready) if ready else None,
        "ready_s_in_arrival_order": [r.ready_s for r in rs],
        "save_p50_s": percentile(saves, 0.5),
        "save_p95_s": percentile(saves, 0.95),
        "saves_confirmed": len(saves),
        "blank": count("blank"),
        "stalled": sum(r.stalled for r in rs),
        "stalled_never_ready": count("stanset"),
        "timeouts": count("tidsavbrudd"),
        "no_access": count("ingen_tilgang"),
        "other_errors": count("feil") + phase.login_failures,
        "save_errors": sum(r.save_errors for r in rs),
        "save_timeouts": sum(r.save_timeouts for r in rs),
        "conflicts": sum(r.conflicts for r in rs),
        "lost_saves": phase.lost_saves,
        "kernels_open": phase.kernels_open,
        "kernels_left": phase.kernels_left,
        "kernels_left_raw": phase.kernels_left_raw,
        "kernel_rss_median_kib": statistics.median(phase.kernel_rss_kib)
        if phase.kernel_rss_kib
        else None,
        "kernel_rss_max_kib": max(phase.kernel_rss_kib) if phase.kernel_rss_kib else None,
        "server_rss_kib": phase.server_rss_kib,
        "kernel_cpu_median_s": statistics.median(phase.kernel_cpu_s)
        if phase.kernel_cpu_s
        else None,
        "server_cpu_s": phase.server_cpu_s,
        "load_cpu_s": phase.load_cpu_s,
        "apache_rss_kib": phase.apache_rss_kib,
        "provider_rss_kib": phase.provider_rss_kib,
        "users_per_route": {
            route: sum(r.route == route for r in rs) for route in sorted({r.route for r in rs})
        },
        "wall_s": phase.wall_s,
        "pace_ms": phase.pace_ms,
        "host_s": phase.host_s,
    }


def ratio_of(d: dict, b: dict) -> float | None:
    """Ready p95 of the dashboard over that of the one-textarea notebook."""
    if d["ready_p95_s"] is None or not b["ready_p95_s"]:
        return None
    return d["ready_p95_s"] / b["ready_p95_s"]


def meets_target(ratio: float) -> bool:
    """Issue 10: ready p95 at most 1.5 × the one-textarea notebook's (as printed, 2 decimals)."""
    return round(ratio, 2) <= TARGET_RATIO


def table(args: argparse.Namespace, db_kind: str, users: list[LoadUser], d: dict, b: dict) -> str:
    def pair(s: dict, a: str, c: str, unit: str = " s") -> str:
        return "–" if s[a] is None else f"{num(s[a])} / {num(s[c])}{unit}"

    def per_route(values: dict[str, int]) -> str:
        total = sum(values.values())
        return f"{total} ({' + '.join(str(v) for _, v in sorted(values.items()))})"

    def rss_pair(s: dict) -> str:
        if s["kernel_rss_median_kib"] is None:
            return "–"
        return f"{mib(s['kernel_rss_median_kib'])} / {mib(s['kernel_rss_max_kib'])} MiB"

    def servers(s: dict) -> str:
        return " / ".join(mib(v) for _, v in sorted(s["server_rss_kib"].items())) + " MiB"

    def cpus(s: dict) -> str:
        return " / ".join(num(v, 1) for _, v in sorted(s["server_cpu_s"].items())) + " s"

    def host_pair(s: dict) -> str:
        h = s.get("host_s") or {}
        return f"{num(h.get('busy'), 0)} / {num(h.get('idle'), 0)} s" if h else "–"

    def stolen(s: dict) -> str:
        h = s.get("host_s") or {}
        return num(h.get("steal"), 1) + " s" if h else "–"

    gps = sum(u.role == "fastlege" for u in users)
    offices = len({u.office_id for u in users})
    at_once = "samtidig" if args.ramp == 0 else f"spredt over {args.ramp:g} s"
    rows: list[tuple[str, str, str]] = [
        (
            "klar p50 / p95",
            pair(d, "ready_p50_s", "ready_p95_s"),
            pair(b, "ready_p50_s", "ready_p95_s"),
        ),
        ("klar maks", num(d["ready_max_s"]) + " s", num(b["ready_max_s"]) + " s"),
        ("lagring p50 / p95", pair(d, "save_p50_s", "save_p95_s"), "–"),
        ("sider klare", f"{d['ready']} av {d['users']}", f"{b['ready']} av {b['users']}"),
        ("blanke sider", str(d["blank"]), str(b["blank"])),
        ("«Siden ble ikke ferdig lastet»", str(d["stalled"]), str(b["stalled"])),
        ("  … og kom aldri", str(d["stalled_never_ready"]), str(b["stalled_never_ready"])),
        ("tidsavbrudd (side)", str(d["timeouts"]), str(b["timeouts"])),
        (
            "ingen tilgang / andre feil",
            f"{d['no_access']} / {d['other_errors']}",
            f"{b['no_access']} / {b['other_errors']}",
        ),
        ("lagringer bekreftet", f"{d['saves_confirmed']} av {d['users'] * args.saves}", "–"),
        (
            "lagring feil / tidsavbrudd",
            f"{d['save_errors']} / {d['save_timeouts']}",
            f"{b['save_errors']} / –",
        ),
        ("konflikter (skrev over)", str(d["conflicts"]), "–"),
        ("tapte lagringer (ikke i databasen)", num(d["lost_saves"], 0), "–"),
        (
            "brukere per Voilà-prosess",
            per_route(d["users_per_route"]),
            per_route(b["users_per_route"]),
        ),
        (
            "kjerner mens fanene var åpne",
            per_route(d["kernels_open"]),
            per_route(b["kernels_open"]),
        ),
        (
            f"kjerner igjen {KERNELS_GONE_AFTER:g} s etter lukking",
            per_route(d["kernels_left"]),
            per_route(b["kernels_left"]),
        ),
        ("RSS per kjerne (median / maks)", rss_pair(d), rss_pair(b)),
        ("RSS per Voilà-prosess", servers(d), servers(b)),
        (
            "CPU-tid per kjerne (median)",
            num(d["kernel_cpu_median_s"], 1) + " s",
            num(b["kernel_cpu_median_s"], 1) + " s",
        ),
        ("CPU-tid per Voilà-prosess", cpus(d), cpus(b)),
        ("CPU-tid under belastningen:", "", ""),
        *[
            (
                f"  {name}",
                num(d["load_cpu_s"].get(name), 0) + " s",
                num(b["load_cpu_s"].get(name), 0) + " s",
            )
            for name in (
                "chromium",
                "  sidene (rendrerne)",
                "  resten av nettleseren",
                "kjerner",
                "voila",
                "postgres",
                "apache",
                "leverandør",
            )
        ],
        (
            "  varighet (start til alle ferdige)",
            num(d["wall_s"], 0) + " s",
            num(b["wall_s"], 0) + " s",
        ),
        (
            "maskinens tempo før / etter",
            " / ".join(num(v, 0) for v in d["pace_ms"]) + " ms",
            " / ".join(num(v, 0) for v in b["pace_ms"]) + " ms",
        ),
        ("hele maskinen i bruk / ledig", host_pair(d), host_pair(b)),
        ("  stjålet av verten (hypervisor)", stolen(d), stolen(b)),
        (
            "RSS Apache / OIDC-leverandør",
            f"{mib(d['apache_rss_kib'])} / {mib(d['provider_rss_kib'])} MiB",
            f"{mib(b['apache_rss_kib'])} / {mib(b['provider_rss_kib'])} MiB",
        ),
    ]
    lines = [
        f"Belastning: {len(users)} brukere {at_once}, {args.saves} lagringer hver, "
        f"{args.voila} Voilà-prosesser, {db_kind}"
        + (", Apache velger prosess" if args.apache_routes else "")
        + (f", {args.preheat} forvarmede kjerner per prosess" if args.preheat else ""),
        f"Brukere: {gps} fastleger og {len(users) - gps} kontoransatte, "
        f"{offices} ulike legekontorer, nettleser {BROWSERS[args.browser].name}, "
        f"skriving og klikk: {'DOM-hendelser' if args.input == 'dom' else 'Playwright'}",
        f"{'':36}{'dashbord':<24}én tekstboks",
    ]
    lines += [f"{label:<36}{a:<24}{c}" for label, a, c in rows]
    ratio = ratio_of(d, b)
    verdict = "" if ratio is None or meets_target(ratio) else "  OVER MÅLET"
    lines.append(f"forhold p95 klar (dashbord / én tekstboks): {num(ratio)}   (mål ≤ 1,5){verdict}")
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Mange brukere samtidig gjennom hele oppsettet, mot én tekstboks."
    )
    parser.add_argument("--users", type=int, required=True, help="antall brukere (N)")
    parser.add_argument("--ramp", type=float, default=0.0, help="spre starten over S sekunder")
    parser.add_argument("--saves", type=int, default=2, help="lagringer per bruker (2)")
    parser.add_argument("--voila", type=int, default=2, help="antall Voilà-prosesser (2)")
    parser.add_argument(
        "--preheat",
        type=int,
        help="forvarmede kjerner per Voilà (standard: nok til alle brukerne, N / antall Voilà)",
    )
    parser.add_argument(
        "--db", help="database-URL (standard: ny, midlertidig PostgreSQL); tekster blir skrevet!"
    )
    parser.add_argument(
        "--apache-routes",
        action="store_true",
        help="la Apaches lastbalansering velge Voilà-prosess (standard: brukerne fordeles likt)",
    )
    parser.add_argument(
        "--browser",
        choices=sorted(BROWSERS),
        default="shell",
        help="brukernes nettleser: chromium-headless-shell (standard) eller hele chromium",
    )
    parser.add_argument(
        "--input",
        choices=["dom", "playwright"],
        default="dom",
        help="skriving og klikk: DOM-hendelser (standard) eller Playwrights fill og click",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="kjør dashbord og tekstboks etter hverandre så mange ganger (1), så begge får "
        "maskinen slik den er i hver runde",
    )
    parser.add_argument("--json", type=Path, help="skriv tallene til denne JSON-filen")
    parser.add_argument("--workdir", type=Path, help="mappe for logger (standard: ny i /tmp)")
    parser.add_argument("--timeout", type=float, default=120.0, help="s til siden er klar (120)")
    parser.add_argument("--save-timeout", type=float, default=60.0, help="s per lagring (60)")
    parser.add_argument(
        "--max-minutes", type=float, default=40.0, help="hele kjøringen stopper etter (40)"
    )
    args = parser.parse_args(argv)
    browser = BROWSERS[args.browser]
    if not browser.exists() or not ds.APACHE.exists():
        print(
            f"Trenger {browser} og {ds.APACHE} "
            f"(bash scripts/ensure-system-packages.sh {browser.name} apache2)."
        )
        return 1
    if args.users < 1 or args.saves < 0 or args.voila < 1 or args.rounds < 1:
        parser.error("--users, --voila og --rounds må være minst 1, --saves minst 0")
    if args.preheat is None:  # a pool sized for the Monday morning being simulated
        args.preheat = -(-args.users // args.voila)
    if args.preheat < 0:
        parser.error("--preheat må være minst 0")

    def give_up(_signum: int, _frame: object) -> None:
        raise SystemExit(f"Kjøringen brukte mer enn {args.max_minutes:g} minutter; stopper.")

    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(int(args.max_minutes * 60))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="helsetilbud-load."))
    workdir.mkdir(parents=True, exist_ok=True)
    ds.ensure_oidc_node_modules()
    with ExitStack() as cleanup:
        if args.db:
            db_url = args.db
        else:
            print("Starter PostgreSQL …", file=sys.stderr)
            db_url = cleanup.enter_context(ds.throwaway_postgres(workdir))
        with contextlib.redirect_stdout(sys.stderr):
            ds.init_sample(db_url)
        users = pick_users(db_url, args.users)
        notebooks = workdir / "tekstboks-notatbok"
        notebooks.mkdir(exist_ok=True)
        (notebooks / "rediger.ipynb").write_text(json.dumps(BASELINE_NOTEBOOK), encoding="utf-8")
        rounds: list[tuple[PhaseResult, PhaseResult]] = []
        for k in range(args.rounds):
            logs = workdir if args.rounds == 1 else workdir / f"runde-{k + 1}"
            if args.rounds > 1:
                print(f"Runde {k + 1} av {args.rounds}", file=sys.stderr)
            rounds.append(
                (
                    run_phase("dashbord", db_url, users, args, logs, None),
                    run_phase("tekstboks", db_url, users, args, logs, notebooks),
                )
            )
        db_kind = "PostgreSQL" if db_url.startswith("postgresql") else db_url.split(":", 1)[0]
    signal.alarm(0)
    summaries = [(summary(dp), summary(bp)) for dp, bp in rounds]
    ratios = [ratio_of(d_, b_) for d_, b_ in summaries]
    for k, (d_, b_) in enumerate(summaries):
        if args.rounds > 1:
            print(f"\nRunde {k + 1} av {args.rounds}")
        print(table(args, db_kind, users, d_, b_))
    if args.rounds > 1:
        known = [r for r in ratios if r is not None]
        print(
            "\nforhold p95 per runde: "
            + ", ".join(num(r) for r in ratios)
            + (f"; median {num(statistics.median(known))}" if known else "")
            + f"; under målet i {sum(meets_target(r) for r in known)} av {len(ratios)}"
        )
    print(f"Logger: {workdir}", file=sys.stderr)
    dashboard, baseline = rounds[0]
    d, b = summaries[0]
    if args.json:
        figures = {
            "users": args.users,
            "ramp_s": args.ramp,
            "saves": args.saves,
            "voila": args.voila,
            "preheat": args.preheat,
            "browser": BROWSERS[args.browser].name,
            "input": args.input,
            "database": db_kind,
            "dashboard": d,
            "baseline": b,
            "ratio_ready_p95": ratios[0],
            "rounds": [
                {"dashboard": d_, "baseline": b_, "ratio_ready_p95": r}
                for (d_, b_), r in zip(summaries, ratios, strict=True)
            ],
            "per_user": {
                "dashboard": [asdict(r) for r in dashboard.users],
                "baseline": [asdict(r) for r in baseline.users],
            },
        }
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    failed = any(
        bool(s[k])
        for pair in summaries
        for s in pair
        for k in ("blank", "stalled", "timeouts", "other_errors")
    ) or any(bool(d_["lost_saves"]) for d_, _ in summaries)
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
