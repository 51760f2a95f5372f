"""Named errors of the form engine, each with a Norwegian message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from helsetilbud.errors import HelsetilbudError


class QuestionnaireError(HelsetilbudError):
    """A file or resource that cannot be used as a form at all."""


@dataclass(frozen=True)
class AnswerProblem:
    """One problem with a patient's answer to one item."""

    link_id: str
    message: str
    text: str = ""
    instance: tuple[int, ...] = ()
    """Which instance of each repeating group around the item (0 first, outermost first)."""

    @property
    def where(self) -> str:
        """The linkId, with the instance numbers a person counts: "vekt (nr. 2)"."""
        if not self.instance:
            return self.link_id
        return f"{self.link_id} (nr. {'.'.join(str(i + 1) for i in self.instance)})"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class AnswersInvalid(HelsetilbudError):
    """The answers break one or more of the form's rules; `problems` lists each."""

    def __init__(self, problems: Sequence[AnswerProblem]) -> None:
        self.problems = list(problems)
        lines = "; ".join(str(p) for p in self.problems)
        super().__init__(f"Svarene er ikke gyldige: {lines}")
