"""Operator routes: statistics and a sweeper pass on demand."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka
from litestar import Router, get, post
from litestar.params import JSONBody

from application.permissions import ensure_admin
from application.use_cases.admin_stats import GetAdminStats
from application.use_cases.sweep import ExpireOverdueAttempts, SweepCommand
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject
from presentation.api.schemas.admin import StatsOut, SweepIn, SweepOut


@get("/stats")
@inject
async def admin_stats(request: ActorRequest, stats: FromDishka[GetAdminStats]) -> StatsOut:
    found = await stats(request.user)
    return StatsOut(active_attempts=found.active_attempts, redis=found.redis, sweeper=found.sweeper)


@post("/sweep", status_code=200)
@inject
async def sweep_now(
    request: ActorRequest,
    sweep: FromDishka[ExpireOverdueAttempts],
    data: JSONBody[SweepIn | None] = None,
) -> SweepOut:
    ensure_admin(request.user)
    dry_run = data.dry_run if data is not None else False
    report = await sweep(SweepCommand(dry_run=dry_run))
    ids = list(report.due if dry_run else report.expired)
    return SweepOut(
        expired=len(ids), attempt_ids=ids, dry_run=dry_run, max_lag_seconds=report.max_lag_seconds
    )


admin_routes = Router(path="/admin", route_handlers=[admin_stats, sweep_now], tags=["operations"])
