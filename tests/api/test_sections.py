"""Sections over HTTP (issue 17): their clocks, finish, next, draws, and the refusals."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, TravellingClock, auth, create_exam, start

Client = AsyncTestClient[Litestar]


def _question(qid: str) -> dict[str, Any]:
    return {
        "id": qid,
        "stem": f"{qid}?",
        "options": [{"key": "A", "text": "yes"}, {"key": "B", "text": "no"}],
        "correct_key": "A",
    }


SECTIONS = [
    {"id": "listening", "duration_seconds": 60, "question_ids": ["l1", "l2"]},
    {"id": "reading", "navigation": "sequential", "question_ids": ["r1", "r2", "r3"]},
]


async def _started(client: Client, **exam: Any) -> tuple[dict[str, Any], str, str]:
    exam.setdefault("questions", [_question(q) for q in ("l1", "l2", "r1", "r2", "r3")])
    exam.setdefault("sections", SECTIONS)
    created = await create_exam(client, **exam)
    candidate = f"sectioned-{uuid.uuid4().hex[:8]}"
    response = await start(client, created["id"], candidate)
    assert response.status_code == 201, response.text
    attempt = response.json()
    return attempt, candidate, f"/api/v1/attempts/{attempt['id']}"


async def _answer(client: Client, base: str, candidate: str, qid: str) -> Any:
    return await client.put(f"{base}/answers/{qid}", json={"option": "A"}, headers=auth(candidate))


async def test_an_exam_without_sections_shows_none(client: Client) -> None:
    created = await create_exam(client)
    assert "sections" not in created
    response = await start(client, created["id"], f"plain-{uuid.uuid4().hex[:8]}")
    attempt = response.json()
    assert "sections" not in attempt
    assert "current_section" not in attempt
    assert "section" not in attempt


async def test_the_exam_keeps_its_sections_and_refuses_bad_ones(client: Client) -> None:
    questions = [_question(q) for q in ("l1", "l2", "r1", "r2", "r3")]
    created = await create_exam(client, questions=questions, sections=SECTIONS)
    assert [s["id"] for s in created["sections"]] == ["listening", "reading"]
    assert created["sections"][0]["duration_seconds"] == 60
    assert created["sections"][1]["navigation"] == "sequential"
    bad_bodies = [
        [{"id": "a", "question_ids": ["l1", "l2", "r1", "r2"]}],  # r3 in no section
        [{"id": "a", "question_ids": ["l1", "nope"]}],
        [{"id": "a", "question_ids": ["l1", "l2"]}, {"id": "a", "question_ids": ["r1"]}],
        [
            {
                "id": "a",
                "question_ids": ["l1", "l2", "r1", "r2", "r3"],
                "draw": {"from": ["l1"], "count": 1},
            }
        ],
        [{"id": "a", "draw": {"from": ["l1", "l2", "r1", "r2", "r3"], "count": 6}}],
        [{"id": "a", "question_ids": ["l1", "l2", "r1", "r2", "r3"], "duration_seconds": 0}],
    ]
    for sections in bad_bodies:
        body = {"title": "t", "duration_seconds": 600, "questions": questions, "sections": sections}
        refused = await client.post("/api/v1/exams", json=body, headers=ADMIN)
        assert refused.status_code in (400, 422), (sections, refused.text)


async def test_the_attempt_shows_each_section_and_the_running_clock(client: Client) -> None:
    attempt, candidate, base = await _started(client)
    assert attempt["current_section"] == "listening"
    listening, reading = attempt["sections"]
    assert listening["status"] == "active"
    assert reading["status"] == "pending"
    assert 59 <= listening["remaining_seconds"] <= 60
    assert attempt["section"]["id"] == "listening"
    assert attempt["section"]["remaining_seconds"] <= attempt["remaining_seconds"]
    remaining = (await client.get(f"{base}/remaining", headers=auth(candidate))).json()
    assert remaining["section"]["id"] == "listening"
    assert 0 < remaining["section"]["remaining_seconds"] <= 60
    assert "server_time" in remaining
    questions = (await client.get(f"{base}/questions", headers=auth(candidate))).json()
    assert [(q["id"], q["section_id"], q.get("locked", False)) for q in questions] == [
        ("l1", "listening", False),
        ("l2", "listening", False),
    ]


async def test_answers_to_a_pending_section_get_409(client: Client) -> None:
    _, candidate, base = await _started(client)
    assert (await _answer(client, base, candidate, "l1")).status_code == 200
    refused = await _answer(client, base, candidate, "r1")
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"].endswith("section-not-active")


async def test_finishing_a_section_locks_it_and_starts_the_next(client: Client) -> None:
    _, candidate, base = await _started(client)
    finished = await client.post(f"{base}/sections/listening/finish", headers=auth(candidate))
    assert finished.status_code == 200, finished.text
    attempt = finished.json()
    assert attempt["current_section"] == "reading"
    assert [s["status"] for s in attempt["sections"]] == ["done", "active"]
    refused = await _answer(client, base, candidate, "l1")
    assert refused.status_code == 409, refused.text
    again = await client.post(f"{base}/sections/listening/finish", headers=auth(candidate))
    assert again.status_code == 409
    unknown = await client.post(f"{base}/sections/nope/finish", headers=auth(candidate))
    assert unknown.status_code == 404
    other = await client.post(f"{base}/sections/reading/finish", headers=auth("someone-else"))
    assert other.status_code == 403
    events = (await client.get(f"{base}/events", headers=auth(candidate))).json()
    finished_events = [e for e in events if e["kind"] == "section_finished"]
    assert finished_events[0]["data"]["section_id"] == "listening"
    assert finished_events[0]["data"]["by"] == "candidate"


async def test_a_sequential_section_moves_one_way(client: Client) -> None:
    _, candidate, base = await _started(client)
    await client.post(f"{base}/sections/listening/finish", headers=auth(candidate))
    listed = (await client.get(f"{base}/questions", headers=auth(candidate))).json()
    reading = [q["id"] for q in listed if q["section_id"] == "reading"]
    assert reading == ["r1"]  # up to the current question only
    assert (await _answer(client, base, candidate, "r2")).status_code == 409  # not reached
    assert (await _answer(client, base, candidate, "r1")).status_code == 200
    moved = await client.post(f"{base}/next", headers=auth(candidate))
    assert moved.status_code == 200, moved.text
    assert moved.json()["sections"][1]["current_question"] == "r2"
    locked = await _answer(client, base, candidate, "r1")
    assert locked.status_code == 409
    assert locked.json()["type"].endswith("question-locked")
    listed = (await client.get(f"{base}/questions", headers=auth(candidate))).json()
    assert [(q["id"], q.get("locked", False)) for q in listed if q["section_id"] == "reading"] == [
        ("r1", True),
        ("r2", False),
    ]
    assert (await _answer(client, base, candidate, "r2")).status_code == 200
    await client.post(f"{base}/next", headers=auth(candidate))
    last = await client.post(f"{base}/next", headers=auth(candidate))
    assert last.status_code == 409  # the last question is left by finishing the section


async def test_next_in_a_free_section_is_409(client: Client) -> None:
    _, candidate, base = await _started(client)
    assert (await client.post(f"{base}/next", headers=auth(candidate))).status_code == 409


async def test_finishing_the_last_section_submits(client: Client) -> None:
    _, candidate, base = await _started(client)
    await _answer(client, base, candidate, "l1")
    await client.post(f"{base}/sections/listening/finish", headers=auth(candidate))
    done = await client.post(f"{base}/sections/reading/finish", headers=auth(candidate))
    assert done.status_code == 200, done.text
    attempt = done.json()
    assert attempt["status"] == "submitted"
    assert attempt["result"]["score"] == 1
    assert attempt["result"]["max_score"] == 5
    assert [s["status"] for s in attempt["sections"]] == ["done", "done"]


async def test_a_timed_out_section_refuses_answers_and_the_sweep_moves_on(
    client: Client, clock: TravellingClock
) -> None:
    _, candidate, base = await _started(client)
    clock.advance(61)  # past the section's deadline, inside the network grace
    late = await _answer(client, base, candidate, "l1")
    assert late.status_code == 200
    assert late.json()["late"] is True
    clock.advance(2)  # past the network grace too
    refused = await _answer(client, base, candidate, "l2")
    assert refused.status_code == 409, refused.text
    swept = await client.post("/api/v1/admin/sweep", json={}, headers=ADMIN)
    assert swept.status_code == 200, swept.text
    attempt = (await client.get(base, headers=auth(candidate))).json()
    assert attempt["status"] == "in_progress"
    assert attempt["current_section"] == "reading"
    events = (await client.get(f"{base}/events", headers=auth(candidate))).json()
    by_clock = [e for e in events if e["kind"] == "section_finished"]
    assert by_clock[0]["data"]["by"] == "clock"


async def test_the_last_section_ending_by_its_clock_expires_the_attempt(
    client: Client, clock: TravellingClock
) -> None:
    sections = [{"id": "only", "duration_seconds": 30, "question_ids": ["l1", "l2"]}]
    questions = [_question("l1"), _question("l2")]
    _, candidate, base = await _started(client, questions=questions, sections=sections)
    await _answer(client, base, candidate, "l1")
    clock.advance(33)
    await client.post("/api/v1/admin/sweep", json={}, headers=ADMIN)
    attempt = (await client.get(base, headers=auth(candidate))).json()
    assert attempt["status"] == "expired"
    assert attempt["result"]["score"] == 1
    started = datetime.fromisoformat(attempt["started_at"])
    expired_at = datetime.fromisoformat(attempt["result"]["expired_at"])
    assert 29.9 <= (expired_at - started).total_seconds() <= 30.1


async def test_draws_are_stable_per_attempt_and_scored_out_of_the_drawn(client: Client) -> None:
    questions = [_question(f"p{i}") for i in range(10)]
    pool = [q["id"] for q in questions]
    sections = [{"id": "drawn", "draw": {"from": pool, "count": 3}, "shuffle_questions": True}]
    attempt, candidate, base = await _started(client, questions=questions, sections=sections)
    assert attempt["sections"][0]["question_count"] == 3
    first = [
        q["id"] for q in (await client.get(f"{base}/questions", headers=auth(candidate))).json()
    ]
    again = [
        q["id"] for q in (await client.get(f"{base}/questions", headers=auth(candidate))).json()
    ]
    assert first == again
    assert len(set(first)) == 3
    not_drawn = next(qid for qid in pool if qid not in first)
    assert (await _answer(client, base, candidate, not_drawn)).status_code == 404
    await _answer(client, base, candidate, first[0])
    done = await client.post(f"{base}/sections/drawn/finish", headers=auth(candidate))
    assert done.json()["result"]["max_score"] == 3


async def test_pause_freezes_the_section_clock_and_extension_moves_it(
    client: Client, clock: TravellingClock
) -> None:
    attempt, candidate, base = await _started(client)
    before = attempt["sections"][0]["remaining_seconds"]
    paused = await client.post(f"{base}/pause", json={"reason": "fire alarm"}, headers=ADMIN)
    assert paused.status_code == 200, paused.text
    clock.advance(40)
    frozen = (await client.get(base, headers=auth(candidate))).json()
    assert frozen["sections"][0]["remaining_seconds"] >= before - 1
    assert (
        await client.post(f"{base}/sections/listening/finish", headers=auth(candidate))
    ).status_code == 409
    await client.post(f"{base}/resume", json={"reason": "back"}, headers=ADMIN)
    resumed = (await client.get(base, headers=auth(candidate))).json()
    assert resumed["sections"][0]["remaining_seconds"] >= before - 1
    extended = await client.post(
        f"{base}/extensions", json={"seconds": 120, "reason": "disruption"}, headers=ADMIN
    )
    assert extended.status_code == 200, extended.text
    moved = extended.json()["sections"][0]["remaining_seconds"]
    assert moved >= before + 118
    assert moved <= extended.json()["remaining_seconds"]  # never beyond the attempt's
    events = (await client.get(f"{base}/events", headers=ADMIN)).json()
    assert {"paused", "unpaused", "time_extended"} <= {e["kind"] for e in events}


async def test_an_accommodation_multiplies_the_section_duration(client: Client) -> None:
    created = await create_exam(
        client, questions=[_question(q) for q in ("l1", "l2", "r1", "r2", "r3")], sections=SECTIONS
    )
    candidate = f"accommodated-{uuid.uuid4().hex[:8]}"
    put = await client.put(
        f"/api/v1/exams/{created['id']}/accommodations/{candidate}",
        json={"time_multiplier": 1.5, "extra_seconds": 0, "reason": "dyslexia"},
        headers=ADMIN,
    )
    assert put.status_code == 200, put.text
    attempt = (await start(client, created["id"], candidate)).json()
    assert 89 <= attempt["sections"][0]["remaining_seconds"] <= 90


async def test_a_section_never_ends_after_the_attempt(client: Client) -> None:
    sections = [
        {"id": "long", "duration_seconds": 3600, "question_ids": ["l1"]},
        {"id": "rest", "question_ids": ["l2"]},
    ]
    attempt, _, _ = await _started(
        client, questions=[_question("l1"), _question("l2")], sections=sections
    )
    assert attempt["sections"][0]["deadline"] == attempt["deadline"]
