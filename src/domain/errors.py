"""Domain errors: each names a broken exam rule and carries a default message."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from domain.result import AttemptResult


class Refusal(Exception):
    """A request refused with a message for the client. Catch its subclasses, which say
    who refused: `DomainError` (the exam rules) or the application's own errors."""

    default_message: ClassVar[str] = "the request is refused"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)

    @property
    def message(self) -> str:
        return str(self.args[0])


class DomainError(Refusal):
    """A request that the exam rules refuse."""

    default_message = "the exam rules refuse this"


class InvalidExamDefinition(DomainError):
    default_message = "the exam definition is invalid"


class InvalidAccommodation(DomainError):
    default_message = "the accommodation is invalid"


class ExamNotOpen(DomainError):
    default_message = "the exam is not open"


class MaxAttemptsReached(DomainError):
    default_message = "the candidate has used every attempt allowed for this exam"

    def __init__(self, max_attempts: int) -> None:
        super().__init__(f"the candidate has used all {max_attempts} attempt(s) for this exam")
        self.max_attempts = max_attempts


class UnknownQuestion(DomainError):
    default_message = "the question is not part of this attempt"


class InvalidOption(DomainError):
    default_message = "the option is not one of the question's keys"


class WrongExamMode(DomainError):
    default_message = "this action does not apply to the exam's mode"


class ItemNotAdministered(DomainError):
    """A response to an item other than the one the adaptive test administers now."""

    default_message = "that item is not the one currently administered"


class AttemptAlreadySubmitted(DomainError):
    default_message = "the attempt is already submitted"


class AttemptPaused(DomainError):
    default_message = "the attempt is paused"


class AttemptNotPaused(DomainError):
    default_message = "the attempt is not paused"


class AttemptAlreadyFinal(DomainError):
    default_message = "the attempt is already final"


class InvalidExtension(DomainError):
    default_message = "an extension needs a positive number of seconds and a reason"


class VersionConflict(DomainError):
    default_message = "the attempt has changed since that version"

    def __init__(self, current_version: int) -> None:
        super().__init__(f"the attempt is at version {current_version}")
        self.current_version = current_version


class TimeIsUp(DomainError):
    """The attempt's time ran out; `result` is set once the attempt is final."""

    default_message = "time is up for this attempt"

    def __init__(self, message: str | None = None, *, result: AttemptResult | None = None) -> None:
        super().__init__(message)
        self.result = result


class InvalidResponse(InvalidOption):
    """A response the question's type refuses: `field` is where in the response ("" for
    the whole of it), `question_id` set once the question is known. An option that is
    not one of the question's is one such response (hence the base class)."""

    default_message = "the response does not fit the question's type"

    def __init__(self, field: str, reason: str, *, question_id: str | None = None) -> None:
        where = f"response{field}"
        about = f"question {question_id!r}: " if question_id is not None else ""
        super().__init__(f"{about}{where} {reason}")
        self.field = where
        self.reason = reason
        self.question_id = question_id

    def about(self, question_id: str) -> InvalidResponse:
        return InvalidResponse(self.field.removeprefix("response"), self.reason,
                               question_id=question_id)  # fmt: skip


class ScoreRefused(DomainError):
    """A score an admin or the platform posted that the question cannot take."""

    default_message = "the score does not fit the question"


class AttemptNotFinal(DomainError):
    default_message = "the attempt is not final yet"


class SectionNotActive(DomainError):
    """An answer, finish or move to a section that is not the one running now: finished
    already (by the candidate or its clock), or not reached yet."""

    default_message = "the section is not the one in progress"


class QuestionLocked(DomainError):
    """In a sequential section: a question the candidate left, or has not reached yet."""

    default_message = "the question is locked: a sequential section moves one way"
