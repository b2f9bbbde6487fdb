"""OpenAPI links from what a write creates to the operations on it, so a client (and
schemathesis's stateful phase) can follow a created exam or attempt by its id."""

from __future__ import annotations

from litestar.openapi.spec import OpenAPI, OpenAPIResponse, Operation
from litestar.openapi.spec.link import Link

_ID = "$response.body#/id"
# (method, path, status) of a creating operation -> the (method, path, parameter) that
# take its id.
LINKS: dict[tuple[str, str, str], tuple[tuple[str, str, str], ...]] = {
    ("post", "/api/v1/exams", "201"): (
        ("get", "/api/v1/exams/{exam_id}", "exam_id"),
        ("post", "/api/v1/exams/{exam_id}/attempts", "exam_id"),
        ("get", "/api/v1/exams/{exam_id}/accommodations", "exam_id"),
    ),
    ("post", "/api/v1/exams/{exam_id}/attempts", "201"): (
        ("get", "/api/v1/attempts/{attempt_id}", "attempt_id"),
        ("get", "/api/v1/attempts/{attempt_id}/remaining", "attempt_id"),
        ("get", "/api/v1/attempts/{attempt_id}/questions", "attempt_id"),
        ("get", "/api/v1/attempts/{attempt_id}/events", "attempt_id"),
        ("post", "/api/v1/attempts/{attempt_id}/submit", "attempt_id"),
    ),
}


def document_links(openapi: OpenAPI) -> None:
    """Add `LINKS` to `openapi` in place; an operation it does not have is skipped."""
    for (method, path, status), targets in LINKS.items():
        source = _operation(openapi, method, path)
        response = None if source is None else (source.responses or {}).get(status)
        if not isinstance(response, OpenAPIResponse):
            continue
        links = dict(response.links or {})
        for target_method, target_path, parameter in targets:
            target = _operation(openapi, target_method, target_path)
            if target is None or target.operation_id is None:
                continue
            links[target.operation_id] = Link(
                operation_id=target.operation_id, parameters={parameter: _ID}
            )
        response.links = links


def _operation(openapi: OpenAPI, method: str, path: str) -> Operation | None:
    item = (openapi.paths or {}).get(path)
    operation = None if item is None else getattr(item, method, None)
    return operation if isinstance(operation, Operation) else None
