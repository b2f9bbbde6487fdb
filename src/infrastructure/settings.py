"""Settings read from HOURGLASS_* environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import msgspec

_PREFIX = "HOURGLASS_"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything an operator can set; each field is HOURGLASS_<FIELD NAME IN CAPITALS>."""

    database_url: str | None = None
    redis_url: str | None = None
    data_dir: str = ".hourglass"
    jwt_secret: str | None = None
    network_grace_seconds: float = 2.0
    redis_key_prefix: str = "hg"
    # SQLAlchemy sessions: reads that miss hot state, resumes, time control, the sweeper,
    # webhooks, calibration, exports. Starts and submits run on the answer pool.
    database_pool_size: int = 10
    # Plain asyncpg connections for single autocommitted statements: the answer write and
    # adaptive response (the hot path), the start, the submit and the streams' reads.
    answer_pool_size: int = 20
    # Open all of them as `serve` starts (in the background), so an exam's first burst of
    # starts does not wait while they connect; off, each opens on first use.
    answer_pool_open_at_start: bool = True
    redis_timeout_seconds: float = 0.5
    # How long a process may answer from its own copy of an attempt's timer (0: never).
    # Changes are announced to every process at once, and copies are served only while
    # this process hears the announcements; this is a last bound.
    local_hot_state_seconds: float = 30.0
    log_level: str = "INFO"
    sweeper_enabled: bool = True
    sweep_interval_seconds: float = 0.25
    reconcile_interval_seconds: float = 5.0
    sweep_batch_size: int = 500
    # The proctor's exam stream re-reads its board every other tick.
    stream_tick_seconds: float = 1.0
    # An attempt's stream pushes changes at once and otherwise sends a `remaining`
    # heartbeat this often (the page treats 35 s of silence as a dead stream: keep ≤ 30).
    stream_heartbeat_seconds: Annotated[float, msgspec.Meta(gt=0, le=30)] = 20.0
    # Tokens: `iss` and `aud` must match when set; RS256/ES256 tokens are verified against
    # the keys published at jwks_url (HS256 with jwt_secret is accepted either way).
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwks_url: str | None = None
    jwks_cache_seconds: float = 300.0  # keys are fetched again when older than this
    jwks_min_refresh_seconds: float = 30.0  # unknown kids fetch at most this often
    # Each candidate's writes (start, save, clear, respond, submit): a sustained rate and
    # a burst on top of it; 0 writes per second turns the limit off.
    rate_limit_writes_per_second: Annotated[float, msgspec.Meta(ge=0)] = 20.0
    rate_limit_burst: Annotated[int, msgspec.Meta(ge=1)] = 40
    # Per-process memory for copies of exams and for adaptive engines, least recently
    # used dropped first (the constructors' defaults; both are rebuilt on a miss).
    exam_cache_bytes: int = 128 * 2**20
    engine_cache_bytes: int = 256 * 2**20
    # What one request may define (422 past these, 413 past the body size); each bounds
    # memory and the time one request holds the event loop.
    max_questions_per_exam: int = 2_000
    max_options_per_question: int = 50
    max_title_length: int = 200  # exam titles and content areas
    max_stem_length: int = 10_000
    max_option_text_length: int = 2_000
    max_reason_length: int = 1_000
    max_request_body_bytes: int = 8 * 1024 * 1024
    max_response_bytes: int = 64 * 1024  # one answer's response, as JSON
    # HOURGLASS_REDIS_URL names any one node of a Redis or Valkey Cluster; the others are
    # found from it. Checked at start against the server (a mismatch refuses to start).
    redis_cluster: bool = False
    # Webhooks (docs/operations.md, "Webhooks"). Hosts (comma-separated) that may resolve
    # to loopback or private addresses: local receivers and tests; none by default.
    webhook_allowed_hosts: str = ""
    webhook_dispatcher_enabled: bool = True  # a dispatcher inside each `serve` process
    webhook_timeout_seconds: Annotated[float, msgspec.Meta(gt=0)] = 10.0
    webhook_backoff_base_seconds: Annotated[float, msgspec.Meta(gt=0)] = 5.0
    webhook_backoff_cap_seconds: Annotated[float, msgspec.Meta(gt=0)] = 3600.0
    webhook_retry_window_seconds: Annotated[float, msgspec.Meta(gt=0)] = 86_400.0
    webhook_concurrency: Annotated[int, msgspec.Meta(ge=1)] = 256
    webhook_batch_size: Annotated[int, msgspec.Meta(ge=1)] = 200
    webhook_poll_interval_seconds: Annotated[float, msgspec.Meta(gt=0)] = 0.5

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).expanduser().resolve()


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from the environment; `overrides` win (the CLI's options)."""
    environ = os.environ if environ is None else environ
    fields = {f.lower() for f in Settings.__struct_fields__}
    raw: dict[str, object] = {
        key[len(_PREFIX) :].lower(): value
        for key, value in environ.items()
        if key.startswith(_PREFIX) and key[len(_PREFIX) :].lower() in fields and value != ""
    }
    raw.update({key: value for key, value in overrides.items() if value is not None})
    return msgspec.convert(raw, Settings, strict=False)


def sqlalchemy_url(database_url: str) -> str:
    """The URL with the asyncpg driver named, as SQLAlchemy wants it."""
    for scheme in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if database_url.startswith(scheme):
            return "postgresql+asyncpg://" + database_url[len(scheme) :]
    raise ValueError(f"not a PostgreSQL URL: {database_url!r}")
