"""Calibration over HTTP: a background job fits an exam's stored responses, an apply call
makes the fit a new adaptive exam that runs at once, and a job a dead process left
running is taken up again."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import numpy as np
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, auth, create_exam, start
from tests.api.test_adaptive import CORRECT, _next, _respond
from tests.api.test_adaptive import ITEMS as CAT_ITEMS
from tests.backend import Backend

Client = AsyncTestClient[Litestar]

ITEMS = 6
EXAMINEES = 45
# Difficulties spread over the scale, slopes about 1: every item gets right and wrong answers.
DIFFICULTY = np.linspace(-1.2, 1.2, ITEMS)


def _questions() -> list[dict[str, Any]]:
    return [
        {
            "id": f"c{n}",
            "stem": f"Item {n}",
            "options": [{"key": "A", "text": "right"}, {"key": "B", "text": "wrong"}],
            "correct_key": "A",
        }
        for n in range(ITEMS)
    ]


async def _answered_exam(client: Client) -> str:
    """A fixed-form exam whose final attempts answer like 2PL examinees (seeded)."""
    exam = await create_exam(client, title="Pretest form", questions=_questions(), max_attempts=1)
    rng = np.random.default_rng(20)
    abilities = rng.normal(size=EXAMINEES)

    async def sit(n: int) -> None:
        candidate = f"cal-{uuid.uuid4().hex[:8]}"
        attempt = (await start(client, exam["id"], candidate)).json()["id"]
        chance = 1 / (1 + np.exp(-(abilities[n] - DIFFICULTY)))
        for item, p in enumerate(chance):
            option = "A" if rng.random() < p else "B"
            saved = await client.put(
                f"/api/v1/attempts/{attempt}/answers/c{item}",
                json={"option": option},
                headers=auth(candidate),
            )
            assert saved.status_code == 200, saved.text
        submitted = await client.post(f"/api/v1/attempts/{attempt}/submit", headers=auth(candidate))
        assert submitted.status_code == 200, submitted.text

    for n in range(EXAMINEES):
        await sit(n)
    return str(exam["id"])


async def _finished(client: Client, calibration_id: str) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + 60  # the worker polls every 5 s
    while True:
        response = await client.get(f"/api/v1/calibrations/{calibration_id}", headers=ADMIN)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] in ("succeeded", "failed"):
            return body
        assert asyncio.get_running_loop().time() < deadline, body
        await asyncio.sleep(0.1)


async def test_a_job_fits_the_stored_responses_and_applies_as_a_new_adaptive_exam(
    client: Client,
) -> None:
    exam = await _answered_exam(client)
    queued = await client.post(
        f"/api/v1/exams/{exam}/calibration", json={"model": "2pl"}, headers=ADMIN
    )
    assert queued.status_code == 202, queued.text
    job = await _finished(client, queued.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["examinees"] == EXAMINEES
    assert [item["id"] for item in job["items"]] == [f"c{n}" for n in range(ITEMS)]
    assert set(job["items"][0]) == {"id", "a", "b", "c", "se_a", "se_b"}
    assert job["log_likelihood"] < 0
    assert job["iterations"] >= 1
    difficulties = [item["b"] for item in job["items"]]
    # 45 examinees recover the order of the difficulties, if not their values.
    assert np.corrcoef(difficulties, DIFFICULTY)[0, 1] > 0.8

    refused = await client.post(f"/api/v1/calibrations/{job['id']}/apply", headers=ADMIN)
    assert refused.status_code == 422  # a fixed-form source: the new exam needs its rules
    applied = await client.post(
        f"/api/v1/calibrations/{job['id']}/apply",
        json={"title": "Calibrated", "adaptive": {"max_items": 3, "model": "3pl"}},
        headers=ADMIN,
    )
    assert applied.status_code == 201, applied.text
    new_exam = applied.json()
    assert (new_exam["mode"], new_exam["title"]) == ("adaptive", "Calibrated")
    assert new_exam["id"] != exam
    fitted = {item["id"]: item for item in job["items"]}
    for question in new_exam["questions"]:
        assert question["irt"]["a"] == fitted[question["id"]]["a"]
        assert question["irt"]["b"] == fitted[question["id"]]["b"]
    source = await client.get(f"/api/v1/exams/{exam}", headers=ADMIN)
    assert source.json()["mode"] == "fixed"  # the source exam is unchanged
    again = await client.get(f"/api/v1/calibrations/{job['id']}", headers=ADMIN)
    assert again.json()["applied_exam_id"] == new_exam["id"]

    candidate = f"cat-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, new_exam["id"], candidate)).json()["id"]
    item = await client.get(f"/api/v1/attempts/{attempt}/next-item", headers=auth(candidate))
    assert item.status_code == 200, item.text
    assert item.json()["done"] is False


async def test_an_exam_without_final_attempts_fails_its_job(client: Client) -> None:
    exam = await create_exam(client)
    queued = await client.post(f"/api/v1/exams/{exam['id']}/calibration", headers=ADMIN)
    assert queued.status_code == 202, queued.text
    job = await _finished(client, queued.json()["id"])
    assert job["status"] == "failed"
    assert "no scored responses" in job["error"]
    refused = await client.post(f"/api/v1/calibrations/{job['id']}/apply", headers=ADMIN)
    assert refused.status_code == 409


async def test_refusals(client: Client) -> None:
    exam = await create_exam(client)
    path = f"/api/v1/exams/{exam['id']}/calibration"
    assert (await client.post(path, headers=auth("cand"))).status_code == 403
    assert (await client.post(path, json={"model": "4pl"}, headers=ADMIN)).status_code == 422
    unknown = f"/api/v1/exams/{uuid.uuid4()}/calibration"
    assert (await client.post(unknown, headers=ADMIN)).status_code == 404
    missing = await client.get(f"/api/v1/calibrations/{uuid.uuid4()}", headers=ADMIN)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    queued = await client.post(path, headers=ADMIN)
    read = await client.get(f"/api/v1/calibrations/{queued.json()['id']}", headers=auth("c"))
    assert read.status_code == 403


async def test_a_job_left_running_by_a_dead_process_is_taken_up_again(
    client: Client, backend: Backend
) -> None:
    """What a restart finds: a job `running` whose process stopped beating long ago. This
    app's worker claims it again and finishes it; one that already used every claim is
    marked failed instead of being tried forever."""
    exam = await _answered_exam(client)
    resumed, abandoned = uuid.uuid4(), uuid.uuid4()
    connection = await asyncpg.connect(backend.database_url)
    try:
        await connection.executemany(
            """
            INSERT INTO calibrations (id, exam_id, model, status, claims, requested_by,
                                      created_at, heartbeat_at)
            VALUES ($1, $2, '2pl', 'running', $3, 'admin-1', now(), now() - interval '1 hour')
            """,
            [(resumed, uuid.UUID(exam), 1), (abandoned, uuid.UUID(exam), 3)],
        )
    finally:
        await connection.close()
    job = await _finished(client, str(resumed))
    assert (job["status"], job["claims"]) == ("succeeded", 2)
    assert len(job["items"]) == ITEMS
    given_up = await _finished(client, str(abandoned))
    assert given_up["status"] == "failed"
    assert "abandoned" in given_up["error"]


async def test_adaptive_responses_of_final_attempts_are_fitted(client: Client) -> None:
    """Responses are read from the attempts' response events; an attempt in progress
    is not counted, and items nobody (or everybody) got right are skipped."""
    exam = await create_exam(
        client, title="CAT", mode="adaptive", questions=CAT_ITEMS,
        adaptive={"max_items": 4, "min_items": 4, "se_target": 0.01},
    )  # fmt: skip
    rng = np.random.default_rng(5)

    async def sit(candidate: str, *, submit: bool) -> None:
        attempt = (await start(client, exam["id"], candidate)).json()["id"]
        for _ in range(4 if submit else 2):
            step = await _next(client, attempt, candidate)
            if step["done"]:
                return
            item = step["item"]["id"]
            wrong = next(k for k in "ABCD" if k != CORRECT[item])
            option = CORRECT[item] if rng.random() < 0.5 else wrong
            assert (await _respond(client, attempt, candidate, item, option)).status_code == 200
        if submit:
            await client.post(f"/api/v1/attempts/{attempt}/submit", headers=auth(candidate))

    for n in range(12):
        await sit(f"cat-{n}-{uuid.uuid4().hex[:6]}", submit=True)
    await sit(f"still-{uuid.uuid4().hex[:6]}", submit=False)
    queued = await client.post(f"/api/v1/exams/{exam['id']}/calibration", headers=ADMIN)
    job = await _finished(client, queued.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["examinees"] == 12
    fitted = {item["id"] for item in job["items"]}
    skipped = {item["id"] for item in job["skipped"]}
    assert fitted
    assert fitted | skipped == {item["id"] for item in CAT_ITEMS}
    assert not fitted & skipped
