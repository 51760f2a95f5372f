"""The rules for office texts: NFC length, white space, control characters, identity numbers."""

from __future__ import annotations

import pytest

from helsetilbud.errors import NotFound, ValidationError
from helsetilbud.text_rules import (
    clean_info_text,
    clean_text,
    contains_fodselsnummer,
    text_problems,
    valid_fodselsnummer,
)

FNR = "15059012387"  # 15.05.1990, both check digits right
DNR = "41019022356"  # D-nummer: day 01 + 40
FNR_WRONG_CHECK = "15059012388"


def test_a_text_of_exactly_the_limit_is_accepted() -> None:
    assert clean_info_text("reseptfornyelse", "a" * 300) == "a" * 300


def test_one_character_over_the_limit_is_refused_with_the_area_name_and_both_numbers() -> None:
    with pytest.raises(ValidationError) as err:
        clean_info_text("reseptfornyelse", "a" * 301)
    assert err.value.message == "Teksten for «Reseptfornyelse» er 301 tegn; grensen er 300."
    assert err.value.field == "reseptfornyelse"


def test_the_helsekontakt_area_has_its_own_limit_of_200() -> None:
    assert clean_info_text("helsekontakt", "ø" * 200) == "ø" * 200
    with pytest.raises(ValidationError, match="«Helsekontakt inkl. fastlegepanel» er 201 tegn"):
        clean_info_text("helsekontakt", "ø" * 201)


def test_a_letter_with_a_combining_accent_counts_as_one_character_after_nfc() -> None:
    decomposed = "e\u0301" * 300  # e + COMBINING ACUTE ACCENT, 600 code points before NFC
    cleaned = clean_info_text("reseptfornyelse", decomposed)
    assert cleaned == "é" * 300
    assert len(cleaned) == 300


def test_an_emoji_counts_as_one_character() -> None:
    assert clean_info_text("e_konsultasjon", "😀" * 300) == "😀" * 300
    with pytest.raises(ValidationError, match="er 301 tegn"):
        clean_info_text("e_konsultasjon", "😀" * 301)


def test_surrounding_white_space_is_trimmed_and_not_counted() -> None:
    assert clean_info_text("timebestilling", "  \n Hei \t\n ") == "Hei"
    assert clean_info_text("timebestilling", " " + "a" * 300 + "\n\n") == "a" * 300


def test_line_breaks_are_kept_and_windows_line_breaks_become_one() -> None:
    assert clean_info_text("timebestilling", "Linje 1\r\nLinje 2\rLinje 3") == (
        "Linje 1\nLinje 2\nLinje 3"
    )


@pytest.mark.parametrize(
    ("char", "code"), [("\x07", "U+0007"), ("\t", "U+0009"), ("\x00", "U+0000")]
)
def test_other_control_characters_are_refused_and_named(char: str, code: str) -> None:
    with pytest.raises(ValidationError) as err:
        clean_info_text("reseptfornyelse", f"Hei{char}du")
    assert err.value.message == (
        f"Teksten for «Reseptfornyelse» inneholder et ugyldig kontrolltegn ({code})."
    )


def test_html_is_kept_as_plain_text_and_never_escaped_or_stripped() -> None:
    text = '<script>alert("x")</script> & <b>fet</b>'
    assert clean_info_text("kontakt_legekontoret", text) == text


def test_empty_text_means_no_additional_information() -> None:
    assert clean_info_text("reseptfornyelse", "   ") == ""


@pytest.mark.parametrize("number", [FNR, DNR, "23072388054"])
def test_valid_fodselsnummer_and_d_nummer_are_recognised(number: str) -> None:
    assert valid_fodselsnummer(number)


@pytest.mark.parametrize(
    "number",
    [FNR_WRONG_CHECK, "15059012377", "00000000000", "12345678901", "1505901238", "1505901238x"],
)
def test_numbers_with_wrong_check_digits_or_form_are_not_fodselsnummer(number: str) -> None:
    assert not valid_fodselsnummer(number)


