"""`hourglass archive-events`: wired to the use case on a real database, and its input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from presentation.cli.main import main
from tests.backend import Backend


@pytest.mark.integration
def test_it_reports_what_it_moved_as_json(backend: Backend) -> None:
    env = {"HOURGLASS_DATABASE_URL": backend.database_url, "HOURGLASS_REDIS_URL": backend.redis_url}
    # Before any attempt of any test could have finished: it moves nothing, and says so.
    outcome = CliRunner().invoke(
        main, ["archive-events", "--finished-before", "2001-01-01", "--batch-size", "10"], env=env
    )
    assert outcome.exit_code == 0, outcome.output
    assert json.loads(outcome.output) == {
        "attempts": 0,
        "events": 0,
        "batches": 0,
        "vacuumed": False,
    }


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["--finished-before", "last week"],
        ["--finished-before", "2030-01-01", "--batch-size", "0"],
    ],
)
def test_bad_input_is_a_usage_error(arguments: list[str]) -> None:
    outcome = CliRunner().invoke(main, ["archive-events", *arguments])
    assert outcome.exit_code == 2, outcome.output
