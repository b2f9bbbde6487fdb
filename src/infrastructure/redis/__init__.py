"""Redis (or Valkey) adapters: hot state of attempts, readiness probe, client factory."""

from infrastructure.redis.client import create_redis
from infrastructure.redis.hot_state import RedisHotStateStore
from infrastructure.redis.keys import RedisKeys
from infrastructure.redis.probe import RedisProbe

__all__ = ["RedisHotStateStore", "RedisKeys", "RedisProbe", "create_redis"]
