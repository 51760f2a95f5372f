"""Small HTML helpers: escaping, multi-line text, attributes and inline SVG icons."""

from __future__ import annotations

import html
from collections.abc import Iterator
from itertools import count


def esc(text: object) -> str:
    """Text as HTML: every `<`, `>`, `&` and quote escaped."""
    return html.escape(str(text), quote=True)


def lines(text: str) -> str:
    """Escaped text with its line breaks shown as `<br>`."""
    return "<br>".join(esc(line) for line in text.replace("\r\n", "\n").split("\n"))


def attrs(**values: object) -> str:
    """` key="value"` pairs; `data_testid` becomes `data-testid`; None and False are left out."""
    parts = []
    for key, value in values.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(f" {name}" if value is True else f' {name}="{esc(value)}"')
    return "".join(parts)


def tag(element: str, content: str = "", /, **values: object) -> str:
    """`<element ...>content</element>`; `content` must already be HTML."""
    return f"<{element}{attrs(**values)}>{content}</{element}>"


class Ids:
    """Element ids unique within one rendering ("hn-1", "hn-2", ...)."""

    def __init__(self, prefix: str = "hn") -> None:
        self._prefix = prefix
        self._counter: Iterator[int] = count(1)

    def next(self) -> str:
        return f"{self._prefix}-{next(self._counter)}"


def _svg(body: str, size: int = 24) -> str:
    return (
        f'<svg class="hn-icon" aria-hidden="true" width="{size}" height="{size}" '
        f'viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" '
        f'stroke-linecap="round" stroke-linejoin="round">{body}</svg>'
    )


ICONS = {
    "timebestilling": _svg(
        '<rect x="3.5" y="5" width="17" height="15" rx="1.5"/><path d="M3.5 10h17M8 3v4M16 3v4"/>'
        '<path d="M8 14h2M12 14h2M16 14h0.5M8 17h2M12 17h2"/>'
    ),
    "reseptfornyelse": _svg(
        '<rect x="6" y="7" width="12" height="14" rx="2"/><path d="M5 3.5h14v3.5H5z"/>'
        '<path d="M12 11v6M9 14h6"/>'
    ),
    "e_konsultasjon": _svg('<path d="M4 5h16v11H9l-5 4z"/><path d="M8 9h8M8 12h5"/>'),
    "kontakt_legekontoret": _svg(
        '<path d="M4 14v-2a8 8 0 0 1 16 0v2"/><rect x="3" y="13" width="4" height="6" rx="1.5"/>'
        '<rect x="17" y="13" width="4" height="6" rx="1.5"/><path d="M19 19c0 1.5-2 2.5-5 2.5"/>'
    ),
    "chevron": _svg('<path d="M9 5l7 7-7 7"/>', 20),
    "back": _svg('<path d="M15 5l-7 7 7 7"/>', 20),
    "info": _svg('<circle cx="12" cy="12" r="9"/><path d="M12 11v6M12 7.5v.5"/>'),
    "warning": _svg('<path d="M12 3l10 18H2z"/><path d="M12 10v5M12 18v.5"/>'),
    "user": _svg('<circle cx="12" cy="8" r="4"/><path d="M4 21c1-4.5 4.5-6.5 8-6.5s7 2 8 6.5"/>'),
    "menu": _svg('<path d="M4 7h16M4 12h16M4 17h16"/>'),
    "search": _svg('<circle cx="10.5" cy="10.5" r="6"/><path d="M15 15l5 5"/>'),
    "mail": _svg(
        '<rect x="3" y="5.5" width="18" height="13" rx="1.5"/><path d="M3.5 6.5l8.5 7 8.5-7"/>'
    ),
    "doctor": _svg(
        '<circle cx="12" cy="7.5" r="3.5"/><path d="M5 21c.5-4.5 3.5-7 7-7s6.5 2.5 7 7"/>'
        '<path d="M12 14v4M10 16h4"/>'
    ),
    "file": _svg('<path d="M6 3h8l4 4v14H6z"/><path d="M14 3v4h4"/>'),
    "upload": _svg('<path d="M12 16V5M7.5 9.5 12 5l4.5 4.5M5 19h14"/>'),
    "help": _svg(
        '<circle cx="12" cy="12" r="9"/>'
        '<path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .8-1 1.5v.7M12 17v.5"/>',
        20,
    ),
}

LOGO = (
    '<svg class="hn-logo" role="img" aria-label="Helsenorge" width="186" height="28" '
    'viewBox="0 0 186 28"><circle cx="13" cy="14" r="12" fill="#188097"/>'
    '<path d="M8 8v12M18 8v12M8 14h10" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/>'
    '<text x="32" y="20" font-family="inherit" font-size="17" font-weight="700" '
    'letter-spacing="1.5" fill="#2B2C2B">HELSENORGE</text></svg>'
)
