"""Accessibility checks on a rendered page, shared by the browser tests.

axe-core (bundled by axe-playwright-python) for WCAG 2.0/2.1 A and AA, and the checks axe
cannot make: names in Chromium's accessibility tree, sideways scrolling and clipped controls,
and the contrast of the focus ring.
"""

from __future__ import annotations

from typing import Any

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")


def axe_findings(page: Any) -> list[str]:
    """Every critical or serious axe-core finding on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    response = Axe().run(page, options=options).response
    return [
        f"{v['impact']} {v['id']}: {node['target']} – {node.get('failureSummary', '')[:200]}"
        for v in response["violations"]
        if v["impact"] in BLOCKING
        for node in v["nodes"]
    ]


def unnamed_focusables(page: Any) -> list[str]:
    """Focusable nodes in Chromium's accessibility tree whose name is empty."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    found = []
    for node in nodes:
        if node.get("ignored"):
            continue
        props = {p["name"]: p.get("value", {}).get("value") for p in node.get("properties", [])}
        role = node.get("role", {}).get("value", "")
        if not props.get("focusable") or role in ("RootWebArea", "WebArea"):
            continue
        if not str(node.get("name", {}).get("value", "")).strip():
            found.append(f"{role} {_where(page, node.get('backendDOMNodeId'))}")
    return found


def _where(page: Any, backend_id: int | None) -> str:
    """The nameless element's tag and the classes of its nearest ancestors, to find it."""
    cdp = page.context.new_cdp_session(page)
    try:
        remote = cdp.send("DOM.resolveNode", {"backendNodeId": backend_id})["object"]
        described = cdp.send(
            "Runtime.callFunctionOn",
            {
                "objectId": remote["objectId"],
                "functionDeclaration": "function () { const a = []; for (let n = this; n && "
                "a.length < 4; n = n.parentElement) a.push(n.tagName + '.' + "
                "String(n.className).split(' ').filter(c => c.startsWith('ht-') || "
                "c.startsWith('hn-') || c.startsWith('widget-')).join('.')); "
                "return a.join(' < '); }",
                "returnByValue": True,
            },
        )
        return str(described["result"].get("value"))
    except Exception:  # noqa: BLE001 - only a description for the failure message
        return f"(backendDOMNodeId {backend_id})"
    finally:
        cdp.detach()


SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width + 1) {
    out.push('siden er ' + document.documentElement.scrollWidth + ' px bred');
  }
  const controls = 'button, input, select, textarea, a[href], [role=tab]';
  for (const el of document.querySelectorAll(controls)) {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
    if (r.left < -1 || r.right > width + 1) {
      out.push((el.textContent || el.getAttribute('aria-label') || el.tagName).trim().slice(0, 40)
        + ' går fra ' + Math.round(r.left) + ' til ' + Math.round(r.right));
    }
  }
  return out;
}"""


def sideways(page: Any) -> list[str]:
    """What scrolls sideways or sticks out of the viewport (WCAG 1.4.10 reflow)."""
    return list(page.evaluate(SIDEWAYS))


FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  let bg = null;
  for (let n = el.parentElement; n && !bg; n = n.parentElement) {
    const c = parse(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) bg = c.slice(0, 3);
  }
  bg = bg || [255, 255, 255];
  const width = parseFloat(s.outlineWidth) || 0;
  const ring = parse(s.outlineColor).slice(0, 3);
  const [a, b] = [lum(ring), lum(bg)].sort((x, y) => y - x);
  return {tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 30),
          style: s.outlineStyle, width, contrast: (a + 0.05) / (b + 0.05)};
}"""


def focus_ring(page: Any) -> dict[str, Any] | None:
    """The focused element's outline: style, width in px and contrast against its background."""
    return page.evaluate(FOCUS_RING)  # type: ignore[no-any-return]


def ring_is_visible(ring: dict[str, Any] | None) -> bool:
    """A focus ring of at least 2 px with at least 3:1 contrast (WCAG 1.4.11 and 2.4.7)."""
    return bool(ring and ring["style"] != "none" and ring["width"] >= 2 and ring["contrast"] >= 3)
