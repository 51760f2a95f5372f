"""Voilà's settings for helsetilbud that a command line cannot carry (a Python callable).

`helsetilbud serve` points Voilà at this folder (`--Voila.config_file_paths`).
"""

from helsetilbud.voila_page import page_config

c = get_config()  # noqa: F821 - traitlets defines get_config when it loads this file
c.VoilaConfiguration.page_config_hook = page_config
