"""Who is asking: the authenticated user behind a request."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CANDIDATE = "candidate"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    user_id: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN
