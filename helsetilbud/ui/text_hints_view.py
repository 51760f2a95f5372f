"""The text rules' hints on an info card: a warning before the card is opened, the hints under
the counter while the GP types, and «Teksten stemmer fortsatt» with «Sist bekreftet …».

The hints come from `helsetilbud.text_hints` (the same rules as the analysts' report); this
module only shows them. Per keystroke it checks the typed text alone and sends the hint list
to the browser only when it changed.
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from helsetilbud.catalog import InfoArea
from helsetilbud.errors import HelsetilbudError, StaleEdit
from helsetilbud.oslo_time import today_in_oslo
from helsetilbud.text_hints import Hint, office_hints
from helsetilbud.ui.common import (
    OfficeModel,
    button,
    error_text,
    esc,
    oslo_time,
    shared_html_style,
    shared_layout,
)

CONFIRM_LABEL = "Teksten stemmer fortsatt"
CONTEXT = 24  # characters shown on each side of a marked word


def excerpt(text: str, hint: Hint) -> str:
    """The text around the hint's span as HTML, the span itself in <mark>; "" without one."""
    if hint.start is None or hint.end is None or hint.end <= hint.start:
        return ""
    a, b = max(hint.start - CONTEXT, 0), min(hint.end + CONTEXT, len(text))
    before, marked, after = text[a : hint.start], text[hint.start : hint.end], text[hint.end : b]
    return (
        ("…" if a > 0 else "")
        + esc(before)
        + f"<mark>{esc(marked)}</mark>"
        + esc(after)
        + ("…" if b < len(text) else "")
    ).replace("\n", " ")


def hints_html(text: str, hints: list[Hint], css: str) -> str:
    """The hint list as a polite live region: screen readers read it out when it changes."""
    items = []
    for hint in hints:
        kind = "ht-hint ht-hint-warning" if hint.warning else "ht-hint"
        where = excerpt(text, hint)
        quote = f'<div class="ht-hint-at">{where}</div>' if where else ""
        items.append(
            f'<li class="{kind}" data-code="{esc(hint.code)}"><b>{esc(hint.title)}.</b> '
            f"{esc(hint.message)}{quote}</li>"
        )
    body = f'<ul class="ht-hint-list">{"".join(items)}</ul>' if items else ""
    label = "Merknader til teksten"
    return (
        f'<div class="ht-hints {css}" role="status" aria-live="polite" aria-label="{label}">'
        f"{body}</div>"
    )


def warning_html(hints: list[Hint]) -> str:
    """The card's warning about the stored text: what would mislead a patient."""
    titles = list(dict.fromkeys(h.title for h in hints if h.warning))
    if not titles:
        return ""
    return (
        '<div class="ht-notice ht-hint-banner" role="note"><b>⚠ Teksten kan villede '
        f"pasienter:</b> {esc('; '.join(titles))}. Se merknadene under teksten.</div>"
    )


class HintList(w.HTML):
    """The hints of one text in one area; `show(text)` re-checks it."""

    def __init__(self, model: OfficeModel, area: str, css: str) -> None:
        super().__init__(layout=shared_layout(), style=shared_html_style())
        self.model, self.area, self.css = model, area, css
        self.add_class(css)
        self.hints: list[Hint] = []
        self.today: date = today_in_oslo()

    def show(self, text: str) -> list[Hint]:
        self.hints = office_hints(self.model.snapshot, self.area, text, self.today)
        value = hints_html(text, self.hints, self.css)
        if value != self.value:  # unchanged hints send nothing to the browser
            self.value = value
        return self.hints


class CardHead(w.HTML):
    """The top of an info card in one model: the area's name and standard text, the warning
    about the stored text, and «Sist bekreftet …»."""

    def __init__(self, area: InfoArea, standard: str, label: str) -> None:
        super().__init__(layout=shared_layout(), style=shared_html_style())
        self.add_class(f"ht-head-{area.slug}")
        self.slug = area.slug
        self.static = (
            f"<h3>{esc(area.name)}</h3>"
            f'<div class="ht-label">{esc(label)}</div>'
            f'<div class="ht-standard">{esc(standard)}</div>'
        )
        self.banner = ""
        self.confirmed = ""

    def show(self, banner: str, confirmed: str) -> None:
        self.banner, self.confirmed = banner, confirmed
        when = (
            f'<div class="ht-confirmed ht-confirmed-{self.slug}">{esc(confirmed)}</div>'
            if confirmed
            else ""
        )
        warning = f'<div class="ht-hint-warning-{self.slug}">{banner}</div>' if banner else ""
        value = self.static + warning + when
        if value != self.value:
            self.value = value


def confirmed_text(model: OfficeModel, area: str) -> str:
    """ "Sist bekreftet 05.01.2026 kl. 10:00 av Kari Nordmann", or "" when never confirmed."""
    dates = model.snapshot.text_dates.get(area)
    if dates is None or dates.confirmed_at is None:
        return ""
    who = f" av {dates.confirmed_by}" if dates.confirmed_by else ""
    return f"Sist bekreftet {oslo_time(dates.confirmed_at)}{who}"


def confirm(model: OfficeModel, area: str, version: int) -> str:
    """Run «Teksten stemmer fortsatt»; the status HTML to show."""
    from helsetilbud import editing

    try:
        model.run(editing.confirm_info_text, model.her_id, area, version)
    except StaleEdit as exc:
        model.refresh()
        return error_text(exc.message)
    except HelsetilbudError as exc:
        return error_text(exc.message)
    return '<span class="ht-ok">Bekreftet. Teksten er ikke endret.</span>'


class CardHints:
    """What an info card shows of the text rules: the warning and «Sist bekreftet» in the
    card's `head`, the hint list under the counter, and «Teksten stemmer fortsatt» (its
    message in the card's `status`)."""

    def __init__(
        self,
        model: OfficeModel,
        area: InfoArea,
        textarea: w.Textarea,
        head: CardHead,
        status: w.HTML,
    ) -> None:
        self.model, self.area, self.textarea = model, area, textarea
        self.head, self.status = head, status
        slug = area.slug
        self.list = HintList(model, slug, f"ht-hints-{slug}")
        self.list.add_class(f"ht-msg-{slug}")  # describes the text box (a11y.js)
        self.confirm = button(CONFIRM_LABEL, f"ht-confirm-{slug}")
        self.confirm.on_click(self._confirm)
        textarea.observe(self._typed, names="value")
        model.on_change(self.render)
        self.render()

    @property
    def saved(self) -> str:
        return self.model.snapshot.texts.get(self.area.slug, "")

    def _typed(self, change: dict) -> None:
        self.list.show(change["new"])
        self.confirm.disabled = change["new"] != self.saved

    def render(self) -> None:
        """After a save or confirmation: the warning and «Sist bekreftet» from the stored
        text, the hints from the text in the box."""
        stored = office_hints(self.model.snapshot, self.area.slug, None, self.list.today)
        self.head.show(warning_html(stored), confirmed_text(self.model, self.area.slug))
        self.list.show(self.textarea.value)
        self.confirm.disabled = self.textarea.value != self.saved

    def _confirm(self, _b: object = None) -> None:
        version = self.model.snapshot.text_versions.get(self.area.slug, 0)
        self.status.value = confirm(self.model, self.area.slug, version)
