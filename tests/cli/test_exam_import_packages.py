"""`hourglass exam import FILE` takes the QTI files POST /exams/import takes (a content
package or one XML document) besides our JSON, with the same checks."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from uuid import UUID

import asyncpg
from click.testing import CliRunner

from presentation.cli.main import main
from tests.api.test_exam_import_types import EXPECTED_TYPES, typed_package
from tests.backend import Backend
from tests.unit.infrastructure.qti.building import manifest, spec_file, zip_of


def _package(tmp_path: Path) -> Path:
    """A QTI 3.0 choice item and an order item (no equivalent here)."""
    names = ("choice.xml", "order.xml")
    files = {f"items/{name}": spec_file("v3p0", name) for name in names}
    files["imsmanifest.xml"] = manifest("v3p0", items=tuple(f"items/{n}" for n in names))
    path = tmp_path / "chemistry.zip"
    path.write_bytes(zip_of(files))
    return path


def _import(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Exit code, stdout, stderr (where a refusal is written)."""
    result = CliRunner().invoke(main, ["exam", "import", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_a_package_is_imported_with_its_report(tmp_path: Path, backend: Backend) -> None:
    env = {"HOURGLASS_DATABASE_URL": backend.database_url}
    code, out, err = _import(str(_package(tmp_path)), "--duration-seconds", "600", env=env)
    assert code == 0, out + err
    created = json.loads(out)
    report = json.loads(err.strip().splitlines()[-1])
    assert report["imported"] == 1
    assert {
        "identifier": "order",
        "reason": "orderInteraction has no equivalent question type",
    } in (report["skipped"])

    assert asyncio.run(_question_ids(backend, UUID(created["id"]))) == ["choice"]


async def _question_ids(backend: Backend, exam_id: UUID) -> list[str]:
    connection = await asyncpg.connect(backend.database_url)
    try:
        rows = await connection.fetch("SELECT id FROM questions WHERE exam_id = $1", exam_id)
    finally:
        await connection.close()
    return [row["id"] for row in rows]


def test_an_xml_item_without_a_duration_is_refused_before_any_database(tmp_path: Path) -> None:
    item = tmp_path / "choice.xml"
    item.write_bytes(spec_file("v2p1", "choice.xml"))
    code, _, err = _import(str(item), "--data-dir", str(tmp_path))
    assert code != 0
    assert "duration_seconds" in err
    assert not (tmp_path / "postgres").exists()


def test_a_hostile_package_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(zip_of({"imsmanifest.xml": b"\0" * (1024 * 1024)}))
    code, _, err = _import(str(bomb), "--data-dir", str(tmp_path))
    assert code != 0
    assert "compressed more than 100x" in err


def test_every_importable_type_is_stored_as_its_type(tmp_path: Path, backend: Backend) -> None:
    """QTI 2.1 multiple choice, string and float text entry, extended text (§3.2)."""
    path = tmp_path / "typed.zip"
    path.write_bytes(typed_package("v2p1"))
    env = {"HOURGLASS_DATABASE_URL": backend.database_url}
    code, out, err = _import(str(path), "--duration-seconds", "600", env=env)
    assert code == 0, out + err
    created = json.loads(out)
    assert json.loads(err.strip().splitlines()[-1])["imported"] == 4
    assert asyncio.run(_question_types(backend, UUID(created["id"]))) == EXPECTED_TYPES


async def _question_types(backend: Backend, exam_id: UUID) -> dict[str, str]:
    connection = await asyncpg.connect(backend.database_url)
    try:
        rows = await connection.fetch("SELECT id, type FROM questions WHERE exam_id = $1", exam_id)
    finally:
        await connection.close()
    return {row["id"]: row["type"] for row in rows}
