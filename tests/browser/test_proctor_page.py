"""The proctor's page in headless Chromium against the real service."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.api.conftest import token
from tests.browser.support import (
    attempt_id,
    candidate,
    create_exam,
    get_attempt,
    open_exam,
    remaining_on_page,
    screenshot,
)

ADMIN_JWT = token("proctor-browser", "admin")


def _wait_until(condition: Callable[[], bool], timeout: float = 8.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the page did not change in time"
        time.sleep(0.1)


def _open_proctor(page: Page, base_url: str, exam_id: str) -> None:
    page.goto(f"{base_url}/proctor/{exam_id}?token={ADMIN_JWT}")
    expect(page.locator("#connection")).to_have_text("Live")


def _row(page: Page, attempt: str) -> Locator:
    return page.locator(f'tr[data-attempt-id="{attempt}"]')


def _remaining_in_row(row: Locator) -> float:
    return int(row.locator(".time-left").get_attribute("data-remaining-ms") or "0") / 1000


def _act(page: Page, button: str, reason: str, seconds: int | None = None) -> None:
    page.get_by_role("button", name=button).click()
    dialog = page.locator("#action-dialog")
    expect(dialog).to_be_visible()
    if seconds is not None:
        page.get_by_label("Seconds").fill(str(seconds))
    page.get_by_label("Reason").fill(reason)
    page.keyboard.press("Enter")  # the keyboard confirms, as the button would
    expect(dialog).to_be_hidden()


def test_an_extension_on_the_proctor_page_reaches_the_candidates_page(
    context: BrowserContext, base_url: str, http: httpx.Client
) -> None:
    exam_id = create_exam(http, title="Proctored", duration_seconds=600)
    subject, jwt = candidate()
    taking = context.new_page()
    open_exam(taking, base_url, exam_id, jwt)
    attempt = attempt_id(taking)
    before = remaining_on_page(taking)

    proctor = context.new_page()
    _open_proctor(proctor, base_url, exam_id)
    row = _row(proctor, attempt)
    expect(row.locator("th")).to_have_text(subject)
    expect(row.locator("td").nth(0)).to_have_text("in progress")
    expect(row.locator("td").nth(1)).to_have_text("0")
    taking.locator("#questions fieldset").first.locator("label").first.click()
    expect(row.locator("td").nth(1)).to_have_text("1")
    screenshot(proctor, "proctor-1-live")

    _act(proctor, f"Extend… for {subject}", "fire alarm", seconds=300)
    expect(proctor.locator("#announcer")).to_contain_text("Extend sent")
    # The candidate's page hears it on its own stream: no reload.
    _wait_until(lambda: remaining_on_page(taking) > before + 250)
    assert get_attempt(http, jwt, attempt)["remaining_seconds"] > before + 250
    # The proctor's own row follows from its stream (it may arrive after the candidate's).
    _wait_until(lambda: _remaining_in_row(row) > before + 250)
    screenshot(taking, "proctor-2-candidate-extended")

    _act(proctor, f"Pause… for {subject}", "check the room")
    expect(row.locator("td").nth(3)).to_have_text("Paused")
    _act(proctor, f"Resume… for {subject}", "all clear")
    expect(row.locator("td").nth(3)).to_have_text("No")
    _act(proctor, f"Terminate… for {subject}", "left the room")
    expect(row.locator("td").nth(0)).to_have_text("terminated")
    screenshot(proctor, "proctor-3-terminated")


def test_exam_wide_pause_and_resume_with_the_keyboard(
    context: BrowserContext, base_url: str, http: httpx.Client
) -> None:
    exam_id = create_exam(http, duration_seconds=600)
    attempts = []
    for _ in range(2):
        _, jwt = candidate()
        started = http.post(
            f"/exams/{exam_id}/attempts", headers={"Authorization": f"Bearer {jwt}"}
        )
        attempts.append(started.json()["id"])
    proctor = context.new_page()
    _open_proctor(proctor, base_url, exam_id)
    expect(proctor.locator("#rows tr")).to_have_count(2)
    pause_all = proctor.get_by_role("button", name="Pause all…")
    pause_all.focus()
    proctor.keyboard.press("Enter")
    expect(proctor.get_by_label("Reason")).to_be_focused()
    proctor.keyboard.type("power cut")
    proctor.keyboard.press("Enter")
    for attempt in attempts:
        expect(_row(proctor, attempt).locator("td").nth(3)).to_have_text("Paused")
    expect(proctor.locator("#announcer")).to_contain_text("2 attempts changed")
    screenshot(proctor, "proctor-4-all-paused")
    _act(proctor, "Resume all…", "power back")
    for attempt in attempts:
        expect(_row(proctor, attempt).locator("td").nth(3)).to_have_text("No")


def test_a_reason_is_required_and_cancel_changes_nothing(
    context: BrowserContext, base_url: str, http: httpx.Client
) -> None:
    exam_id = create_exam(http, duration_seconds=600)
    subject, jwt = candidate()
    http.post(f"/exams/{exam_id}/attempts", headers={"Authorization": f"Bearer {jwt}"})
    proctor = context.new_page()
    _open_proctor(proctor, base_url, exam_id)
    proctor.get_by_role("button", name=f"Pause… for {subject}").click()
    proctor.keyboard.press("Enter")  # no reason given: the dialog stays
    expect(proctor.locator("#action-dialog")).to_be_visible()
    proctor.get_by_role("button", name="Cancel").click()
    expect(proctor.locator("#action-dialog")).to_be_hidden()
    expect(proctor.locator("#rows tr td").nth(3)).to_have_text("No")


def test_the_page_is_public_static_and_csp_strict(base_url: str, http: httpx.Client) -> None:
    exam_id = create_exam(http)
    page = httpx.get(f"{base_url}/proctor/{exam_id}")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "onclick" not in page.text.lower()
    assert "style=" not in page.text.lower()
    assert httpx.get(f"{base_url}/take/assets/proctor.js").status_code == 200
    assert httpx.get(f"{base_url}/proctor/not-an-exam").status_code == 404
