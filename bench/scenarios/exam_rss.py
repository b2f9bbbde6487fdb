"""Resident memory of one API process against the number of distinct large exams it
serves: RSS grows while the exam cache fills, then holds at HOURGLASS_EXAM_CACHE_BYTES
(plus the process's own) however many more exams are read, and stays there after the
load stops (issue 14: memory bounded by configuration, with a plateau)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from bench.servers import ServiceProcess

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class RssRow:
    step: str  # "start", "K exams", "idle"
    exams_in_use: int
    rss_bytes: int


def exam_body(questions: int, stem_length: int, number: int) -> dict[str, object]:
    return {
        "title": f"rss exam {number}",
        "duration_seconds": 3600,
        "questions": [
            {
                "id": f"q{n}",
                "stem": f"{number}-{n} " + "s" * stem_length,
                "options": [{"key": key, "text": f"option {key}"} for key in "ABCD"],
                "correct_key": "A",
            }
            for n in range(questions)
        ],
    }


def exam_rss(
    service: ServiceProcess,
    *,
    admin: str,
    candidate: str,
    steps: Sequence[int],
    questions: int,
    stem_length: int = 200,
    reads_per_exam: int = 2,
    idle_seconds: float = 5.0,
) -> list[RssRow]:
    """Create max(steps) exams, then for each K read exams 1..K (each `reads_per_exam`
    times, as a candidate) and record the process's RSS; last, its RSS after
    `idle_seconds` without requests."""
    rows = [RssRow("start", 0, service.rss_bytes(python_only=False))]
    with httpx.Client(base_url=service.url, timeout=120.0) as client:
        ids = []
        for number in range(max(steps)):
            created = client.post(
                "/api/v1/exams",
                json=exam_body(questions, stem_length, number),
                headers={"Authorization": f"Bearer {admin}"},
            )
            created.raise_for_status()
            ids.append(created.json()["id"])
        # Creating caches nothing, but it leaves the allocator's high-water mark: a
        # fresh process reads them (the bench starts one per run).
        service.stop()
        service.start()
        rows[0] = RssRow("start", 0, service.rss_bytes(python_only=False))
        headers = {"Authorization": f"Bearer {candidate}"}
        for k in steps:
            for _ in range(reads_per_exam):
                for exam_id in ids[:k]:
                    client.get(f"/api/v1/exams/{exam_id}", headers=headers).raise_for_status()
            rows.append(RssRow(f"{k} exams", k, service.rss_bytes(python_only=False)))
    time.sleep(idle_seconds)
    rows.append(RssRow("idle", max(steps), service.rss_bytes(python_only=False)))
    return rows


def rss_table(rows: Sequence[RssRow], cache_bytes: int) -> str:
    lines = [
        f"exam cache budget: {cache_bytes / MIB:.0f} MiB",
        "| step | exams in use | RSS (MiB) | over start (MiB) |",
        "|---|---|---|---|",
    ]
    start = rows[0].rss_bytes
    for row in rows:
        over = (row.rss_bytes - start) / MIB
        lines.append(
            f"| {row.step} | {row.exams_in_use} | {row.rss_bytes / MIB:.0f} | {over:.0f} |"
        )
    return "\n".join(lines)
