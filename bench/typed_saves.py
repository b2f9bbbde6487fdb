"""``uv run --group bench python -m bench.typed_saves``: the save of a `multiple` and of a
`text` answer against a single-choice save, through the service, in the same run.

One exam holds the three types (20 questions each); each candidate's attempt gets one
kind of save only, PUT by wrk with the typed body (`{"response": ["A", "C"]}`,
`{"response": "photosynthesis"}`, `{"option": "B"}`). The kinds alternate over several
rounds of short runs, so drifting machine load falls on each alike; the table gives each
kind's median rate over the rounds and its share of the single-choice rate (the issue
asks for at least 90 %). The per-candidate write limit is lifted for the run
(bench/save_kinds.py). Prints a table and appends it with the command line to today's
file under bench/results/.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench import seed
from bench.loadgen import RequestLine, write_requests
from bench.save_kinds import (
    alternate,
    arguments,
    created_exam,
    publish_table,
    service,
    share_table,
    started,
)

API = seed.API
QUESTIONS = 20
KEYS = ("A", "B", "C", "D")
WORDS = ("photosynthesis", "Photo synthesis", "  chlorophyll  ", "respiration", "osmosis")
KINDS = ("single", "multiple", "text")


def exam_body() -> dict[str, object]:
    options = [{"key": key, "text": f"Option {key}"} for key in KEYS]
    questions: list[dict[str, object]] = []
    for number in range(1, QUESTIONS + 1):
        questions += [
            {"id": f"s{number}", "stem": "Pick one", "options": options, "correct_key": "B"},
            {
                "id": f"m{number}",
                "type": "multiple",
                "stem": "Pick all that apply",
                "options": options,
                "correct_keys": ["A", "C"],
                "scoring": "partial",
            },
            {
                "id": f"t{number}",
                "type": "text",
                "stem": "Name the process",
                "accepted": ["photosynthesis"],
                "pattern": "photo ?synthesis",
                "max_length": 100,
            },
        ]
    return {
        "title": "Bench typed saves",
        "duration_seconds": seed.EXAM_SECONDS,
        "questions": questions,
    }


def bodies(kind: str, index: int) -> tuple[str, dict[str, object]]:
    number = index % QUESTIONS + 1
    if kind == "single":
        return f"s{number}", {"option": KEYS[index % len(KEYS)]}
    if kind == "multiple":
        return f"m{number}", {"response": [KEYS[index % 4], KEYS[(index + 2) % 4]]}
    return f"t{number}", {"response": WORDS[index % len(WORDS)]}


def save_lines(kind: str, attempts: list[tuple[str, str]], count: int) -> Iterator[RequestLine]:
    for index in range(count):
        attempt_id, token = attempts[index % len(attempts)]
        question, body = bodies(kind, index)
        path = f"{API}/attempts/{attempt_id}/answers/{question}"
        yield RequestLine("PUT", path, token, json.dumps(body, separators=(",", ":")))


def main(argv: list[str] | None = None) -> None:
    args = arguments(__doc__.splitlines()[0] if __doc__ else None).parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="hourglass-typed-") as scratch,
        service(args, Path(scratch), "typed") as (url, secret),
    ):
        exam_id = created_exam(url, secret, exam_body())
        files = {
            kind: write_requests(
                Path(scratch) / f"{kind}.txt",
                save_lines(
                    kind, started(url, secret, exam_id, args.attempts, kind), args.attempts * 20
                ),
            )
            for kind in KINDS
        }
        rates = alternate(url, files, args)
    publish_table("Typed saves", share_table(rates, "single choice"), "bench.typed_saves",
                  args, argv)  # fmt: skip


if __name__ == "__main__":
    main()
