"""Page names and the front page ("forside") with the fastlegepanel."""

from __future__ import annotations

from helsetilbud.patient_view import PatientView, ServiceButton
from helsetilbud.preview.markup import ICONS, esc, lines, tag
from helsetilbud.vikar_cases import cover_notice, gp_line_html

PAGES = ("forside", "reseptfornyelse", "e_konsultasjon", "kontakt_legekontoret", "timebestilling")
PAGE_TITLES = {
    "forside": "Forside",
    "reseptfornyelse": "Reseptfornyelse",
    "e_konsultasjon": "E-konsultasjon",
    "kontakt_legekontoret": "Kontakt legekontoret",
    "timebestilling": "Timebestilling",
}
STEPS = ("skjema", "melding")
# The triage service whose tool the patient meets before each service page's message.
PAGE_TRIAGE_SERVICE = {
    "reseptfornyelse": "reseptfornyelse",
    "e_konsultasjon": "e_konsultasjon",
    "kontakt_legekontoret": "e_kontakt",
    "timebestilling": "timebestilling_konsultasjon",
}
E_KONSULTASJON_EXTRA = (
    "Beskriv hva du lurer på, hvilke symptomer du har, hvordan du har det nå og om det har "
    "endret seg i det siste.",
    "Hvis du trenger fysisk undersøkelse eller ta prøver, bør du bestille en vanlig legetime.",
)
MESSAGE_LIMIT = 1000
FORM_MESSAGE = "Se vedlagt skjema med mine besvarelser."
ATTACHMENT_HINT = "Du kan legge ved inntil 3 filer på 4 MB hver i formatene JPG, PNG eller PDF."
FORM_SENT_NOTE = "Skjemaet du fylte ut blir sendt til legekontoret når du fullfører"
JOURNAL_NOTE = "Henvendelsen vil bli journalført."
TILES = (
    ("mail", "Innboks"),
    ("timebestilling", "Timeavtaler"),
    ("reseptfornyelse", "Legemidler"),
    ("file", "Pasientjournal"),
)
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"


def front_page(view: PatientView, patient_name: str) -> str:
    gp = view.gp
    parts = [tag("h1", f"Hei, {esc(patient_name)}", data_testid="greeting")]
    if view.panel_visible and gp is not None:
        parts.append(_panel(view))
    else:
        parts.append(
            tag(
                "p",
                "Forhåndsvisning: fastlegepanelet vises ikke for disse pasientene, fordi fastlegen "
                "ikke tilbyr noen av tjenestene på Helsenorge. Pasienten ser bare lenkene under.",
                class_="hn-preview-note",
                data_testid="preview-note",
            )
        )
    gp_link = "Se informasjon om fastlegen din"
    if gp is not None and not view.panel_visible:
        gp_link += f" ({gp.name})"
    parts.append(
        tag(
            "ul",
            tag(
                "li",
                tag(
                    "a",
                    esc(gp_link) + ICONS["chevron"],
                    href="#fastlege",
                    data_testid="link-fastlege",
                ),
            )
            + tag(
                "li",
                tag(
                    "a",
                    "Se alle helsekontaktene dine" + ICONS["chevron"],
                    href="#helsekontakter",
                    data_testid="link-helsekontakter",
                ),
            ),
            class_="hn-links",
        )
    )
    hero = tag("section", tag("div", "".join(parts), class_="hn-hero__inner"), class_="hn-hero")
    tiles = tag(
        "div",
        "".join(
            tag("a", ICONS[icon] + esc(label), href="#", class_="hn-tile") for icon, label in TILES
        ),
        class_="hn-tiles",
        data_testid="tiles",
    )
    return hero + tag("main", tiles, class_="hn-main")


def _panel(view: PatientView) -> str:
    assert view.gp is not None
    buttons = "".join(_front_button(b, i == 0) for i, b in enumerate(view.buttons))
    parts = [
        tag(
            "p",
            gp_line_html(view.cover, view.gp.name, view.office.name, esc),
            class_="hn-panel__gp",
            data_testid="gp-line",
            data_vikar=view.cover.kind if view.cover else None,
        ),
        *_vikar_line(view),
        tag(
            "p",
            esc(view.office.registry_text.replace("\n", ", ")),
            class_="hn-panel__office",
            data_testid="standard-text",
        ),
        tag("div", buttons, class_="hn-panel__buttons", data_testid="buttons"),
    ]
    text = view.texts.get("helsekontakt", "").strip()
    if text:
        parts.append(info_box("Informasjon fra legekontoret", text))
    return tag("section", "".join(parts), class_="hn-panel", data_testid="panel")


def _vikar_line(view: PatientView) -> list[str]:
    assert view.gp is not None
    notice = cover_notice(view.cover, view.gp.name)
    if notice is None:
        return []
    return [tag("p", esc(notice), class_="hn-panel__vikar", data_testid="vikar-line")]


def _front_button(button: ServiceButton, primary: bool) -> str:
    kind = "hn-button--closed" if button.is_closed else ("hn-button--primary" if primary else "")
    link = tag(
        "a",
        ICONS[button.slug] + esc(button.label),
        href=f"#{button.slug}",
        class_=f"hn-button {kind}".strip(),
        data_testid=f"button-{button.slug}",
        data_closed="true" if button.is_closed else None,
    )
    notice = ""
    if button.notice:
        notice = tag(
            "p",
            ICONS["warning"] + tag("span", esc(button.notice)),
            class_="hn-notice hn-notice--closed",
            data_testid=f"button-notice-{button.slug}",
        )
    return tag("div", link + notice, class_="hn-service")


def info_box(title: str, text: str) -> str:
    return tag(
        "div",
        ICONS["info"]
        + tag("div", tag("h2", esc(title)) + tag("p", lines(text), data_testid="info-office-text")),
        class_="hn-infobox",
        data_testid="info-office",
    )
