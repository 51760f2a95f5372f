"""The patient preview's HTML, checked element by element on snapshots built in memory."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from html.parser import HTMLParser

import pytest

from helsetilbud.catalog import CATALOG
from helsetilbud.patient_view import OSLO, PatientView, patient_view
from helsetilbud.preview import (
    PAGE_TITLES,
    PAGE_TRIAGE_SERVICE,
    PAGES,
    render_form,
    render_fragment,
    render_page,
)
from helsetilbud.preview.example import BESKRIV_SYMPTOMENE, example_snapshot, example_tool
from helsetilbud.snapshot import Closure, GpState, OfficeSnapshot

AT = datetime(2026, 11, 26, 12, 0, tzinfo=OSLO)  # a Thursday
SERVICE_PAGES = PAGES[1:]
ALL_ON = {slug: True for slug in CATALOG.patient_slugs}
EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
VOID = {"input", "br", "meta", "img", "hr", "link", "source", "path", "circle", "rect"}


class Parsed(HTMLParser):
    """The text and attributes of every element with a data-testid."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.texts: dict[str, list[str]] = {}
        self.attrs: dict[str, dict[str, str | None]] = {}
        self.tags: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        testid = found.get("data-testid")
        if testid:
            self.attrs.setdefault(testid, found)
            self.texts.setdefault(testid, [])
        if tag not in VOID:
            self.stack.append(testid)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for testid in self.stack:
            if testid:
                self.texts[testid].append(data)

    def __contains__(self, testid: str) -> bool:
        return testid in self.texts

    def text(self, testid: str) -> str:
        return " ".join(" ".join(self.texts[testid]).split())


def office(**changes: object) -> OfficeSnapshot:
    return dataclasses.replace(example_snapshot(), **changes)


def gp(hpr: str = "9000001", name: str = "Jacob Lie", **services: bool) -> GpState:
    return GpState(hpr, name, {**ALL_ON, **services})


def view_of(snapshot: OfficeSnapshot, hpr: str | None = None, **drafts: str) -> PatientView:
    return patient_view(snapshot, hpr, AT, drafts or None)


def page(view: PatientView, name: str, step: str = "melding") -> Parsed:
    return Parsed(render_page(view, name, step=step))


def with_texts(**texts: str) -> OfficeSnapshot:
    base = example_snapshot()
    return office(texts={**base.texts, **texts})


def without_tools() -> OfficeSnapshot:
    return office(tools={service: None for service in CATALOG.triage_slugs})


# --- the front page ----------------------------------------------------------------------------


def test_front_page_greets_the_patient_and_names_the_gp() -> None:
    parsed = page(view_of(example_snapshot()), "forside")
    assert parsed.text("greeting") == "Hei, Line"
    assert parsed.text("gp-line") == "Fastlegen din er Jacob Lie"
    assert parsed.text("link-fastlege") == "Se informasjon om fastlegen din"
    assert parsed.text("link-helsekontakter") == "Se alle helsekontaktene dine"


def test_patient_name_is_configurable_and_escaped() -> None:
    html = render_page(view_of(example_snapshot()), "forside", patient_name="<b>Ali</b>")
    assert "Hei, &lt;b&gt;Ali&lt;/b&gt;" in html


def test_a_gp_with_every_service_on_shows_all_four_buttons_in_catalogue_order() -> None:
    parsed = page(view_of(example_snapshot()), "forside")
    assert "panel" in parsed
    labels = [parsed.text(f"button-{s.slug}") for s in CATALOG.patient_services]
    assert labels == [
        "Bestill time",
        "Forny resept",
        "Start e-konsultasjon",
        "Kontakt legekontoret",
    ]


def test_a_gp_with_some_services_off_shows_only_the_others() -> None:
    snapshot = office(gps=(gp(e_konsultasjon=False, timebestilling=False),))
    parsed = page(view_of(snapshot), "forside")
    assert "panel" in parsed
    assert "button-e_konsultasjon" not in parsed
    assert "button-timebestilling" not in parsed
    assert parsed.text("button-reseptfornyelse") == "Forny resept"
    assert parsed.text("button-kontakt_legekontoret") == "Kontakt legekontoret"


def test_a_gp_with_all_services_off_has_no_panel_at_all() -> None:
    snapshot = office(gps=(gp(**{slug: False for slug in ALL_ON}),))
    html = render_page(view_of(snapshot), "forside")
    parsed = Parsed(html)
    assert "panel" not in parsed
    assert "Fastlegen din er" not in html
    assert not [t for t in parsed.texts if t.startswith("button-")]
    assert "info-office" not in parsed
    assert "Informasjon fra legekontoret" not in html
    assert parsed.text("greeting") == "Hei, Line"
    assert "Jacob Lie" in parsed.text("link-fastlege")


