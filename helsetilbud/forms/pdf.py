"""Render a filled form as the PDF the office receives, named after the form's title."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from helsetilbud.forms.answers import FilledForm, format_value
from helsetilbud.forms.items import Item

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
NOT_ANSWERED = "Ikke besvart"


class PdfDocument(NamedTuple):
    """The PDF's bytes and its file name (e.g. "Beskriv symptomene dine.pdf")."""

    content: bytes
    file_name: str


def pdf_file_name(title: str) -> str:
    """A safe file name from the form's title, keeping Norwegian letters."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title)
    cleaned = " ".join(cleaned.split()).strip(" .")
    return f"{cleaned or 'Skjema'}.pdf"


def render_pdf(form: FilledForm, *, when: date | None = None) -> PdfDocument:
    """The answers as PDF: title, the date, each enabled question with its answer."""
    q = form.questionnaire
    writer = _Writer()
    writer.pdf.set_title(q.title)
    writer.pdf.set_lang(q.language or "nb-NO")
    writer.pdf.set_creator("helsetilbud")
    writer.line(q.title, size=18, bold=True, height=9)
    day = when or datetime.now().date()
    day = day.date() if isinstance(day, datetime) else day
    writer.line(f"Dato: {day.strftime('%d.%m.%Y')}", size=11, height=6)
    writer.pdf.ln(4)
    for item in q.items:
        _render(writer, item, form, 0)
    return PdfDocument(bytes(writer.pdf.output()), pdf_file_name(q.title))


def _render(writer: _Writer, item: Item, form: FilledForm, depth: int) -> None:
    if item.link_id not in form.enabled or item.hidden:
        return
    indent = depth * 6
    if item.link_id in form.instances:
        for number, instance in enumerate(form.instances[item.link_id], start=1):
            if not instance.all_answers():
                continue
            title = f"{item.text or item.link_id} ({number})"
            writer.line(title, size=14, bold=True, indent=indent, height=8)
            writer.pdf.ln(1)
            for child in item.items:
                _render(writer, child, instance, depth + 1)
        return
    if item.is_question:
        writer.line(item.text or item.link_id, size=12, bold=True, indent=indent)
        values = form.answers.get(item.link_id) or []
        for value in values or [NOT_ANSWERED]:
            writer.line(format_value(value), size=12, indent=indent + 4)
        writer.pdf.ln(3)
    elif item.items and item.text:
        writer.line(item.text, size=14, bold=True, indent=indent, height=8)
        writer.pdf.ln(1)
    for child in item.items:
        _render(writer, child, form, depth + 1 if item.text else depth)


class _Writer:
    def __init__(self) -> None:
        from fpdf import FPDF  # imported here: fpdf is slow to load and only PDFs need it

        self.pdf = FPDF(format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.add_page()
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        self.unicode = regular.exists() and bold.exists()
        if self.unicode:
            self.pdf.add_font("DejaVu", "", str(regular))
            self.pdf.add_font("DejaVu", "B", str(bold))
        self.family = "DejaVu" if self.unicode else "Helvetica"

    def line(
        self, text: str, *, size: int, bold: bool = False, indent: int = 0, height: int = 6
    ) -> None:
        if not self.unicode:
            text = text.encode("latin-1", "replace").decode("latin-1")
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.set_x(self.pdf.l_margin + indent)
        self.pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")
