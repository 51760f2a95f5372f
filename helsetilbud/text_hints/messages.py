"""Every hint's Norwegian wording: what was found, why it matters, what to do."""

from __future__ import annotations

from helsetilbud.text_hints.numbers import EMERGENCY, LEGEVAKT

# The short name of each hint (the report's flag labels for the report's flags).
TITLES: dict[str, str] = {
    "empty": "Tom tekst",
    "unchanged": "Ikke endret på over 12 måneder",
    "korona": "Handler fortsatt om korona/covid",
    "past_date": "Nevner en dato som er passert",
    "standard_text": "Gjentar standardteksten",
    "phone": "Inneholder et telefonnummer (sjekk)",
    "web": "Inneholder en nettadresse (sjekk)",
    "standard_sentence": "Gjentar en setning fra standardteksten",
    "standard_contradiction": "Sier noe annet enn standardteksten",
    "phone_registry": "Telefonnummeret er et annet enn i registeret",
    "emergency_number": "Feil nødnummer eller legevaktnummer",
    "long_sentence": "Lang setning",
    "lix": "Tung å lese (LIKS)",
    "capitals": "Ord med store bokstaver",
}


def empty() -> str:
    return (
        "Feltet er tomt, så pasientene ser bare standardteksten. Skriv det pasientene trenger "
        "å vite om dette hos dere, eller la feltet stå tomt hvis standardteksten sier nok."
    )


def unchanged() -> str:
    return (
        "Teksten er ikke endret eller bekreftet på over 12 måneder, og kan ha blitt feil. Les "
        "den og trykk «Teksten stemmer fortsatt» hvis den er riktig, eller rett den."
    )


def korona(word: str) -> str:
    return (
        f"«{word}» handler om korona. Pasienter kan tro at tilbudet eller rådet fortsatt "
        "gjelder. Fjern det hvis det ikke stemmer lenger."
    )


def past_date(written: str) -> str:
    return (
        f"Datoen {written} er passert. Pasienter kan tro at det som står, fortsatt gjelder. "
        "Fjern datoen, eller bruk «Planlagt tekst», som forsvinner av seg selv etter perioden."
    )


def standard_text(equal: bool) -> str:
    what = "er lik standardteksten" if equal else "gjentar hele standardteksten"
    return (
        f"Teksten {what}, som pasientene allerede ser rett over. Skriv bare det som kommer i "
        "tillegg, eller la feltet stå tomt."
    )


def standard_sentence(sentence: str) -> str:
    return (
        f"Setningen «{sentence}» står allerede i standardteksten. Ta den bort, så blir teksten "
        "kortere og lettere å lese."
    )


def standard_contradiction(theirs: str, mine: str) -> str:
    return (
        f"Standardteksten sier «{theirs}», men teksten din sier «{mine}». Pasienten får to "
        "ulike svar. Rett teksten så de stemmer overens."
    )


def phone(number: str) -> str:
    return (
        f"Teksten har telefonnummeret {number}. Sjekk at det er riktig og betjent når "
        "pasientene ringer."
    )


def phone_registry(number: str, registry: str) -> str:
    return (
        f"Telefonnummeret {number} er et annet enn kontorets nummer i registeret ({registry}). "
        "Med feil nummer når ikke pasienten fram. Rett nummeret, eller få registeret oppdatert."
    )


def web(address: str) -> str:
    return (
        f"Teksten har nettadressen {address}. Sjekk at den virker og viser til riktig side; "
        "adresser endres ofte uten at teksten blir rettet."
    )


def wrong_emergency(number: str, whose: str) -> str:
    return (
        f"{number} er nummeret til {whose}, ikke medisinsk nødtelefon. Ved akutt sykdom eller "
        f"skade skal pasienten ringe {EMERGENCY}. Rett nummeret: et feil nødnummer kan koste liv."
    )


def near_legevakt(number: str) -> str:
    return (
        f"{number} ligner legevaktnummeret, men er ikke {LEGEVAKT}. Pasienten kommer ikke fram. "
        f"Rett det til {LEGEVAKT}."
    )


def local_legevakt(number: str) -> str:
    return (
        f"Legevakten nås på {LEGEVAKT} fra hele landet. Et lokalt nummer som {number} kan "
        f"endres uten at teksten blir rettet. Skriv heller {LEGEVAKT}."
    )


def long_sentence(count: int, limit: int) -> str:
    return (
        f"Setningen har {count} ord. Setninger over {limit} ord er tunge å lese, særlig på "
        "mobil. Del den i to eller flere."
    )


def lix(value: float, level: str) -> str:
    return (
        f"Lesbarhetsindeksen (LIKS) er {value:.0f}: {level}. Kortere setninger og kortere ord "
        "gjør teksten lettere å lese for alle pasienter."
    )


def capitals(word: str) -> str:
    return (
        f"«{word}» står med store bokstaver. Det er tyngre å lese og kan oppleves som roping. "
        "Skriv ordet med små bokstaver; sett det viktigste først i teksten i stedet."
    )