def test_the_office_info_box_shows_the_helsekontakt_text_when_there_is_one() -> None:
    parsed = page(view_of(with_texts(helsekontakt="Stengt i romjulen.")), "forside")
    assert parsed.text("info-office") == "Informasjon fra legekontoret Stengt i romjulen."


def test_no_office_info_box_when_the_helsekontakt_text_is_empty() -> None:
    parsed = page(view_of(with_texts(helsekontakt="  ")), "forside")
    assert "info-office" not in parsed
    assert "panel" in parsed


def test_a_closed_service_keeps_its_button_and_shows_its_notice() -> None:
    closure = Closure(
        1,
        "e_konsultasjon",
        starts_at=datetime(2026, 11, 20, tzinfo=OSLO),
        ends_at=datetime(2026, 11, 30, 8, tzinfo=OSLO),
    )
    snapshot = office(gps=(dataclasses.replace(gp(), closures=(closure,)),))
    parsed = page(view_of(snapshot), "forside")
    assert parsed.attrs["button-e_konsultasjon"]["data-closed"] == "true"
    notice = parsed.text("button-notice-e_konsultasjon")
    assert "E-konsultasjon er stengt hos fastlegen din til mandag 30. november kl. 08:00" in notice
    assert "116 117" in notice
    assert "button-notice-reseptfornyelse" not in parsed


def test_each_gp_at_the_office_gets_their_own_buttons() -> None:
    snapshot = office(gps=(gp(), gp("9000002", "Ola Hansen", e_konsultasjon=False)))
    assert "button-e_konsultasjon" in page(view_of(snapshot, "9000001"), "forside")
    ola = page(view_of(snapshot, "9000002"), "forside")
    assert "button-e_konsultasjon" not in ola
    assert ola.text("gp-line") == "Fastlegen din er Ola Hansen"


# --- the service pages -------------------------------------------------------------------------


@pytest.mark.parametrize("name", SERVICE_PAGES)
def test_each_service_page_shows_the_message_page_as_in_the_seed(name: str) -> None:
    parsed = page(view_of(without_tools()), name)
    assert parsed.text("heading") == PAGE_TITLES[name]
    standard = example_snapshot().standard_text(name)
    if standard:
        assert parsed.text("standard-text") == standard
    else:
        assert "standard-text" not in parsed
    assert parsed.text("recipient") == "Til Fastlege Jacob Lie"
    assert parsed.text("field-subject") == "Emne"
    assert parsed.text("field-message") == "Din melding Maksimum 1000 tegn 0/1000"
    assert parsed.text("counter") == "0/1000"
    assert parsed.text("field-attachments") == (
        "Vedlegg (valgfritt) Du kan legge ved inntil 3 filer på 4 MB hver i formatene JPG, PNG "
        "eller PDF. Last opp fil"
    )
    assert parsed.text("help-notice") == (
        "Trenger du hjelp utenom arbeidstid, kontakt legevakt på telefon 116 117. "
        "Ring 113 for øyeblikkelig hjelp."
    )
    assert parsed.text("journal-note") == "Henvendelsen vil bli journalført."
    assert parsed.text("action-send") == "Send"
    assert parsed.text("action-later") == "Fortsett senere"
    assert parsed.text("action-cancel") == "Avbryt"
    assert "attachment" not in parsed
    assert "closure-notice" not in parsed


def test_e_konsultasjon_has_the_seeds_two_extra_lines() -> None:
    parsed = page(view_of(example_snapshot()), "e_konsultasjon")
    extra = parsed.text("standard-extra")
    assert extra.startswith("Beskriv hva du lurer på, hvilke symptomer du har")
    assert "Hvis du trenger fysisk undersøkelse" in render_page(
        view_of(example_snapshot()), "e_konsultasjon"
    )
    assert "standard-extra" not in page(view_of(example_snapshot()), "reseptfornyelse")


@pytest.mark.parametrize("name", SERVICE_PAGES)
def test_the_office_text_for_the_area_shows_in_its_box(name: str) -> None:
    parsed = page(view_of(with_texts(**{name: f"Tekst for {name}."})), name)
    assert parsed.text("info-office") == f"Informasjon fra fastlegekontoret Tekst for {name}."


def test_no_info_box_on_a_service_page_without_office_text() -> None:
    parsed = page(view_of(with_texts(reseptfornyelse="")), "reseptfornyelse")
    assert "info-office" not in parsed


def test_line_breaks_in_office_text_show_as_br() -> None:
    html = render_page(view_of(with_texts(reseptfornyelse="Linje 1\nLinje 2")), "reseptfornyelse")
    assert "Linje 1<br>Linje 2" in html


