"""`helsetilbud serve` as a newcomer starts it: GET the pages and check what is (not) served."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.voila_server import build_small_db, helsetilbud_serve

pytestmark = pytest.mark.e2e


def get(url: str, timeout: float = 120) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("serve")
    url = build_small_db(folder / "liten.sqlite")
    log = folder / "serve.log"
    with helsetilbud_serve(["--db", url], {"HELSETILBUD_USER": "1000001"}, log) as (base, _):
        yield base, log


def test_serve_prints_the_address_of_the_dashboard(server: tuple[str, Path]) -> None:
    base, log = server
    assert f"{base}/voila/render/rediger.ipynb" in log.read_text()


def test_the_dashboard_page_renders_without_its_source_code(server: tuple[str, Path]) -> None:
    base, _ = server
    status, html = get(f"{base}/voila/render/rediger.ipynb")
    assert status == 200
    assert "from helsetilbud.ui import" not in html
    assert "EditorApp.from_environment()" not in html
    assert "Traceback" not in html


def test_every_notebook_is_listed_and_nothing_else(server: tuple[str, Path]) -> None:
    base, _ = server
    status, listing = get(f"{base}/voila/api/contents")
    assert status == 200
    names = {entry["name"] for entry in json.loads(listing)["content"]}
    assert {"rediger.ipynb", "forhandsvisning.ipynb"} <= names
    assert all(name.endswith(".ipynb") for name in names)


@pytest.mark.parametrize(
    "path",
    [
        "/voila/files/data/catalog.json",
        "/voila/files/../data/catalog.json",
        "/voila/files/%2e%2e/data/catalog.json",
        "/files/data/catalog.json",
        "/voila/files/rediger.ipynb",
        "/voila/api/contents/../data",
        "/voila/api/contents/%2e%2e/data/catalog.json",
    ],
)
def test_nothing_outside_the_notebooks_is_served(server: tuple[str, Path], path: str) -> None:
    base, _ = server
    status, body = get(base + path, timeout=30)
    assert status in (403, 404)
    assert "info_areas" not in body


def test_the_page_asks_for_the_inert_typesetter_and_it_is_served(server: tuple[str, Path]) -> None:
    base, _ = server
    status, html = get(f"{base}/voila/render/rediger.ipynb")
    assert status == 200
    config = json.loads(
        html.split('id="jupyter-config-data" type="application/json">')[1].split("</script>")[0]
    )
    assert config["fullMathjaxUrl"] == "/voila/templates/helsetilbud/static/no-math.js"
    status, script = get(base + config["fullMathjaxUrl"], timeout=30)
    assert status == 200
    assert "window.MathJax" in script
