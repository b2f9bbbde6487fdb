"""compose.yaml must not ship a signing secret: without one, `docker compose` refuses."""

from __future__ import annotations

import re
from pathlib import Path

COMPOSE = Path(__file__).resolve().parents[3] / "compose.yaml"


def test_compose_requires_the_jwt_secret_and_has_no_default() -> None:
    text = COMPOSE.read_text()
    uses = re.findall(r"\$\{HOURGLASS_JWT_SECRET([^}]*)\}", text)
    assert uses, "the api service must take HOURGLASS_JWT_SECRET from the environment"
    # `:?message` makes compose stop with the message when the variable is unset or empty;
    # `:-default` or `-default` would start with a secret everyone can read here.
    assert all(use.startswith(":?") for use in uses), uses
    assert re.search(r"^\s+HOURGLASS_JWT_SECRET: \$\{HOURGLASS_JWT_SECRET:\?", text, re.M)
