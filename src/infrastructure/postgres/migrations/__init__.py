"""Schema migrations: hand-written Alembic scripts run through advanced-alchemy's integration.

Both functions block and run their own event loop (env.py calls `asyncio.run`), so call
them from a thread without a running loop; async code uses `asyncio.to_thread`.
"""

from __future__ import annotations

from pathlib import Path

from advanced_alchemy.alembic.commands import AlembicCommands
from advanced_alchemy.config import AlembicAsyncConfig, SQLAlchemyAsyncConfig
from sqlalchemy.pool import NullPool

from infrastructure.postgres.connect import async_engine

VERSION_TABLE = "alembic_version"


def upgrade_database(database_url: str, revision: str = "head") -> None:
    """Migrate the database at `database_url` (postgresql://…) up to `revision`."""
    _commands(database_url).upgrade(revision)


def downgrade_database(database_url: str, revision: str = "base") -> None:
    """Migrate the database at `database_url` (postgresql://…) down to `revision`."""
    _commands(database_url).downgrade(revision)


def _commands(database_url: str) -> AlembicCommands:
    # A pool would outlive the one event loop the migration runs in: connect once, then let go.
    engine = async_engine(database_url, poolclass=NullPool)
    config = SQLAlchemyAsyncConfig(
        engine_instance=engine,
        alembic_config=AlembicAsyncConfig(
            # No alembic.ini: everything is set here, and env.py leaves logging alone.
            script_config="",
            script_location=str(Path(__file__).parent),
            version_table_name=VERSION_TABLE,
        ),
    )
    return AlembicCommands(sqlalchemy_config=config)
