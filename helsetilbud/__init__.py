"""Helsetilbud: how Norwegian GP offices present their digital services on Helsenorge.

The front door for notebooks, scripts and the CLI. Everything a caller needs to read or
change an office is re-exported here; modules not named here are internal.
"""

from helsetilbud.access import Identity, load_identity
from helsetilbud.bootstrap import init_database
from helsetilbud.catalog import AREAS, CATALOG, PATIENT_SERVICES, TRIAGE_SERVICES
from helsetilbud.db import make_engine, make_session_factory, transaction
from helsetilbud.errors import (
    AccessDenied,
    HelsetilbudError,
    ImportFailed,
    NotFound,
    StaleEdit,
    ValidationError,
)
from helsetilbud.patient_view import PatientView, patient_view
from helsetilbud.snapshot import OfficeSnapshot, load_snapshot

__all__ = [
    "AREAS",
    "CATALOG",
    "PATIENT_SERVICES",
    "TRIAGE_SERVICES",
    "AccessDenied",
    "HelsetilbudError",
    "Identity",
    "ImportFailed",
    "NotFound",
    "OfficeSnapshot",
    "PatientView",
    "StaleEdit",
    "ValidationError",
    "init_database",
    "load_identity",
    "load_snapshot",
    "make_engine",
    "make_session_factory",
    "patient_view",
    "transaction",
]
