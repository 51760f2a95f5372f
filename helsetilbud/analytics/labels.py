"""Norwegian labels for the analytics frames: columns, services, tools, areas, flags."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from helsetilbud.analytics._common import TOOLS, Bind, connect
from helsetilbud.analytics.flags import FLAG_LABELS
from helsetilbud.catalog import CATALOG

__all__ = [
    "COLUMN_LABELS",
    "FLAG_LABELS",
    "FLAG_SHORT",
    "MEASURE_LABELS",
    "NO_TOOL",
    "area_name",
    "labelled",
    "service_name",
    "tool_names",
]

NO_TOOL = "Ingen"

COLUMN_LABELS: dict[str, str] = {
    "her_id": "HER-id",
    "name": "Legekontor",
    "fylke": "Fylke",
    "service": "Tjeneste",
    "tool": "Verktøy",
    "offices": "Legekontorer",
    "share": "Andel",
    "area": "Område",
    "with_text": "Med tekst",
    "min_length": "Korteste",
    "median_length": "Median lengde",
    "p90_length": "90-persentil",
    "max_length": "Lengste",
    "limit": "Grense",
    "near_limit": "Nær grensen (≥ 90 %)",
    "flag": "Merknad",
    "text": "Tekst",
    "detail": "Funnet",
    "office_size": "Kontorstørrelse (fastleger)",
    "gps": "Fastleger",
    "offering": "Tilbyr tjenesten",
    "month": "Måned",
    "measure": "Mål",
    "key": "Hva",
    "value": "Antall",
    "problem": "Problem",
}

COLUMN_LABELS.update({f"flag_{slug}": label for slug, label in FLAG_LABELS.items()})

# Short flag names for narrow tables (the CLI's table of texts).
FLAG_SHORT: dict[str, str] = {
    "empty": "Tom",
    "unchanged": "Uendret >12 mnd",
    "korona": "Korona/covid",
    "past_date": "Passert dato",
    "standard_text": "Standardtekst",
    "phone": "Telefonnr.",
    "web": "Nettadresse",
}

MEASURE_LABELS: dict[str, str] = {
    "with_tool": "Legekontorer med verktøy ved månedsslutt",
    "to_tool": "Endret til et verktøy",
    "to_none": "Endret til ingen",
    "text_changes": "Tekstendringer",
}


def service_name(slug: str, patient: bool = False) -> str:
    """UI name of a triage service (or, with `patient`, a patient service); else the slug."""
    services = (
        (*CATALOG.patient_services, *CATALOG.triage_services)
        if patient
        else (*CATALOG.triage_services, *CATALOG.patient_services)
    )
    for service in services:
        if service.slug == slug:
            return service.name
    return slug


def area_name(slug: str) -> str:
    try:
        return CATALOG.area(slug).name
    except KeyError:
        return slug


def tool_names(bind: Bind) -> dict[str, str]:
    """Tool id -> the name shown in the editor, "Forny resept (Standard)"."""
    with connect(bind) as conn:
        rows = conn.execute(select(TOOLS.c.id, TOOLS.c.title, TOOLS.c.standard))
        return {i: f"{t} (Standard)" if s else t for i, t, s in rows}


def labelled(
    frame: pd.DataFrame, tools: dict[str, str] | None = None, *, patient: bool = False
) -> pd.DataFrame:
    """A copy for people: slugs replaced by names, columns named in Norwegian.

    `patient`: the service column holds patient services (service_offering), not triage ones.
    """
    out = frame.copy()
    if "service" in out:
        out["service"] = out["service"].map(lambda s: service_name(s, patient))
    if "tool" in out:
        names = tools or {}
        out["tool"] = pd.Series(
            [NO_TOOL if t is None or pd.isna(t) else names.get(t, t) for t in out["tool"]],
            index=out.index,
            dtype=object,
        )
    if "area" in out:
        out["area"] = out["area"].map(area_name)
    if "flag" in out:
        out["flag"] = out["flag"].map(lambda f: FLAG_LABELS.get(f, f))
    if "measure" in out:
        out["measure"] = out["measure"].map(lambda m: MEASURE_LABELS.get(m, m))
        if "key" in out:
            out["key"] = out["key"].map(
                lambda k: area_name(k) if k in CATALOG.area_slugs else service_name(k)
            )
    return out.rename(columns=COLUMN_LABELS)
