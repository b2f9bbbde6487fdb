"""A PostgreSQL primary with a synchronous standby of our own, on loopback, to fail over.

Built on tests/faults/servers.py: temp dirs, free ports, the same binaries, run as the
postgres user when the tests run as root. Never the machine's own PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import pwd
from dataclasses import dataclass

import asyncpg

from tests.faults.servers import OwnPostgres, postgres_user

_SYNCHRONOUS_WITHIN = 30.0


class Primary(OwnPostgres):
    """The cluster initdb makes; its default pg_hba.conf trusts replication on loopback."""

    async def require_synchronous_standby(self) -> None:
        """Every commit from now on waits for the standby's flush, then wait until the
        standby is attached as synchronous, so no acknowledged commit is on the primary only."""
        connection = await asyncpg.connect(self.url)
        try:
            await connection.execute("ALTER SYSTEM SET synchronous_standby_names = '*'")
            await connection.execute("SELECT pg_reload_conf()")
            async with asyncio.timeout(_SYNCHRONOUS_WITHIN):
                synchronous = 0
                while not synchronous:
                    await asyncio.sleep(0.1)
                    synchronous = await connection.fetchval(
                        "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'"
                    )
        finally:
            await connection.close()

    def crash(self) -> None:
        """`pg_ctl stop -m immediate`: every server process quits at once, no checkpoint."""
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")


class Standby(OwnPostgres):
    """A hot standby copied from the primary by pg_basebackup -R (streaming replication)."""

    def init_from(self, primary: OwnPostgres) -> None:
        user = postgres_user()
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        # Taken before synchronous_standby_names is set on the primary, so the copy does not
        # inherit it: a promoted standby with no standby of its own must not wait for one.
        self._run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
            "-D", str(self.root / "data"), "-R", "-X", "stream", "--checkpoint=fast",
        )  # fmt: skip
        self.start()

    def promote(self) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-w", "-t", "30", "promote")


@dataclass
class ReplicatedPostgres:
    primary: Primary
    standby: Standby

    @property
    def url(self) -> str:
        """The multi-host URL the API gets: whichever host accepts writes."""
        return (
            f"postgresql://postgres@127.0.0.1:{self.primary.port},"
            f"127.0.0.1:{self.standby.port}/postgres?target_session_attrs=read-write"
        )
