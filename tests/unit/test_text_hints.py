"""The text rules a GP sees under the text box, the command line prints and the report counts."""

from __future__ import annotations

from datetime import date

import pytest

from helsetilbud.analytics import find_flags
from helsetilbud.text_hints import check_text, lix, lix_level

TODAY = date(2026, 11, 26)


def codes(text: str, **kwargs: object) -> list[str]:
    return [h.code for h in check_text(text, today=TODAY, **kwargs)]  # type: ignore[arg-type]


def marked(text: str, code: str, **kwargs: object) -> list[tuple[str, int, int]]:
    return [
        (text[h.start : h.end], h.start, h.end)
        for h in check_text(text, today=TODAY, **kwargs)  # type: ignore[arg-type]
        if h.code == code and h.start is not None and h.end is not None
    ]


def test_a_korona_text_with_a_past_date_gets_both_hints_naming_the_words_where_they_stand():
    text = "Vi tilbyr koronatest. Stengt 01.07.2025."
    hints = check_text(text, area="reseptfornyelse", today=TODAY)
    assert [(h.code, h.start, h.end) for h in hints] == [
        ("korona", 10, 20),
        ("past_date", 29, 39),
    ]
    assert "«koronatest»" in hints[0].message
    assert "01.07.2025" in hints[1].message
    assert all(h.warning for h in hints)


@pytest.mark.parametrize(
    "text",
    [
        "Vi fornyer resepter innen tre dager.",
        "Ring oss gjerne hvis du lurer på noe.",
        "Du kan bestille time her. Vi har åpent hverdager.",
        "Kontoret er stengt 24.12.2026.",
    ],
)
def test_a_short_plain_current_text_gets_no_hints(text):
    assert codes(text, area="reseptfornyelse") == []


def test_koronar_about_the_heart_is_no_korona_hint():
    assert codes("Vi undersøker koronarsykdom.") == []


def test_an_empty_text_gets_one_hint_and_nothing_else():
    assert codes("   ", area="timebestilling") == ["empty"]


def test_a_text_not_changed_for_a_year_gets_the_unchanged_hint_first():
    assert codes("Ring oss.", stale=True) == ["unchanged"]


@pytest.mark.parametrize(
    ("text", "words", "sentences", "long_words", "value"),
    [
        # 8 words, 2 sentences, no word over six letters: 8/2 + 0
        ("Vi tilbyr timer hver dag. Ring oss gjerne.", 8, 2, 0, 4.0),
        # 9 words, 2 sentences, all long: 9/2 + 100
        (
            "Reseptfornyelse bestilles elektronisk gjennom Helsenorge. Legekontoret "
            "behandler henvendelser fortløpende.",
            9,
            2,
            9,
            104.5,
        ),
        # "kl." ends no sentence, a date is one word with no letters: 15/2 + 100/15
        ("Kontoret er stengt fra kl. 12 til 01.08.2026. Ring 22 33 44 55 ved behov.", 15, 2, 1,
         7.5 + 100 / 15),
        # ":" before a capital and "!" end sentences: 16/3 + 400/16
        ("Vi har åpent mandag til fredag. Timebestilling skjer på Helsenorge eller telefon: "
         "Ring før klokken ni!", 16, 3, 4, 16 / 3 + 25),
    ],
)  # fmt: skip
def test_lix_is_words_per_sentence_plus_the_percentage_of_words_over_six_letters(
    text, words, sentences, long_words, value
):
    counts = lix(text)
    assert counts is not None
    assert (counts.words, counts.sentences, counts.long_words) == (words, sentences, long_words)
    assert counts.value == pytest.approx(value)


def test_lix_levels_follow_spraakraadets_scale():
    assert lix_level(29.9).startswith("svært lettlest")
    assert lix_level(30).startswith("lettlest")
    assert lix_level(45).startswith("middels vanskelig")
    assert lix_level(50).startswith("vanskelig")
    assert lix_level(60).startswith("svært vanskelig")


def test_a_heavy_text_gets_a_lix_hint_with_the_level_and_a_light_one_does_not():
    heavy = (
        "Legekontorets administrasjon behandler henvendelser vedrørende reseptfornyelse "
        "fortløpende. Elektroniske forespørsler prioriteres etter medisinskfaglig vurdering. "
        "Pasienter oppfordres til å benytte Helsenorge fremfor telefonhenvendelser."
    )
    hint = [h for h in check_text(heavy, today=TODAY) if h.code == "lix"]
    assert len(hint) == 1 and "svært vanskelig" in hint[0].message and hint[0].start is None
    light = "Vi har åpent hver dag. Ring oss. Du kan også sende en melding. Vi svarer i dag."
    assert "lix" not in codes(light)


