"""The candidate page: flags, options shuffled per attempt across a reload, and the
controls of every question type (API.md, "Questions of every common type").

Single-choice runs against the real service. The other types are fed to the page as the
API describes them (the questions and saved answers replaced in flight), and what the page
sends is checked: the page is built to the contract, whichever server speaks it.
Screenshots go to test-output/browser/.
"""

from __future__ import annotations

import json
import shutil
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, Request, Route, expect

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


def _question(page: Page, number: int) -> Any:
    return page.locator(f"#questions fieldset >> nth={number - 1}")


def test_flags_by_keyboard_in_the_overview_and_after_a_reload(
    page: Page, base_url: str, http: httpx.Client
) -> None:
    exam_id = create_exam(http)
    _, jwt = candidate()
    open_exam(page, base_url, exam_id, jwt)
    flag = _question(page, 2).get_by_role("button", name="Flag for review")
    flag.focus()
    with page.expect_response(lambda r: "/flags/q2" in r.url and r.request.method == "PUT"):
        page.keyboard.press("Space")  # a native button: Space and Enter toggle it
    pressed = _question(page, 2).get_by_role("button", name="Flagged for review")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    overview = page.locator("#question-nav-list li >> nth=1")
    expect(overview).to_have_attribute("data-flagged", "true")
    expect(overview.get_by_role("link")).to_have_accessible_name(
        "2 Question 2: not answered, flagged"
    )
    attempt = attempt_id(page)
    assert get_attempt(http, jwt, attempt)["flags"] == ["q2"]
    screenshot(page, "9-flagged")

    page.reload()
    page.locator("#questions fieldset").first.wait_for()
    pressed = _question(page, 2).get_by_role("button", name="Flagged for review")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    pressed.focus()
    with page.expect_response(lambda r: "/flags/q2" in r.url and r.request.method == "DELETE"):
        page.keyboard.press("Enter")
    expect(_question(page, 2).get_by_role("button", name="Flag for review")).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(page.locator("#question-nav-list li >> nth=1")).to_have_attribute(
        "data-flagged", "false"
    )
    assert get_attempt(http, jwt, attempt)["flags"] == []
    # The overview links to the question.
    page.locator("#question-nav-list a >> nth=2").click()
    assert page.evaluate("location.hash") == "#q-3"


def _eight_options() -> list[dict[str, Any]]:
    return [
        {
            "id": f"q{n}",
            "stem": f"Question {n}",
            "options": [{"key": k, "text": f"answer {k}"} for k in "ABCDEFGH"],
            "correct_key": "C",
        }
        for n in (1, 2)
    ]


def _keys_on_page(page: Page) -> list[list[str]]:
    return [
        _question(page, n).locator("input[type=radio]").evaluate_all("(l) => l.map((i) => i.value)")
        for n in (1, 2)
    ]


def test_shuffled_order_and_answers_survive_a_reload(
    page: Page, base_url: str, http: httpx.Client
) -> None:
    exam_id = create_exam(http, questions=_eight_options(), shuffle_options=True)
    _, jwt = candidate()
    open_exam(page, base_url, exam_id, jwt)
    shown = _keys_on_page(page)
    assert all(sorted(keys) == list("ABCDEFGH") for keys in shown)
    _question(page, 1).get_by_role("radio", name="C answer C").check()
    expect(page.locator("#save-state")).to_have_text("All answers saved")
    screenshot(page, "10-shuffled")

    page.reload()
    page.locator("#questions fieldset").first.wait_for()
    assert _keys_on_page(page) == shown
    expect(_question(page, 1).get_by_role("radio", name="C answer C")).to_be_checked()
    attempt = get_attempt(http, jwt, attempt_id(page))
    assert attempt["answers"] == {"q1": "C"}
    questions = http.get(f"/attempts/{attempt['id']}/questions", headers=bearer(jwt)).json()
    assert [[o["key"] for o in q["options"]] for q in questions] == shown


TYPED_QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "q1",
        "type": "multiple",
        "stem": "Which are noble gases?",
        "options": [
            {"key": k, "text": t} for k, t in (("A", "Neon"), ("B", "Iron"), ("C", "Argon"))
        ],
    },
    {"id": "q2", "type": "numeric", "stem": "What is 7 / 2?", "options": []},
    {"id": "q3", "type": "text", "stem": "The capital of France?", "options": [], "max_length": 40},
    {"id": "q4", "type": "essay", "stem": "Describe your town.", "options": [], "max_length": 200},
    {"id": "q5", "type": "external", "stem": "Upload your drawing.", "options": []},
]


