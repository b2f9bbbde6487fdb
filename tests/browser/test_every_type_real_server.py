"""The candidate page against the real service with every question type: an exam created
over HTTP (shuffled options), each type answered on the page, a reload keeping the answers
and the shuffled order, a submit, and the stored answers read back through the API.
Screenshots go to test-output/browser/."""

from __future__ import annotations

import shutil
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import (
    attempt_id,
    bearer,
    candidate,
    create_exam,
    get_attempt,
    open_exam,
    screenshot,
)

if shutil.which("chromium") is None:
    pytest.skip(
        "browser tests need Debian's Chromium at /usr/bin/chromium", allow_module_level=True
    )

GASES = [
    {"key": k, "text": t}
    for k, t in (("A", "Neon"), ("B", "Iron"), ("C", "Argon"), ("D", "Gold"), ("E", "Xenon"))
]
EVERY_TYPE: list[dict[str, Any]] = [
    {"id": "q1", "stem": "Which is a noble gas?", "options": GASES, "correct_key": "A"},
    {
        "id": "q2",
        "type": "multiple",
        "stem": "Which are noble gases?",
        "options": GASES,
        "correct_keys": ["A", "C", "E"],
        "scoring": "partial",
        "points": 3,
    },
    {
        "id": "q3",
        "type": "numeric",
        "stem": "What is 7 / 2?",
        "numeric": {"value": 3.5, "tolerance": 0},
    },
    {
        "id": "q4",
        "type": "text",
        "stem": "The capital of France?",
        "accepted": ["Paris"],
        "max_length": 40,
    },
    {"id": "q5", "type": "essay", "stem": "Describe your town.", "max_length": 200, "points": 4},
]
ESSAY = "A small town by a river."


def _question(page: Page, number: int) -> Any:
    return page.locator(f"#questions fieldset >> nth={number - 1}")


def _orders(page: Page) -> list[list[str]]:
    return [
        _question(page, n)
        .locator("input[type=radio], input[type=checkbox]")
        .evaluate_all("(l) => l.map((i) => i.value)")
        for n in (1, 2)
    ]


def test_every_type_on_the_real_service(page: Page, base_url: str, http: httpx.Client) -> None:
    exam_id = create_exam(http, questions=EVERY_TYPE, shuffle_options=True)
    _, jwt = candidate()
    open_exam(page, base_url, exam_id, jwt)
    shown = _orders(page)
    assert [sorted(keys) for keys in shown] == [list("ABCDE")] * 2

    _question(page, 1).get_by_role("radio", name="A Neon").check()
    _question(page, 2).get_by_role("checkbox", name="A Neon").check()
    _question(page, 2).get_by_role("checkbox", name="C Argon").check()
    _question(page, 2).get_by_role("checkbox", name="B Iron").check()
    _question(page, 3).get_by_role("spinbutton", name="Your answer (a number)").fill("3.5")
    _question(page, 4).get_by_role("textbox", name="Your answer").fill("paris")
    essay = _question(page, 5).get_by_role("textbox", name="Your answer")
    essay.fill(ESSAY)
    expect(_question(page, 5).locator(".char-count")).to_have_text(f"{len(ESSAY)} / 200 characters")
    expect(page.locator("#save-state")).to_have_text("All answers saved")
    screenshot(page, "12-every-type-real-service")

    attempt = attempt_id(page)
    expected = {"q1": "A", "q2": ["A", "B", "C"], "q3": 3.5, "q4": "paris", "q5": ESSAY}
    stored = get_attempt(http, jwt, attempt)["answers"]
    assert {**stored, "q2": sorted(stored["q2"])} == expected  # list, number, strings

    page.reload()
    page.locator("#questions fieldset").first.wait_for()
    assert _orders(page) == shown
    expect(_question(page, 1).get_by_role("radio", name="A Neon")).to_be_checked()
    for name, checked in (("A Neon", True), ("B Iron", True), ("C Argon", True), ("D Gold", False)):
        box = _question(page, 2).get_by_role("checkbox", name=name)
        expect(box).to_be_checked() if checked else expect(box).not_to_be_checked()
    expect(_question(page, 3).get_by_role("spinbutton")).to_have_value("3.5")
    expect(_question(page, 4).get_by_role("textbox")).to_have_value("paris")
    expect(_question(page, 5).get_by_role("textbox")).to_have_value(ESSAY)
    expect(_question(page, 5).locator(".char-count")).to_have_text(f"{len(ESSAY)} / 200 characters")

    page.get_by_role("button", name="Submit the exam…").click()
    page.get_by_role("button", name="Yes, submit").click()
    expect(page.locator("#result-title")).to_have_text("Submitted")
    screenshot(page, "13-every-type-submitted")

    final = get_attempt(http, jwt, attempt)
    assert final["status"] == "submitted"
    assert {**final["answers"], "q2": sorted(final["answers"]["q2"])} == expected
    result = final["result"]
    # single 1 + multiple 2 right, 1 wrong of 3 = 1/3 of 3 + numeric 1 + text 1; essay pending
    assert (result["score"], result["pending_points"], result["scored"]) == (4.0, 4.0, False)
    questions = http.get(f"/attempts/{attempt}/questions", headers=bearer(jwt)).json()
    assert [[o["key"] for o in q["options"]] for q in questions[:2]] == shown
