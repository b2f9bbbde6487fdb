"""The refusals every write route can answer, added to the OpenAPI document: they come
from middleware and the request class, not from a handler, so Litestar cannot see them."""

from __future__ import annotations

from litestar.openapi.spec import (
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    Schema,
)

from presentation.api.problems import PROBLEM_JSON

_WRITE_METHODS = ("post", "put", "patch", "delete")
_PROBLEM = "Problem"


def _problem_schema() -> Schema:
    text, integer = Schema(type=OpenAPIType.STRING), Schema(type=OpenAPIType.INTEGER)
    error = Schema(
        type=OpenAPIType.OBJECT,
        properties={"key": text, "message": text, "source": text},
    )
    return Schema(
        type=OpenAPIType.OBJECT,
        description="RFC 9457 problem details (docs/api-choices.md)",
        properties={
            "type": text,
            "title": text,
            "status": integer,
            "detail": text,
            "errors": Schema(type=OpenAPIType.ARRAY, items=error),
            "retry_after_seconds": Schema(type=OpenAPIType.NUMBER),
        },
        required=["type", "title", "status"],
    )


def _refusal(description: str, *, retry_after: bool = False) -> OpenAPIResponse:
    schema = Reference(ref=f"#/components/schemas/{_PROBLEM}")
    return OpenAPIResponse(
        description=description,
        content={PROBLEM_JSON: OpenAPIMediaType(schema=schema)},
        headers={
            "Retry-After": OpenAPIHeader(
                schema=Schema(type=OpenAPIType.INTEGER, minimum=1),
                description="whole seconds to wait before sending the write again",
                required=True,
            )
        }
        if retry_after
        else None,
    )


_TOO_MANY_WRITES = _refusal(
    "Too many writes by this candidate (HOURGLASS_RATE_LIMIT_*): nothing of it ran",
    retry_after=True,
)
_BODY_REFUSALS = {
    "400": _refusal("The body is not JSON: invalid UTF-8, a syntax error, nested too deeply"),
    "413": _refusal("The body is over HOURGLASS_MAX_REQUEST_BODY_BYTES"),
    "415": _refusal("The body is not application/json in UTF-8"),
    "422": _refusal("The body is outside the schema or over a HOURGLASS_MAX_* limit"),
}


def document_refusals(openapi: OpenAPI, *, rate_limited: bool) -> None:
    """Add to `openapi`, in place: 429 with Retry-After on every write operation when
    candidates' writes are rate-limited, and 400/413/415/422 problem details on every
    operation with a request body (replacing Litestar's generic 400)."""
    if openapi.components.schemas is None:
        openapi.components.schemas = {}
    openapi.components.schemas[_PROBLEM] = _problem_schema()
    for path_item in (openapi.paths or {}).values():
        for method in _WRITE_METHODS:
            operation = getattr(path_item, method, None)
            if isinstance(operation, Operation):
                _add(operation, rate_limited=rate_limited)


def _add(operation: Operation, *, rate_limited: bool) -> None:
    responses = dict(operation.responses or {})
    if rate_limited:
        responses["429"] = _TOO_MANY_WRITES
    if operation.request_body is not None:
        responses.update(_BODY_REFUSALS)
    operation.responses = responses
