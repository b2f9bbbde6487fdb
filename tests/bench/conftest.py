"""The bench smoke tests need the `bench` dependency group, which is installed only when
asked for; without it each module here is reported as skipped, with the command that
installs the group, instead of failing on its imports."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import pytest

# The group's distributions the bench imports or runs (py-spy is only a binary).
_BENCH_GROUP = ("catsim", "girth", "fastapi", "pyinstrument", "py-spy")


def _missing() -> list[str]:
    absent = []
    for name in _BENCH_GROUP:
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            absent.append(name)
    return absent


class _WithoutBenchGroup(pytest.Module):
    """A test module collected without being imported: it would fail on the group's imports."""

    def collect(self) -> Iterable[pytest.Item | pytest.Collector]:
        pytest.skip(
            f"the bench dependency group is not installed (missing {', '.join(_missing())}):"
            " run `uv run --group bench pytest tests/bench`"
        )


def pytest_pycollect_makemodule(
    module_path: Path, parent: pytest.Collector
) -> pytest.Module | None:
    if _missing():
        return _WithoutBenchGroup.from_parent(parent, path=module_path)
    return None
