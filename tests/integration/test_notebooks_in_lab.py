"""Every notebook runs top to bottom in the kernel JupyterLab (`make lab`) starts for it, with
the same results as the package gives by itself.

nbval compares the summaries with the stored ones; this test starts the kernel the notebook
names through the kernel specs JupyterLab sees in `helsetilbud lab`'s environment, runs each
notebook in it from the notebooks folder, and compares the summary cell's output with the
same cells run in this process.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from helsetilbud.cli.lab import lab_environment
from helsetilbud.cli.setup import NOTEBOOKS_DIR
from tests.builders import SmallCountry

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
CHECKED = "NBVAL_CHECK_OUTPUT"
TODAY = "2026-11-26"


def _code(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def _in_process(nb: nbformat.NotebookNode, env: dict[str, str]) -> str:
    """The checked cell's printed output when the code cells run here, one after another."""
    saved = dict(os.environ)
    os.environ.update(env)
    namespace: dict[str, object] = {}
    out = io.StringIO()
    try:
        for source in _code(nb):
            if CHECKED in source:
                with contextlib.redirect_stdout(out):
                    exec(compile(source, "<cell>", "exec"), namespace)
            else:
                exec(compile(source, "<cell>", "exec"), namespace)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return out.getvalue()


@pytest.fixture
def lab_env(url: str, country: SmallCountry) -> dict[str, str]:
    env = lab_environment(dict(os.environ), url)
    env.update(HELSETILBUD_USER=country.admin, HELSETILBUD_TODAY=TODAY)
    for key in ("VOILA_KERNEL_ID", "VOILA_BASE_URL", "HELSETILBUD_TRUSTED_HEADER"):
        env.pop(key, None)
    return env


def test_there_are_notebooks_and_each_names_a_kernel_jupyterlab_has() -> None:
    assert {p.name for p in NOTEBOOKS} >= {"adopsjon.ipynb", "katalog.ipynb", "rediger.ipynb"}
    specs = KernelSpecManager()
    for path in NOTEBOOKS:
        name = nbformat.read(path, as_version=4).metadata.kernelspec.name
        spec = specs.get_kernel_spec(name)
        # "python" is replaced by the server's own interpreter: this environment's Python
        assert spec.argv[0] in ("python", "python3", sys.executable), (path.name, spec.argv)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_notebook_runs_top_to_bottom_in_the_lab_kernel_with_the_same_summary(
    path: Path, lab_env: dict[str, str]
) -> None:
    if "postgresql" in lab_env["HELSETILBUD_DB_URL"]:
        pytest.skip("kjernene kjøres bare mot SQLite (samme kode; raskere)")
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=nb.metadata.kernelspec.name,
        timeout=120,
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    client.execute(env=lab_env)  # raises CellExecutionError on any error
    checked = [c for c in nb.cells if c.cell_type == "code" and CHECKED in c.source]
    assert len(checked) == 1, path.name
    printed = "".join(o.get("text", "") for o in checked[0].outputs if o.output_type == "stream")
    assert printed.strip(), path.name
    assert printed == _in_process(nbformat.read(path, as_version=4), lab_env)
