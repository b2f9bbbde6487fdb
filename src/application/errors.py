"""Errors of the application layer: lookups, permissions and storage availability.

They are not `DomainError`s: no exam rule refuses these requests, so a caller that
catches the exam's refusals (e.g. a pause after a committed response) does not swallow
a missing attempt or a denied actor by accident.
"""

from __future__ import annotations

from domain.errors import Refusal


class ApplicationError(Refusal):
    """A request the service refuses for a reason outside the exam rules."""

    default_message = "the service refuses this"


class ExamNotFound(ApplicationError):
    default_message = "no such exam"


class AttemptNotFound(ApplicationError):
    default_message = "no such attempt"


class AccessDenied(ApplicationError):
    default_message = "this user may not do that"


class StorageUnavailable(Exception):
    """The durable store cannot be reached; the request may be retried later."""


class ActiveAttemptExists(Exception):
    """Another request started an attempt for the same candidate and exam first."""
