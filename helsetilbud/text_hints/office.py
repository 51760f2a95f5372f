"""The hints for one office's text: its standard text, registry phone and review dates."""

from __future__ import annotations

from datetime import date

from helsetilbud.oslo_time import today_in_oslo
from helsetilbud.snapshot import OfficeSnapshot
from helsetilbud.text_hints.patterns import is_stale
from helsetilbud.text_hints.rules import Hint, check_text

__all__ = ["office_hints"]


def office_hints(
    snapshot: OfficeSnapshot, area: str, text: str | None = None, today: date | None = None
) -> list[Hint]:
    """The hints for `text` (default: the stored text) in `area` at the office of `snapshot`.

    The «not changed in 12 months» hint applies only to the stored text, counted from its last
    change or confirmation, as the report counts it.
    """
    today = today or today_in_oslo()
    stored = snapshot.texts.get(area, "")
    text = stored if text is None else text
    dates = snapshot.text_dates.get(area)
    stale = text == stored and is_stale(dates.last_reviewed if dates else None, today)
    return check_text(
        text,
        area=area,
        standard=snapshot.standard_text(area),
        today=today,
        stale=stale,
        registry_phone=snapshot.phone,
    )
