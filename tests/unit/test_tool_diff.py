"""The readable diff between two versions of a tool's Questionnaire."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from helsetilbud.forms import parse_questionnaire
from helsetilbud.tool_diff import ADDED, CHANGED, REMOVED, diff_questionnaires

REPO = Path(__file__).resolve().parents[2]
SOURCE = json.loads((REPO / "data/questionnaires/beskriv-symptomene-dine.json").read_text("utf-8"))


def _item(form: dict[str, Any], link_id: str) -> dict[str, Any]:
    return next(i for i in form["item"] if i["linkId"] == link_id)


def _diff(change) -> list[str]:  # type: ignore[no-untyped-def]
    new = copy.deepcopy(SOURCE)
    new["version"] = "1.1.0"
    change(new)
    return diff_questionnaires(parse_questionnaire(SOURCE), parse_questionnaire(new)).lines()


def test_the_same_form_has_no_changes() -> None:
    diff = diff_questionnaires(parse_questionnaire(SOURCE), parse_questionnaire(SOURCE))
    assert diff.empty
    assert diff.lines() == ["Versjon 1.0.0 → 1.0.0: ingen endringer i skjemaet."]


def test_an_added_and_a_removed_item_are_named_with_their_text() -> None:
    def change(form: dict[str, Any]) -> None:
        form["item"] = [i for i in form["item"] if i["linkId"] != "symptomdato"]
        form["item"].append({"linkId": "varighet", "type": "string", "text": "Hvor lenge?"})

    lines = _diff(change)
    assert lines[0] == "Versjon 1.0.0 → 1.1.0: 1 lagt til, 1 fjernet, 0 endret."
    assert "Lagt til: «Hvor lenge?» (varighet), type string" in lines
    assert "Fjernet: «Hvilken dag fikk du symptomene?» (symptomdato)" in lines


def test_changed_text_type_and_required_are_each_described() -> None:
    def change(form: dict[str, Any]) -> None:
        item = _item(form, "henvendelse")
        item.update(text="Hva gjelder det?", type="string", required=False)

    (line,) = [x for x in _diff(change) if x.startswith("Endret")]
    assert "tekst «Hva gjelder henvendelsen?» → «Hva gjelder det?»" in line
    assert "type text → string" in line
    assert "ikke lenger påkrevd" in line


def test_options_added_removed_and_renamed_are_listed_by_display_text() -> None:
    def change(form: dict[str, Any]) -> None:
        options = _item(form, "symptomer")["answerOption"]
        options[:] = [o for o in options if o["valueCoding"]["code"] != "hodepine"]
        options[0]["valueCoding"]["display"] = "Hoste eller harking"
        system = options[0]["valueCoding"]["system"]
        options.append({"valueCoding": {"system": system, "code": "utslett", "display": "Utslett"}})

    (line,) = [x for x in _diff(change) if x.startswith("Endret")]
    assert "nye svaralternativer «Utslett»" in line
    assert "fjernede svaralternativer «Hodepine»" in line
    assert "svaralternativ omdøpt «Hoste» → «Hoste eller harking»" in line


def test_a_changed_condition_names_the_question_and_the_answer_it_waits_for() -> None:
    def change(form: dict[str, Any]) -> None:
        cond = _item(form, "andre-symptomer")["enableWhen"][0]
        cond["answerCoding"]["code"] = "feber"

    (line,) = [x for x in _diff(change) if x.startswith("Endret")]
    question = "«Hvilke symptomer har du hatt i løpet av de siste syv dagene?»"
    assert f"vises når: {question} er «Andre» → {question} er «Feber»" in line


def test_an_item_that_loses_its_condition_is_shown_always() -> None:
    lines = _diff(lambda form: _item(form, "andre-symptomer").pop("enableWhen"))
    (line,) = [x for x in lines if x.startswith("Endret")]
    assert "(andre-symptomer)" in line and line.endswith("→ alltid")


def test_changes_are_counted_by_kind() -> None:
    new = copy.deepcopy(SOURCE)
    new["item"].append({"linkId": "ny", "type": "boolean", "text": "Ny?"})
    _item(new, "henvendelse")["required"] = False
    diff = diff_questionnaires(parse_questionnaire(SOURCE), parse_questionnaire(new))
    assert (diff.count(ADDED), diff.count(REMOVED), diff.count(CHANGED)) == (1, 0, 1)
