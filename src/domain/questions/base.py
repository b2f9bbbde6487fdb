"""What every question type shares: its name, the response it takes, how it marks one."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import ClassVar, TypeAlias

# A response as JSON carries it: external questions take any value; the others narrow it.
JsonValue: TypeAlias = "str | int | float | bool | list[JsonValue] | dict[str, JsonValue] | None"


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    NUMERIC = "numeric"
    TEXT = "text"
    ESSAY = "essay"
    EXTERNAL = "external"


@dataclass(frozen=True, slots=True, kw_only=True)
class Marking:
    """What one response is worth as a share of the question's points (0..1), exactly.

    `share` None means a person (or the platform) scores it: the points are pending.
    `right` counts the response as correct in the result's `correct` tally.
    """

    share: Fraction | None
    right: bool = False

    def __post_init__(self) -> None:
        if self.share is not None and not 0 <= self.share <= 1:
            raise ValueError("a marking's share lies between 0 and 1")

    @property
    def pending(self) -> bool:
        return self.share is None


NOTHING = Marking(share=Fraction(0))
FULL = Marking(share=Fraction(1), right=True)
PENDING = Marking(share=None)


class AnswerKey(ABC):
    """A question type's definition and rules: every type subclasses this.

    `accept` raises `InvalidResponse` (field relative to the response, "" for the whole)
    and returns the response as it is stored; `mark` is only given accepted responses.
    """

    __slots__ = ()
    type: ClassVar[QuestionType]
    # Choice types need the question's options; the others must have none.
    uses_options: ClassVar[bool] = False

    def check_definition(self, where: str, option_keys: frozenset[str]) -> None:  # noqa: B027
        """Refuse (InvalidExamDefinition) a definition inconsistent with the options;
        types without options have nothing to check against them."""

    @abstractmethod
    def accept(self, response: JsonValue, option_keys: frozenset[str]) -> JsonValue:
        """The response as stored, or InvalidResponse naming the field."""

    @abstractmethod
    def mark(self, response: JsonValue) -> Marking:
        """What an accepted response is worth."""

    @property
    def dichotomous(self) -> bool:
        """Scored right or wrong by the service, as the adaptive engine's items must be."""
        return False
