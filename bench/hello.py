"""A hello-world Litestar app: the ceiling of the ASGI server and framework, no auth, no I/O.

The remaining-time scenario is reported against it. It has the same Litestar settings as
the service (`logging_config=None`, an OpenAPI config, msgspec responses) and one route
with a UUID path parameter, like `/attempts/{attempt_id}/remaining`.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Litestar, get
from litestar.openapi import OpenAPIConfig

from presentation.bootstrap.heap import settle_heap


@get("/hello/{item_id:uuid}")
async def hello(item_id: UUID) -> dict[str, str]:
    return {"hello": "world", "id": str(item_id)}


def create_hello_app() -> Litestar:
    return Litestar(
        route_handlers=[hello],
        openapi_config=OpenAPIConfig(title="hello", version="1.0.0", path="/schema"),
        logging_config=None,
        # The service's own collector settings, so the ratio compares request paths only.
        on_startup=[settle_heap],
    )
