"""Large bodies decoded and encoded a part at a time: the same values, bytes and errors
as msgspec's one call."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
import pytest

from presentation.api import large_json
from presentation.api.large_json import LARGE_BODY_BYTES, decode_in_turns, encode_in_turns
from presentation.api.schemas.exams import ExamIn, ExamOut


def _exam(questions: int) -> dict[str, Any]:
    return {
        "title": "t",
        "duration_seconds": 60,
        "questions": [
            {
                "id": f"q{n}",
                "stem": "s" * 100,
                "options": [{"key": "A", "text": "a"}, {"key": "B", "text": "b"}],
                "correct_key": "A",
            }
            for n in range(questions)
        ],
    }


LARGE = _exam(1_000)


async def test_a_large_body_decodes_to_what_one_call_gives() -> None:
    body = msgspec.json.encode(LARGE)
    assert len(body) > LARGE_BODY_BYTES
    expected = msgspec.json.decode(body, type=ExamIn, strict=True)
    assert await decode_in_turns(body, ExamIn) == expected


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e["questions"][7].update(points="1"), "- at `$.questions[7].points`"),
        (lambda e: e["questions"].__setitem__(9, "x"), "- at `$.questions[9]`"),
        (lambda e: e.update(duration_seconds="60"), "- at `$.duration_seconds`"),
    ],
)
async def test_a_large_body_fails_as_one_call_does(change: Any, message: str) -> None:
    exam = msgspec.json.decode(msgspec.json.encode(LARGE))
    change(exam)
    body = msgspec.json.encode(exam)
    with pytest.raises(msgspec.ValidationError) as one_call:
        msgspec.json.decode(body, type=ExamIn, strict=True)
    with pytest.raises(msgspec.ValidationError) as in_turns:
        await decode_in_turns(body, ExamIn)
    assert str(in_turns.value) == str(one_call.value)
    assert str(in_turns.value).endswith(message)


async def test_an_empty_list_keeps_its_length_check() -> None:
    body = msgspec.json.encode(_exam(0)) + b" " * LARGE_BODY_BYTES
    with pytest.raises(msgspec.ValidationError, match="length >= 1"):
        await decode_in_turns(body, ExamIn)


class _Listing(msgspec.Struct):
    title: str
    items: list[dict[str, int]]


@pytest.mark.parametrize("count", [0, 1, 2, 50])
async def test_chunks_join_to_the_bytes_of_one_call(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(large_json, "CHUNK_BYTES", 20)
    value = _Listing(title="x", items=[{"n": n} for n in range(count)])
    chunks = await encode_in_turns(value, "items")
    assert b"".join(chunks) == msgspec.json.encode(value)
    assert len(chunks) == max(1, count // 2)


async def test_only_the_last_field_is_encoded_in_parts() -> None:
    exam = ExamOut(
        id=UUID(int=1),
        title="t",
        mode="fixed",
        duration_seconds=60,
        grace_seconds=0,
        opens_at=None,
        closes_at=None,
        max_attempts=1,
        question_count=0,
        questions=[],
    )
    with pytest.raises(ValueError, match="last field"):
        await encode_in_turns(exam, "mode")