def test_a_sentence_of_more_than_twenty_words_is_marked_as_long():
    long = " ".join(["ord"] * 21) + "."
    assert marked(long + " Kort setning.", "long_sentence") == [(long, 0, len(long))]
    assert codes(" ".join(["ord"] * 20) + ".") == []


def test_words_in_capitals_are_marked_but_acronyms_short_words_and_postal_places_are_not():
    text = "VIKTIG: Logg inn med BankID. Kontakt NAV eller HELFO. STENGT i dag. Gata 1, 0155 OSLO"
    assert [w for w, _, _ in marked(text, "capitals")] == ["VIKTIG", "STENGT"]


def test_a_text_repeating_the_standard_text_is_marked_as_the_report_flags_it():
    standard = (
        "Stille et praktisk spørsmål til resepsjonen ved fastlegekontoret. Du vil bli kontaktet "
        "innen fem arbeidsdager."
    )
    text = standard + " Vi har åpent 8–15."
    hints = [h for h in check_text(text, area="kontakt_legekontoret", today=TODAY)]
    assert [h.code for h in hints] == ["standard_text"]
    assert text[hints[0].start : hints[0].end] == standard
    one = "Hei! Du vil bli kontaktet innen fem arbeidsdager."
    assert marked(one, "standard_sentence", area="kontakt_legekontoret") == [
        ("Du vil bli kontaktet innen fem arbeidsdager.", 5, len(one))
    ]


def test_a_longer_deadline_or_a_free_consultation_contradicts_the_standard_text():
    assert marked("Vi svarer innen to uker.", "standard_contradiction", area="reseptfornyelse") == [
        ("innen to uker", 10, 23)
    ]
    assert codes("Vi svarer innen to dager.", area="reseptfornyelse") == []
    free = "E-konsultasjon er gratis hos oss."
    hints = [h for h in check_text(free, area="e_konsultasjon", today=TODAY)]
    assert [h.code for h in hints] == ["standard_contradiction"]
    assert "egenandel" in hints[0].message and "«gratis»" in hints[0].message
    only = "Bare fastlegen leser meldingene."
    assert codes(only, area="reseptfornyelse") == ["standard_contradiction"]


def test_a_phone_number_other_than_the_registrys_is_marked_and_the_same_one_is_only_checked():
    text = "Ring 22 33 44 55."
    assert codes(text, registry_phone="+47 22 33 44 55") == ["phone"]
    assert marked(text, "phone_registry", registry_phone="22 33 44 66") == [("22 33 44 55", 5, 16)]
    assert codes(text) == ["phone"]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Ved akutt sykdom, ring 112.", "112"),
        ("Ring 116 177 om natten.", "116 177"),
        ("Legevakten har telefon 22 93 22 93.", "22 93 22 93"),
    ],
)
def test_an_emergency_or_legevakt_number_other_than_113_and_116_117_is_marked(text, number):
    found = marked(text, "emergency_number")
    assert [w for w, _, _ in found] == [number]
    assert any(n in h.message for h in check_text(text, today=TODAY) for n in ("113", "116 117"))


def test_helsenorges_own_emergency_numbers_and_a_street_number_raise_nothing():
    assert codes("Ring 113 ved akutt sykdom og 116 117 til legevakten. Storgata 112.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Vi tilbyr koronavaksine og covid-19-test.",
        "Stengt 1. juli 2024 og 03.03.2025. Åpent igjen 01.01.2027.",
        "Ring 22 33 44 55 eller +47 91234567.",
        "Se www.sentrum-lege.no eller https://lege.example.com/time.",
        "Be om å få fornyet en eller flere resepter. Merk at meldingen kan bli lest av andre ved "
        "legekontoret enn fastlegen. Du vil bli kontaktet senest innen fem arbeidsdager.",
        "",
    ],
)
def test_every_flag_the_report_raises_is_a_hint_on_the_same_words(text):
    flags = find_flags(
        text, today=TODAY, standard="Be om å få fornyet en eller flere resepter. Merk at "
        "meldingen kan bli lest av andre ved legekontoret enn fastlegen. Du vil bli kontaktet "
        "senest innen fem arbeidsdager.",
    )  # fmt: skip
    hints = check_text(text, area="reseptfornyelse", today=TODAY)
    assert set(flags) <= {h.code for h in hints}
    for flag in ("korona", "phone", "web"):
        if flag in flags:
            words = [text[h.start : h.end] for h in hints if h.code == flag]
            assert flags[flag].split(", ")[0] == words[0]
