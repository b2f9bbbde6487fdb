"""Where a path's CPU time goes: py-spy speedscope samples grouped by library."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# (category, substrings of a frame's file path); first match wins, checked innermost first.
_LIBRARIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("msgspec (JSON encode/decode)", ("litestar/serialization/",)),
    ("auth: PyJWT + hmac", ("/jwt/",)),
    ("Litestar (routing, middleware, request/response)", ("/litestar/",)),
    ("dishka (DI container)", ("/dishka/",)),
    ("SQLAlchemy (+ advanced-alchemy types)", ("/sqlalchemy/", "/advanced_alchemy/")),
    ("asyncpg", ("/asyncpg/",)),
    ("redis-py (+ hiredis)", ("site-packages/redis/", "site-packages/hiredis/")),
    ("ASGI server (uvicorn/httptools, granian)", ("/uvicorn/", "/httptools/", "/granian/")),
    ("FastAPI / Starlette / pydantic", ("/fastapi/", "/starlette/", "/pydantic")),
    ("our code: domain", ("/domain/",)),
    ("our code: application", ("/application/",)),
    ("our code: infrastructure", ("/infrastructure/",)),
    ("our code: presentation", ("/presentation/",)),
    ("bench peer code", ("/bench/",)),
)
_EVENT_LOOP = "event loop (asyncio/uvloop) and stdlib"
# Inclusive markers: share of samples with such a frame anywhere on the stack.
_INCLUSIVE: tuple[tuple[str, str, str], ...] = (
    ("bearer token check (cached or verified)", "actor", "presentation/api/auth"),
    ("PyJWT anywhere (a token not seen before)", "", "/jwt/"),
    ("Litestar's handler call (parameters, DI, our code)", "_call_handler_function", ""),
    ("Litestar's response (encode, headers, send)", "to_asgi_response", ""),
    ("use cases (application layer)", "", "/application/"),
    ("SQLAlchemy anywhere (incl. asyncpg under it)", "", "/sqlalchemy/"),
    ("asyncpg anywhere", "", "/asyncpg/"),
    ("redis-py anywhere", "", "site-packages/redis/"),
    ("hot-state codec", "", "infrastructure/redis/codec"),
    ("Redis commands through PipelinedConnection", "", "infrastructure/redis/pipelined_conn"),
    ("adaptive engine (selection, ability update, state codec)", "", "domain/adaptive/"),
)


@dataclass(frozen=True, slots=True)
class ProfileSummary:
    samples: int
    by_library: list[tuple[str, float]]  # (category, share of samples), largest first
    inclusive: list[tuple[str, float]]
    top_functions: list[tuple[str, float]]  # self time by function


def summarise(path: Path, top: int = 12) -> ProfileSummary:
    data = json.loads(path.read_text())
    frames = data["shared"]["frames"]
    owners: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    total = 0
    supervisor = _supervisor(data)
    for profile in data["profiles"]:
        for stack in profile["samples"]:
            files = [str(frames[i].get("file") or "") for i in stack]
            names = [str(frames[i].get("name") or "") for i in stack]
            if not stack or _starting_up(files, names) or stack[0] == supervisor or _bare(names):
                continue
            weight = 1  # count samples (py-spy's weights are seconds, equal per sample)
            total += weight
            owners[_owner(files)] += weight
            leaf = frames[stack[-1]]
            functions[f"{leaf.get('name')} ({_short(str(leaf.get('file') or ''))})"] += weight
            for label, name, file in _INCLUSIVE:
                if any(
                    (not name or n == name or n.endswith("." + name)) and (not file or file in f)
                    for n, f in zip(names, files, strict=True)
                ):
                    inclusive[label] += weight
    share = 1 / total if total else 0.0
    return ProfileSummary(
        samples=total,
        by_library=[(k, v * share) for k, v in owners.most_common()],
        inclusive=[(label, inclusive[label] * share) for label, _, _ in _INCLUSIVE],
        top_functions=[(k, v * share) for k, v in functions.most_common(top)],
    )


def _supervisor(data: dict[str, Any]) -> int | None:
    """The root frame py-spy (--subprocesses) gives the first process of a server that runs
    its app in worker processes (granian): it only watches the workers, so its samples
    are not the cost of a request."""
    roots: dict[int, int] = {}
    for index, frame in enumerate(data["shared"]["frames"]):
        found = re.match(r"process (\d+):", str(frame.get("name") or ""))
        if found:
            roots[int(found.group(1))] = index
    return roots[min(roots)] if len(roots) > 1 else None


def _bare(names: list[str]) -> bool:
    """A sample of a process frame alone: py-spy (non-blocking) read no Python stack."""
    return len(names) == 1 and names[0].startswith("process ")


def _starting_up(files: list[str], names: list[str]) -> bool:
    """Samples of the process start (imports, building the app), not of serving."""
    return any(f.startswith("<frozen importlib") for f in files) or any(
        n in _STARTUP for n in names
    )


_STARTUP = frozenset(
    {"app_from_environment", "create_app", "import_from_string", "startup", "settle_heap"}
)


def _owner(files: list[str]) -> str:
    """The innermost frame that belongs to a known library or to our code; stdlib frames
    (hmac, json, uuid, datetime...) count for the code that called them."""
    for file in reversed(files):
        for category, needles in _LIBRARIES:
            if any(needle in file for needle in needles):
                return category
        if "site-packages" in file:
            return "other library: " + file.split("site-packages/", 1)[1].split("/", 1)[0]
    return _EVENT_LOOP


def _short(file: str) -> str:
    for marker in ("site-packages/", "/src/", "/bench/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file.rsplit("/", 2)[-1] if "/" in file else file
