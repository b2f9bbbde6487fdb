"""Ports: what the use cases need from the outside world, as typing.Protocols."""

from application.ports.accommodations import AccommodationRepository, CandidateAccommodation
from application.ports.adaptive_state import AdaptiveStateStore, CachedAdaptiveState
from application.ports.attempts import AppliedAnswer, AttemptRepository, StaleVersion
from application.ports.clock import Clock
from application.ports.deadline_index import DeadlineIndex
from application.ports.exams import ExamListPosition, ExamRepository, ExamSummary
from application.ports.hot_state import HotStateStore
from application.ports.live_updates import AttemptUpdate, LiveUpdates, UpdateKind
from application.ports.probes import Probe
from application.ports.sweeper_log import SweeperLog, SweepReport
from application.ports.transaction import Transaction

__all__ = [
    "AccommodationRepository",
    "AdaptiveStateStore",
    "AppliedAnswer",
    "AttemptRepository",
    "AttemptUpdate",
    "CachedAdaptiveState",
    "CandidateAccommodation",
    "Clock",
    "DeadlineIndex",
    "ExamListPosition",
    "ExamRepository",
    "ExamSummary",
    "HotStateStore",
    "LiveUpdates",
    "Probe",
    "StaleVersion",
    "SweepReport",
    "SweeperLog",
    "Transaction",
    "UpdateKind",
]