@pytest.mark.parametrize("name", SERVICE_PAGES)
def test_a_service_the_gp_has_off_is_not_offered(name: str) -> None:
    parsed = page(view_of(office(gps=(gp(**{name: False}),))), name)
    assert "Jacob Lie tilbyr ikke" in parsed.text("service-off")
    assert "message" not in parsed
    assert "form" not in parsed


def test_a_closed_service_page_has_the_closure_notice_at_the_top_and_send_disabled() -> None:
    closure = Closure(2, "reseptfornyelse", weekdays=(3,), daily_from="08:00", daily_to="16:00")
    parsed = page(view_of(office(gps=(dataclasses.replace(gp(), closures=(closure,)),))),
                  "reseptfornyelse")  # fmt: skip
    assert parsed.text("closure-notice").startswith("Reseptfornyelse er stengt hos fastlegen din")
    assert "torsdag 26. november kl. 16:00" in parsed.text("closure-notice")
    assert "disabled" in parsed.attrs["action-send"]
    html = render_page(view_of(office(gps=(dataclasses.replace(gp(), closures=(closure,)),))),
                       "reseptfornyelse")  # fmt: skip
    assert html.index('data-testid="closure-notice"') < html.index('data-testid="heading"')


# --- med skjema / uten skjema ------------------------------------------------------------------


def test_med_skjema_the_form_comes_first_with_intro_items_and_buttons() -> None:
    parsed = page(view_of(example_snapshot()), "e_konsultasjon", "skjema")
    assert parsed.text("form-title") == "Beskriv symptomene dine"
    assert parsed.text("form-intro").startswith("Klikk på ? hvis du har spørsmål")
    assert "Svarene dine tas med videre til e-konsultasjonen" in parsed.text("form")
    assert "Hvilke symptomer har du hatt i løpet av de siste syv dagene?" in parsed.text("form")
    assert parsed.attrs["item-choice"]["data-control"] == "checkbox"
    assert parsed.text("action-next") == "Neste"
    assert parsed.text("action-cancel") == "Avbryt"
    assert "message" not in parsed


def test_med_skjema_the_message_refers_to_the_attached_pdf() -> None:
    parsed = page(view_of(example_snapshot()), "e_konsultasjon", "melding")
    assert parsed.text("message-text") == "Se vedlagt skjema med mine besvarelser."
    assert parsed.text("counter") == "39/1000"
    assert parsed.text("attachment-note") == (
        "Skjemaet du fylte ut blir sendt til legekontoret når du fullfører"
    )
    assert parsed.text("attachment-pdf") == "Beskriv symptomene dine.pdf"
    assert "form" not in parsed


def test_uten_skjema_goes_straight_to_an_empty_message() -> None:
    parsed = page(view_of(without_tools()), "e_konsultasjon", "skjema")
    assert "form" not in parsed
    assert parsed.text("message-text") == ""
    assert "attachment-pdf" not in parsed
    assert "Skjemaet du fylte ut" not in render_page(view_of(without_tools()), "e_konsultasjon")


@pytest.mark.parametrize("name", SERVICE_PAGES)
def test_each_service_page_uses_the_tool_on_its_own_triage_service(name: str) -> None:
    tools = {service: None for service in CATALOG.triage_slugs}
    tools[PAGE_TRIAGE_SERVICE[name]] = example_tool()
    snapshot = office(tools=tools)
    assert "form" in page(view_of(snapshot), name, "skjema")
    assert page(view_of(snapshot), name).text("attachment-pdf") == "Beskriv symptomene dine.pdf"
    for other in SERVICE_PAGES:
        if other != name:
            assert "form" not in page(view_of(snapshot), other, "skjema")


def test_kontakt_legekontoret_uses_the_e_kontakt_tool() -> None:
    assert PAGE_TRIAGE_SERVICE["kontakt_legekontoret"] == "e_kontakt"
    assert PAGE_TRIAGE_SERVICE["timebestilling"] == "timebestilling_konsultasjon"


# --- escaping ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_office_text_with_markup_is_shown_as_text(name: str) -> None:
    area = "helsekontakt" if name == "forside" else name
    html = render_page(view_of(with_texts(**{area: EVIL})), name)
    assert "<script>window" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;" in html
    assert "script" not in Parsed(html).tags
    assert "img" not in Parsed(html).tags


