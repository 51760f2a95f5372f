"""The fixed facts: info areas, triage services, patient services, tool kinds, fylker.

Loaded once from `data/catalog.json`. The triage tools themselves live in the database
(the forvalter can add and replace them); `catalog.json` lists the ones loaded at `init`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(
    os.environ.get("HELSETILBUD_DATA_DIR", Path(__file__).resolve().parents[1] / "data")
)
QUESTIONNAIRE_DIR = DATA_DIR / "questionnaires"


@dataclass(frozen=True)
class InfoArea:
    slug: str
    name: str
    limit: int
    standard_text: str | None  # None: built from the office's name and address


@dataclass(frozen=True)
class TriageService:
    slug: str
    name: str
    patient_service: str


@dataclass(frozen=True)
class PatientService:
    slug: str
    name: str
    button: str


@dataclass(frozen=True)
class ToolSpec:
    id: str
    title: str
    kind: str
    standard: bool
    services: tuple[str, ...]
    description: str

    @property
    def questionnaire_path(self) -> Path:
        return QUESTIONNAIRE_DIR / f"{self.id}.json"


@dataclass(frozen=True)
class Catalog:
    info_areas: tuple[InfoArea, ...]
    triage_services: tuple[TriageService, ...]
    patient_services: tuple[PatientService, ...]
    tool_kinds: dict[str, str]
    tools: tuple[ToolSpec, ...]
    fylker: tuple[str, ...]

    def area(self, slug: str) -> InfoArea:
        for area in self.info_areas:
            if area.slug == slug:
                return area
        raise KeyError(slug)

    def triage_service(self, slug: str) -> TriageService:
        for service in self.triage_services:
            if service.slug == slug:
                return service
        raise KeyError(slug)

    def patient_service(self, slug: str) -> PatientService:
        for service in self.patient_services:
            if service.slug == slug:
                return service
        raise KeyError(slug)

    @property
    def area_slugs(self) -> tuple[str, ...]:
        return tuple(a.slug for a in self.info_areas)

    @property
    def triage_slugs(self) -> tuple[str, ...]:
        return tuple(s.slug for s in self.triage_services)

    @property
    def patient_slugs(self) -> tuple[str, ...]:
        return tuple(s.slug for s in self.patient_services)


@cache
def load_catalog(path: Path | None = None) -> Catalog:
    """Read the catalogue file (cached); `path` defaults to `data/catalog.json`."""
    raw = json.loads((path or DATA_DIR / "catalog.json").read_text(encoding="utf-8"))
    return Catalog(
        info_areas=tuple(
            InfoArea(a["slug"], a["name"], int(a["limit"]), a.get("standard_text"))
            for a in raw["info_areas"]
        ),
        triage_services=tuple(
            TriageService(s["slug"], s["name"], s["patient_service"])
            for s in raw["triage_services"]
        ),
        patient_services=tuple(
            PatientService(s["slug"], s["name"], s["button"]) for s in raw["patient_services"]
        ),
        tool_kinds={k["slug"]: k["name"] for k in raw["tool_kinds"]},
        tools=tuple(
            ToolSpec(
                t["id"],
                t["title"],
                t["kind"],
                bool(t["standard"]),
                tuple(t["services"]),
                t["description"],
            )
            for t in raw["tools"]
        ),
        fylker=tuple(raw["fylker"]),
    )


CATALOG = load_catalog()
AREAS = CATALOG.area_slugs
TRIAGE_SERVICES = CATALOG.triage_slugs
PATIENT_SERVICES = CATALOG.patient_slugs
