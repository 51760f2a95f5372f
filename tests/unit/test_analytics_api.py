"""The analytics package's public surface: what notebooks, the CLI and the UI rely on."""

from __future__ import annotations

import helsetilbud.analytics as an


def test_every_exported_name_exists_and_nothing_private_is_exported() -> None:
    assert sorted(an.__all__) == sorted(set(an.__all__))
    for name in an.__all__:
        assert hasattr(an, name), name
        assert not name.startswith("_"), name


def test_the_report_functions_are_exported() -> None:
    for name in (
        "adoption",
        "adoption_matrix",
        "regression_check",
        "service_offering",
        "text_coverage",
        "text_flags",
        "trends",
    ):
        assert name in an.__all__


def test_every_flag_has_a_norwegian_label_and_a_column_label() -> None:
    assert set(an.FLAG_LABELS) == set(an.FLAGS) == set(an.FLAG_SHORT)
    for flag in an.FLAGS:
        assert an.COLUMN_LABELS[f"flag_{flag}"] == an.FLAG_LABELS[flag]
