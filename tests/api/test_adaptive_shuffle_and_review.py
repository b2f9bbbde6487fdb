"""An adaptive exam with shuffled options and a review: the item's options in the
attempt's own order on every read, and the review of the items administered."""

from __future__ import annotations

import uuid

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, auth, create_exam, start
from tests.api.test_adaptive import CORRECT, ITEMS, KEYS

Client = AsyncTestClient[Litestar]


async def test_adaptive_items_are_shuffled_stably_and_reviewed(client: Client) -> None:
    rules = {"max_items": 3, "min_items": 3, "se_target": 0.01}
    exam = await create_exam(
        client,
        mode="adaptive",
        questions=ITEMS,
        adaptive=rules,
        shuffle_options=True,
        review="full",
    )
    orders: set[str] = set()
    for _ in range(4):
        candidate = f"cand-{uuid.uuid4().hex[:8]}"
        attempt = (await start(client, exam["id"], candidate)).json()["id"]
        url = f"/api/v1/attempts/{attempt}/next-item"
        administered: list[str] = []
        while True:
            shown = (await client.get(url, headers=auth(candidate))).json()
            if shown["done"]:
                break
            again = (await client.get(url, headers=auth(candidate))).json()
            assert again == shown  # the same order on every read
            keys = "".join(o["key"] for o in shown["item"]["options"])
            assert sorted(keys) == list(KEYS)
            orders.add(keys)
            item = shown["item"]["id"]
            administered.append(item)
            reply = await client.post(
                f"/api/v1/attempts/{attempt}/responses",
                json={"item_id": item, "option": CORRECT[item]},
                headers=auth(candidate),
            )
            assert reply.status_code == 200, reply.text
        review = await client.get(f"/api/v1/attempts/{attempt}/review", headers=auth(candidate))
        assert review.status_code == 200, review.text
        body = review.json()
        assert [q["id"] for q in body] == administered
        assert all(q["points"] == q["max_points"] for q in body)  # answered by key
        assert [q["correct"] for q in body] == [CORRECT[i] for i in administered]
    assert len(orders) > 1  # 4! orders: twelve items all in one order means no shuffle
    admin = await client.get(f"/api/v1/exams/{exam['id']}", headers=ADMIN)
    assert admin.json()["shuffle_options"] is True
