"""The OpenAPI document lists what middleware and the strict request class refuse: 429
with Retry-After on every write, 400/413/415/422 problem details where a body is sent."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

WRITES = ("post", "put", "patch", "delete")


async def _operations(client: AsyncTestClient[Litestar]) -> list[tuple[str, str, Any]]:
    document = (await client.get("/schema/openapi.json")).json()
    assert "Problem" in document["components"]["schemas"]
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in (*WRITES, "get")
    ]


async def test_every_write_may_be_told_to_retry_later(client: AsyncTestClient[Litestar]) -> None:
    operations = await _operations(client)
    writes = [(m, p, op) for m, p, op in operations if m in WRITES]
    assert len(writes) >= 10
    for method, path, operation in writes:
        too_many = operation["responses"].get("429")
        assert too_many is not None, (method, path)
        assert too_many["headers"]["Retry-After"]["required"] is True
        assert "application/problem+json" in too_many["content"]
    assert all("429" not in op["responses"] for m, _, op in operations if m == "get")


async def test_bodies_may_be_refused(client: AsyncTestClient[Litestar]) -> None:
    operations = await _operations(client)
    with_body = [(m, p, op) for m, p, op in operations if "requestBody" in op]
    assert ("post", "/api/v1/exams") in {(m, p) for m, p, _ in with_body}
    for method, path, operation in with_body:
        for status in ("400", "413", "415", "422"):
            refusal = operation["responses"].get(status)
            assert refusal is not None, (method, path, status)
            assert "application/problem+json" in refusal["content"]


async def test_created_resources_link_to_their_operations(
    client: AsyncTestClient[Litestar],
) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    paths = document["paths"]
    created_exam = paths["/api/v1/exams"]["post"]["responses"]["201"]["links"]
    read_exam = paths["/api/v1/exams/{exam_id}"]["get"]["operationId"]
    assert created_exam[read_exam] == {
        "operationId": read_exam,
        "parameters": {"exam_id": "$response.body#/id"},
    }
    started = paths["/api/v1/exams/{exam_id}/attempts"]["post"]["responses"]["201"]["links"]
    read_attempt = paths["/api/v1/attempts/{attempt_id}"]["get"]["operationId"]
    assert started[read_attempt]["parameters"] == {"attempt_id": "$response.body#/id"}
