"""Reading JSON a person gave us: Norwegian errors with line and column, strict where JSON is
lax."""

from __future__ import annotations

import codecs

import pytest

from helsetilbud.json_input import MAX_DEPTH, JsonInputError, LongNumber, decode, read_values


def error(text: str) -> str:
    with pytest.raises(JsonInputError) as err:
        read_values(text)
    return err.value.message


def test_one_pretty_object_a_list_and_json_lines_are_read_with_their_lines() -> None:
    values = read_values('{\n  "a": 1\n}\n[{"b": 2}]\n{"c": 3}\n')
    assert [(v.value, v.first_line, v.last_line) for v in values] == [
        ({"a": 1}, 1, 3),
        ([{"b": 2}], 4, 4),
        ({"c": 3}, 5, 5),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1,\n}', "Linje 1, kolonne 8: ugyldig JSON – komma for mye før slutten på "
         "objektet eller listen."),
        ('{"a": [1, 2,]}', "Linje 1, kolonne 12: ugyldig JSON – komma for mye før slutten på "
         "objektet eller listen."),
        ('{"a" 1}', "Linje 1, kolonne 6: ugyldig JSON – forventet «:» etter feltnavnet."),
        ('{"a": 1 "b": 2}', "Linje 1, kolonne 9: ugyldig JSON – forventet «,» eller slutten på "
         "objektet eller listen."),
        ("{'a': 1}", "Linje 1, kolonne 2: ugyldig JSON – forventet et feltnavn i anførselstegn."),
        ('{"a": "x\n"}', "Linje 1, kolonne 9: ugyldig JSON – kontrolltegn (som linjeskift eller "
         "tabulator) inne i en tekst."),
        ('{"a": 1}\n{"b": }', "Linje 2, kolonne 7: ugyldig JSON – forventet en verdi."),
        ('{"a": "\\x"}', "Linje 1, kolonne 8: ugyldig JSON – ugyldig bruk av omvendt "
         "skråstrek (\\)."),
        ('{"a": "uten slutt}', "Linje 1, kolonne 7: ugyldig JSON – teksten mangler avsluttende "
         "anførselstegn."),
    ],
)  # fmt: skip
def test_a_syntax_error_is_named_once_in_norwegian_with_line_and_column(
    text: str, message: str
) -> None:
    assert error(text) == message


def test_a_key_twice_in_one_object_is_refused() -> None:
    assert error('{"a": 1}\n{"b": {"c": 1, "c": 2}}') == (
        "Linje 2: feltet «c» står to ganger i samme objekt i verdien som begynner her. "
        "Fjern det ene."
    )


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(word: str) -> None:
    assert error(f'{{"version": {word}}}') == (
        f"Linje 1: «{word}» i verdien som begynner her er ikke gyldig JSON."
    )


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000, 200_000])
def test_nesting_deeper_than_the_limit_is_refused(depth: int) -> None:
    assert "nøstet for dypt" in error("[" * depth + "]" * depth)


def test_an_integer_of_many_digits_is_read_as_a_long_number_not_converted() -> None:
    (value,) = read_values('{"version": ' + "9" * 5000 + "}")
    assert value.value == {"version": LongNumber(5000)}


def test_a_utf8_bom_is_dropped() -> None:
    assert decode(codecs.BOM_UTF8 + '{"å": 1}'.encode()) == '{"å": 1}'


def test_invalid_utf8_names_the_line_column_and_byte() -> None:
    with pytest.raises(JsonInputError) as err:
        decode(b'{"a": 1}\n{"tekst": "bl\xe5b\xe6r"}')
    assert err.value.message == (
        "Linje 2, kolonne 14: filen er ikke gyldig UTF-8 (byte 0xE5). "
        "Lagre filen som UTF-8 og prøv igjen."
    )


def test_a_utf16_file_is_refused_with_advice() -> None:
    with pytest.raises(JsonInputError, match="UTF-16"):
        decode('{"a": 1}'.encode("utf-16"))
