"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka
from litestar import Response, Router, get

from application.use_cases.check_readiness import CheckReadiness
from presentation.api.injection import inject


@get("/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready")
@inject
async def ready(check: FromDishka[CheckReadiness]) -> Response[dict[str, object]]:
    services = await check()
    healthy = all(services.values())
    body: dict[str, object] = {"status": "ok" if healthy else "unavailable", "services": services}
    return Response(body, status_code=200 if healthy else 503)


health_routes = Router(path="/health", route_handlers=[live, ready], tags=["operations"])
