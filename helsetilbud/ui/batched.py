"""Build a screen's widgets in one go: each new widget reaches the browser once, as it ends up.

An ipywidgets widget opens its model in the browser the moment it is constructed, and every
change after that (a CSS class added, a value filled in, a button disabled) is one more message
over the page's WebSocket, through Voilà and the proxy, for the browser to apply. Building the
editor for a GP that way sent 80 models and then 173 changes to them. Inside `opened_at_end()`
the widgets constructed are opened only when the block ends, each with the state it has then,
the widgets a model refers to before the model itself; changes to widgets that were already
open go out after that, one message per widget (docs/decisions/0020-widgets-opened-at-end.md).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

import ipywidgets as w

__all__ = ["opened_at_end"]


@contextlib.contextmanager
def opened_at_end() -> Iterator[None]:
    """Open the widgets constructed in this block when it ends (also when it raises), and send
    the changes to widgets already open then, one message per widget.

    Nested blocks wait for the outermost. Use it around synchronous building only: a widget
    constructed here has no model id until the block ends.
    """
    created: list[w.Widget] = []
    changed: dict[int, tuple[w.Widget, set[str] | None]] = {}
    open_now, send_now = w.Widget.open, w.Widget.send_state

    def open_later(widget: w.Widget) -> None:
        if widget.comm is None:
            created.append(widget)

    def send_later(widget: w.Widget, key: str | Iterable[str] | None = None) -> None:
        if widget.comm is None:
            return  # not open yet: it is opened with its state as it is then
        _, keys = changed.setdefault(id(widget), (widget, set()))
        if key is None or keys is None:
            changed[id(widget)] = (widget, None)
        else:
            keys.update([key] if isinstance(key, str) else key)

    w.Widget.open, w.Widget.send_state = open_later, send_later  # type: ignore[method-assign]
    try:
        yield
    finally:
        w.Widget.open, w.Widget.send_state = open_now, send_now  # type: ignore[method-assign]
        for widget in _referred_first(created):
            widget.open()
        for widget, keys in changed.values():
            widget.send_state(None if keys is None else sorted(keys))


def _referred_first(widgets: list[w.Widget]) -> list[w.Widget]:
    """`widgets` in an order where each comes after the unopened widgets its state refers to
    (a box after its children, a widget after its layout and style)."""
    waiting = {id(x) for x in widgets}
    ordered: list[w.Widget] = []

    def visit(widget: w.Widget) -> None:
        if id(widget) not in waiting:
            return
        waiting.discard(id(widget))
        for name in widget.keys:
            for referred in _widgets_in(getattr(widget, name, None)):
                visit(referred)
        ordered.append(widget)

    for widget in widgets:
        visit(widget)
    return ordered


def _widgets_in(value: object) -> Iterable[w.Widget]:
    if isinstance(value, w.Widget):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _widgets_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _widgets_in(item)
