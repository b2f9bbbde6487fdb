"""Ports: what the use cases need from the outside world, as typing.Protocols."""

from application.ports.attempts import AttemptRepository
from application.ports.clock import Clock
from application.ports.exams import ExamRepository
from application.ports.hot_state import HotStateStore
from application.ports.probes import Probe
from application.ports.transaction import Transaction

__all__ = ["AttemptRepository", "Clock", "ExamRepository", "HotStateStore", "Probe", "Transaction"]
