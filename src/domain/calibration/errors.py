"""Errors raised by item calibration."""

from typing import ClassVar

from domain.errors import DomainError


class CalibrationError(DomainError):
    """Responses or settings from which no item parameters can be fitted."""

    default_message: ClassVar[str] = "the responses cannot be calibrated"


class DegenerateItemError(CalibrationError):
    """An item whose responses carry no information about its parameters.

    With no responses, or with every response correct (or every one wrong), the
    likelihood keeps rising as the difficulty runs off to infinity: there is no finite
    estimate to report, so the item must be dropped or given more responses.
    """

    default_message = "an item's responses cannot identify its parameters"
