"""Table definitions on advanced-alchemy's registry; rows, not domain objects.

The adapters map rows to the domain explicitly, so these classes stay plain: no
relationships, no behaviour. Migrations are hand-written in `migrations/versions`
and must be kept in step with this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.base import DefaultBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Double,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

IN_PROGRESS = text("status = 'in_progress'")


class ExamRow(DefaultBase):
    """An exam definition; never updated once inserted."""

    __tablename__ = "exams"
    __table_args__ = (
        CheckConstraint("review IN ('none', 'score', 'responses', 'full')", name="review"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(Text)
    duration_seconds: Mapped[float] = mapped_column(Double)
    grace_seconds: Mapped[float] = mapped_column(Double)
    opens_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    closes_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    max_attempts: Mapped[int] = mapped_column(Integer)
    adaptive: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    review: Mapped[str] = mapped_column(Text, server_default=text("'score'"))
    shuffle_options: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # The author's sections in order (exam_mapping.py); NULL: one free section (0010).
    sections: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC, server_default=func.now())


class QuestionRow(DefaultBase):
    """One question of an exam, with its correct key; `position` keeps the author's order."""

    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint(
            "type <> 'single' OR correct_key IS NOT NULL", name="single_choice_has_correct_key"
        ),
    )

    exam_id: Mapped[UUID] = mapped_column(
        ForeignKey("exams.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list[dict[str, str]]] = mapped_column(JSONB)
    correct_key: Mapped[str | None] = mapped_column(Text)  # single choice only
    points: Mapped[float] = mapped_column(Double)
    content_area: Mapped[str | None] = mapped_column(Text)
    irt: Mapped[dict[str, float] | None] = mapped_column(JSONB)
    type: Mapped[str] = mapped_column(Text, server_default=text("'single'"))
    # The answer of every type but single choice (question_definition.py).
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))


class AttemptRow(DefaultBase):
    """An attempt: status, timer columns, answer sheet, result. `version` orders every change.

    `deadline` repeats Timer.deadline so SQL conditions (the conditional answer write,
    the sweeper) can use it without recomputing the timer.
    """

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("exam_id", "candidate_id", "number", name="uq_attempts_candidate_number"),
        # advanced-alchemy's naming convention renders this as ck_attempts_status.
        CheckConstraint(
            "status IN ('in_progress', 'submitted', 'expired', 'terminated')", name="status"
        ),
        Index(
            "uq_attempts_one_in_progress",
            "exam_id",
            "candidate_id",
            unique=True,
            postgresql_where=IN_PROGRESS,
        ),
        Index("ix_attempts_in_progress_deadline", "deadline", postgresql_where=IN_PROGRESS),
        Index(
            "ix_attempts_in_progress_section_deadline",
            "section_deadline",
            postgresql_where=text("status = 'in_progress' AND section_deadline IS NOT NULL"),
        ),
        # The listings page by (started_at, id) within an exam, or within a candidate.
        Index("ix_attempts_exam_started", "exam_id", "started_at", "id"),
        Index("ix_attempts_candidate_started", "candidate_id", "started_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    exam_id: Mapped[UUID] = mapped_column(ForeignKey("exams.id"))
    candidate_id: Mapped[str] = mapped_column(Text)
    number: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTimeUTC)
    duration_seconds: Mapped[float] = mapped_column(Double)
    time_multiplier: Mapped[float] = mapped_column(Double)
    extra_seconds: Mapped[float] = mapped_column(Double)
    extension_seconds: Mapped[float] = mapped_column(Double)
    paused_seconds: Mapped[float] = mapped_column(Double)
    paused_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    closes_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    grace_seconds: Mapped[float] = mapped_column(Double)
    deadline: Mapped[datetime] = mapped_column(DateTimeUTC)
    version: Mapped[int] = mapped_column(Integer)
    # Each answer as its type takes it: a string, a list, a number, any JSON value.
    answers: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    # Adaptive attempts: how many responses. The responses themselves are the attempt's
    # `response_recorded` events in version order (migration 0004 says why).
    response_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC)
    # Scores given essay and external answers after finalisation (attempt_mapping.py).
    awarded: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    # Question ids the candidate flagged, in flagging order; written only by the flag write.
    flags: Mapped[list[str]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    # The attempt's run of its exam's sections (attempt_mapping.py), and what the answer
    # write and the sweeper test of it: the running section's deadline where it ends before
    # `deadline`, and the questions that take answers now. NULL: no sections (0010).
    sections: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    section_deadline: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    open_questions: Mapped[list[str] | None] = mapped_column(ARRAY(Text))


class AttemptEventRow(DefaultBase):
    """One entry of an attempt's append-only audit trail; `id` orders them."""

    __tablename__ = "attempt_events"
    __table_args__ = (Index("ix_attempt_events_attempt_id_id", "attempt_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    attempt_id: Mapped[UUID] = mapped_column(ForeignKey("attempts.id"))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTimeUTC)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)


class AttemptEventArchiveRow(DefaultBase):
    """An event moved out of attempt_events by `hourglass archive-events` (migration 0012):
    the same row, same id, no foreign key. Readers of an attempt's events read both
    tables through the view every_attempt_event (migration 0014, attempt_reads.py)."""

    __tablename__ = "attempt_events_archive"
    __table_args__ = (Index("ix_attempt_events_archive_attempt_id_id", "attempt_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    attempt_id: Mapped[UUID] = mapped_column()
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTimeUTC)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)


class AccommodationRow(DefaultBase):
    """Extra time a candidate is entitled to at an exam (applied when attempts start)."""

    __tablename__ = "accommodations"

    exam_id: Mapped[UUID] = mapped_column(ForeignKey("exams.id"), primary_key=True)
    candidate_id: Mapped[str] = mapped_column(Text, primary_key=True)
    time_multiplier: Mapped[float] = mapped_column(Double)
    extra_seconds: Mapped[float] = mapped_column(Double)
    reason: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC, server_default=func.now())
    # The candidate's own window and attempts beyond the exam's (migration 0007).
    opens_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    closes_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    extra_attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))


