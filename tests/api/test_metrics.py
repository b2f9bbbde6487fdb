"""GET /metrics over HTTP: open to scrapers, counting what the service answered."""

from __future__ import annotations

import uuid

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import auth

Client = AsyncTestClient[Litestar]


async def test_metrics_count_answered_requests_and_rejected_tokens(client: Client) -> None:
    missing = f"/api/v1/attempts/{uuid.uuid4()}/remaining"
    assert (await client.get(missing, headers=auth("metrics-reader"))).status_code == 404
    assert (await client.get(missing)).status_code == 401
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    route = 'method="GET",route="/api/v1/attempts/{attempt_id}/remaining"'
    assert f"hourglass_http_requests_total{{{route},status=" + '"404"}' in text
    assert f"hourglass_http_requests_total{{{route},status=" + '"401"}' in text
    assert f"hourglass_http_request_duration_seconds_count{{{route}}}" in text
    assert "# TYPE hourglass_http_requests_in_progress gauge" in text
