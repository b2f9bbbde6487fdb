"""GET /exams/{exam_id}/exposure: observed exposure rates of an adaptive exam's items."""

from __future__ import annotations

from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Router, get
from litestar.params import FromPath
from msgspec import Struct

from application.use_cases.read_exposure import ReadExposure
from presentation.api.auth import ActorRequest
from presentation.api.injection import inject


class ItemRateOut(Struct, frozen=True):
    id: str
    rate: float


class ExposureOut(Struct, frozen=True):
    attempts: int
    items: list[ItemRateOut]


@get("/exams/{exam_id:uuid}/exposure")
@inject
async def exam_exposure(
    exam_id: FromPath[UUID], request: ActorRequest, read: FromDishka[ReadExposure]
) -> ExposureOut:
    """Each item's share of the attempts given at least one item, highest first (admin)."""
    found = await read(request.user, exam_id)
    return ExposureOut(
        attempts=found.attempts,
        items=[ItemRateOut(id=item.id, rate=item.rate) for item in found.items],
    )


exposure_routes = Router(path="/", route_handlers=[exam_exposure], tags=["adaptive"])
