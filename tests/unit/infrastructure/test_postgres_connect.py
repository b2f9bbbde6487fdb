from __future__ import annotations

import pytest

from infrastructure.postgres.connect import asyncpg_dsn

MULTI_HOST = "//u:p@h1:5432,h2:5433/db?target_session_attrs=read-write"


@pytest.mark.parametrize("scheme", ["postgresql:", "postgres:", "postgresql+asyncpg:"])
def test_every_postgres_scheme_reaches_asyncpg_as_postgresql(scheme: str) -> None:
    assert asyncpg_dsn(scheme + MULTI_HOST) == "postgresql:" + MULTI_HOST


def test_a_url_of_another_database_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="not a PostgreSQL URL"):
        asyncpg_dsn("mysql://u@h/db")
