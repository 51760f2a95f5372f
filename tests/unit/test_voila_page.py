"""The page config Voilà sends helsetilbud's pages: no MathJax (docs/decisions/0025)."""

from __future__ import annotations

from traitlets.config.loader import PyFileConfigLoader

from helsetilbud.cli.setup import VOILA_CONFIG_DIR, voila_command
from helsetilbud.voila_page import NO_MATH_SCRIPT, page_config


def test_the_page_gets_the_inert_typesetter_under_the_servers_base_url():
    config = page_config({"baseUrl": "/helse/", "fullMathjaxUrl": None}, "/helse/")
    assert config["fullMathjaxUrl"] == "/helse/" + NO_MATH_SCRIPT
    assert config["baseUrl"] == "/helse/"


def test_the_rest_of_the_page_config_is_left_as_voila_made_it():
    before = {"baseUrl": "/", "federated_extensions": [{"name": "x"}], "mathjaxConfig": None}
    after = page_config(dict(before), "/")
    assert {k: v for k, v in after.items() if k not in ("fullMathjaxUrl", "mathjaxConfig")} == {
        k: v for k, v in before.items() if k != "mathjaxConfig"
    }


def test_voila_reads_the_hook_from_helsetilbuds_own_config_folder():
    assert f"--Voila.config_file_paths={VOILA_CONFIG_DIR}" in voila_command(8866)
    loaded = PyFileConfigLoader("voila.py", path=str(VOILA_CONFIG_DIR)).load_config()
    assert loaded.VoilaConfiguration.page_config_hook is page_config