def test_gp_and_office_names_and_form_texts_are_escaped() -> None:
    tool = dataclasses.replace(
        example_tool(),
        questionnaire={**BESKRIV_SYMPTOMENE, "title": "<script>x()</script>"},
    )
    snapshot = office(
        name="<b>Kontor</b>",
        gps=(gp(name="<img src=x onerror=alert(1)>"),),
        tools={**example_snapshot().tools, "e_konsultasjon": tool},
    )
    for name, step in (("forside", "melding"), ("e_konsultasjon", "skjema"),
                       ("e_konsultasjon", "melding")):  # fmt: skip
        parsed = Parsed(render_page(view_of(snapshot), name, step=step))
        assert "script" not in parsed.tags
        assert "img" not in parsed.tags
        assert "b" not in parsed.tags


def test_a_draft_text_shows_in_the_preview() -> None:
    parsed = page(view_of(example_snapshot(), reseptfornyelse="Utkast"), "reseptfornyelse")
    assert parsed.text("info-office") == "Informasjon fra fastlegekontoret Utkast"


# --- documents, fragments, forms ---------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_the_document_is_self_contained_and_script_free(name: str) -> None:
    html = render_page(view_of(example_snapshot()), name, step="skjema")
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html
    assert "http:" not in html and "https:" not in html
    assert "<script" not in html
    assert "@import" not in html and "url(" not in html
    assert "Content-Security-Policy" in html


@pytest.mark.parametrize("name", PAGES)
def test_the_fragment_has_its_own_scoped_style_and_no_document_parts(name: str) -> None:
    html = render_fragment(view_of(example_snapshot()), name)
    assert html.startswith('<div class="hn-preview hn-fragment"')
    assert "<style>" in html
    for forbidden in ("<html", "<head>", "<body", "<script", "<!DOCTYPE"):
        assert forbidden not in html
    style = re.sub(
        r"/\*.*?\*/", "", html.split("<style>", 1)[1].split("</style>", 1)[0], flags=re.S
    )
    # A rule inside @container or @media is scoped like the others: check its selector.
    selectors = [block.split("{")[-2] if block.count("{") > 1 else block.split("{")[0]
                 for block in style.split("}") if "{" in block]  # fmt: skip
    for selector_list in selectors:
        for selector in selector_list.split(","):
            selector = selector.strip()
            assert selector.startswith(".hn-preview"), selector


def test_unknown_page_or_step_is_refused() -> None:
    with pytest.raises(ValueError, match="Ukjent side"):
        render_page(view_of(example_snapshot()), "innboks")
    with pytest.raises(ValueError, match="Ukjent steg"):
        render_page(view_of(example_snapshot()), "forside", step="x")


def _item(link_id: str, kind: str, **more: object) -> dict[str, object]:
    return {"linkId": link_id, "type": kind, "text": f"Spørsmål {link_id}", **more}


def test_render_form_shows_every_item_type_the_engine_knows() -> None:
    options = [{"valueCoding": {"code": "a", "display": "Alfa"}},
               {"valueCoding": {"code": "b", "display": "Beta"}}]  # fmt: skip
    questionnaire = {
        "resourceType": "Questionnaire",
        "title": "Alle typer",
        "item": [
            _item("g", "group", item=[_item("d", "display"), _item("s", "string", maxLength=50)]),
            _item("t", "text"),
            _item("b", "boolean"),
            _item("i", "integer"),
            _item("dec", "decimal"),
            _item("date", "date"),
            _item("dt", "dateTime"),
            _item("time", "time"),
            _item("radio", "choice", answerOption=options),
            _item("check", "choice", repeats=True, answerOption=options),
            _item("open", "open-choice", answerOption=options),
        ],
    }
    parsed = Parsed(render_form(questionnaire))
    for testid in ("item-group", "item-display", "item-string", "item-text", "item-boolean",
                   "item-integer", "item-decimal", "item-date", "item-dateTime", "item-time",
                   "item-open-choice"):  # fmt: skip
        assert testid in parsed, testid
    assert parsed.text("form-title") == "Alle typer"
    html = render_form(questionnaire)
    assert 'type="radio" name="radio"' in html
    assert 'type="checkbox" name="check"' in html
    assert "Maksimum 50 tegn" in html
    assert "<script" not in html and "<html" not in html


def test_render_form_says_why_a_broken_form_cannot_be_shown() -> None:
    parsed = Parsed(render_form({"resourceType": "Patient"}))
    assert parsed.text("form-error").startswith("Skjemaet kan ikke vises:")


def test_a_form_with_its_own_description_shows_it_once_instead_of_the_generic_intro() -> None:
    import json
    from pathlib import Path

    from helsetilbud.preview.form import form_html, parse

    source = (
        Path(__file__).resolve().parents[2] / "data/questionnaires/beskriv-symptomene-dine.json"
    )
    html = form_html(parse(json.loads(source.read_text("utf-8"))), triage_service="e_konsultasjon")
    assert html.count("Her får du hjelp til å beskrive situasjonen din.") == 1
