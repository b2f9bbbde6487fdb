"""Many calls of one Lua script sent as one pipeline (per node on a cluster).

A bulk change (every attempt of an exam extended at once) writes thousands of keys. Sent
one call at a time through the command channel, each call costs a future, a task switch
and its share of a batch the channel cannot size; one pipeline costs the encoding alone.
redis-py's pipeline on a cluster client groups the calls by the node that serves each
key's slot (every key of one attempt shares its hash tag, so a call is single-slot).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis.asyncio
from redis.commands.core import AsyncScript
from redis.exceptions import NoScriptError

# Calls per pipeline: bounds the buffers one send holds, large enough to amortise it.
PIPELINE_CALLS = 2_000


async def run_script_pipelined(
    client: redis.asyncio.Redis,
    script: AsyncScript,
    calls: Sequence[tuple[Sequence[Any], Sequence[Any]]],
) -> list[Any]:
    """The script's reply to each (KEYS, ARGV), in order; the first error raised. A server
    that lost the script (restart, SCRIPT FLUSH) gets EVAL with the source for those calls,
    which caches it there again."""
    replies: list[Any] = []
    for start in range(0, len(calls), PIPELINE_CALLS):
        chunk = calls[start : start + PIPELINE_CALLS]
        sent = await _pipeline(client, "EVALSHA", script.sha, chunk)
        lost = [n for n, reply in enumerate(sent) if isinstance(reply, NoScriptError)]
        if lost:
            again = await _pipeline(client, "EVAL", script.script, [chunk[n] for n in lost])
            for n, reply in zip(lost, again, strict=True):
                sent[n] = reply
        for reply in sent:
            if isinstance(reply, Exception):
                raise reply
        replies.extend(sent)
    return replies


async def _pipeline(
    client: redis.asyncio.Redis,
    command: str,
    script: object,
    calls: Sequence[tuple[Sequence[Any], Sequence[Any]]],
) -> list[Any]:
    pipe = client.pipeline(transaction=False)
    for keys, args in calls:
        pipe.execute_command(command, script, len(keys), *keys, *args)
    replies: list[Any] = await pipe.execute(raise_on_error=False)
    return replies
