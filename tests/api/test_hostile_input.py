"""Hostile input on every route that takes a body or a path id: the right 4xx as problem
details, never a 5xx, and nothing stored (every table's fingerprint unchanged)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ADMIN, auth, create_exam, exam_body, start
from tests.api.hostile import Route, database, fingerprint, is_problem

__all__ = ["database"]  # the module-scoped fixture, used by every test here

Client = AsyncTestClient[Litestar]
JSON = {"content-type": "application/json"}
DEEP = b"[" * 10_000 + b"]" * 10_000
NUL = "a\u0000b"
# Each outside the documented id alphabet ([A-Za-z0-9._~-], 1 to 64, not "." or ".."),
# as a JSON string in a body.
BAD_IDS = ["a/b", "..", ".", "<b>x</b>", "q 1", "é", "", "x" * 65, "x" * 100_000, NUL]
# The same as path segments, percent-encoded as a client would send them.
BAD_PATH_IDS = ["%2E%2E", "%2E", "%3Cb%3E", "q%201", "%C3%A9", "a%00b"]
ITEMS = [
    {
        "id": f"item-{n}",
        "stem": f"Item {n}",
        "options": [{"key": "A", "text": "a"}, {"key": "B", "text": "b"}],
        "correct_key": "A",
        "irt": {"a": 1.0, "b": n / 2, "c": 0.1},
    }
    for n in range(4)
]


@dataclass(frozen=True)
class World:
    exam_id: str
    attempt_id: str
    candidate: str
    adaptive_attempt_id: str
    adaptive_candidate: str
    # Attempts of their own, so their candidates' writes have their own rate limit.
    typed_attempt_id: str
    typed_candidate: str
    path_attempt_id: str
    path_candidate: str


@pytest.fixture(scope="module")
async def world(client: Client) -> World:
    exam = await create_exam(client, title="Hostile")
    candidate = f"hostile-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, exam["id"], candidate)).json()
    adaptive = await create_exam(
        client, mode="adaptive", questions=ITEMS, adaptive={"max_items": 3, "min_items": 3}
    )
    adaptive_candidate = f"hostile-{uuid.uuid4().hex[:8]}"
    adaptive_attempt = (await start(client, adaptive["id"], adaptive_candidate)).json()
    typed_candidate, path_candidate = (f"hostile-{uuid.uuid4().hex[:8]}" for _ in range(2))
    typed_attempt = (await start(client, exam["id"], typed_candidate)).json()
    path_attempt = (await start(client, exam["id"], path_candidate)).json()
    return World(
        exam["id"],
        attempt["id"],
        candidate,
        adaptive_attempt["id"],
        adaptive_candidate,
        typed_attempt["id"],
        typed_candidate,
        path_attempt["id"],
        path_candidate,
    )


def routes(world: World) -> list[Route]:
    attempt = f"/api/v1/attempts/{world.attempt_id}"
    candidate = auth(world.candidate)
    question = exam_body()["questions"][0]
    return [
        Route(
            "POST",
            "/api/v1/exams",
            ADMIN,
            exam_body(),
            typed={"duration_seconds": "600", "max_attempts": "2", "grace_seconds": "5"},
            stored_text=("title",),
        ),
        Route(
            "PUT",
            f"{attempt}/answers/q1",
            candidate,
            {"option": "A", "expected_version": 0},
            typed={"expected_version": "0"},
            stored_text=("option",),
        ),
        Route(
            "DELETE",
            f"{attempt}/answers/q1",
            candidate,
            {"expected_version": 0},
            typed={"expected_version": "0"},
        ),
        Route(
            "POST",
            f"/api/v1/attempts/{world.adaptive_attempt_id}/responses",
            auth(world.adaptive_candidate),
            {"item_id": "item-0", "option": "A", "expected_version": 0},
            typed={"expected_version": "0"},
            stored_text=("item_id", "option"),
        ),
        Route(
            "POST",
            f"{attempt}/extensions",
            ADMIN,
            {"seconds": 60, "reason": "fire alarm"},
            typed={"seconds": "60"},
            stored_text=("reason",),
        ),
        Route("POST", f"{attempt}/pause", ADMIN, {"reason": "fire alarm"}, stored_text=("reason",)),
        Route(
            "PUT",
            f"/api/v1/exams/{world.exam_id}/accommodations/cand-1",
            ADMIN,
            {"reason": "dyslexia", "time_multiplier": 1.5, "extra_seconds": 60},
            typed={"time_multiplier": "1.5", "extra_seconds": "60"},
            stored_text=("reason",),
        ),
        Route("POST", "/api/v1/admin/sweep", ADMIN, {"dry_run": True}, typed={"dry_run": "true"}),
        Route(
            "POST",
            "/api/v1/exams",
            ADMIN,
            exam_body(questions=[question]),
            typed={"questions": [{**question, "points": "2"}]},
        ),
        # Issue 15's typed answers and scores; the body is refused before any attempt state
        # is looked at, so an attempt in progress and a single-choice question serve.
        Route(
            "PUT",
            f"/api/v1/attempts/{world.typed_attempt_id}/answers/q1",
            auth(world.typed_candidate),
            {"response": "A", "expected_version": 0},
            typed={"expected_version": "0"},
            stored_text=("response",),
        ),
        Route(
            "POST",
            f"{attempt}/scores/q1",
            ADMIN,
            {"points": 1, "comment": "fair"},
            typed={"points": "1"},
            stored_text=("comment",),
        ),
    ]


async def _send(client: Client, route: Route, content: bytes, headers: dict[str, str]) -> Any:
    return await client.request(
        route.method, route.path, content=content, headers={**route.headers, **headers}
    )


async def _refused(
    client: Client,
    database: asyncpg.Connection,
    route: Route,
    cases: list[tuple[str, bytes, dict[str, str], int]],
) -> None:
    before = await fingerprint(database)
    for label, content, headers, status in cases:
        response = await _send(client, route, content, headers)
        assert is_problem(response, status), (route.name(), label, response.text[:300])
    assert await fingerprint(database) == before, route.name()


async def test_bodies_that_are_not_json_are_400_and_never_500(
    client: Client, world: World, database: asyncpg.Connection
) -> None:
    for route in routes(world):
        valid = route.with_fields()
        await _refused(
            client,
            database,
            route,
            [
                ("nested 10,000 deep", b'{"x": ' + DEEP + b"}", JSON, 400),
                ("invalid UTF-8", valid.replace(b"}", b', "x": "\xff\xfe"}', 1), JSON, 400),
                ("truncated", valid[:-1], JSON, 400),
                ("not JSON", b"{not json", JSON, 400),
                # An array where an object belongs is refused at its first bracket.
                ("an array 10,000 deep", DEEP, JSON, 422),
            ],
        )


async def test_json_in_another_media_type_or_charset_is_415(
    client: Client, world: World, database: asyncpg.Connection
) -> None:
    for route in routes(world):
        valid = route.with_fields()
        await _refused(
            client,
            database,
            route,
            [
                ("latin-1", valid, {"content-type": "application/json; charset=latin-1"}, 415),
                ("text/plain", valid, {"content-type": "text/plain"}, 415),
                ("form", b"option=A", {"content-type": "application/x-www-form-urlencoded"}, 415),
                ("multipart", valid, {"content-type": "multipart/form-data; boundary=x"}, 415),
                ("no content type", valid, {}, 415),
            ],
        )


async def test_a_string_is_never_taken_for_a_number(
    client: Client, world: World, database: asyncpg.Connection
) -> None:
    for route in routes(world):
        cases = [
            (name, route.with_fields(**{name: value}), JSON, 422)
            for name, value in route.typed.items()
        ]
        await _refused(client, database, route, cases)


async def test_nul_in_any_stored_string_is_422(
    client: Client, world: World, database: asyncpg.Connection
) -> None:
    for route in routes(world):
        cases = [(name, route.with_fields(**{name: NUL}), JSON, 422) for name in route.stored_text]
        await _refused(client, database, route, cases)
    exam = next(route for route in routes(world) if route.path == "/api/v1/exams")
    question = exam.body["questions"][0]
    option = question["options"][0]
    in_questions = [
        {**question, "stem": NUL},
        {**question, "content_area": NUL},
        {**question, "id": NUL},
        {**question, "correct_key": NUL},
        {**question, "options": [{**option, "text": NUL}, *question["options"][1:]]},
        {**question, "options": [{**option, "key": NUL}, *question["options"][1:]]},
    ]
    cases = [(str(q), exam.with_fields(questions=[q]), JSON, 422) for q in in_questions]
    await _refused(client, database, exam, cases)


async def test_ids_outside_the_safe_alphabet_are_422(
    client: Client, world: World, database: asyncpg.Connection
) -> None:
    exam = routes(world)[0]
    question = exam.body["questions"][0]
    options = question["options"]
    cases = []
    for bad in BAD_IDS:
        as_question = {**question, "id": bad}
        as_key = {**question, "options": [{**options[0], "key": bad}, options[1]]}
        cases += [
            (f"question id {bad[:20]!r}", exam.with_fields(questions=[as_question]), JSON, 422),
            (f"option key {bad[:20]!r}", exam.with_fields(questions=[as_key]), JSON, 422),
        ]
    await _refused(client, database, exam, cases)
    answer, _, response = routes(world)[1:4]
    for route, names in ((answer, ["option"]), (response, ["item_id", "option"])):
        cases = [
            (f"{name} {bad[:20]!r}", route.with_fields(**{name: bad}), JSON, 422)
            for name in names
            for bad in BAD_IDS
        ]
        await _refused(client, database, route, cases)


async def test_path_ids_outside_the_safe_alphabet_are_422(
    client: Client, world: World, database: asyncpg.Connection
) -> None:
    # Its own candidate: the other tests have spent the first one's burst of writes.
    candidate = auth(world.path_candidate)
    answers = f"/api/v1/attempts/{world.path_attempt_id}/answers"
    accommodations = f"/api/v1/exams/{world.exam_id}/accommodations"
    before = await fingerprint(database)
    for bad in [*BAD_PATH_IDS, "x" * 65]:
        put = await client.put(f"{answers}/{bad}", json={"option": "A"}, headers=candidate)
        delete = await client.delete(f"{answers}/{bad}", headers=candidate)
        for response in (put, delete):
            assert is_problem(response, 422), (bad, response.text[:300])
    flags = f"/api/v1/attempts/{world.path_attempt_id}/flags"
    scores = f"/api/v1/attempts/{world.path_attempt_id}/scores"
    for bad in [*BAD_PATH_IDS, "x" * 65]:
        flagged = await client.put(f"{flags}/{bad}", headers=candidate)
        unflagged = await client.delete(f"{flags}/{bad}", headers=candidate)
        scored = await client.post(f"{scores}/{bad}", json={"points": 1}, headers=ADMIN)
        for response in (flagged, unflagged, scored):
            assert is_problem(response, 422), (bad, response.text[:300])
    # Candidate ids are a token's `sub`: a wider alphabet (e-mail addresses, provider
    # prefixes such as auth0|...) and up to 255 characters.
    for bad in [*BAD_PATH_IDS, "x" * 256]:
        body = {"reason": "dyslexia", "extra_seconds": 60}
        put = await client.put(f"{accommodations}/{bad}", json=body, headers=ADMIN)
        proficiency = await client.get(f"/api/v1/candidates/{bad}/proficiency", headers=ADMIN)
        for response in (put, proficiency):
            assert is_problem(response, 422), (bad, response.text[:300])
    # A slash, even encoded, ends the segment: no route matches.
    slashed = await client.put(f"{answers}/a%2Fb", json={"option": "A"}, headers=candidate)
    assert is_problem(slashed, 404)
    assert await fingerprint(database) == before


async def test_a_duplicate_key_takes_its_last_value(client: Client, world: World) -> None:
    """The documented choice (docs/api-choices.md): as in msgspec and most parsers."""
    saved = await client.put(
        f"/api/v1/attempts/{world.attempt_id}/answers/q2",
        content=b'{"option": "B", "option": "A"}',
        headers={**auth(world.candidate), **JSON},
    )
    assert saved.status_code == 200, saved.text
    attempt = await client.get(f"/api/v1/attempts/{world.attempt_id}", headers=ADMIN)
    assert attempt.json()["answers"]["q2"] == "A"


async def test_candidate_ids_from_identity_providers_are_accepted(
    client: Client, world: World
) -> None:
    for candidate_id in ("alice@example.com", "auth0|5f7c8ec7", "user:42", "a+b~c_d.e-f"):
        response = await client.put(
            f"/api/v1/exams/{world.exam_id}/accommodations/{candidate_id}",
            json={"reason": "dyslexia", "extra_seconds": 60},
            headers=ADMIN,
        )
        assert response.status_code == 200, (candidate_id, response.text)
        assert response.json()["candidate_id"] == candidate_id


async def test_exam_and_attempt_ids_that_are_not_uuids_are_404(
    client: Client, database: asyncpg.Connection
) -> None:
    paths = [
        ("GET", "/api/v1/exams/{}"),
        ("POST", "/api/v1/exams/{}/attempts"),
        ("GET", "/api/v1/exams/{}/accommodations"),
        ("PUT", "/api/v1/exams/{}/accommodations/cand-1"),
        ("GET", "/api/v1/attempts/{}"),
        ("GET", "/api/v1/attempts/{}/remaining"),
        ("GET", "/api/v1/attempts/{}/questions"),
        ("GET", "/api/v1/attempts/{}/events"),
        ("GET", "/api/v1/attempts/{}/next-item"),
        ("PUT", "/api/v1/attempts/{}/answers/q1"),
        ("DELETE", "/api/v1/attempts/{}/answers/q1"),
        ("POST", "/api/v1/attempts/{}/responses"),
        ("POST", "/api/v1/attempts/{}/submit"),
        ("POST", "/api/v1/attempts/{}/extensions"),
        ("POST", "/api/v1/attempts/{}/pause"),
        ("POST", "/api/v1/attempts/{}/resume"),
        ("PUT", "/api/v1/attempts/{}/flags/q1"),
        ("DELETE", "/api/v1/attempts/{}/flags/q1"),
        ("GET", "/api/v1/attempts/{}/review"),
        ("POST", "/api/v1/attempts/{}/scores/q1"),
    ]
    before = await fingerprint(database)
    for method, template in paths:
        for bad in ("not-a-uuid", "a%00b", "x" * 5000):
            response = await client.request(method, template.format(bad), headers=ADMIN)
            assert is_problem(response, 404), (method, template, bad, response.text[:200])
    assert await fingerprint(database) == before
