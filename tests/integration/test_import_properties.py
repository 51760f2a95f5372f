"""Property: whatever JSON value or Unicode text stands in any field of an import, the command
answers in Norwegian without a traceback, and a refusal leaves every table as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from helsetilbud.cli import UNEXPECTED_EXIT, main
from helsetilbud.db import SessionFactory
from helsetilbud.exchange import export_all
from tests.integration.db_state import dump_database as dump

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters that have broken importers: lone surrogates, direction and zero-width characters,
# look-alike digits, separators, quotes, controls, formula starters.
TRICKY = list('\ud800\udfff\u202e\u2066\u200b\u200d\ufeff\u00ad０٣-.–= \u00a0\x00\x07\n"\\@+')
characters = st.one_of(st.characters(), st.sampled_from(TRICKY), st.sampled_from("0123456789"))
texts = st.text(characters, max_size=40)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),  # NaN and infinity too: JSON has neither
    texts,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every field of a document: each key of each object, each element of each list."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def has_path(doc: Any, path: tuple[Any, ...]) -> bool:
    for step in path:
        in_dict = isinstance(doc, dict) and step in doc
        in_list = isinstance(doc, list) and isinstance(step, int) and step < len(doc)
        if not (in_dict or in_list):
            return False
        doc = doc[step]
    return True


# The fields are drawn from the first export of each database, so that an accepted import
# which empties a list (a delegation revoked, a closure removed) cannot change what is drawn.
_FIRST_EXPORT: dict[str, list[dict[str, Any]]] = {}


def replaced(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[path[0]] = replaced(doc[path[0]], path[1:], value)
    return copy


def current_docs(factory: SessionFactory) -> list[dict[str, Any]]:
    with factory() as session:
        return [json.loads(line) for line in export_all(session)]


def serialised(docs: list[Any], layout: str, ascii_only: bool) -> bytes:
    if layout == "list":
        text = json.dumps(docs, ensure_ascii=ascii_only, indent=2)
    elif layout == "pretty":
        text = json.dumps(docs[0], ensure_ascii=ascii_only, indent=2)
    else:
        text = "\n".join(json.dumps(d, ensure_ascii=ascii_only) for d in docs)
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate becomes invalid UTF-8


def check_import(engine: Engine, url: str, tmp_path: Path, raw: bytes, capsys: Any) -> int:
    path = tmp_path / "egenskap.json"
    path.write_bytes(raw)
    before = dump(engine)
    code = main(["import", str(path), "--as", "forvalter", "--db", url])
    err = capsys.readouterr().err
    assert code in (0, 1), err
    assert code != UNEXPECTED_EXIT and "Traceback" not in err
    event("accepted" if code == 0 else "refused")
    if code == 1:
        assert err.startswith("Importen ble avvist. Ingenting er endret.")
        assert dump(engine) == before
    return code


@PROPERTY
@given(
    data=st.data(), layout=st.sampled_from(["lines", "list", "pretty"]), ascii_only=st.booleans()
)
def test_any_value_in_any_field_is_answered_without_a_traceback_and_a_refusal_changes_nothing(
    engine: Engine,
    factory: SessionFactory,
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    data: st.DataObject,
    layout: str,
    ascii_only: bool,
) -> None:
    docs = current_docs(factory)
    first = _FIRST_EXPORT.setdefault(url, json.loads(json.dumps(docs)))
    which = data.draw(st.integers(0, len(first) - 1), label="office")
    path = data.draw(st.sampled_from(paths(first[which])), label="field")
    value = data.draw(json_values, label="value")
    assume(has_path(docs[which], path))
    docs[which] = replaced(docs[which], path, value)
    check_import(engine, url, tmp_path, serialised(docs, layout, ascii_only), capsys)


@PROPERTY
@given(extra=texts, value=json_values, depth=st.integers(0, 2))
def test_an_unknown_key_anywhere_is_refused_without_a_traceback(
    engine: Engine,
    factory: SessionFactory,
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: str,
    value: Any,
    depth: int,
) -> None:
    docs = current_docs(factory)
    target = [docs[0], docs[0]["info_texts"], docs[0]["gps"][0]["services"]][depth]
    assume(extra not in target)
    target[extra] = value
    assert check_import(engine, url, tmp_path, serialised(docs, "lines", False), capsys) == 1


@PROPERTY
@given(
    raw=st.one_of(st.binary(max_size=200), texts.map(lambda t: t.encode("utf-8", "surrogatepass")))
)
def test_any_bytes_as_the_whole_file_are_answered_without_a_traceback(
    engine: Engine, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: bytes
) -> None:
    check_import(engine, url, tmp_path, raw, capsys)
