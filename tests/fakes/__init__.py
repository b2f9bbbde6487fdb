"""Hand-written in-memory fakes of every application port, and builders for tests.

They behave like the real adapters: repositories keep rows and honour the transaction,
the clock moves only when told, row locks are shared between sessions, and the
Redis-like fakes (hot state, deadline index, live updates) are lossy and can go down.
"""

from tests.fakes.accommodations import AccommodationStore, InMemoryAccommodationRepository
from tests.fakes.attempts import AttemptStore, InMemoryAttempts, LockTimeout
from tests.fakes.clock import T0, FakeClock
from tests.fakes.deadline_index import InMemoryDeadlineIndex
from tests.fakes.exams import ExamStore, InMemoryExamRepository
from tests.fakes.hot_state import InMemoryHotStateStore
from tests.fakes.live_updates import FakeLiveUpdates
from tests.fakes.probes import FakeProbe
from tests.fakes.sweeper_log import InMemorySweeperLog
from tests.fakes.transaction import FakeTransaction

__all__ = [
    "T0",
    "AccommodationStore",
    "AttemptStore",
    "ExamStore",
    "FakeClock",
    "FakeLiveUpdates",
    "FakeProbe",
    "FakeTransaction",
    "InMemoryAccommodationRepository",
    "InMemoryAttempts",
    "InMemoryDeadlineIndex",
    "InMemoryExamRepository",
    "InMemoryHotStateStore",
    "InMemorySweeperLog",
    "LockTimeout",
]
