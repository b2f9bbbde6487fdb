"""The candidate page with sections (issue 17): the section's clock beside the exam's, its
warnings, moving on by itself when the section's time is up, locked questions shown so."""

from __future__ import annotations

import shutil
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import attempt_id, candidate, create_exam, get_attempt, screenshot

if shutil.which("chromium") is None:
    pytest.skip(
        "browser tests need Debian's Chromium at /usr/bin/chromium", allow_module_level=True
    )


def _question(qid: str) -> dict[str, Any]:
    return {
        "id": qid,
        "stem": f"Question {qid}",
        "options": [{"key": "A", "text": "yes"}, {"key": "B", "text": "no"}],
        "correct_key": "A",
    }


def _sectioned_exam(http: httpx.Client, first_seconds: float) -> str:
    return create_exam(
        http,
        duration_seconds=3600,
        questions=[_question(q) for q in ("l1", "l2", "r1", "r2")],
        sections=[
            {
                "id": "listening",
                "title": "Listening",
                "duration_seconds": first_seconds,
                "question_ids": ["l1", "l2"],
            },
            {
                "id": "reading",
                "title": "Reading",
                "navigation": "sequential",
                "question_ids": ["r1", "r2"],
            },
        ],
    )


def _open(page: Page, base_url: str, exam_id: str, jwt: str) -> None:
    page.goto(f"{base_url}/take/{exam_id}?token={jwt}")
    page.locator("#questions fieldset").first.wait_for()


def test_the_section_clock_runs_beside_the_exam_clock_and_warns(
    page: Page, base_url: str, http: httpx.Client
) -> None:
    exam_id = _sectioned_exam(http, first_seconds=290)  # under 5 minutes: warned at once
    _, jwt = candidate()
    _open(page, base_url, exam_id, jwt)
    section_timer = page.get_by_role("timer", name="Section time left")
    expect(section_timer).to_be_visible()
    expect(page.get_by_role("timer", name="Time left", exact=True)).to_be_visible()
    left = int(section_timer.get_attribute("data-remaining-ms") or "0") / 1000
    assert 280 < left <= 290, left  # from the server's figures, whatever the skew
    expect(page.locator("#section-clock")).to_have_attribute("data-level", "warning")
    expect(page.locator("#announcer")).to_have_text("Less than 5 minutes left in this section.")
    expect(page.get_by_role("heading", name="Section 1 of 2: Listening")).to_be_visible()
    screenshot(page, "sections-1-clock")


def test_the_page_moves_on_by_itself_when_the_section_time_is_up(
    page: Page, base_url: str, http: httpx.Client
) -> None:
    exam_id = _sectioned_exam(http, first_seconds=3)
    _, jwt = candidate()
    _open(page, base_url, exam_id, jwt)
    page.get_by_role("radio", name="yes").first.check()
    expect(page.get_by_role("heading", name="Section 2 of 2: Reading")).to_be_visible(
        timeout=15_000
    )
    # The listening questions are locked, the reading section shows its first question only.
    first = page.locator("#questions fieldset >> nth=0")
    expect(first).to_have_attribute("data-locked", "true")
    expect(first.get_by_role("radio", name="A yes")).to_be_disabled()
    expect(first).to_contain_text("Locked")
    reading = page.locator("#questions fieldset:not([data-locked])")
    expect(reading).to_have_count(1)
    expect(page.get_by_role("timer", name="Section time left")).to_be_hidden()  # untimed
    attempt = get_attempt(http, jwt, attempt_id(page))
    assert attempt["current_section"] == "reading"
    assert attempt["answers"] == {"l1": "A"}  # saved before the page moved on
    screenshot(page, "sections-2-moved-on")


def test_next_question_by_keyboard_locks_the_one_left(
    page: Page, base_url: str, http: httpx.Client
) -> None:
    exam_id = _sectioned_exam(http, first_seconds=600)
    _, jwt = candidate()
    _open(page, base_url, exam_id, jwt)
    finish = page.get_by_role("button", name="Finish this section")
    finish.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Section 2 of 2: Reading")).to_be_visible()
    following = page.get_by_role("button", name="Next question")
    following.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#questions fieldset[data-locked='true']")).to_have_count(3)
    expect(page.locator("#questions fieldset:not([data-locked])")).to_contain_text("Question r2")
    expect(following).to_be_hidden()  # r2 is the last: the section is left by finishing it
    expect(page.get_by_role("button", name="Finish the exam")).to_be_visible()
