"""Exam content packages from other platforms (QTI), read into our own exam body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeAlias

from domain.errors import DomainError

# The exam body as POST /exams takes it, before validation: plain JSON values.
JsonValue: TypeAlias = "str | int | float | bool | list[JsonValue] | dict[str, JsonValue] | None"
JsonObject: TypeAlias = dict[str, JsonValue]


class PackageRejected(DomainError):
    """The package is malformed or hostile (bad zip or XML, a DTD, a zip bomb, a path that
    leaves the package); nothing of it is imported."""

    default_message = "the package cannot be imported"


@dataclass(frozen=True, slots=True, kw_only=True)
class SkippedContent:
    """Something in the package that has no equivalent here (an item, a section, a rule),
    named by its identifier, with why it was left out."""

    identifier: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportedExam:
    """An exam body in POST /exams' shape (not yet validated) and what the import left out."""

    exam: JsonObject
    imported: int
    skipped: tuple[SkippedContent, ...]

    def report(self) -> JsonObject:
        """The import report of the API: `{imported, skipped: [{identifier, reason}]}`."""
        return {
            "imported": self.imported,
            "skipped": [{"identifier": s.identifier, "reason": s.reason} for s in self.skipped],
        }


class ExamPackageReader(Protocol):
    """Reads an exam from another platform's content format.

    It only maps: the body it returns goes through the same validation as POST /exams.
    Reading is CPU-bound (unzipping, parsing); callers on the event loop run it in a thread.
    """

    def read(self, data: bytes, filename: str | None = None) -> ImportedExam:
        """The exam in `data` (a content package or a single document; `filename` names
        the upload and gives a title when the package has none).

        Raises PackageRejected for a malformed or hostile package.
        """
        ...
