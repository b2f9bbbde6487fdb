"""The encoded question list of each exam whose attempts all list the same questions.

At an exam's start every candidate reads the list once, and rebuilding it per request
(a response object per question and per option, then the JSON) cost more server CPU in
the start ramp's profile than the start's own handler. Exams are not edited in place: a
changed exam is a new `Exam` object (the exam cache's), and an entry is used only for
the very object it was made from.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from litestar.serialization import encode_json

from application.bounded_cache import BoundedCache
from domain.exam import Exam
from presentation.api.schemas.questions import QuestionForCandidate

# Exams running at once on one server; an exam's list is a few KiB to a few hundred.
_EXAMS = 256


class SharedQuestionLists:
    def __init__(self, exams: int = _EXAMS) -> None:
        self._encoded: BoundedCache[UUID, tuple[Exam, bytes]] = BoundedCache(exams)

    def encoded(self, exam: Exam, build: Callable[[], list[QuestionForCandidate]]) -> bytes:
        """The JSON of `build()`, made once per exam object."""
        entry = self._encoded.get(exam.id)
        if entry is not None and entry[0] is exam:
            return entry[1]
        body = encode_json(build())
        self._encoded.put(exam.id, (exam, body))
        return body
