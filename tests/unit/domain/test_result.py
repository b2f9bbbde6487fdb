"""AttemptResult and the domain errors' contract with presentation."""

from __future__ import annotations

import pytest

from domain.errors import (
    AttemptPaused,
    DomainError,
    MaxAttemptsReached,
    TimeIsUp,
    VersionConflict,
)
from domain.result import AttemptResult, AttemptStatus
from tests.fakes.clock import T0


def result(status: AttemptStatus) -> AttemptResult:
    return AttemptResult(
        status=status,
        score=3,
        max_score=5,
        answered=4,
        correct=3,
        finished_at=T0,
        time_taken_seconds=60,
    )


@pytest.mark.parametrize("status", [AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED])
def test_a_final_attempt_has_a_result(status: AttemptStatus) -> None:
    made = result(status)
    assert made.status is status
    assert (made.theta, made.se) == (None, None)


def test_an_attempt_in_progress_has_no_result() -> None:
    with pytest.raises(ValueError, match="final"):
        result(AttemptStatus.IN_PROGRESS)


def test_errors_carry_a_default_or_given_message() -> None:
    assert AttemptPaused().message == "the attempt is paused"
    assert AttemptPaused("custom").message == "custom"
    assert isinstance(AttemptPaused(), DomainError)


def test_errors_carry_what_clients_need() -> None:
    assert VersionConflict(4).current_version == 4
    assert MaxAttemptsReached(2).max_attempts == 2
    assert TimeIsUp().result is None
    final = result(AttemptStatus.EXPIRED)
    assert TimeIsUp(result=final).result is final