_PENDING = text("status = 'pending'")


class WebhookRow(DefaultBase):
    """An endpoint the platform registered, the event types it wants, its sealed secret."""

    __tablename__ = "webhooks"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list[str]] = mapped_column(ARRAY(Text))
    secret: Mapped[str] = mapped_column(Text)  # Fernet token, never the secret itself
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC, server_default=func.now())


class WebhookEventRow(DefaultBase):
    """The outbox: one platform event, written in the transaction of the change it tells."""

    __tablename__ = "webhook_events"
    __table_args__ = (
        Index("ix_webhook_events_to_fan_out", "id", postgresql_where=text("NOT fanned_out")),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    type: Mapped[str] = mapped_column(Text)
    subject_id: Mapped[UUID] = mapped_column()
    occurred_at: Mapped[datetime] = mapped_column(DateTimeUTC, server_default=func.now())
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # Whether a dispatcher has made its deliveries (migration 0013).
    fanned_out: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class WebhookDeliveryRow(DefaultBase):
    """One event to one endpoint: pending until a 2xx (delivered) or the window ends."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index(
            "ix_webhook_deliveries_pending_order",
            "webhook_id",
            "subject_id",
            "event_id",
            postgresql_where=_PENDING,
        ),
        Index("ix_webhook_deliveries_pending_due", "next_attempt_at", postgresql_where=_PENDING),
        Index("ix_webhook_deliveries_webhook_id", "webhook_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    # No foreign keys (migration 0008 says why): SqlWebhookRegistry.remove deletes both.
    webhook_id: Mapped[UUID] = mapped_column()
    event_id: Mapped[int] = mapped_column(BigInteger)
    subject_id: Mapped[UUID] = mapped_column()
    status: Mapped[str] = mapped_column(Text, server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    next_attempt_at: Mapped[datetime] = mapped_column(DateTimeUTC)
    retry_from: Mapped[datetime] = mapped_column(DateTimeUTC)  # the retry window's start
    leased_until: Mapped[datetime] = mapped_column(DateTimeUTC, server_default=text("'-infinity'"))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC, server_default=func.now())


class ExamRegradeRow(DefaultBase):
    """A question's key fixed, or full credit, read by scoring beside the exam (0009)."""

    __tablename__ = "exam_regrades"
    __table_args__ = (Index("ix_exam_regrades_exam_id_id", "exam_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    exam_id: Mapped[UUID] = mapped_column(ForeignKey("exams.id"))
    question_id: Mapped[str] = mapped_column(Text)
    correct_keys: Mapped[list[str] | None] = mapped_column(JSONB)
    full_credit: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    regraded_by: Mapped[str] = mapped_column(Text)
    regraded_at: Mapped[datetime] = mapped_column(DateTimeUTC)


class ProficiencyEstimateRow(DefaultBase):
    """Theta and se of one finalised adaptive attempt, written as it finalised (0011)."""

    __tablename__ = "proficiency_estimates"
    __table_args__ = (
        Index(
            "ix_proficiency_estimates_candidate_exam_updated",
            "candidate_id",
            "exam_id",
            "updated_at",
        ),
    )

    attempt_id: Mapped[UUID] = mapped_column(ForeignKey("attempts.id"), primary_key=True)
    candidate_id: Mapped[str] = mapped_column(Text)
    exam_id: Mapped[UUID] = mapped_column(ForeignKey("exams.id"))
    theta: Mapped[float] = mapped_column(Double)
    se: Mapped[float] = mapped_column(Double)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC)


class CalibrationRow(DefaultBase):
    """A calibration job of an exam's stored responses, and its outcome (0011)."""

    __tablename__ = "calibrations"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed')", name="status"),
        Index(
            "ix_calibrations_unfinished",
            "created_at",
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    exam_id: Mapped[UUID] = mapped_column(ForeignKey("exams.id"))
    model: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    claims: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    requested_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    finished_at: Mapped[datetime | None] = mapped_column(DateTimeUTC)
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    error: Mapped[str | None] = mapped_column(Text)
    applied_exam_id: Mapped[UUID | None] = mapped_column(ForeignKey("exams.id"))
