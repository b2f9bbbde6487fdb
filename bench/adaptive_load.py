"""Adaptive attempts for the HTTP bench: an IRT item bank, its exam, and the responses.

A response must name the item the attempt administers now (else 409), which a wrk script
cannot know without correlating a GET with the next POST on the same connection (wrk's
Lua API has no connection identity). Instead the item sequence of every attempt is
computed beforehand with the service's own engine (`domain.adaptive.exam_engine`): the
engine is deterministic by design (its seeds come from the exam and attempt ids), so an
attempt that always answers "A" is given exactly the items replayed here. The request
file then holds, per wrk thread, round 1 of all its attempts, then round 2, and so on:
an attempt's next response is hundreds of lines behind its previous one, far more than
the requests a thread has in flight, so responses arrive in order. A 409 would show a
mismatch; the runner reports them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from uuid import UUID

import msgspec
import numpy as np

from bench.loadgen import RequestLine
from bench.seed import API, EXAM_SECONDS, OPTIONS, call
from domain.adaptive.exam_engine import attempt_seed, engine_for
from domain.exam import Exam, ExamMode, IrtParameters, Option, Options, Question
from presentation.api.exams import adaptive_rules
from presentation.api.schemas.exams import AdaptiveIn

ANSWER = "A"  # every response; right when the item's key is A


def exam_body(items: int, *, max_items: int, min_items: int, se_target: float,
              seed: int = 2024) -> dict[str, object]:  # fmt: skip
    """a ~ lognormal(0, 0.25), b ~ N(0, 1), c ~ U(0, 0.25), keys uniform over A-D."""
    rng = np.random.default_rng(seed)
    a = rng.lognormal(0.0, 0.25, items)
    b = rng.normal(0.0, 1.0, items)
    c = rng.uniform(0.0, 0.25, items)
    keys = rng.integers(0, len(OPTIONS), items)
    return {
        "title": f"Bench adaptive, {items} items",
        "mode": "adaptive",
        "duration_seconds": EXAM_SECONDS,
        "grace_seconds": 30,
        "max_attempts": 1,
        "adaptive": {"max_items": max_items, "min_items": min_items, "se_target": se_target},
        "questions": [
            {
                "id": f"i{n:04d}",
                "stem": f"Item {n}: which option is right?",
                "options": [{"key": key, "text": f"Option {key}"} for key in OPTIONS],
                "correct_key": OPTIONS[int(keys[n])],
                # Rounded so the JSON round trip through PostgreSQL is exact.
                "irt": {"a": _r(a[n]), "b": _r(b[n]), "c": _r(c[n])},
            }
            for n in range(items)
        ],
    }


def _r(value: np.floating) -> float:
    return round(float(value), 4)


def create_exam(base_url: str, token: str, body: dict[str, object]) -> Exam:
    """POST the exam; returns it as the domain object the service builds its engine from."""
    status, created = call(base_url, "POST", f"{API}/exams", token, body)
    if status != 201:
        raise RuntimeError(f"creating the adaptive exam answered {status}: {created}")
    rules = body["adaptive"]
    assert isinstance(rules, dict)
    questions = body["questions"]
    assert isinstance(questions, list)
    return Exam(
        id=UUID(created["id"]),
        title=str(body["title"]),
        mode=ExamMode.ADAPTIVE,
        duration=timedelta(seconds=EXAM_SECONDS),
        questions=tuple(
            Question(
                id=q["id"],
                stem=q["stem"],
                options=Options(Option(key=o["key"], text=o["text"]) for o in q["options"]),
                correct_key=q["correct_key"],
                irt=IrtParameters(**q["irt"]),
                content_area=q.get("content_area"),
            )
            for q in questions
        ),
        grace=timedelta(seconds=30),
        max_attempts=1,
        # The service's own mapping of `adaptive`, every option included.
        adaptive=adaptive_rules(msgspec.convert(rules, AdaptiveIn)),
    )


def sequences(exam: Exam, attempt_ids: Sequence[UUID], rounds: int) -> list[list[str]]:
    """The first `rounds` items each attempt is given when it always answers ANSWER."""
    engine = engine_for(exam)
    keys = {q.id: q.correct_key for q in exam.questions}
    found = []
    for attempt_id in attempt_ids:
        state = engine.start(attempt_seed(attempt_id))
        items: list[str] = []
        for _ in range(rounds):
            index = engine.next_item(state)
            if index is None:
                break
            item_id = engine.bank.item_ids[index]
            items.append(item_id)
            state = engine.record(state, index, keys[item_id] == ANSWER)
        found.append(items)
    return found


def response_lines(
    attempts: Sequence[tuple[UUID, str]], items: Sequence[list[str]], threads: int
) -> list[RequestLine]:
    """Per thread (the file is split in `threads` equal slices), round by round."""
    per = len(attempts) // threads
    lines: list[RequestLine] = []
    for group in range(threads):
        members = range(group * per, (group + 1) * per)
        rounds = min(len(items[i]) for i in members) if per else 0
        for step in range(rounds):
            for i in members:
                attempt_id, token = attempts[i]
                body = json.dumps({"item_id": items[i][step], "option": ANSWER},
                                  separators=(",", ":"))  # fmt: skip
                lines.append(
                    RequestLine("POST", f"{API}/attempts/{attempt_id}/responses", token, body)
                )
    return lines


def next_item_lines(attempts: Sequence[tuple[UUID, str]]) -> list[RequestLine]:
    return [
        RequestLine("GET", f"{API}/attempts/{attempt_id}/next-item", token)
        for attempt_id, token in attempts
    ]


def first_items_match(
    base_url: str, attempts: Sequence[tuple[UUID, str]], items: Sequence[list[str]], sample: int
) -> int:
    """How many of the first `sample` attempts the service gives the precomputed item."""
    matching = 0
    for (attempt_id, token), expected in list(zip(attempts, items, strict=True))[:sample]:
        status, body = call(base_url, "GET", f"{API}/attempts/{attempt_id}/next-item", token)
        if status == 200 and not body["done"] and expected and body["item"]["id"] == expected[0]:
            matching += 1
    return matching
