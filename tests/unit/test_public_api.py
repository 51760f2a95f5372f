"""The package's front door: what notebooks and scripts may rely on."""

import helsetilbud


def test_the_public_api_is_exactly_what_all_lists() -> None:
    public = {name for name in dir(helsetilbud) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(helsetilbud, name)).__name__ == "module"}
    assert public - modules == set(helsetilbud.__all__)


def test_every_exported_name_resolves() -> None:
    for name in helsetilbud.__all__:
        assert getattr(helsetilbud, name) is not None


def test_the_core_and_the_views_never_import_the_command_line() -> None:
    import ast
    from pathlib import Path

    package = Path(helsetilbud.__file__).parent
    offenders = []
    for path in package.rglob("*.py"):
        if path.is_relative_to(package / "cli"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            if any(n == "helsetilbud.cli" or n.startswith("helsetilbud.cli.") for n in names):
                offenders.append(str(path.relative_to(package)))
    assert offenders == []
