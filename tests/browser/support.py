"""Exams, tokens and API calls the browser tests share."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page

from tests.api.conftest import exam_body, token

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "browser"
ADMIN = {"Authorization": f"Bearer {token('admin-browser', 'admin')}"}


def candidate() -> tuple[str, str]:
    """A fresh candidate id and token, so every test has its own attempt."""
    subject = f"cand-{uuid.uuid4().hex[:8]}"
    return subject, token(subject)


def create_exam(http: httpx.Client, **overrides: Any) -> str:
    response = http.post("/exams", json=exam_body(**overrides), headers=ADMIN)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def bearer(jwt: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {jwt}"}


def attempt_id(page: Page) -> str:
    """The attempt the page opened (it puts the id on <main> once the attempt is open)."""
    page.locator("#main[data-attempt-id]").wait_for(state="attached")
    return str(page.locator("#main").get_attribute("data-attempt-id"))


def get_attempt(http: httpx.Client, jwt: str, attempt: str) -> dict[str, Any]:
    response = http.get(f"/attempts/{attempt}", headers=bearer(jwt))
    assert response.status_code == 200, response.text
    return dict(response.json())


def endpoint_missing(response: httpx.Response) -> bool:
    """A 404 from routing (no such endpoint yet), not a 404 problem from a handler."""
    return response.status_code in {404, 405} and response.json().get("type") == "about:blank"


def open_exam(page: Page, base_url: str, exam_id: str, jwt: str) -> None:
    page.goto(f"{base_url}/take/{exam_id}?token={jwt}")
    page.locator("#questions fieldset").first.wait_for()


def remaining_on_page(page: Page) -> float:
    """Seconds left by the page's own clock (the exact figure behind the mm:ss text)."""
    return int(page.locator("#timer").get_attribute("data-remaining-ms") or "0") / 1000


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
