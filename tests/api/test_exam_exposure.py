"""GET /exams/{exam_id}/exposure: observed exposure rates from stored responses."""

from __future__ import annotations

import uuid
from collections import Counter

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, auth, create_exam, start
from tests.api.test_adaptive_options import THREE_PL

Client = AsyncTestClient[Litestar]


async def _answer_items(client: Client, exam_id: str, candidate: str, count: int) -> list[str]:
    attempt = (await start(client, exam_id, candidate)).json()["id"]
    seen = []
    for _ in range(count):
        step = await client.get(f"/api/v1/attempts/{attempt}/next-item", headers=auth(candidate))
        item = step.json()["item"]["id"]
        answered = await client.post(
            f"/api/v1/attempts/{attempt}/responses",
            json={"item_id": item, "option": "A"},
            headers=auth(candidate),
        )
        assert answered.status_code == 200, answered.text
        seen.append(item)
    return seen


async def test_rates_are_the_share_of_attempts_given_each_item(client: Client) -> None:
    adaptive = {"max_items": 5, "exposure": {"method": "randomesque", "k": 5}}
    exam = await create_exam(client, mode="adaptive", questions=THREE_PL, adaptive=adaptive)
    given: Counter[str] = Counter()
    for n in range(4):
        given.update(await _answer_items(client, exam["id"], f"cand-{uuid.uuid4().hex[:6]}", n + 1))
    await start(client, exam["id"], "cand-idle")  # no item yet: not counted

    response = await client.get(f"/api/v1/exams/{exam['id']}/exposure", headers=ADMIN)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["attempts"] == 4
    rates = {item["id"]: item["rate"] for item in body["items"]}
    assert len(rates) == len(THREE_PL)
    assert rates == {q["id"]: given[q["id"]] / 4 for q in THREE_PL}
    assert [item["rate"] for item in body["items"]] == sorted(rates.values(), reverse=True)


async def test_exposure_is_for_admins_and_adaptive_exams(client: Client) -> None:
    adaptive = {"max_items": 3}
    exam = await create_exam(client, mode="adaptive", questions=THREE_PL, adaptive=adaptive)
    fixed = await create_exam(client)

    empty = await client.get(f"/api/v1/exams/{exam['id']}/exposure", headers=ADMIN)
    candidate = await client.get(f"/api/v1/exams/{exam['id']}/exposure", headers=auth("cand-x"))
    unknown = await client.get(f"/api/v1/exams/{uuid.uuid4()}/exposure", headers=ADMIN)
    not_adaptive = await client.get(f"/api/v1/exams/{fixed['id']}/exposure", headers=ADMIN)

    assert empty.status_code == 200
    assert empty.json()["attempts"] == 0
    assert {item["rate"] for item in empty.json()["items"]} == {0.0}
    assert candidate.status_code == 403
    assert unknown.status_code == 404
    assert not_adaptive.status_code == 409
