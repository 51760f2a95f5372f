"""What a preheated kernel does while it waits for its page view: the imports and the first
rendering that building an editor, the first keystroke and the first LAGRE would otherwise pay
for, on a machine that may then be full (docs/decisions/0020-widgets-opened-at-end.md)."""

from __future__ import annotations

import contextlib

from sqlalchemy import select

from helsetilbud.db import SessionFactory

__all__ = ["warm_up"]


def warm_up(factory: SessionFactory) -> None:
    """Open the database connection, import what saving needs and render each patient page of
    the first office once.

    Nothing is written and no widget is made. Any failure is left for the page view's own
    build to report, in Norwegian, to the person it concerns.
    """
    snapshot = None
    with contextlib.suppress(Exception):
        from helsetilbud.model import Office
        from helsetilbud.snapshot import load_snapshot

        with factory() as session:  # the connection is open before anyone waits for it
            her_id = session.scalar(select(Office.her_id).order_by(Office.id).limit(1))
            snapshot = load_snapshot(session, her_id) if her_id is not None else None
    with contextlib.suppress(Exception):
        from helsetilbud import editing  # noqa: F401 - LAGRE
        from helsetilbud.forms.fhir_check import load_models
        from helsetilbud.patient_view import patient_view
        from helsetilbud.preview import PAGE_TITLES, render_fragment
        from helsetilbud.ui.common import now_utc

        load_models()  # the preview checks each triage form against FHIR R4B
        if snapshot is None:
            return
        view = patient_view(snapshot, None, now_utc(), {"kontakt_legekontoret": "."})
        for page in PAGE_TITLES:
            render_fragment(view, page, step="melding", styled=False)
