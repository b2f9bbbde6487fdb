"""Errors of the application layer: lookups, permissions and storage availability."""

from __future__ import annotations

from domain.errors import DomainError


class ExamNotFound(DomainError):
    default_message = "no such exam"


class AttemptNotFound(DomainError):
    default_message = "no such attempt"


class AccessDenied(DomainError):
    default_message = "this user may not do that"


class StorageUnavailable(Exception):
    """The durable store cannot be reached; the request may be retried later."""


class ActiveAttemptExists(Exception):
    """Another request started an attempt for the same candidate and exam first."""
