"""«Ingen tilgang»: what a page view without the right login sees, on every notebook."""

from __future__ import annotations

import ipywidgets as w

from helsetilbud.login import Login
from helsetilbud.ui.common import ROLE_NAMES, css_widget, esc, print_for_checks

ASK_FOR_ACCESS = "Be en forvalter i Norsk helsenett om tilgang, eller logg inn på nytt."


def who(login: Login) -> str:
    """ "Du er logget inn som …" or "Du er ikke logget inn." (plain text)"""
    i = login.identity
    if i is not None:
        return f"Du er logget inn som {i.display_name} ({ROLE_NAMES.get(i.role, i.role)})."
    if login.claimed:
        return f"Du er logget inn som «{login.claimed}»."
    return "Du er ikke logget inn."


def no_access_text(login: Login, why: str | None = None) -> str:
    """Who is logged in, if anyone, and why there is no access (plain text)."""
    reason = why if why is not None else (login.problem or "")
    return " ".join(p for p in (who(login), reason, ASK_FOR_ACCESS) if p)


def no_access_html(login: Login, why: str | None = None) -> str:
    return (
        '<div class="ht-no-access" role="alert" lang="nb">'
        '<h1 style="font-size:1.6em;margin:0 0 .4em">Ingen tilgang</h1>'
        '<p class="ht-notice" style="font-size:1.1em;max-width:48rem">'
        f"{esc(no_access_text(login, why))}</p></div>"
    )


class NoAccess(w.HTML):
    """The «Ingen tilgang» notice: who is logged in, if anyone, and why there is no access."""

    def __init__(self, login: Login, why: str | None = None) -> None:
        super().__init__(no_access_html(login, why))
        self.add_class("ht-no-access-box")
        self.text = f"Ingen tilgang. {no_access_text(login, why)}"


class Denied(w.VBox):
    """A whole notebook's view when the page view has no access: the notice, and its summary."""

    def __init__(self, login: Login, why: str | None = None) -> None:
        self.notice = NoAccess(login, why)
        super().__init__([css_widget(), self.notice])
        self.add_class("ht-denied")

    def summary(self) -> str:
        return self.notice.text

    def print_summary(self) -> None:
        print_for_checks(self.summary())
