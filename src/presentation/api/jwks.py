"""An identity provider's signing keys, fetched from its JWKS URL and kept in memory."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from typing import Any

from jwt import PyJWK, PyJWKClient, PyJWKSet
from jwt.exceptions import PyJWTError
from litestar.exceptions import NotAuthorizedException

logger = logging.getLogger(__name__)


class JwksKeys:
    """The keys by `kid`, fetched again when older than `max_age_seconds` or when a
    token names a `kid` not among them, but never twice within `min_refresh_seconds`:
    otherwise anyone could make every request fetch by sending made-up kids.

    PyJWKClient does the fetching (urllib, so blocking: it runs in a worker thread).
    Its own cache is not used because it refetches on every unknown `kid`. A failed
    fetch keeps the keys already known, so an identity provider's outage does not log
    every candidate out.
    """

    def __init__(
        self,
        url: str,
        *,
        max_age_seconds: float = 300.0,
        min_refresh_seconds: float = 30.0,
        timeout_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = PyJWKClient(url, cache_jwk_set=False, timeout=timeout_seconds)
        self._max_age = max_age_seconds
        self._min_refresh = min_refresh_seconds
        self._clock = clock
        self._keys: dict[str, PyJWK] = {}
        self._fetched_at = -math.inf
        self._tried_at = -math.inf
        self._refresh_lock = asyncio.Lock()
        self.fetches = 0  # how often the URL was asked, for tests and logs

    def knows(self, kid: str) -> bool:
        """Whether a key `kid` is still published (as of the last fetch)."""
        return kid in self._keys

    async def key(self, kid: str) -> PyJWK:
        """The signing key `kid`; 401 if the provider does not publish it."""
        now = self._clock()
        wanted = kid not in self._keys or now - self._fetched_at >= self._max_age
        if wanted and now - self._tried_at >= self._min_refresh:
            await self._refresh()
        found = self._keys.get(kid)
        if found is None:
            raise NotAuthorizedException(f"no published signing key has kid {kid!r}")
        return found

    async def _refresh(self) -> None:
        async with self._refresh_lock:
            # Callers that queued behind a fetch use its result instead of fetching again.
            if self._clock() - self._tried_at < self._min_refresh:
                return
            self._tried_at = self._clock()
            self.fetches += 1
            try:
                data = await asyncio.to_thread(self._client.fetch_data)
                keys = _signing_keys(data)
            except (PyJWTError, ValueError) as error:
                logger.warning("JWKS fetch failed, keeping %d keys: %s", len(self._keys), error)
                return
            self._keys, self._fetched_at = keys, self._tried_at


def _signing_keys(data: Any) -> dict[str, PyJWK]:
    # PyJWKSet skips keys it cannot use (unknown kty or curve); a key without a kid
    # cannot be chosen, and an encryption key must not verify signatures.
    return {
        key.key_id: key
        for key in PyJWKSet.from_dict(data).keys
        if isinstance(key.key_id, str) and key.public_key_use in ("sig", None)
    }
