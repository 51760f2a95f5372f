"""Named errors of the domain, each carrying a Norwegian message a person can read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class HelsetilbudError(Exception):
    """Base of every error the product reports to a person.

    `message` is Norwegian bokmål; `field` names what the error concerns (an area slug,
    a service slug, a linkId, a file path) when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(HelsetilbudError):
    """Input that breaks a rule: too long, malformed, wrong tool for a service."""


class NotFound(HelsetilbudError):
    """An office, GP, user, area, service or tool that does not exist."""


class AccessDenied(HelsetilbudError):
    """The identity has no right to do this."""


@dataclass(frozen=True)
class CurrentValue:
    """What is stored now, shown to someone whose edit was based on an older version."""

    value: object
    version: int
    changed_by: str | None
    changed_at: datetime | None


class StaleEdit(HelsetilbudError):
    """Someone else saved in the meantime; `current` holds their value, who and when."""

    def __init__(self, message: str, current: CurrentValue, field: str | None = None) -> None:
        super().__init__(message, field)
        self.current = current


class ImportFailed(HelsetilbudError):
    """An import file with one or more problems; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Importen ble avvist: " + "; ".join(problems))
        self.problems = problems
