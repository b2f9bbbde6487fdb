"""Ports: what the use cases need from the outside world, as typing.Protocols."""

from application.ports.accommodations import AccommodationRepository, CandidateAccommodation
from application.ports.adaptive_scoring import AdaptiveScoring
from application.ports.adaptive_state import AdaptiveStateStore
from application.ports.answer_writes import AnswerWrites, AppliedAnswer, StaleVersion
from application.ports.attempt_starts import AttemptStarts, StartFacts
from application.ports.attempts import Attempts
from application.ports.audit_trail import AuditTrail
from application.ports.clock import Clock
from application.ports.committed_attempts import CommittedAttempts
from application.ports.deadline_index import DeadlineIndex
from application.ports.deadline_refill import InProgressDeadlines
from application.ports.exams import ExamListPosition, ExamRepository, ExamSummary
from application.ports.final_writes import FinalDecision, FinalWrites
from application.ports.hot_state import HotStateStore
from application.ports.live_updates import AttemptUpdate, LiveUpdates, UpdateKind
from application.ports.overdue_attempts import OverdueAttempts
from application.ports.probes import Probe
from application.ports.sweeper_log import SweeperLog, SweepReport
from application.ports.transaction import Transaction
from application.ports.write_rate_limit import ADMITTED, WriteAdmission, WriteRateLimit

__all__ = [
    "ADMITTED",
    "AccommodationRepository",
    "AdaptiveScoring",
    "AdaptiveStateStore",
    "AnswerWrites",
    "AppliedAnswer",
    "AttemptStarts",
    "AttemptUpdate",
    "Attempts",
    "AuditTrail",
    "CandidateAccommodation",
    "Clock",
    "CommittedAttempts",
    "DeadlineIndex",
    "ExamListPosition",
    "ExamRepository",
    "ExamSummary",
    "FinalDecision",
    "FinalWrites",
    "HotStateStore",
    "InProgressDeadlines",
    "LiveUpdates",
    "OverdueAttempts",
    "Probe",
    "StaleVersion",
    "StartFacts",
    "SweepReport",
    "SweeperLog",
    "Transaction",
    "UpdateKind",
    "WriteAdmission",
    "WriteRateLimit",
]