class FakeTypedServer:
    """Serves TYPED_QUESTIONS in place of the exam's (listed, or included in the attempt
    the page starts or reads), acknowledges every answer and records it, and puts `answers`
    into the attempt the page starts or reads."""

    def __init__(self, page: Page, answers: dict[str, Any] | None = None) -> None:
        self.sent: list[tuple[str, str, Any]] = []
        self.answers = answers
        page.route("**/api/v1/attempts/*/questions", self._questions)
        page.route("**/api/v1/attempts/*/answers/*", self._answer)
        page.route("**/api/v1/attempts/*", self._attempt)
        page.route("**/api/v1/exams/*/attempts*", self._attempt)

    def _questions(self, route: Route, _: Request) -> None:
        route.fulfill(json=TYPED_QUESTIONS)

    def _answer(self, route: Route, request: Request) -> None:
        body = json.loads(request.post_data) if request.post_data else None
        self.sent.append((request.method, request.url.rsplit("/", 1)[-1], body))
        # The attempt's real remaining time, so the page's clock is not moved by the fake.
        remaining_url = request.url.split("/answers/")[0] + "/remaining"
        headers = {"Authorization": request.headers["authorization"]}
        remaining = httpx.get(remaining_url, headers=headers).json()["remaining_seconds"]
        reply = {"version": len(self.sent), "saved_at": "2030-01-01T00:00:00Z"}
        route.fulfill(json={**reply, "remaining_seconds": remaining, "late": False})

    def _attempt(self, route: Route, request: Request) -> None:
        if request.method not in {"GET", "POST"}:
            route.fallback()
            return
        response = route.fetch()
        attempt = response.json()
        if self.answers is not None:
            attempt["answers"] = self.answers
        if "questions" in attempt:
            attempt["questions"] = TYPED_QUESTIONS
        route.fulfill(status=response.status, json=attempt)

    def last(self, question_id: str) -> tuple[str, Any]:
        method, _, body = [s for s in self.sent if s[1] == question_id][-1]
        return method, body


def test_every_type_is_rendered_and_sent_as_the_api_says(
    page: Page, base_url: str, http: httpx.Client
) -> None:
    server = FakeTypedServer(page)
    exam_id = create_exam(http)
    _, jwt = candidate()
    open_exam(page, base_url, exam_id, jwt)

    multiple = _question(page, 1)
    multiple.get_by_role("checkbox", name="A Neon").check()
    multiple.get_by_role("checkbox", name="C Argon").check()
    numeric = _question(page, 2).get_by_role("spinbutton", name="Your answer (a number)")
    numeric.fill("3.5")
    text = _question(page, 3).get_by_role("textbox", name="Your answer")
    text.fill("Paris")
    essay = _question(page, 4).get_by_role("textbox", name="Your answer")
    essay.fill("A small town by a river.")
    expect(_question(page, 4).locator(".char-count")).to_have_text("24 / 200 characters")
    expect(essay).to_have_attribute("maxlength", "200")
    expect(text).to_have_attribute("maxlength", "40")
    expect(_question(page, 5)).to_contain_text("answered in your exam platform")
    expect(_question(page, 5).locator("input, textarea")).to_have_count(0)
    expect(page.locator("#save-state")).to_have_text("All answers saved")
    screenshot(page, "11-every-type")

    assert server.last("q1") == ("PUT", {"response": ["A", "C"]})
    assert server.last("q2") == ("PUT", {"response": 3.5})
    assert server.last("q3") == ("PUT", {"response": "Paris"})
    assert server.last("q4") == ("PUT", {"response": "A small town by a river."})
    assert not [s for s in server.sent if s[1] == "q5"]
    expect(page.locator("#submit-summary")).to_have_text("You have answered 4 of 5 questions.")

    text.fill("")  # an emptied answer is cleared, not saved as ""
    multiple.get_by_role("checkbox", name="A Neon").uncheck()
    expect(page.locator("#save-state")).to_have_text("All answers saved")
    assert server.last("q3") == ("DELETE", None)
    assert server.last("q1") == ("PUT", {"response": ["C"]})


def test_saved_answers_of_every_type_are_shown_again(
    page: Page, base_url: str, http: httpx.Client
) -> None:
    saved = {"q1": ["B", "C"], "q2": -0.25, "q3": "Lyon", "q4": "Twelve characters"[:12]}
    FakeTypedServer(page, answers=saved)
    exam_id = create_exam(http)
    _, jwt = candidate()
    open_exam(page, base_url, exam_id, jwt)
    multiple = _question(page, 1)
    expect(multiple.get_by_role("checkbox", name="A Neon")).not_to_be_checked()
    expect(multiple.get_by_role("checkbox", name="B Iron")).to_be_checked()
    expect(multiple.get_by_role("checkbox", name="C Argon")).to_be_checked()
    expect(_question(page, 2).get_by_role("spinbutton")).to_have_value("-0.25")
    expect(_question(page, 3).get_by_role("textbox")).to_have_value("Lyon")
    expect(_question(page, 4).get_by_role("textbox")).to_have_value("Twelve chara")
    expect(_question(page, 4).locator(".char-count")).to_have_text("12 / 200 characters")
    expect(page.locator("#question-nav-list li[data-answered=true]")).to_have_count(4)


def test_a_number_that_is_no_number_is_not_sent(
    page: Page, base_url: str, http: httpx.Client
) -> None:
    server = FakeTypedServer(page)
    exam_id = create_exam(http)
    _, jwt = candidate()
    open_exam(page, base_url, exam_id, jwt)
    numeric = _question(page, 2).get_by_role("spinbutton")
    numeric.press_sequentially("1e")  # badInput: the field holds no number
    expect(_question(page, 2).locator(".answer-state")).to_contain_text("type a number")
    assert not [s for s in server.sent if s[1] == "q2"]
