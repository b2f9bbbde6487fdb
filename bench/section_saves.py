"""``uv run --group bench python -m bench.section_saves``: the save into a running section
against the save into an exam without sections, through the service, in the same run.

Two exams of 40 single-choice questions: one without sections (today's single section),
one in two sections (the first timed, free navigation, where every save goes; the second
pending), so every sectioned save passes the conditional write's two extra tests (the
question is among `open_questions`, the section's deadline has not passed). The kinds
alternate over several rounds of short runs, so drifting machine load falls on each
alike; the table gives each kind's median rate and its share of the plain rate (the
issue asks for at least 90 %). The per-candidate write limit is lifted for the run.
Prints a table and appends it with the command line to today's file under bench/results/.
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
QUESTIONS = 40
SAVED = 20  # the first section's questions: every save goes to one of them
KEYS = ("A", "B", "C", "D")
KINDS = ("plain", "sectioned")


def exam_body(kind: str) -> dict[str, object]:
    options = [{"key": key, "text": f"Option {key}"} for key in KEYS]
    ids = [f"q{number}" for number in range(1, QUESTIONS + 1)]
    body: dict[str, object] = {
        "title": f"Bench {kind} saves",
        "duration_seconds": seed.EXAM_SECONDS,
        "questions": [
            {"id": qid, "stem": "Pick one", "options": options, "correct_key": "B"} for qid in ids
        ],
    }
    if kind == "sectioned":
        body["sections"] = [
            {
                "id": "first",
                "duration_seconds": seed.EXAM_SECONDS // 2,
                "question_ids": ids[:SAVED],
            },
            {"id": "second", "question_ids": ids[SAVED:]},
        ]
    return body


def save_lines(attempts: list[tuple[str, str]], count: int) -> Iterator[RequestLine]:
    for index in range(count):
        attempt_id, token = attempts[index % len(attempts)]
        path = f"{API}/attempts/{attempt_id}/answers/q{index % SAVED + 1}"
        body = json.dumps({"option": KEYS[index % len(KEYS)]}, separators=(",", ":"))
        yield RequestLine("PUT", path, token, body)


def main(argv: list[str] | None = None) -> None:
    args = arguments(__doc__.splitlines()[0] if __doc__ else None).parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="hourglass-sections-") as scratch,
        service(args, Path(scratch), "sections") as (url, secret),
    ):
        files = {}
        for kind in KINDS:
            exam_id = created_exam(url, secret, exam_body(kind))
            attempts = started(url, secret, exam_id, args.attempts, kind)
            lines = save_lines(attempts, args.attempts * 20)
            files[kind] = write_requests(Path(scratch) / f"{kind}.txt", lines)
        rates = alternate(url, files, args)
    publish_table("Saves into a section", share_table(rates, "no sections"),
                  "bench.section_saves", args, argv)  # fmt: skip


if __name__ == "__main__":
    main()
