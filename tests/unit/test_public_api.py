"""The package's front door: what notebooks and scripts may rely on."""

import helsetilbud


def test_the_public_api_is_exactly_what_all_lists() -> None:
    public = {name for name in dir(helsetilbud) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(helsetilbud, name)).__name__ == "module"}
    assert public - modules == set(helsetilbud.__all__)


def test_every_exported_name_resolves() -> None:
    for name in helsetilbud.__all__:
        assert getattr(helsetilbud, name) is not None
