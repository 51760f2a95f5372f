"""What a patient sees on Helsenorge: pure functions from a PatientView to HTML.

`render_page` gives a self-contained document (the CLI, screenshots), `render_fragment` the
same content for an ipywidgets HTML widget, `render_form` one triage form ("Prøv skjemaet").
Every office text is escaped; nothing is loaded from the network and no script is emitted.
"""

from helsetilbud.preview.pages import PAGE_TRIAGE_SERVICE
from helsetilbud.preview.render import (
    PAGE_TITLES,
    PAGES,
    STEPS,
    render_form,
    render_fragment,
    render_page,
    stylesheet,
)

__all__ = [
    "PAGES",
    "PAGE_TITLES",
    "PAGE_TRIAGE_SERVICE",
    "STEPS",
    "render_form",
    "render_fragment",
    "render_page",
    "stylesheet",
]
