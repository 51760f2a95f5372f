"""Load FHIR R4 Questionnaires (also every Questionnaire in a Bundle) from plain JSON."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from helsetilbud.forms.enable_when import enable_cycles
from helsetilbud.forms.errors import QuestionnaireError
from helsetilbud.forms.extensions import (
    EXT_ANSWER_EXPRESSION,
    EXT_HIDDEN,
    EXT_ITEM_CONTROL,
    EXT_MAX_DECIMALS,
    EXT_MAX_OCCURS,
    EXT_MAX_VALUE,
    EXT_MIN_LENGTH,
    EXT_MIN_OCCURS,
    EXT_MIN_VALUE,
    EXT_OPTION_REFERENCE,
    EXT_REPEATS_TEXT,
    EXT_VALIDATE_READ_ONLY,
    EXT_VALIDATION_TEXT,
    UNSUPPORTED_EXTENSIONS,
    ExtensionReader,
    extension,
    int_or_none,
    ordinal,
    typed,
)
from helsetilbud.forms.fhir_check import structure_warnings
from helsetilbud.forms.items import (
    OPERATORS,
    SUPPORTED_TYPES,
    UNSUPPORTED_TYPES,
    AnswerOption,
    EnableWhen,
    Item,
    Questionnaire,
)


def load_questionnaires(source: str | Path | Mapping[str, Any]) -> list[Questionnaire]:
    """Every Questionnaire in a JSON file or dict: one, or each one in a Bundle."""
    data = _read(source) if isinstance(source, str | Path) else dict(source)
    kind = data.get("resourceType")
    if kind == "Questionnaire":
        return [parse_questionnaire(data)]
    if kind == "Bundle":
        resources = [
            entry.get("resource")
            for entry in data.get("entry") or []
            if isinstance(entry, dict) and isinstance(entry.get("resource"), dict)
        ]
        found = [
            parse_questionnaire(r) for r in resources if r.get("resourceType") == "Questionnaire"
        ]
        if not found:
            raise QuestionnaireError(
                "Samlingen (Bundle) inneholder ingen skjemaer (Questionnaire)."
            )
        return found
    raise QuestionnaireError(
        f"Filen er ikke et FHIR-skjema: resourceType er «{kind}», "
        "forventet «Questionnaire» eller «Bundle»."
    )


def load_questionnaire(
    source: str | Path | Mapping[str, Any], questionnaire_id: str | None = None
) -> Questionnaire:
    """One Questionnaire: the one with `questionnaire_id`, or the first in the file."""
    found = load_questionnaires(source)
    if questionnaire_id is None:
        return found[0]
    for q in found:
        if questionnaire_id in (q.id, q.name, q.url):
            return q
    known = ", ".join(f"«{q.id}»" for q in found)
    raise QuestionnaireError(
        f"Finner ikke skjemaet «{questionnaire_id}» i filen. Tilgjengelige: {known}.",
        field=questionnaire_id,
    )


def parse_questionnaire(data: Mapping[str, Any]) -> Questionnaire:
    """A Questionnaire resource (plain dict) as typed items plus warnings; never strict."""
    if data.get("resourceType") != "Questionnaire":
        raise QuestionnaireError("Ressursen er ikke et skjema (Questionnaire).")
    raw_items = data.get("item")
    if not isinstance(raw_items, list) or not raw_items:
        raise QuestionnaireError(f"Skjemaet «{_title(data)}» har ingen spørsmål (item).")
    parser = _Parser(data)
    items = parser.items(raw_items, "item")
    if not items:
        raise QuestionnaireError(f"Skjemaet «{_title(data)}» har ingen elementer som kan brukes.")
    q = Questionnaire(
        id=data.get("id"),
        url=data.get("url"),
        version=data.get("version"),
        title=_title(data),
        name=data.get("name"),
        status=data.get("status"),
        language=data.get("language"),
        items=items,
        source=dict(data),
    )
    q.warnings = structure_warnings(data) + parser.warnings + _reference_warnings(q)
    q.variables = parser.variables(data, "skjemaet")
    return q


def _read(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise QuestionnaireError(f"Finner ikke filen «{path}».", field=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionnaireError(f"Kan ikke lese filen «{path}»: {exc}", field=str(path)) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise QuestionnaireError(
            f"Filen «{path.name}» er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno}).",
            field=str(path),
        ) from None
    if not isinstance(data, dict):
        raise QuestionnaireError(f"Filen «{path.name}» er ikke en FHIR-ressurs.", field=str(path))
    return data


def _title(data: Mapping[str, Any]) -> str:
    return str(data.get("title") or data.get("name") or data.get("id") or "Skjema")


def _reference_warnings(q: Questionnaire) -> list[str]:
    warnings: list[str] = []
    counts = Counter(item.link_id for item, _ in q.walk())
    warnings += [f"linkId «{lid}» brukes {n} ganger." for lid, n in counts.items() if n > 1]
    for item, _ in q.walk():
        for cond in item.enable_when:
            target = q.item(cond.question)
            if target is None:
                warnings.append(
                    f"Betingelsen på «{item.link_id}» viser til et element som ikke finnes: "
                    f"«{cond.question}»."
                )
            elif cond.question == item.link_id:
                warnings.append(f"Betingelsen på «{item.link_id}» viser til elementet selv.")
    for ring in enable_cycles(q):
        if len(ring) > 1:
            quoted = [f"«{lid}»" for lid in ring]
            names = ", ".join(quoted[:-1]) + " og " + quoted[-1]
            warnings.append(
                f"Betingelsene (enableWhen) på {names} avhenger av hverandre i ring; "
                "elementene vises aldri."
            )
    return warnings


class _Parser(ExtensionReader):
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.warnings: list[str] = []

    def items(self, raw_items: list[Any], path: str) -> list[Item]:
        result = []
        for index, raw in enumerate(raw_items):
            where = f"{path}[{index}]"
            if not isinstance(raw, dict) or not raw.get("linkId"):
                self.warnings.append(f"Elementet {where} mangler linkId og er hoppet over.")
                continue
            result.append(self.item(raw))
        return result

    def item(self, raw: Mapping[str, Any]) -> Item:
        link_id = str(raw["linkId"])
        kind = str(raw.get("type") or "")
        if kind in UNSUPPORTED_TYPES:
            self.warnings.append(f"Elementtypen «{kind}» støttes ikke (element «{link_id}»).")
        elif kind not in SUPPORTED_TYPES:
            self.warnings.append(f"Elementtypen «{kind}» er ukjent (element «{link_id}»).")
        for ext in raw.get("extension") or []:
            if isinstance(ext, dict) and ext.get("url") in UNSUPPORTED_EXTENSIONS:
                self.warnings.append(
                    f"Funksjonen {UNSUPPORTED_EXTENSIONS[ext['url']]} (element «{link_id}»)."
                )
        expressions = self.expressions(raw, link_id)
        control = extension(raw, EXT_ITEM_CONTROL)
        codes = [c.get("code") for c in (control or {}).get("coding", []) if isinstance(c, dict)]
        children = self.items(raw.get("item") or [], f"«{link_id}»")
        if kind == "group" and not children:
            self.warnings.append(f"Gruppen «{link_id}» har ingen underelementer.")
        if kind == "display" and children:
            self.warnings.append(f"Visningselementet «{link_id}» har underelementer.")
        behavior = raw.get("enableBehavior") or "all"
        if behavior not in ("all", "any"):
            self.warnings.append(
                f"Ukjent enableBehavior «{behavior}» på «{link_id}»; bruker «all»."
            )
            behavior = "all"
        return Item(
            link_id=link_id,
            type=kind,
            text=str(raw.get("text") or "").strip(),
            required=bool(raw.get("required")),
            repeats=bool(raw.get("repeats")),
            read_only=bool(raw.get("readOnly")),
            hidden=bool(extension(raw, EXT_HIDDEN)),
            max_length=int_or_none(raw.get("maxLength")),
            min_length=int_or_none(extension(raw, EXT_MIN_LENGTH)),
            regex=self.regex(raw, link_id),
            validation_text=extension(raw, EXT_VALIDATION_TEXT),
            min_value=self.limit(raw, EXT_MIN_VALUE, link_id, kind),
            max_value=self.limit(raw, EXT_MAX_VALUE, link_id, kind),
            max_decimal_places=int_or_none(extension(raw, EXT_MAX_DECIMALS)),
            max_occurs=int_or_none(extension(raw, EXT_MAX_OCCURS)),
            item_control=codes[0] if codes else None,
            options=self.options(raw, link_id, kind),
            enable_when=self.conditions(raw, link_id),
            enable_behavior=behavior,
            items=children,
            initial=self.initial(raw, link_id),
            min_occurs=int_or_none(extension(raw, EXT_MIN_OCCURS)),
            unit=self.unit(raw, link_id, kind),
            variables=self.variables(raw, link_id),
            validate_read_only=bool(extension(raw, EXT_VALIDATE_READ_ONLY))
            or bool(extension(self.data, EXT_VALIDATE_READ_ONLY)),
            source=dict(raw),
            unchecked_value_set=self.unchecked(raw),
            repeats_text=extension(raw, EXT_REPEATS_TEXT),
            **self.attachment(raw, link_id),
            **expressions,
        )

    def unchecked(self, raw: Mapping[str, Any]) -> str | None:
        ref = raw.get("answerValueSet")
        return str(ref) if ref and self.value_set(str(ref)) is None else None

    def initial(self, raw: Mapping[str, Any], link_id: str) -> tuple[Any, ...]:
        found: list[Any] = []
        for entry in raw.get("initial") or []:
            key = (
                next((k for k in entry if k.startswith("value")), None)
                if isinstance(entry, dict)
                else None
            )
            value = typed(key, entry[key]) if key else None
            if value is None:
                self.warnings.append(f"Startverdien (initial) på «{link_id}» kan ikke leses.")
                continue
            found.append(value)
        for opt in raw.get("answerOption") or []:
            if isinstance(opt, dict) and opt.get("initialSelected") is True:
                parsed = _option(opt)
                if parsed is not None:
                    found.append(parsed.code)
        return tuple(found)

    def options(self, raw: Mapping[str, Any], link_id: str, kind: str) -> tuple[AnswerOption, ...]:
        found: list[AnswerOption] = []
        for opt in raw.get("answerOption") or []:
            parsed = _option(opt) if isinstance(opt, dict) else None
            if parsed is None:
                self.warnings.append(f"Et svaralternativ på «{link_id}» kan ikke leses.")
            else:
                found.append(parsed)
        for ext in raw.get("extension") or []:
            if isinstance(ext, dict) and ext.get("url") == EXT_OPTION_REFERENCE:
                ref = ext.get("valueReference") or {}
                if ref.get("reference"):
                    display = ref.get("display") or ref["reference"]
                    found.append(AnswerOption(ref["reference"], display, "reference"))
        value_set = raw.get("answerValueSet")
        if value_set:
            concepts = self.value_set(str(value_set))
            if concepts is None:
                self.warnings.append(
                    f"Svaralternativene «{value_set}» for «{link_id}» finnes ikke i skjemaet; "
                    "kodene i svaret kan ikke kontrolleres, og hver kode godtas med en merknad."
                )
            found.extend(concepts or [])
        computed = any(
            isinstance(e, dict) and e.get("url") == EXT_ANSWER_EXPRESSION
            for e in raw.get("extension") or []
        )
        if kind == "choice" and not found and not value_set and not computed:
            self.warnings.append(f"Flervalgsspørsmålet «{link_id}» har ingen svaralternativer.")
        return tuple(found)

    def value_set(self, ref: str) -> list[AnswerOption] | None:
        for res in self.data.get("contained") or []:
            if not isinstance(res, dict) or res.get("resourceType") != "ValueSet":
                continue
            if ref.lstrip("#") != res.get("id") and ref != res.get("url"):
                continue
            found = []
            for include in (res.get("compose") or {}).get("include") or []:
                for concept in include.get("concept") or []:
                    code = str(concept.get("code"))
                    found.append(
                        AnswerOption(
                            code,
                            concept.get("display") or code,
                            system=include.get("system"),
                            ordinal=ordinal(concept),
                        )
                    )
            for entry in (res.get("expansion") or {}).get("contains") or []:
                code = str(entry.get("code"))
                found.append(
                    AnswerOption(
                        code,
                        entry.get("display") or code,
                        system=entry.get("system"),
                        ordinal=ordinal(entry),
                    )
                )
            return found
        return None

    def conditions(self, raw: Mapping[str, Any], link_id: str) -> tuple[EnableWhen, ...]:
        found = []
        for cond in raw.get("enableWhen") or []:
            keys = [k for k in cond if k.startswith("answer")] if isinstance(cond, dict) else []
            question, operator = (
                (cond.get("question"), cond.get("operator")) if keys else (None, None)
            )
            if not keys or not question or operator not in OPERATORS:
                self.warnings.append(f"En betingelse (enableWhen) på «{link_id}» kan ikke leses.")
                continue
            kind = keys[0].removeprefix("answer").lower()
            if kind == "quantity":
                self.warnings.append(
                    f"Betingelser på mengde (answerQuantity) støttes ikke (element «{link_id}»)."
                )
            value = cond[keys[0]]
            found.append(EnableWhen(str(question), operator, typed(keys[0], value), kind))
        return tuple(found)


def _option(opt: Mapping[str, Any]) -> AnswerOption | None:
    if isinstance(opt.get("valueCoding"), dict):
        coding = opt["valueCoding"]
        if coding.get("code") is None:
            return None
        code = str(coding["code"])
        return AnswerOption(
            code,
            coding.get("display") or code,
            "coding",
            coding.get("system"),
            ordinal(opt, coding),
        )
    for key, kind in (
        ("valueString", "string"),
        ("valueInteger", "integer"),
        ("valueDate", "date"),
        ("valueTime", "time"),
    ):
        if key in opt:
            return AnswerOption(str(opt[key]), str(opt[key]), kind)
    if isinstance(opt.get("valueReference"), dict) and opt["valueReference"].get("reference"):
        ref = opt["valueReference"]
        return AnswerOption(ref["reference"], ref.get("display") or ref["reference"], "reference")
    return None
