"""Redis bytes per attempt (MEMORY USAGE of its keys and its share of shared indexes)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

import redis

from infrastructure.redis.keys import attempt_of_tag

_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TAG = re.compile(rb"\{([^{}]*)\}")
_BATCH = 1000


@dataclass(frozen=True, slots=True)
class RedisFootprint:
    attempts: int  # attempts measured
    per_attempt_keys: float  # mean MEMORY USAGE of an attempt's own keys
    per_attempt_index: float  # its share of the deadline index keys
    key_kinds: dict[str, int]  # key kind (e.g. "attempt", "deadlines") -> keys found
    index_members: int
    used_memory_delta: float | None  # INFO used_memory growth per attempt, for context

    @property
    def per_attempt(self) -> float:
        return self.per_attempt_keys + self.per_attempt_index


def used_memory(redis_url: str) -> int:
    client = redis.Redis.from_url(redis_url)
    try:
        return int(client.info("memory")["used_memory"])
    finally:
        client.close()


def footprint(
    redis_url: str,
    prefix: str,
    attempt_ids: Sequence[UUID],
    *,
    used_before: int | None = None,
    attempts_started: int | None = None,
) -> RedisFootprint:
    """Mean bytes per attempt over `attempt_ids`: every key carrying the attempt's hash tag
    (`<prefix>:a:{<tag>}` and any other per-attempt key), plus the attempts' share of
    `<prefix>:deadlines:*` (bytes of those keys x measured members / all members)."""
    client = redis.Redis.from_url(redis_url)
    try:
        wanted = set(attempt_ids)
        own: list[bytes] = []
        index: list[bytes] = []
        kinds: dict[str, int] = {}
        for key in client.scan_iter(match=f"{prefix}:*", count=_BATCH):
            kind = key.decode(errors="replace")[len(prefix) + 1 :].split(":", 1)[0]
            kinds[kind] = kinds.get(kind, 0) + 1
            tag = _TAG.search(key)
            if tag and _attempt_of_tag(tag.group(1)) in wanted:
                own.append(key)
            elif kind.startswith("deadlines"):
                index.append(key)
        own_bytes = sum(_usages(client, own))
        index_bytes = sum(_usages(client, index))
        members = sum(_cardinality(client, key) for key in index)
        measured_members = sum(_members_of(client, key, wanted) for key in index) if index else 0
        share = index_bytes * measured_members / members if members else 0.0
        count = len(attempt_ids) or 1
        delta = None
        if used_before is not None:
            started = attempts_started or count
            delta = (int(client.info("memory")["used_memory"]) - used_before) / started
        return RedisFootprint(
            attempts=len(attempt_ids),
            per_attempt_keys=own_bytes / count,
            per_attempt_index=share / count,
            key_kinds=kinds,
            index_members=members,
            used_memory_delta=delta,
        )
    finally:
        client.close()


def _usages(client: redis.Redis, keys: list[bytes]) -> list[int]:
    sizes: list[int] = []
    for start in range(0, len(keys), _BATCH):
        pipe = client.pipeline(transaction=False)
        for key in keys[start : start + _BATCH]:
            pipe.memory_usage(key, samples=0)
        sizes.extend(int(size or 0) for size in pipe.execute())
    return sizes


def _cardinality(client: redis.Redis, key: bytes) -> int:
    kind = client.type(key)
    if kind == b"zset":
        return int(client.zcard(key))
    if kind == b"set":
        return int(client.scard(key))
    if kind == b"hash":
        return int(client.hlen(key))
    return 0


def _members_of(client: redis.Redis, key: bytes, wanted: set[UUID]) -> int:
    """How many of the key's members name one of the measured attempts."""
    if client.type(key) != b"zset":
        return 0
    found = 0
    for member, _score in client.zscan_iter(key, count=_BATCH):
        if _attempt_of(member) in wanted:
            found += 1
    return found


def _attempt_of(member: bytes) -> UUID | None:
    """The attempt id a member names: a UUID in text, or 16 raw bytes."""
    text = _UUID.search(member)
    if text:
        return UUID(text.group(0).decode())
    if len(member) == 16:
        return UUID(bytes=member)
    return None


def _attempt_of_tag(tag: bytes) -> UUID | None:
    """The attempt id a hash tag names: its compact form (see RedisKeys), or UUID text."""
    try:
        return attempt_of_tag(tag)
    except ValueError:
        return _attempt_of(tag) if _UUID.fullmatch(tag) else None


def forget_keys(redis_url: str, prefix: str) -> None:
    """Delete every key under `prefix` (the bench's own prefix)."""
    client = redis.Redis.from_url(redis_url)
    try:
        batch: list[bytes] = []
        for key in client.scan_iter(match=f"{prefix}:*", count=_BATCH):
            batch.append(key)
            if len(batch) >= _BATCH:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
    finally:
        client.close()
