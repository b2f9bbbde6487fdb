"""An admin uploads another platform's exam package; it is read into our exam body."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from application.identity import Actor
from application.permissions import ensure_admin
from application.ports.exam_packages import ExamPackageReader, ImportedExam


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadPackageCommand:
    actor: Actor
    data: bytes
    filename: str | None = None


class ReadExamPackage:
    """Reads the package off the event loop (unzipping and parsing are CPU-bound) and
    returns the exam body and the report; creating the exam is `CreateExam`'s, after the
    caller has validated the body as it validates POST /exams. Nothing is stored here.

    Raises AccessDenied for a non-admin before any byte is parsed, PackageRejected for a
    malformed or hostile package."""

    def __init__(self, reader: ExamPackageReader) -> None:
        self._reader = reader

    async def __call__(self, command: ReadPackageCommand) -> ImportedExam:
        ensure_admin(command.actor)
        return await asyncio.to_thread(self._reader.read, command.data, command.filename)
