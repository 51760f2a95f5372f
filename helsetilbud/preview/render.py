"""The pages a patient sees on Helsenorge, as HTML documents or fragments, from a PatientView."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from itertools import count
from typing import Any

from helsetilbud.forms import QuestionnaireError
from helsetilbud.oslo_time import long_moment
from helsetilbud.patient_view import PatientView
from helsetilbud.preview.form import form_error_html, form_html, parse
from helsetilbud.preview.markup import ICONS, LOGO, esc, tag
from helsetilbud.preview.pages import CSP, PAGE_TITLES, PAGES, STEPS, front_page
from helsetilbud.preview.service import service_page

__all__ = [
    "PAGES",
    "PAGE_TITLES",
    "STEPS",
    "render_form",
    "render_fragment",
    "render_page",
    "stylesheet",
]


@cache
def stylesheet() -> str:
    """The preview's own stylesheet (package data)."""
    return resources.files("helsetilbud.preview").joinpath("helsenorge.css").read_text("utf-8")


def _style(styled: bool) -> str:
    """The preview's stylesheet for a fragment, or "" where the page already carries it."""
    return f"<style>{stylesheet()}</style>" if styled else ""


def _check(page: str, step: str) -> None:
    if page not in PAGES:
        raise ValueError(f"Ukjent side «{page}». Gyldige sider: {', '.join(PAGES)}.")
    if step not in STEPS:
        raise ValueError(f"Ukjent steg «{step}». Gyldige steg: {', '.join(STEPS)}.")


def page_body(
    view: PatientView, page: str, *, step: str = "melding", patient_name: str = "Line"
) -> str:
    """The page's header, content and footer (no wrapper, no style)."""
    _check(page, step)
    header = tag(
        "header",
        LOGO
        + tag("span", "", class_="hn-header__spacer")
        + tag("span", ICONS["menu"] + "meny", class_="hn-header__item")
        + tag("span", ICONS["search"] + "søk", class_="hn-header__item")
        + tag(
            "span",
            ICONS["user"] + esc(patient_name),
            class_="hn-header__item",
            data_testid="patient-name",
        ),
        class_="hn-header",
    )
    content = (
        front_page(view, patient_name) if page == "forside" else service_page(view, page, step)
    )
    footer = tag(
        "footer",
        f"Forhåndsvisning fra Helsetilbud: slik ser {esc(PAGE_TITLES[page].lower())} ut for "
        f"pasientene {long_moment(view.at)}. Ikke en ekte side på helsenorge.no.",
        class_="hn-footer",
        data_testid="preview-footer",
    )
    return header + content + footer


def render_page(
    view: PatientView, page: str, *, step: str = "melding", patient_name: str = "Line"
) -> str:
    """A self-contained HTML document: inline style, no script, nothing from the network."""
    body = page_body(view, page, step=step, patient_name=patient_name)
    title = f"{PAGE_TITLES[page]} – {view.office.name} – forhåndsvisning"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>\nbody {{ margin: 0; }}\n{stylesheet()}</style>\n</head>\n<body>\n"
        f'<div class="hn-preview" data-testid="preview" data-page="{esc(page)}">'
        f"{body}</div>\n</body>\n</html>\n"
    )


_FOCUSABLE = re.compile(r"<(a|button|input|select|textarea|summary)\b")


def _out_of_tab_order(markup: str) -> str:
    """Every focusable element of our own markup gets tabindex=-1 (office texts are escaped,
    so no tag in them can match)."""
    return _FOCUSABLE.sub(r'<\1 tabindex="-1"', markup)


def render_fragment(
    view: PatientView,
    page: str,
    *,
    step: str = "melding",
    patient_name: str = "Line",
    styled: bool = True,
) -> str:
    """The same page as a fragment for an ipywidgets HTML widget: scoped style in a wrapper.

    The fragment is a picture of the page inside the dashboard, so its links and fields are
    left out of the Tab order (the dashboard makes the picture itself scrollable by keyboard).
    With `styled=False` the stylesheet is left out: the page already has it (`css_widget`).
    """
    body = _out_of_tab_order(page_body(view, page, step=step, patient_name=patient_name))
    return (
        f'<div class="hn-preview hn-fragment" data-testid="preview" data-page="{esc(page)}">'
        f"{_style(styled)}{body}</div>"
    )


_FORM_IDS = count(1)


def render_form(questionnaire: dict[str, Any], *, styled: bool = True) -> str:
    """One Questionnaire as a fragment ("Prøv skjemaet"); a form that cannot load says why.

    Each fragment has ids of its own, so several forms can share a page (the catalogue shows
    two versions side by side). With `styled=False` the stylesheet is left out."""
    prefix = f"hn-f{next(_FORM_IDS)}"
    try:
        content = form_html(parse(questionnaire), heading_level=2, id_prefix=prefix)
    except QuestionnaireError as error:
        content = form_error_html(error)
    return (
        '<div class="hn-preview hn-fragment" data-testid="preview" data-page="skjema">'
        f'{_style(styled)}<main class="hn-main"><div class="hn-card">{content}</div></main></div>'
    )
