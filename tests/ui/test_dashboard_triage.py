"""TRIAGERINGSVERKTØY: the table, ENDRE, the choice, "Ingen valgt" and trying the form."""

from __future__ import annotations

from sqlalchemy import select

from helsetilbud.model import Office, ToolAssignment
from tests.forms_examples import rules_form


def stored_tool(factory, her_id: str, service: str) -> str | None:
    with factory() as session:
        return session.scalar(
            select(ToolAssignment.tool_id)
            .join(Office, Office.id == ToolAssignment.office_id)
            .where(Office.her_id == her_id, ToolAssignment.service == service)
        )


def test_the_table_shows_the_active_tool_or_ingen(app_for, country):
    tab = app_for(country.kari).editor.tab(1)
    assert tab.labels["reseptfornyelse"].value == "Sjekkpunkt: Forny resept (Standard)"
    assert tab.labels["e_konsultasjon"].value == "Ingen"
    assert len(tab.labels) == 8


def test_endre_and_lagre_changes_the_tool(app_for, factory, country):
    tab = app_for(country.kari).editor.tab(1)
    choice = tab.open_service("e_konsultasjon")
    labels = [label for label, _ in choice.radio.options]
    assert labels[-1] == "Ingen valgt"
    assert "Hvis du velger et verktøy her" in choice.children[5].value
    choice.radio.value = "beskriv-symptomene-dine"
    choice.save.click()
    assert stored_tool(factory, country.office_a, "e_konsultasjon") == "beskriv-symptomene-dine"
    assert tab.choice is None
    assert tab.labels["e_konsultasjon"].value == "Kontrollspørsmål: Beskriv symptomene dine"


def test_ingen_valgt_removes_the_tool(app_for, factory, country):
    tab = app_for(country.kari).editor.tab(1)
    choice = tab.open_service("reseptfornyelse")
    assert choice.radio.value == "forny-resept"
    choice.radio.value = ""
    assert choice.trial_button.disabled
    choice.save.click()
    assert stored_tool(factory, country.office_a, "reseptfornyelse") is None
    assert tab.labels["reseptfornyelse"].value == "Ingen"


def test_avbryt_leaves_the_tool_unchanged(app_for, factory, country):
    tab = app_for(country.kari).editor.tab(1)
    choice = tab.open_service("reseptfornyelse")
    choice.radio.value = ""
    choice.children[6].children[1].click()  # AVBRYT
    assert stored_tool(factory, country.office_a, "reseptfornyelse") == "forny-resept"
    assert tab.choice is None


def test_trying_the_form_shows_errors_for_missing_required_answers(app_for, country):
    tab = app_for(country.kari).editor.tab(1)
    choice = tab.open_service("e_konsultasjon")
    choice.radio.value = "beskriv-symptomene-dine"
    choice.trial_button.click()
    trial = choice.trial.children[0]
    trial.check.click()
    assert "feil" in trial.summary.value
    required = [i for i, _ in trial.questionnaire.walk() if i.required and i.is_question]
    assert required
    assert any("Du må" in trial.errors[i.link_id].value for i in required)
    assert trial.pdf.value == ""


def test_a_filled_form_offers_the_pdf(app_for, country):
    tab = app_for(country.kari).editor.tab(1)
    choice = tab.open_service("reseptfornyelse")
    choice.trial_button.click()
    trial = choice.trial.children[0]
    for _ in range(3):  # answering may enable further questions
        for item, _depth in trial.questionnaire.walk():
            field = trial.inputs.get(item.link_id)
            if field is None or not item.required or field.value not in ("", (), None):
                continue
            if hasattr(field, "options") and field.options:
                values = [v for _, v in field.options if v != ""]
                field.value = (values[0],) if isinstance(field.value, tuple) else values[0]
            else:
                field.value = {"integer": "3", "decimal": "3", "date": "01.02.2026"}.get(
                    item.type, "Svar"
                )
    trial.check.click()
    assert "gyldige" in trial.summary.value, trial.summary.value
    assert "data:application/pdf;base64," in trial.pdf.value
    assert trial.document.content.startswith(b"%PDF")


def _shown(app) -> str:
    return app.editor.preview.shown


