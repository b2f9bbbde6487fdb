"""The JWT signing secret: configured, or generated once and kept in the data dir."""

from __future__ import annotations

import os
import secrets

from infrastructure.settings import Settings

_FILE_NAME = "jwt-secret"


def resolve_jwt_secret(settings: Settings) -> str:
    """HOURGLASS_JWT_SECRET if set; else the data dir's secret, created on first use.

    Keeping the generated secret on disk lets `hourglass token` sign tokens that a
    running `hourglass serve` with the same data dir accepts.
    """
    if settings.jwt_secret:
        return settings.jwt_secret
    path = settings.data_path / _FILE_NAME
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secret)
    return secret
