"""Hand-written in-memory fakes of every application port, and builders for tests.

They behave like the real adapters: repositories keep rows and honour the transaction,
the clock moves only when told, hot state is lossy and can go down.
"""

from tests.fakes.attempts import AttemptStore, InMemoryAttemptRepository
from tests.fakes.clock import T0, FakeClock
from tests.fakes.exams import ExamStore, InMemoryExamRepository
from tests.fakes.hot_state import InMemoryHotStateStore
from tests.fakes.probes import FakeProbe
from tests.fakes.transaction import FakeTransaction

__all__ = [
    "T0",
    "AttemptStore",
    "ExamStore",
    "FakeClock",
    "FakeProbe",
    "FakeTransaction",
    "InMemoryAttemptRepository",
    "InMemoryExamRepository",
    "InMemoryHotStateStore",
]
