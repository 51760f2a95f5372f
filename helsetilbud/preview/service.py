"""The service pages: triage form first when the office has a tool, then the message."""

from __future__ import annotations

from helsetilbud.catalog import CATALOG
from helsetilbud.forms import QuestionnaireError, pdf_file_name
from helsetilbud.patient_view import HELP_NOTICE, PatientView
from helsetilbud.preview.form import form_error_html, form_html, parse
from helsetilbud.preview.markup import ICONS, esc, lines, tag
from helsetilbud.preview.pages import (
    ATTACHMENT_HINT,
    E_KONSULTASJON_EXTRA,
    FORM_MESSAGE,
    FORM_SENT_NOTE,
    JOURNAL_NOTE,
    MESSAGE_LIMIT,
    PAGE_TITLES,
    PAGE_TRIAGE_SERVICE,
    info_box,
)
from helsetilbud.vikar_cases import cover_notice, recipient_html


def service_page(view: PatientView, page: str, step: str) -> str:
    service = CATALOG.patient_service(page)
    button = view.button(page)
    if button is None:
        who = view.gp.name if view.gp else "Fastlegen"
        note = tag(
            "div",
            ICONS["info"]
            + tag(
                "p",
                f"{esc(who)} tilbyr ikke {esc(service.name.lower())} på "
                f"Helsenorge. Pasientene ser ingen knapp for denne tjenesten.",
            ),
            class_="hn-notice",
            data_testid="service-off",
        )
        back = tag("a", ICONS["back"] + "Forside", href="#forside", class_="hn-back")
        card = tag(
            "div", tag("h1", esc(PAGE_TITLES[page]), data_testid="heading") + note, class_="hn-card"
        )
        return tag("main", back + card, class_="hn-main hn-service-page", data_testid="page")
    triage = PAGE_TRIAGE_SERVICE[page]
    tool = view.tool(triage)
    questionnaire = None
    form_error = None
    if tool is not None:
        try:
            questionnaire = parse(tool.questionnaire)
        except QuestionnaireError as error:
            form_error = error
    closure = ""
    if button.notice:
        closure = tag(
            "div",
            ICONS["warning"] + tag("p", esc(button.notice)),
            class_="hn-notice hn-notice--closed",
            data_testid="closure-notice",
            role="status",
        )
    if tool is not None and step == "skjema":
        back = tag("a", ICONS["back"] + "Forside", href="#forside", class_="hn-back")
        body = (
            form_html(questionnaire, triage_service=triage)
            if questionnaire is not None
            else form_error_html(form_error)
        )  # type: ignore[arg-type]
        return tag(
            "main",
            back + closure + tag("div", body, class_="hn-card"),
            class_="hn-main hn-service-page",
            data_testid="page",
            data_step="skjema",
        )
    title = questionnaire.title if questionnaire is not None else (tool.title if tool else None)
    back = tag("a", ICONS["back"] + "Innboks", href="#innboks", class_="hn-back")
    card = tag("div", _message_page(view, page, title, closed=button.is_closed), class_="hn-card")
    return tag(
        "main",
        back + closure + card,
        class_="hn-main hn-service-page",
        data_testid="page",
        data_step="melding",
    )


def _message_page(view: PatientView, page: str, form_title: str | None, *, closed: bool) -> str:
    parts = [tag("h1", esc(PAGE_TITLES[page]), data_testid="heading")]
    standard = view.office.standard_text(page).strip()
    if standard:
        parts.append(tag("p", lines(standard), data_testid="standard-text"))
    if page == "e_konsultasjon":
        parts += [
            tag("p", esc(line), data_testid="standard-extra") for line in E_KONSULTASJON_EXTRA
        ]
    text = view.texts.get(page, "").strip()
    if text:
        parts.append(info_box("Informasjon fra fastlegekontoret", text))
    gp_name = view.gp.name if view.gp else ""
    parts.append(
        tag(
            "p",
            recipient_html(view.cover, gp_name, view.office.name, esc),
            class_="hn-recipient",
            data_testid="recipient",
            data_vikar=view.cover.kind if view.cover else None,
        )
    )
    vikar_note = cover_notice(view.cover, gp_name)
    if vikar_note:
        parts.append(tag("p", esc(vikar_note), class_="hn-sublabel", data_testid="vikar-line"))
    message = FORM_MESSAGE if form_title else ""
    parts.append(
        tag(
            "div",
            tag("label", "Emne", class_="hn-label", for_="hn-emne")
            + '<input type="text" class="hn-input" id="hn-emne" name="emne">',
            class_="hn-field",
            data_testid="field-subject",
        )
    )
    parts.append(
        tag(
            "div",
            tag("label", "Din melding", class_="hn-label", for_="hn-melding")
            + tag("span", f"Maksimum {MESSAGE_LIMIT} tegn", class_="hn-sublabel")
            + tag(
                "textarea",
                esc(message),
                class_="hn-textarea",
                id="hn-melding",
                name="melding",
                maxlength=MESSAGE_LIMIT,
                data_testid="message-text",
            )
            + tag(
                "p", f"{len(message)}/{MESSAGE_LIMIT}", class_="hn-counter", data_testid="counter"
            ),
            class_="hn-field",
            data_testid="field-message",
        )
    )
    parts.append(
        tag(
            "div",
            tag("span", "Vedlegg (valgfritt)", class_="hn-label")
            + tag("span", ATTACHMENT_HINT, class_="hn-sublabel")
            + tag(
                "button",
                ICONS["upload"] + "Last opp fil",
                type="button",
                class_="hn-button",
                data_testid="upload",
            ),
            class_="hn-field",
            data_testid="field-attachments",
        )
    )
    help_text, urgent = HELP_NOTICE.split(" Ring ", 1)
    parts.append(
        tag(
            "div",
            ICONS["info"] + tag("p", f"{esc(help_text)} <strong>Ring {esc(urgent)}</strong>"),
            class_="hn-notice",
            data_testid="help-notice",
        )
    )
    parts.append(tag("p", JOURNAL_NOTE, class_="hn-journal", data_testid="journal-note"))
    if form_title:
        parts.append(
            tag(
                "div",
                tag("p", FORM_SENT_NOTE, data_testid="attachment-note")
                + tag(
                    "a",
                    ICONS["file"] + esc(pdf_file_name(form_title)),
                    href="#skjema",
                    data_testid="attachment-pdf",
                ),
                class_="hn-attachment",
                data_testid="attachment",
            )
        )
    parts.append(
        tag(
            "div",
            tag(
                "button",
                "Send",
                type="button",
                class_="hn-button hn-button--primary",
                disabled=closed,
                data_testid="action-send",
            )
            + tag(
                "button",
                "Fortsett senere",
                type="button",
                class_="hn-button",
                data_testid="action-later",
            )
            + tag(
                "button",
                "Avbryt",
                type="button",
                class_="hn-button hn-button--borderless",
                data_testid="action-cancel",
            ),
            class_="hn-actions",
        )
    )
    return tag("form", "".join(parts), action="#", class_="hn-message", data_testid="message")
