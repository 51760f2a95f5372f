"""What Voilà puts in the page config of helsetilbud's pages (its `page_config_hook`).

`helsetilbud serve` points Voilà at `share/jupyter/voila/voila.py`, which installs
`page_config`. The one change: the page's LaTeX typesetter is an inert stand-in
(`templates/helsetilbud/static/no-math.js`), not MathJax (docs/decisions/0025-no-mathjax.md).
"""

from __future__ import annotations

from typing import Any

from jupyter_server.utils import url_path_join

__all__ = ["NO_MATH_SCRIPT", "page_config"]

NO_MATH_SCRIPT = "voila/templates/helsetilbud/static/no-math.js"


def page_config(current_page_config: dict[str, Any], base_url: str, **_: Any) -> dict[str, Any]:
    """Voilà's page config with MathJax replaced by `NO_MATH_SCRIPT`.

    With `fullMathjaxUrl` set, Voilà's front end takes its MathJax 2 plugin, which loads that
    script on the first label it typesets, instead of the MathJax 3 built into its bundle.
    """
    return {
        **current_page_config,
        "fullMathjaxUrl": url_path_join(base_url, NO_MATH_SCRIPT),
        "mathjaxConfig": "ingen",
    }
