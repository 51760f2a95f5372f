"""Loading Questionnaires: real Helsenorge files, Bundles, warnings and refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helsetilbud.forms import QuestionnaireError, load_questionnaire, load_questionnaires

EXAMPLES_DIR = Path(__file__).parents[3].parent / "shared" / "fhir-examples"
EXAMPLE_FILES = (
    sorted(p.relative_to(EXAMPLES_DIR).as_posix() for p in EXAMPLES_DIR.rglob("*.json"))
    if EXAMPLES_DIR.is_dir()
    else [pytest.param("", marks=pytest.mark.skip(reason=f"{EXAMPLES_DIR} finnes ikke"))]
)


def minimal(items: list[dict], **extra: object) -> dict:
    return {"resourceType": "Questionnaire", "id": "t", "status": "active", "item": items, **extra}


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_every_helsenorge_example_loads_with_its_items(examples_dir: Path, name: str) -> None:
    for q in load_questionnaires(examples_dir / name):
        assert q.items
        assert all(item.link_id for item, _ in q.walk())


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_form_check_accepts_every_helsenorge_example(examples_dir: Path, run_cli, name) -> None:
    code, out, _ = run_cli("form", "check", examples_dir / name)
    assert code == 0
    assert "Skjemaet kan brukes" in out


def test_a_bundle_yields_every_questionnaire_in_it(examples_dir: Path) -> None:
    found = load_questionnaires(examples_dir / "structor" / "HSO_pakjenning-v2.0.7.json")
    assert [q.id for q in found] == ["250", "251", "252"]


def test_a_questionnaire_in_a_bundle_is_chosen_by_id(examples_dir: Path) -> None:
    q = load_questionnaire(examples_dir / "structor" / "HSO_pakjenning-v2.0.7.json", "251")
    assert q.title == "Kartlegging av påkjenning og utfordringar i samband med kreftbehandling"


def test_an_unknown_questionnaire_id_in_a_bundle_is_refused(examples_dir: Path) -> None:
    with pytest.raises(QuestionnaireError, match="Finner ikke skjemaet «999»"):
        load_questionnaire(examples_dir / "structor" / "HSO_pakjenning-v2.0.7.json", "999")


def test_strict_fhir_failure_is_a_warning_not_a_crash(examples_dir: Path) -> None:
    q = load_questionnaires(examples_dir / "structor" / "HSO_pakjenning-v2.0.7.json")[0]
    assert any(w.startswith("Avviker fra FHIR R4B") and "code" in w for w in q.warnings)
    assert any("sdf-fhirpath" in w and "fyller inn" in w for w in q.warnings)


def test_form_check_prints_items_indented_and_warnings(examples_dir: Path, run_cli) -> None:
    code, out, _ = run_cli("form", "check", examples_dir / "refero" / "enableWhen.json")
    assert code == 0
    assert "  9 (group) Har du, eller har du hatt, noen av disse sykdommene?" in out
    assert "    9_1 (choice) * Sett ett eller flere kryss" in out


@pytest.mark.parametrize("kind", ["reference", "url"])
def test_an_unsupported_item_type_is_named_in_a_warning(kind: str) -> None:
    q = load_questionnaire(minimal([{"linkId": "a", "type": kind, "text": "Vedlegg"}]))
    assert f"Elementtypen «{kind}» støttes ikke (element «a»)." in q.warnings


def test_structural_problems_are_warnings() -> None:
    q = load_questionnaire(
        minimal(
            [
                {"linkId": "g", "type": "group", "text": "Tom gruppe"},
                {"linkId": "x", "type": "string", "text": "A"},
                {"linkId": "x", "type": "string", "text": "B"},
                {"type": "string", "text": "uten linkId"},
                {
                    "linkId": "y",
                    "type": "string",
                    "enableWhen": [{"question": "mangler", "operator": "=", "answerString": "a"}],
                },
                {"linkId": "z", "type": "choice", "answerValueSet": "http://eksternt/vs"},
            ]
        )
    )
    text = "\n".join(q.warnings)
    assert "Gruppen «g» har ingen underelementer." in text
    assert "linkId «x» brukes 2 ganger." in text
    assert "mangler linkId" in text
    assert "viser til et element som ikke finnes: «mangler»" in text
    assert "Svaralternativene «http://eksternt/vs» for «z» finnes ikke i skjemaet" in text


def test_contained_value_set_becomes_the_answer_options(examples_dir: Path) -> None:
    q = load_questionnaire(examples_dir / "refero" / "qChoiceRadio.json")
    options = q.items[0].options
    assert [(o.code, o.display) for o in options] == [("1", "Ja"), ("2", "Nei"), ("3", "Vet ikke")]
    assert options[0].system == "urn:oid:2.16.578.1.12.4.1.1102"
    assert q.items[0].item_control == "radio-button"


def test_validation_extensions_are_read(examples_dir: Path) -> None:
    q = load_questionnaire(examples_dir / "refero" / "enableWhen.json")
    item = q.item("9_2")
    assert item is not None
    assert item.max_length == 250
    assert item.max_occurs == 30
    assert item.regex and item.regex.startswith("^[æøåÆØÅ")
    assert item.validation_text == "Du må fylle ut dette feltet med kun tall og bokstaver"
    assert item.enable_behavior == "any"
    assert item.enable_when[0].answer == {"system": "http://ehelse.no/sykdommer", "code": "18"}


def test_min_max_and_min_length_extensions_are_read() -> None:
    base = "http://hl7.org/fhir/StructureDefinition/"
    q = load_questionnaire(
        minimal(
            [
                {
                    "linkId": "n",
                    "type": "integer",
                    "extension": [
                        {"url": base + "minValue", "valueInteger": 1},
                        {"url": base + "maxValue", "valueInteger": 9},
                    ],
                },
                {
                    "linkId": "s",
                    "type": "string",
                    "extension": [{"url": base + "minLength", "valueInteger": 3}],
                },
            ]
        )
    )
    assert (q.items[0].min_value, q.items[0].max_value) == (1, 9)
    assert q.items[1].min_length == 3


def test_a_file_that_is_not_json_is_refused_with_a_norwegian_reason(
    tmp_path: Path, run_cli
) -> None:
    path = tmp_path / "skjema.json"
    path.write_text("{ikke json", encoding="utf-8")
    code, _, err = run_cli("form", "check", path)
    assert code == 1
    assert "Skjemaet kan ikke brukes: Filen «skjema.json» er ikke gyldig JSON" in err


def test_a_missing_file_is_refused(tmp_path: Path, run_cli) -> None:
    code, _, err = run_cli("form", "check", tmp_path / "finnes-ikke.json")
    assert code == 1
    assert "Finner ikke filen" in err


def test_a_resource_that_is_not_a_questionnaire_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pasient.json"
    path.write_text(json.dumps({"resourceType": "Patient"}), encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="resourceType er «Patient»"):
        load_questionnaires(path)


def test_a_questionnaire_without_items_is_refused() -> None:
    with pytest.raises(QuestionnaireError, match="har ingen spørsmål"):
        load_questionnaire(minimal([], title="Tomt skjema"))


def test_a_bundle_without_questionnaires_is_refused() -> None:
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": []}
    with pytest.raises(QuestionnaireError, match="ingen skjemaer"):
        load_questionnaires(bundle)