def test_endre_shows_the_services_patient_page_with_the_chosen_form(app_for, country):
    app = app_for(country.kari)
    tab = app.editor.tab(1)
    choice = tab.open_service("e_kontakt")
    assert app.editor.preview.page.value == "kontakt_legekontoret"
    assert 'data-step="melding"' in _shown(app)  # Ingen valgt: the message, no form
    assert 'data-state="saved"' in _shown(app)
    choice.radio.value = "standard-sjekkpunkt"
    assert 'data-step="skjema"' in _shown(app)
    assert "Standard - sjekkpunkt" in _shown(app)
    assert "ikke lagret ennå" in _shown(app)


def test_the_preview_follows_the_radio_before_lagre_and_the_database_is_untouched(
    app_for, factory, country
):
    app = app_for(country.kari)
    choice = app.editor.tab(1).open_service("reseptfornyelse")
    assert app.editor.preview.page.value == "reseptfornyelse"
    assert 'data-step="skjema"' in _shown(app)
    assert "Forny resept" in _shown(app)
    assert 'data-state="saved"' in _shown(app)
    choice.radio.value = ""  # Ingen valgt
    assert 'data-step="melding"' in _shown(app)
    assert "ikke lagret ennå" in _shown(app)
    assert stored_tool(factory, country.office_a, "reseptfornyelse") == "forny-resept"


def test_a_timebestilling_service_shows_its_form_on_the_timebestilling_page(app_for, country):
    app = app_for(country.kari)
    choice = app.editor.tab(1).open_service("timebestilling_koronatest")
    assert app.editor.preview.page.value == "timebestilling"
    choice.radio.value = "koronatest-symptomkartlegging"
    assert 'data-step="skjema"' in _shown(app)
    assert "Koronatest 2 - Symptomkartlegging" in _shown(app)


def test_after_avbryt_and_lagre_the_preview_shows_the_stored_state(app_for, factory, country):
    app = app_for(country.kari)
    tab = app.editor.tab(1)
    choice = tab.open_service("e_konsultasjon")
    choice.radio.value = "beskriv-symptomene-dine"
    assert "Beskriv symptomene dine" in _shown(app)
    choice.children[6].children[1].click()  # AVBRYT
    assert 'data-state="saved"' in _shown(app)
    assert 'data-step="melding"' in _shown(app)
    assert "Beskriv symptomene dine" not in _shown(app)
    choice = tab.open_service("e_konsultasjon")
    choice.radio.value = "beskriv-symptomene-dine"
    choice.save.click()
    assert stored_tool(factory, country.office_a, "e_konsultasjon") == "beskriv-symptomene-dine"
    assert 'data-state="saved"' in _shown(app)
    assert "Beskriv symptomene dine" in _shown(app)  # the saved form's PDF on the message page


def test_the_trial_shows_a_calculated_total_live_and_a_prefilled_value():
    from helsetilbud.ui.form_trial import FormTrial

    trial = FormTrial(rules_form())
    assert trial.inputs["b"].value == "2"
    trial.inputs["a"].value = "5"
    assert trial.inputs["sum"].value == "7"
    trial.inputs["b"].value = ""
    assert trial.inputs["sum"].value == "5"


def test_the_trial_refuses_a_date_of_birth_after_today_and_takes_a_weight_in_kg():
    from helsetilbud.ui.form_trial import FormTrial

    trial = FormTrial(rules_form())
    trial.inputs["født"].value = "01.01.2099"
    trial.inputs["vekt"].value = "72,5"
    trial.check.click()
    assert "Datoen kan ikke være etter" in trial.errors["født"].value
    trial.inputs["født"].value = "17.05.1990"
    trial.check.click()
    assert "gyldige" in trial.summary.value
    assert "Vekt (kg)" in trial.inputs["vekt"].description


def test_every_field_of_the_trial_is_labelled_with_its_question():
    from ipywidgets import FileUpload

    from helsetilbud.ui.form_trial import FormTrial

    for trial in (FormTrial(rules_form()), FormTrial(_repeat_form())):
        for (_path, link_id), field in trial.fields.items():
            item = trial.questionnaire.item(link_id)
            assert field.description.startswith(item.text), link_id
            if not isinstance(field, FileUpload):  # a button: its text is its name
                assert field.style.description_width == "initial"