@pytest.mark.parametrize(
    "text",
    [
        f"Pasient {FNR} ringte",
        f"Pasient {FNR[:6]} {FNR[6:]} ringte",
        f"D-nummer:{DNR}.",
        FNR,
    ],
)
def test_a_text_with_a_valid_identity_number_is_refused(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        clean_info_text("reseptfornyelse", text)
    assert err.value.message == (
        "Teksten for «Reseptfornyelse» inneholder et fødselsnummer eller D-nummer. "
        "Pasienters identitetsnummer skal aldri stå på en offentlig side."
    )


@pytest.mark.parametrize(
    "text",
    [
        f"Ring {FNR_WRONG_CHECK}",
        f"Kontonummer 1{FNR}",  # part of a longer number
        "Telefon 22 33 44 55, org.nr. 974760673",
    ],
)
def test_other_numbers_are_accepted(text: str) -> None:
    assert clean_info_text("reseptfornyelse", text) == text
    assert not contains_fodselsnummer(text)


def test_text_problems_lists_every_broken_rule_identity_numbers_first_without_raising() -> None:
    problems = text_problems("reseptfornyelse", f"\x07{FNR}" + "a" * 300)
    assert problems == [
        "Teksten for «Reseptfornyelse» inneholder et fødselsnummer eller D-nummer. "
        "Pasienters identitetsnummer skal aldri stå på en offentlig side.",
        "Teksten for «Reseptfornyelse» inneholder et ugyldig kontrolltegn (U+0007).",
        "Teksten for «Reseptfornyelse» er 312 tegn; grensen er 300.",
    ]
    assert text_problems("reseptfornyelse", "Helt fin tekst.") == []


def test_an_unknown_area_is_named_in_the_error() -> None:
    with pytest.raises(NotFound, match="«resepter»"):
        clean_info_text("resepter", "Hei")


def test_a_general_text_names_its_label() -> None:
    with pytest.raises(ValidationError, match="^Merknaden er 4 tegn; grensen er 3.$"):
        clean_text("abcd", label="Merknaden", limit=3)


@pytest.mark.parametrize(
    "written",
    [
        "15.05.90.123.87",
        "150590-12387",
        "150590 – 12387",
        "150 590 123 87",
        "15 05 90 123 87",
        "150590\u00a012387",
        "150590\u202f123\u202f87",  # narrow no-break spaces
        "1505\u200b9012387",  # zero-width space inside
        "150590\u2060\u206012387",
        "".join(chr(0xFF10 + int(d)) for d in FNR),  # full-width digits
        "".join(chr(0x0660 + int(d)) for d in FNR),  # Arabic-Indic digits
        "41.01.90-223 56",  # D-nummer
    ],
)
def test_the_identity_number_guard_sees_through_separators_and_look_alikes(written: str) -> None:
    assert contains_fodselsnummer(f"Pasient {written} ringte")


@pytest.mark.parametrize(
    "text",
    [
        "Ring 22 33 44 55",
        "Ring +47 22 33 44 55 eller 0047 22334455",
        "Tlf. 22 33 44 55 / 23 45 67 89",
        "Tlf. 22 33 44 55, 23 45 67 89 og 915 55 555",
        "Stengt 15.05.1990 kl. 12.30",
        "Stengt 15.05.1990 12.30",
        "Åpent 08.00-15.30, 1.5.–17.5.",
        "Uke 28–31 (10.07.2026–04.08.2026)",
        "Org.nr. 974 760 673",
    ],
)
def test_phone_numbers_and_dates_are_never_taken_for_identity_numbers(text: str) -> None:
    assert not contains_fodselsnummer(text)
    assert clean_info_text("reseptfornyelse", text) == text


@pytest.mark.parametrize(
    ("char", "named"),
    [
        ("\u202e", "U+202E, høyre-til-venstre-overstyring"),
        ("\u200f", "U+200F, høyre-til-venstre-merke"),
        ("\u200b", "U+200B, mellomrom med null bredde"),
        ("\u00ad", "U+00AD, myk bindestrek"),
        ("\ufeff", "U+FEFF, byte-rekkefølgemerke (BOM)"),
        ("\U000e0041", "U+E0041"),  # a tag character, named by code point only
    ],
)
def test_invisible_format_characters_are_refused_and_named(char: str, named: str) -> None:
    with pytest.raises(ValidationError) as err:
        clean_info_text("kontakt_legekontoret", f"Ring{char} 22 33 44 55")
    assert err.value.message == (
        f"Teksten for «Kontakt legekontoret» inneholder et usynlig formateringstegn ({named}) "
        "som kan få teksten til å se annerledes ut for pasienten enn det som er lagret. "
        "Fjern tegnet."
    )


def test_a_zero_width_joiner_inside_an_emoji_sequence_is_accepted() -> None:
    text = "Legen 👩\u200d⚕\ufe0f og familien 👨\u200d👩\u200d👧 ønsker god sommer"
    assert clean_info_text("timebestilling", text) == text


def test_a_zero_width_joiner_between_letters_is_refused() -> None:
    assert text_problems("timebestilling", "Ring\u200doss") != []
