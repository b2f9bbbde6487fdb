"""Errors raised by the adaptive-testing engine.

The hierarchy is self-contained on purpose: the adaptive package is importable without the
rest of the domain, and ``AdaptiveError`` can later be re-parented under the project's
``DomainError`` without touching any raiser.
"""

from typing import ClassVar


class AdaptiveError(ValueError):
    """Base class of every rule violation in the adaptive engine."""

    default_message: ClassVar[str] = "adaptive testing rule violated"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class InvalidItemBankError(AdaptiveError):
    """Item parameters or metadata break an invariant of the IRT model."""

    default_message = "invalid item bank"


class InvalidSettingsError(AdaptiveError):
    """Adaptive settings are inconsistent or do not fit the item bank."""

    default_message = "invalid adaptive settings"


class InvalidStateError(AdaptiveError):
    """An adaptive state breaks an invariant (lengths, duplicates, theta, se, seed)."""

    default_message = "invalid adaptive state"


class ItemOutOfRangeError(AdaptiveError):
    """An item index does not exist in the item bank."""

    default_message = "item index is outside the item bank"


class ItemAlreadyAdministeredError(AdaptiveError):
    """An item was recorded twice for the same examinee."""

    default_message = "item was already administered in this test"


class UnknownItemError(AdaptiveError):
    """A response history names an item id the bank does not hold."""

    default_message = "item id is not in the item bank"