def _repeat_form() -> dict:
    return {
        "resourceType": "Questionnaire",
        "status": "active",
        "title": "Medisiner",
        "item": [
            {
                "linkId": "medisin",
                "type": "group",
                "text": "Medisin",
                "repeats": True,
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs",
                        "valueInteger": 3,
                    }
                ],
                "item": [
                    {"linkId": "navn", "type": "string", "text": "Navn", "required": True},
                    {"linkId": "fast", "type": "boolean", "text": "Fast medisin"},
                    {
                        "linkId": "siden",
                        "type": "string",
                        "text": "Brukt siden",
                        "enableWhen": [
                            {"question": "fast", "operator": "=", "answerBoolean": True}
                        ],
                    },
                ],
            },
            {
                "linkId": "bilde",
                "type": "attachment",
                "text": "Bilde av pakningen",
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/mimeType",
                        "valueCode": "image/png",
                    },
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/maxSize",
                        "valueDecimal": 2000,
                    },
                ],
            },
        ],
    }


def test_the_trial_adds_and_removes_instances_of_a_repeated_group_up_to_max_occurs():
    from helsetilbud.ui.form_trial import FormTrial

    trial = FormTrial(_repeat_form())
    add = trial.field_rows[((), "medisin")].children[-2]
    assert add.description == "Legg til"
    add.click()
    add = trial.field_rows[((), "medisin")].children[-2]
    add.click()
    assert len(trial.instance_fields("medisin")) == 3
    assert trial.field_rows[((), "medisin")].children[-2].disabled  # maxOccurs 3
    for fields, name in zip(trial.instance_fields("medisin"), ["A", "B", "C"], strict=True):
        fields["navn"].value = name
    trial.instance_fields("medisin")[1]["fast"].value = "ja"
    shown = [trial.field_rows[((("medisin", i),), "siden")].layout.display for i in range(3)]
    assert shown == ["none", None, "none"]
    response = trial.raw_answers()["medisin"]
    assert [r["navn"] for r in response] == ["A", "B", "C"]
    remove = trial.field_rows[((), "medisin")].children[0].children[-1]
    assert remove.description == "Fjern"
    remove.click()
    assert [f["navn"].value for f in trial.instance_fields("medisin")] == ["B", "C"]
    assert trial.instance_fields("medisin")[0]["fast"].value == "ja"


def test_the_trial_marks_the_missing_answer_in_the_instance_it_belongs_to():
    from helsetilbud.ui.form_trial import FormTrial

    trial = FormTrial(_repeat_form())
    trial.field_rows[((), "medisin")].children[-2].click()
    trial.instance_fields("medisin")[0]["navn"].value = "A"
    trial.check.click()
    assert trial.field_errors[((("medisin", 0),), "navn")].value == ""
    assert "Du må fylle ut" in trial.field_errors[((("medisin", 1),), "navn")].value


def _upload(name: str, kind: str, content: bytes) -> dict:
    from datetime import UTC, datetime

    when = datetime(2026, 1, 5, tzinfo=UTC)
    return {
        "name": name,
        "type": kind,
        "size": len(content),
        "content": content,
        "last_modified": when,
    }


def test_the_trial_takes_a_file_and_refuses_one_too_large_or_of_the_wrong_type():
    from helsetilbud.ui.form_trial import FormTrial

    trial = FormTrial(_repeat_form())
    upload = trial.inputs["bilde"]
    assert upload.accept == "image/png"
    assert "filtyper: PNG; høyst 2 kB" in upload.description
    trial.instance_fields("medisin")[0]["navn"].value = "A"
    upload.value = [_upload("x.pdf", "application/pdf", b"%PDF")]
    trial.check.click()
    assert "Filtypen PDF er ikke tillatt" in trial.errors["bilde"].value
    big = b"0" * 5000
    upload.value = [_upload("x.png", "image/png", big)]
    trial.check.click()
    assert "Filen er for stor (5 kB)" in trial.errors["bilde"].value
    upload.value = [_upload("x.png", "image/png", b"\x89PNG")]
    trial.check.click()
    assert "gyldige" in trial.summary.value
